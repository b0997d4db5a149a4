"""Query-side figures at a million sounds, from a SYNTHESIZED index (or a scanned one).

    python benchmarks/bench_million.py --source /tmp/scale/100000/library.db
    python benchmarks/bench_million.py --source ... --sounds 1000000 --workdir /tmp/million
    python benchmarks/bench_million.py --workdir /tmp/scale --serve-only   # a scanned million

The last: the server's figures on the index ``bench_scale.py --files 1000000 --workdir
/tmp/scale`` scanned (a million hard links of 600 generated files).

Scanning a million generated files takes about 10 minutes here (``bench_scale.py --files
1000000``), but makes a library of 600 sounds held 1,667 times each byte for byte. The
queries do not need the files, only an index of a million sounds: this script copies a
scanned index (``--source``, e.g. the 100,000 sounds ``bench_scale.py`` scanned), then adds
copies of its profiled sounds until the index holds ``--sounds``: each copy under a path
that does not exist (``/synthesized/copy NN/`` + the original path, in a library folder
``/synthesized`` that is offline), with a fingerprint of its own and small random jitter on
its numbers (0.2 % of the learned embedding's scale, 1 % of each hand-made number's range:
copies are near, not identical), written through the engine's own storage code
(``IndexStore.write_profiles``, which encodes the vectors as a scan does). The library's own
sounds stay, so queries are real files.

Then, as ``bench_scale.py`` does, each command runs as a user types it in a fresh process
(wall time, peak RSS): the first command (which builds the side files), the whole
re-clustering, ``similar -k 10 FILE``, ``kit FILE``, ``clusters``, ``status``; then
``soundalike serve`` on the index: its memory once loaded and after the queries (RSS, and
how much of it is the memory-mapped side files), and OSC ``similar`` (k 16) round trips
from a client in another process. No rescan or map: the synthesized files do not exist.

Targets (issue 20) at 1M: similar <= 1.5 s and <= 300 MB, server RSS <= 1.5 GB, OSC
similar p99 <= 10 ms, clusters <= 3 min.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.bench_osc import Client  # noqa: E402
from benchmarks.bench_scale import RECLUSTER, measure  # noqa: E402
from soundalike.engine.index import vector_codec  # noqa: E402
from soundalike.engine.index.store import IndexStore  # noqa: E402
from soundalike.engine.sound.descriptors import descriptor_of_key  # noqa: E402
from soundalike.engine.sound.profiling import Profile  # noqa: E402

FAKE_ROOT = b"/synthesized"
#: Profiles per transaction, as a scan writes them.
BATCH = 4096
K = 16
BANNER = ("NOTE: this library is SYNTHESIZED, not scanned: copies of the sounds of {source} "
          "under paths that do not exist, with jitter on their numbers")

COLUMNS = ("path, size, mtime_ns, fingerprint, duration, sample_rate, channels, format, "
           "is_long, descriptor, vector, category, category_confidence")


def synthesize(source: Path, db: Path, sounds: int, seed: int = 0) -> None:
    """Copy ``source`` to ``db`` and add jittered copies of its sounds until it holds
    ``sounds`` profiled sounds."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{db}{suffix}")
    rng = np.random.default_rng(seed)
    with IndexStore(db) as store:
        key = store.search_key()
        descriptor = descriptor_of_key(key)
        if descriptor is None:
            raise SystemExit(f"{source}: its descriptor {key} is not one this soundalike knows")
        have = store.count_profiled(key)
        if have >= sounds:
            raise SystemExit(f"{source} already holds {have:,} sounds")
        scale = np.full(descriptor.dim, 0.002, np.float32)
        if descriptor.ranges is not None:
            low, high = descriptor.ranges
            scale[descriptor.learned:] = 0.01 * (high - low)
        rows = store.db.execute(f"SELECT {COLUMNS} FROM files WHERE status = 'ok' AND "
                                "descriptor = ? ORDER BY id", (key,)).fetchall()
        with store.transaction():
            store.add_root(FAKE_ROOT, None)
        written, copy, started = have, 0, time.perf_counter()
        while written < sounds:
            copy += 1
            prefix = FAKE_ROOT + b"/copy %02d" % copy
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH][: sounds - written]
                if not chunk:
                    break
                vectors = np.stack([vector_codec.decode(r[10], descriptor) for r in chunk])
                vectors += rng.standard_normal(vectors.shape, dtype=np.float32) * scale
                profiles = [
                    Profile(path=prefix + r[0], size=r[1], mtime_ns=r[2], status="ok",
                            fingerprint=f"synthesized {copy} {r[3]}", duration=r[4],
                            sample_rate=r[5], channels=r[6], format=r[7], is_long=bool(r[8]),
                            vector=vector, category=r[11], category_confidence=r[12])
                    for r, vector in zip(chunk, vectors, strict=True)
                ]
                with store.transaction():
                    store.write_profiles(profiles, key)
                written += len(profiles)
            rate = (written - have) / (time.perf_counter() - started)
            print(f"  copy {copy:2d}: {written:>9,} sounds ({rate:,.0f} profiles/s written)",
                  flush=True)
        with store.transaction():  # every reader builds its catalogue anew
            store.set_meta("generation", str(time.time_ns()))


