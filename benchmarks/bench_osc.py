"""OSC round trips against `soundalike serve`'s server, on loopback, at library scale.

    python benchmarks/bench_osc.py [--size 100000] [--overload-only]

A library of synthetic descriptors (no audio is decoded: the queries are
library samples) is served by the real OscServer. Prints the round-trip latency
of /soundalike/similar with k=16 (request sent -> done received, all 16 results
before it) for one client and for 4 concurrent clients, then the sustained
request rate: requests sent at a fixed rate for a few seconds, replies counted.
Targets (issue 4): p50 <= 2 ms and p99 <= 5 ms with one client; no lost replies
at 500 requests/s.

Overload (issue 19): 4 clients each sending 500 requests/s for 4 s while a real scan
of generated audio runs beside the server (worker processes on every core); each request
gets its answer or a quick ``busy`` error. Prints the answered round trips' p50/p99, the
busy count, other errors and the requests lost (target: 0 lost, no answer later than the
server's deadline plus one query).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.bench_search import synthetic_library  # noqa: E402
from soundalike.bridge.server import OscServer  # noqa: E402
from soundalike.bridge.service import LibraryService  # noqa: E402
from soundalike.bridge.wire import decode, encode  # noqa: E402
from soundalike.engine.index.catalogue import Catalogue  # noqa: E402
from soundalike.engine.index.feature_space import FeatureSpace  # noqa: E402
from soundalike.engine.index.neighbours import NeighbourIndex  # noqa: E402
from soundalike.engine.index.store import Root  # noqa: E402
from soundalike.engine.sound.descriptors import DESCRIPTORS  # noqa: E402

K = 16


def synthetic_catalogue(n: int) -> Catalogue:
    descriptor = DESCRIPTORS["soundalike"]
    X = synthetic_library(n, descriptor.dim)
    space = FeatureSpace().fit(X)
    Z = space.standardize(X)
    E = space.embed(Z)
    paths = [f"/bench/Pack {i % 500:03d}/sound {i:07d}.wav".encode() for i in range(n)]
    index = NeighbourIndex(Z, E, space.components_, descriptor.aspects, approximate=False)
    return Catalogue(
        descriptor, space, np.arange(1, n + 1), paths, np.full(n, 0.4, np.float32),
        (np.arange(n) % 500).astype(np.int32), {}, index, np.zeros(n, np.int64),
        np.zeros(n, np.float32), {}, [Root(b"/bench", None, 0, None)], "bench",
        np.full(n, -1, np.int8), np.zeros(n, np.float32),  # no categories: synthetic vectors
    )


class Client:
    def __init__(self, server_port: int):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        self.port = self.sock.getsockname()[1]
        self.target = ("127.0.0.1", server_port)

    def request(self, request_id: int, path: str, copies: bool = False) -> bytes:
        options = ("no_duplicates", 0) if copies else ()
        return encode("/soundalike/similar", (request_id, path, K, "reply_port", self.port,
                                              *options))

    def round_trip(self, request_id: int, path: str, copies: bool = False) -> float:
        started = time.perf_counter()
        self.sock.sendto(self.request(request_id, path, copies), self.target)
        results = 0
        while True:
            message = decode(self.sock.recvfrom(65535)[0])[0]
            if message.args[0] != request_id:
                continue
            if message.address.endswith("/result"):
                results += 1
            elif message.address.endswith("/done"):
                assert results == K, (results, message)
                return time.perf_counter() - started
            else:
                raise RuntimeError(message)


def latencies(server_port: int, paths: list[str], clients: int, per_client: int) -> np.ndarray:
    out: list[float] = []
    lock = threading.Lock()

    def run(c: int) -> None:
        client = Client(server_port)
        client.sock.settimeout(5)
        mine = []
        for i in range(per_client):
            mine.append(client.round_trip(c * 1_000_000 + i, paths[(c * 7919 + i) % len(paths)]))
        with lock:
            out.extend(mine)

    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return np.array(out) * 1e3


def in_process(service: LibraryService, paths: list[str], count: int,
               lean: bool = False) -> np.ndarray:
    """The same searches as :func:`latencies` (k=16, copies left out as the request's
    ``no_duplicates`` default asks), called in this process: what the bridge adds is the
    difference. ``lean``: the search as the bridge calls it (its rows, no report made of
    them); else as ``Library.similar`` does (a report, each neighbour's aspects measured)."""
    from soundalike.engine.search import similar as search

    out = []
    for i in range(count):
        started = time.perf_counter()
        if lean:
            found = search.nearest(service.snapshot, paths[i % len(paths)], K,
                                   no_duplicates=True)
            search.result_rows(service.snapshot, found.rows, found.distances)
        else:
            search.similar(service.snapshot, paths[i % len(paths)], K, no_duplicates=True)
        out.append(time.perf_counter() - started)
    return np.array(out) * 1e3


def sustained(server_port: int, paths: list[str], rate: int, seconds: float) -> tuple[int, int]:
    client = Client(server_port)
    client.sock.settimeout(0.5)
    total = int(rate * seconds)
    done = set()

    def receive() -> None:
        while True:
            try:
                data = client.sock.recvfrom(65535)[0]
            except TimeoutError:
                return
            message = decode(data)[0]
            if message.address.endswith("/done"):
                done.add(message.args[0])

    receiver = threading.Thread(target=receive)
    receiver.start()
    started = time.perf_counter()
    for i in range(total):
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        client.sock.sendto(client.request(i, paths[i % len(paths)]), client.target)
    receiver.join()
    return total, len(done)


@contextlib.contextmanager
def scan_running(files: int = 12_000):
    """A real ``soundalike scan`` of generated audio, running beside the server: enough files
    to outlast the head start and the 4 s flood (a scan profiles about 1,000 files/s on 2
    cores; 1,200 files were done before the flood began)."""
    from benchmarks.bench_scan import generate

    with tempfile.TemporaryDirectory(prefix="bench-osc-") as tmp:
        folder = Path(tmp) / "Samples"
        generate(folder, files)
        scan = subprocess.Popen(
            [sys.executable, "-m", "soundalike.engine.cli", "--db", str(Path(tmp) / "scan.db"),
             "scan", str(folder), "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            time.sleep(2.0)  # its workers are up and profiling
            if scan.poll() is not None:
                raise RuntimeError(f"the scan ended early: {scan.stderr.read().decode()}")
            yield
            if scan.poll() is not None:
                print("  (warning: the scan ended before the flood did)")
        finally:
            scan.kill()
            scan.wait()


def overload(server_port: int, paths: list[str], clients: int, rate: int, seconds: float
             ) -> tuple[np.ndarray, np.ndarray, int, int, int]:
    """``clients`` clients each sending ``rate`` requests/s for ``seconds``: round trips of the
    answered requests and of the busy replies (ms), and the counts of other errors, lost and
    sent."""
    answered: list[float] = []
    busy: list[float] = []
    errors = sent = 0
    lock = threading.Lock()

    def run(c: int) -> None:
        nonlocal errors, sent
        client = Client(server_port)
        client.sock.settimeout(2.0)  # after the last request, answers come within this
        total = int(rate * seconds)
        sent_at = np.zeros(total)
        outcome: dict[int, float | str] = {}

        def receive() -> None:
            while True:
                try:
                    message = decode(client.sock.recvfrom(65535)[0])[0]
                except TimeoutError:
                    return
                i = message.args[0] - c * 1_000_000
                if message.address.endswith("/done"):
                    outcome[i] = time.perf_counter() - sent_at[i]
                elif message.address == "/soundalike/error":
                    took = time.perf_counter() - sent_at[i]
                    outcome[i] = (took, "busy") if "busy" in message.args[1] else message.args[1]

        receiver = threading.Thread(target=receive)
        receiver.start()
        started = time.perf_counter()
        for i in range(total):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            sent_at[i] = time.perf_counter()
            client.sock.sendto(client.request(c * 1_000_000 + i, paths[(c * 7919 + i) %
                                                                       len(paths)]), client.target)
        receiver.join()
        with lock:
            sent += total
            for value in outcome.values():
                if isinstance(value, float):
                    answered.append(value * 1e3)
                elif isinstance(value, tuple):
                    busy.append(value[0] * 1e3)
                else:
                    errors += 1

    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lost = sent - len(answered) - len(busy) - errors
    return np.array(answered), np.array(busy), errors, lost, sent


def report_overload(server_port: int, paths: list[str]) -> None:
    """The overload figures, measured by clients in a process of their own (clients in the
    server's process would compete with it for the interpreter and slow it down)."""
    with scan_running():
        flood = subprocess.run(
            [sys.executable, __file__, "--flood", str(server_port)], input=json.dumps(paths),
            capture_output=True, text=True, check=True, timeout=120)
    figures = json.loads(flood.stdout)
    times, busy = np.array(figures["answered"]), np.array(figures["busy"])
    p50, p99 = (np.percentile(times, q) if len(times) else float("nan") for q in (50, 99))
    worst = times.max() if len(times) else float("nan")
    quick = np.percentile(busy, 50) if len(busy) else float("nan")
    print(f"overload, 4 clients x 500 req/s for 4 s during a scan: {figures['sent']} sent, "
          f"{len(times)} answered (p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms), "
          f"{len(busy)} busy (p50 {quick:.1f} ms), {figures['errors']} other errors, "
          f"{figures['lost']} lost")


def flood_and_print(server_port: int) -> None:
    """The client side of the overload figures (``--flood PORT``, paths on standard input)."""
    paths = json.loads(sys.stdin.read())
    times, busy, errors, lost, sent = overload(server_port, paths, 4, 500, 4.0)
    print(json.dumps({"answered": times.tolist(), "busy": busy.tolist(), "errors": errors,
                      "lost": lost, "sent": sent}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--overload-only", action="store_true",
                        help="only the overload figures (4 clients x 500 req/s during a scan)")
    parser.add_argument("--flood", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--no-expansion", action="store_true",
                        help="search from the query alone (similar.EXPAND_NEIGHBOURS = 0): "
                        "what the query expansion costs")
    args = parser.parse_args()
    if args.no_expansion:
        from soundalike.engine.search import similar

        similar.EXPAND_NEIGHBOURS = 0
    if args.flood:
        flood_and_print(args.flood)
        return
    t = time.perf_counter()
    service = LibraryService("/nonexistent.db")
    service._snapshot = synthetic_catalogue(args.size)
    print(f"library: {args.size:,} synthetic sounds (built in {time.perf_counter() - t:.1f} s); "
          f"similar with k={K}")
    server = OscServer(service, port=0, reply_port=0)
    thread = server.start()
    paths = [p.decode() for p in service.snapshot.paths[:: max(1, args.size // 5000)]]
    try:
        latencies(server.address[1], paths, 1, 200)  # warm up
        if args.overload_only:
            report_overload(server.address[1], paths)
            return
        one = latencies(server.address[1], paths, 1, 2000)
        print(f"1 client : p50 {np.percentile(one, 50):5.2f} ms  p99 {np.percentile(one, 99):5.2f}"
              f" ms  ({len(one)} round trips; target p50 <= 2, p99 <= 5)")
        alone = in_process(service, paths, 2000)
        lean = in_process(service, paths, 2000, lean=True)
        print(f"in-process: p50 {np.percentile(alone, 50):5.2f} ms (the same searches without "
              f"OSC, as Library.similar makes them); OSC/in-process p50 "
              f"{np.percentile(one, 50) / np.percentile(alone, 50):.2f} (target <= 1.5)")
        print(f"            p50 {np.percentile(lean, 50):5.2f} ms (the search as the bridge "
              f"calls it: rows, no report); OSC/that p50 "
              f"{np.percentile(one, 50) / np.percentile(lean, 50):.2f}")
        four = latencies(server.address[1], paths, 4, 500)
        print(f"4 clients: p50 {np.percentile(four, 50):5.2f} ms  p99 "
              f"{np.percentile(four, 99):5.2f} ms  ({len(four)} round trips)")
        for rate in (500, 1000):
            sent, answered = sustained(server.address[1], paths, rate, 4.0)
            print(f"sustained {rate:4d} req/s for 4 s: {sent} sent, {answered} answered, "
                  f"{sent - answered} lost (target at 500/s: 0)")
        report_overload(server.address[1], paths)
    finally:
        server.close()
        thread.join(5)


if __name__ == "__main__":
    main()
