"""Asking with what is playing: how long the hit cutter and the whole OSC round trip take.

    python benchmarks/bench_hit.py [--runs 50]

Prints the median and 95th percentile of (1) ``strongest_hit`` on 3 s of a stereo 44.1 kHz
loop with four hits and (2) what a client waits for over loopback: ``/soundalike/recording``,
writing the 3 s WAV, ``/soundalike/hit`` (decode, cut, write the hit, profile it) and
``/soundalike/similar`` with the hit, on a generated library of 120 sounds.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from soundalike.bridge.server import OscServer  # noqa: E402
from soundalike.bridge.service import LibraryService  # noqa: E402
from soundalike.bridge.wire import decode, encode  # noqa: E402
from soundalike.engine import Library  # noqa: E402
from soundalike.engine.sound.hits import strongest_hit  # noqa: E402
from tests.synth import FAMILIES, drum  # noqa: E402

SR = 44100


def loop() -> np.ndarray:
    y = np.zeros(3 * SR, np.float32)
    for i, (at, family) in enumerate(((0.2, "kick"), (0.9, "hat"), (1.5, "snare"),
                                      (2.2, "kick"))):
        sound = drum(family, sr=SR, seed=i)
        y[int(at * SR): int(at * SR) + len(sound)] += sound[: len(y) - int(at * SR)]
    return np.stack([y, 0.8 * y], axis=1)


def percentiles(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    return f"median {statistics.median(ms):.1f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms"


def ask(sock: socket.socket, port: int, address: str, *args) -> list:
    sock.sendto(encode(address, (*args, "reply_port", 0)), ("127.0.0.1", port))
    replies = []
    while not replies or not replies[-1].address.endswith(("/done", "/error")):
        data, _ = sock.recvfrom(65536)
        replies += decode(data)
    return replies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    y = loop()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        strongest_hit(y=y, sr=SR)
        times.append(time.perf_counter() - start)
    print(f"strongest_hit, 3 s stereo 44.1 kHz, 4 hits: {percentiles(times)}")

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "Samples"
        for p in range(4):
            for family in FAMILIES:
                for m in range(5):
                    path = root / f"Pack {p}" / f"{family} {p}{m}.wav"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    sf.write(path, drum(family, seed=100 * p + m), SR)
        db = Path(scratch) / "bench.db"
        with Library(db) as library:
            library.scan([root], jobs=1)
        os.environ["SOUNDALIKE_CACHE"] = str(Path(scratch) / "cache")
        service = LibraryService(db, jobs=1)
        service.load()
        server = OscServer(service, port=0, reply_port=0)
        thread = server.start()
        port = server.address[1]
        times = {"recording": [], "write": [], "hit": [], "similar": [], "total": []}
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            sock.settimeout(10)
            for i in range(runs):
                t0 = time.perf_counter()
                path = ask(sock, port, "/soundalike/recording", i)[-1].args[1]
                t1 = time.perf_counter()
                sf.write(path, y, SR, subtype="FLOAT")
                t2 = time.perf_counter()
                hit = ask(sock, port, "/soundalike/hit", i, path)[-1].args[1]
                t3 = time.perf_counter()
                ask(sock, port, "/soundalike/similar", i, hit, 16)
                t4 = time.perf_counter()
                for key, value in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0),
                                      strict=True):
                    times[key].append(value)
        server.close()
        thread.join(5)
    for key, values in times.items():
        print(f"round trip, {key}: {percentiles(values)}")


if __name__ == "__main__":
    main()