def measure_alone(args: list[str], env: dict | None = None) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS (MB), standard output and CPU seconds of one process, as
    ``bench_scale.measure`` gives them, but the peak RSS as GNU time reads it when it is
    installed: a child started from this process (``vfork``) counts this process's memory
    as its own until it execs, and this process may hold a synthesized library's rows."""
    if not os.path.exists("/usr/bin/time"):
        return measure(args, env)
    started = time.perf_counter()
    process = subprocess.Popen(["/usr/bin/time", "-f", "MAXRSS %M", *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.stdout.close()
    process.stderr.close()
    lines = err.decode().strip().splitlines()
    if os.waitstatus_to_exitcode(status) != 0 or not lines[-1].startswith("MAXRSS "):
        raise SystemExit(f"{' '.join(args)} failed:\n{err.decode()}")
    return (seconds, int(lines[-1].split()[1]) / 1024, out.decode(),
            usage.ru_utime + usage.ru_stime)


def repeated_alone(args: list[str], repeat: int, env: dict) -> tuple[float, float, float]:
    """Median wall time, largest peak RSS and median CPU time of ``repeat`` runs."""
    runs = [measure_alone(args, env) for _ in range(repeat)]
    return (float(np.median([r[0] for r in runs])), max(r[1] for r in runs),
            float(np.median([r[3] for r in runs])))


def status_of(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM, RssAnon and RssFile of a process, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in {"VmRSS", "VmHWM", "RssAnon", "RssFile"}:
            out[name] = int(value.split()[0]) // 1024
    return out


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_figures(soundalike: str, env: dict, queries: list[str], count: int,
                  wait_graph: float = 0.0, wait_groups: float = 0.0) -> None:
    """``soundalike serve`` on the index: memory loaded and after the queries, OSC similar
    round trips from this process (the server is another)."""
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([soundalike, "serve", "--port", str(port), "--reply-port", "0"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    log: list[str] = []  # the server's log, read as it comes (a full pipe would block it)
    threading.Thread(target=lambda: log.extend(line.decode(errors="replace")
                                               for line in server.stderr),
                     daemon=True).start()
    try:
        client = Client(port)
        client.sock.settimeout(1.0)
        ping = 0
        while True:  # answered once the library is loaded
            if server.poll() is not None:
                time.sleep(0.5)  # the log reader takes the rest
                raise SystemExit("serve stopped: " + "".join(log))
            ping += 1
            client.sock.sendto(_ping(ping, client.port), client.target)
            try:
                client.sock.recvfrom(65535)
                break
            except TimeoutError:
                continue
        loaded = time.perf_counter() - started
        memory = status_of(server.pid)
        print(f"  serve        loaded in {loaded:.1f} s; RSS {memory['VmRSS']:,} MB "
              f"({memory['RssAnon']:,} MB its own, {memory['RssFile']:,} MB mapped files)")
        client.sock.settimeout(30.0)
        for i in range(50):  # warm up (and the approximate graph's background build starts)
            client.round_trip(i, queries[i % len(queries)])
        times = np.array([client.round_trip(1000 + i, queries[(i * 7919) % len(queries)])
                          for i in range(count)]) * 1e3
        memory = status_of(server.pid)
        print(f"  OSC similar  k={K}: p50 {np.percentile(times, 50):.2f} ms, p99 "
              f"{np.percentile(times, 99):.2f} ms, max {times.max():.1f} ms "
              f"({count} round trips, one client in another process; exact search, "
              "the approximate graph building meanwhile when voyager is installed)")
        if wait_graph:
            # The graph answers once a plain search (copies kept: no pass over the
            # generated sounds' hundreds of copies) takes a few milliseconds.
            waited, recent, probe = time.perf_counter(), [], 10**6
            while time.perf_counter() - waited < wait_graph:
                time.sleep(1.0)
                probe += 1
                recent = (recent + [client.round_trip(probe, queries[probe % len(queries)],
                                                      copies=True)])[-5:]
                if len(recent) == 5 and max(recent) < 0.005:
                    break
            else:
                print(f"  (the graph was not answering after {wait_graph:.0f} s)")
                return
            built = time.perf_counter() - started
            ready = [line.split("INFO: ")[-1].strip() for line in log
                     if "neighbour graph of" in line]
            print(f"  graph        answering {built:.0f} s after the server started"
                  + (f" (the server: {ready[0]})" if ready else ""))
            if wait_groups:
                # Requests that leave copies out start the copy groups (engine/search/
                # copy_groups.py); the server says when they are made.
                waited = time.perf_counter()
                while not any("copy groups made" in line for line in log):
                    if time.perf_counter() - waited > wait_groups:
                        print(f"  (no copy groups after {wait_groups:.0f} s)")
                        return
                    probe += 1
                    client.round_trip(probe, queries[probe % len(queries)])
                    time.sleep(0.5)
                made = next(line for line in log if "copy groups made" in line)
                print(f"  copy groups  made {time.perf_counter() - started:.0f} s after the "
                      f"server started: {made.split('copy groups made ')[1].split(' (')[0]}")
            for copies in (False, True):
                times = np.array([client.round_trip(2 * 10**6 + i, queries[(i * 7919) %
                                                                          len(queries)],
                                                    copies=copies)
                                  for i in range(count)]) * 1e3
                how = "copies kept (no_duplicates 0)" if copies else "copies left out (default)"
                print(f"  OSC similar  from the graph, {how}: "
                      f"p50 {np.percentile(times, 50):.2f} ms, p99 "
                      f"{np.percentile(times, 99):.2f} ms, max {times.max():.1f} ms")
            memory = status_of(server.pid)
        print(f"  serve        after the queries: RSS {memory['VmRSS']:,} MB (peak "
              f"{memory['VmHWM']:,} MB; {memory['RssAnon']:,} MB its own, "
              f"{memory['RssFile']:,} MB mapped files)")
    finally:
        server.terminate()
        server.wait(30)


def _ping(request_id: int, reply_port: int) -> bytes:
    from soundalike.bridge.wire import encode

    return encode("/soundalike/ping", (request_id, "reply_port", reply_port))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path,
                        help="a scanned index to copy (e.g. bench_scale.py's 100,000 sounds)")
    parser.add_argument("--sounds", type=int, default=1_000_000,
                        help="sounds in the synthesized index (default 1000000)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/soundalike-million"),
                        help="where the synthesized index goes (kept: reused next time)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command")
    parser.add_argument("--round-trips", type=int, default=2000)
    parser.add_argument("--wait-graph", type=float, default=0.0, metavar="SECONDS",
                        help="then wait up to SECONDS for the server's approximate graph "
                             "(voyager) and measure OSC similar from it")
    parser.add_argument("--wait-groups", type=float, default=0.0, metavar="SECONDS",
                        help="with --wait-graph: then wait up to SECONDS for the server's copy "
                        "groups (made once the graph is built) before measuring from the graph")
    parser.add_argument("--serve-only", action="store_true",
                        help="only the server's figures (an index synthesized before)")
    parser.add_argument("--synthesize-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    soundalike = str(Path(sys.executable).with_name("soundalike"))
    db = args.workdir / f"{args.sounds}" / "library.db"
    if args.synthesize_only:
        synthesize(args.source, db, args.sounds)
        return
    if not db.exists():
        if args.source is None:
            parser.error(f"no index at {db}: give --source, a scanned index to synthesize from")
        db.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        # In a process of its own: this one stays small (see measure_alone).
        subprocess.run([sys.executable, __file__, "--synthesize-only", "--source",
                        str(args.source), "--sounds", str(args.sounds), "--workdir",
                        str(args.workdir)], check=True)
        print(f"  synthesized {args.sounds:,} sounds in {time.perf_counter() - started:.0f} s")
    else:
        print(f"  (reusing {db})")
    env = dict(os.environ, SOUNDALIKE_DB=str(db))
    with IndexStore(db) as store:
        queries = [bytes(p).decode() for (p,) in store.db.execute(
            "SELECT path FROM files WHERE status = 'ok' AND path NOT LIKE '/synthesized/%' "
            "ORDER BY id LIMIT 5000")]
        sounds = store.count_profiled(store.search_key())
        # --serve-only also measures a scanned index (bench_scale.py's million files)
        synthesized = store.db.execute("SELECT 1 FROM files WHERE path > ? AND path < ? "
                                       "LIMIT 1", (FAKE_ROOT + b"/", FAKE_ROOT + b"0")
                                       ).fetchone() is not None
    size = db.stat().st_size
    if synthesized:
        print(BANNER.format(source=args.source or "a scanned index"))
    print(f"\n{sounds:>9,} sounds ({'synthesized' if synthesized else 'scanned'})  ({db})")
    if args.serve_only:
        serve_figures(soundalike, env, queries, args.round_trips, args.wait_graph,
                      args.wait_groups)
        return
    seconds, rss, _, cpu = measure_alone([soundalike, "clusters"], env)
    print(f"  first use    {seconds:7.2f} s  {rss:6.0f} MB  cpu {cpu:7.2f} s  (clusters: builds "
          "the side files, places the new sounds in clusters)")
    seconds, rss, out, cpu = measure_alone([sys.executable, "-c", RECLUSTER, str(db)])
    result = json.loads(out)
    print(f"  re-cluster   {result['clustering']:7.2f} s clustering, cpu "
          f"{result['clustering_cpu']:.2f} s ({result['clusters']:,} clusters); whole process "
          f"{seconds:.2f} s, {rss:.0f} MB")
    seconds, rss, _, cpu = measure_alone([soundalike, "clusters"], env)
    print(f"  first use    {seconds:7.2f} s  {rss:6.0f} MB  cpu {cpu:7.2f} s  (after the "
          "re-clustering)")
    side = sum(p.stat().st_size for p in db.parent.iterdir()
               if p.name.startswith(db.name + ".") and p.name.endswith(("vectors", "side")))
    print(f"  index        {size / 1e6:7.1f} MB  {size / sounds:6.0f} bytes per sound; side "
          f"files {side / 1e6:.1f} MB, {side / sounds:.0f} bytes per sound")
    query = queries[len(queries) // 2]
    for name, command in {"similar": ["similar", "-k", "10", query], "kit": ["kit", query],
                          "clusters": ["clusters"], "status": ["status"]}.items():
        seconds, rss, cpu = repeated_alone([soundalike, *command], args.repeat, env)
        print(f"  {name:<12} {seconds:7.2f} s  {rss:6.0f} MB  cpu {cpu:7.2f} s")
    serve_figures(soundalike, env, queries, args.round_trips, args.wait_graph,
                      args.wait_groups)
    print("\ntargets at 1M: similar <= 1.5 s and <= 300 MB, server RSS <= 1.5 GB, OSC similar "
          "p99 <= 10 ms, clustering <= 3 min")
    if synthesized:
        print(BANNER.format(source=args.source or "a scanned index"))


if __name__ == "__main__":
    main()
