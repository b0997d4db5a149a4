"""Scan speed and memory, against the floor of just decoding the same files.

    python benchmarks/bench_scan.py                      # a generated 3,000-file corpus
    python benchmarks/bench_scan.py --files 100000       # the memory target (hard links, fast)
    python benchmarks/bench_scan.py --folder /usr/share/hydrogen/data/drumkits
    python benchmarks/bench_scan.py --folder A --folder B ...   # a mixed library

Prints, in one run: the floor (every file decoded with soundfile in one
process; measured again after the scans, and the ratios against the mean of the two, since
on a shared machine the floor itself moves by a quarter), a cold scan with the default
number of workers (files/s, ratio of scan time to floor time, peak RSS of the scan process
while scanning and for the whole command including the clusters; a worker stays near
100 MB), the CPU seconds
the cold scan spent (its workers, the scanning process, the fork server: on a shared
machine these move much less than wall times; divided by the cores against the floor's
CPU, what the ratio would be with every core the scan's alone), the whole
``soundalike scan`` command as a user runs it (start-up, profiling with the learned
embedding, clustering) against the same floor, and a no-change rescan (in a fresh
process, as a user runs it). For the whole command it also prints the CPU seconds the
machine spent meanwhile, per core, against the floor's: on a shared machine the same work
takes 10-15% more or less CPU time from one minute to the next, and the wall ratios move with
it; run it with nothing else running, since every process counts there.
Targets: ratio <= 1.0 with 2 workers, for the scan and for the whole command (issue 11);
the whole command <= 1.3 at 100,000 files (issue 20); no-change rescan of 10,000 files < 1 s;
peak RSS < 500 MB at 100,000 files.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.synth import FAMILIES, drum, resample  # noqa: E402

# (extension, format, subtype, rate, channels): the mix of a typical downloaded library.
MIX = [
    (".wav", "WAV", "PCM_16", 44100, 1),
    (".wav", "WAV", "PCM_24", 44100, 2),
    (".wav", "WAV", "PCM_24", 48000, 2),
    (".wav", "WAV", "FLOAT", 96000, 1),
    (".aif", "AIFF", "PCM_16", 44100, 2),
    (".flac", "FLAC", "PCM_16", 44100, 1),
    (".flac", "FLAC", "PCM_24", 96000, 2),
]
DISTINCT = 600  # beyond this many files, the corpus hard-links copies (disk stays small)


def generate(folder: Path, count: int) -> None:
    rng = np.random.default_rng(0)
    made: list[Path] = []
    for i in range(count):
        pack = folder / f"Pack {i % 40:02d}" / f"Sub {i % 7}"
        pack.mkdir(parents=True, exist_ok=True)
        family = FAMILIES[i % len(FAMILIES)]
        ext, fmt, subtype, rate, channels = MIX[i % len(MIX)]
        path = pack / f"{family} {i:06d}{ext}"
        if i < DISTINCT:
            y = drum(family, seed=i) * np.float32(rng.uniform(0.2, 1.0))
            if rate != 44100:
                y = resample(y, 44100, rate)
            data = y if channels == 1 else np.stack([y, y * 0.8], axis=1)
            sf.write(path, data, rate, format=fmt, subtype=subtype)
            made.append(path)
        else:
            os.link(made[i % DISTINCT], path.with_suffix(made[i % DISTINCT].suffix))


def audio_files(folder: Path) -> list[str]:
    from soundalike.engine.sound.decode import is_audio_name

    return sorted(
        os.path.join(d, f)
        for d, _, files in os.walk(folder)
        for f in files
        if is_audio_name(f) and not f.startswith(".")
    )


def decode_floor(files: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of decoding every file in this process."""
    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        with contextlib.suppress(Exception):  # the floor skips broken files; the scan records them
            sf.read(path, dtype="float32")
    return time.perf_counter() - start, time.process_time() - cpu


SCAN_CHILD = """
import json, os, resource, sys, time
from concurrent.futures import ProcessPoolExecutor
from soundalike.engine import Library

def cpu_of(pid):  # user + system seconds of a live process, from /proc (Linux)
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

workers = {}
shutdown = ProcessPoolExecutor.shutdown
def counted_shutdown(self, *args, **kwargs):  # the workers' CPU, read just before they exit
    for pid in list(getattr(self, "_processes", None) or {}):
        workers[pid] = cpu_of(pid)
    return shutdown(self, *args, **kwargs)
ProcessPoolExecutor.shutdown = counted_shutdown
peak = {}
from soundalike.engine.scan.scanner import Scanner
scan = Scanner.run
def measured_scan(self, roots):  # the scan alone, before the features and clusters are made
    cpu = time.process_time()
    try:
        return scan(self, roots)
    finally:
        peak["scan_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak["scan_cpu"] = time.process_time() - cpu
        from multiprocessing import forkserver
        peak["server_cpu"] = cpu_of(getattr(forkserver._forkserver, "_forkserver_pid", None))
Scanner.run = measured_scan
t = time.perf_counter()
with Library(sys.argv[1]) as lib:
    report = lib.scan(sys.argv[2:] or None)
elapsed = time.perf_counter() - t
mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"elapsed": elapsed, "rss_kb": mine, "workers_cpu": sum(workers.values()),
                  "scan_cpu": peak.get("scan_cpu"), "server_cpu": peak.get("server_cpu", 0.0),
                  "scan_rss_kb": peak.get("scan_kb", mine),
                  "report": report.model_dump(exclude={"failures"})}))
"""


def busy_cpu_seconds() -> float | None:
    """CPU seconds this machine has spent busy since it started, every process's (Linux's
    ``/proc/stat``: user, nice, system, interrupts); None elsewhere."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:8]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def run_command(db: Path, folders: list[Path]) -> tuple[float, float | None]:
    """Wall time of the installed ``soundalike scan`` command, as a user types it, and the
    CPU seconds the machine spent meanwhile (the command's workers are not its children
    once their fork server has gone, so ``RUSAGE_CHILDREN`` misses them)."""
    command = Path(sys.executable).with_name("soundalike")
    busy = busy_cpu_seconds()
    start = time.perf_counter()
    subprocess.run([str(command), "--db", str(db), "scan", "--quiet", *map(str, folders)],
                   check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = busy_cpu_seconds()
    return wall, None if busy is None or after is None else after - busy


def run_scan(db: Path, folders: list[Path] | None) -> dict:
    args = [sys.executable, "-c", SCAN_CHILD, str(db)] + [str(f) for f in folders or []]
    wall = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    result["wall"] = time.perf_counter() - wall
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, action="append",
                        help="scan this folder instead of a generated one (repeatable)")
    parser.add_argument("--files", type=int, default=3000, help="size of the generated corpus")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="soundalike-bench-"))
    try:
        folders = args.folder
        if not folders:
            folders = [workdir / "corpus"]
            t = time.perf_counter()
            generate(folders[0], args.files)
            print(f"generated {args.files:,} files in {time.perf_counter() - t:.1f} s")
        files = [f for folder in folders for f in audio_files(folder)]
        n = len(files)
        print(f"corpus: {', '.join(map(str, folders))} ({n:,} audio files)")
        print(f"cores: {os.cpu_count()}  (the scan uses all of them by default)")

        decode_floor(files[:200])  # warm the page cache so both runs read from memory
        floor, floor_cpu = decode_floor(files)
        print(f"floor   decode only, 1 process : {floor:7.2f} s  {n / floor:8,.0f} files/s")

        db = workdir / "bench.db"
        cold = run_scan(db, folders)
        r = cold["report"]
        scan_only = r["elapsed"]  # walking + profiling + writing, before the clusters are made
        ratio = scan_only / floor
        print(f"scan    cold, default jobs     : {scan_only:7.2f} s  "
              f"{n / scan_only:8,.0f} files/s  ratio scan/floor {ratio:.2f} (target <= 1.0)")
        print(f"        then features + clusters: {cold['elapsed'] - scan_only:6.2f} s "
              f"(whole command {cold['elapsed']:.2f} s)")
        print(f"        profiled {r['profiled']:,}, silent {r['silent']:,}, failed {r['failed']:,}")
        if cold["scan_cpu"] is not None and cold["workers_cpu"]:
            # On a shared machine wall times follow the other users' load; CPU seconds much
            # less. Two workers and the scanning process share the cores: a scan that kept
            # them all busy would take its CPU seconds divided by the cores.
            cpu = cold["scan_cpu"] + cold["workers_cpu"] + cold["server_cpu"]
            cores = len(os.sched_getaffinity(0))
            print(f"        CPU: workers {cold['workers_cpu']:.2f} s, scanning process "
                  f"{cold['scan_cpu']:.2f} s, fork server {cold['server_cpu']:.2f} s; "
                  f"ratio (CPU / {cores} cores) / floor CPU {cpu / cores / floor_cpu:.2f}")
        print(f"        peak RSS: scanning {cold['scan_rss_kb'] / 1024:.0f} MB (target < 500 MB), "
              f"whole command with clusters {cold['rss_kb'] / 1024:.0f} MB")
        whole, whole_cpu = run_command(workdir / "command.db", folders)
        print(f"command soundalike scan, cold  : {whole:7.2f} s  {n / whole:8,.0f} files/s  "
              f"ratio command/floor {whole / floor:.2f} (target <= 1.3; start-up, profiling, "
              "clusters)")
        if whole_cpu is not None:
            # On a shared machine the same work takes 10-15% more or less CPU time from one
            # minute to the next, and the wall ratio moves with it: the CPU the whole command
            # needed per core, against the floor's, says what the command asks of the cores
            # (it counts whatever else runs on this machine meanwhile: run it alone).
            cores = len(os.sched_getaffinity(0))
            print(f"        CPU of the whole machine meanwhile {whole_cpu:.1f} s; ratio "
                  f"(CPU / {cores} cores) / floor CPU {whole_cpu / cores / floor_cpu:.2f} "
                  f"(idle {cores * whole - whole_cpu:.1f} core-seconds: start-up and clusters)")
        # The floor again: on a shared machine one process's decoding speed moves by a
        # quarter from one minute to the next, and each ratio moves with it. The scans ran
        # between the two floors; against their mean, and the spread against either.
        after, _ = decode_floor(files)
        mean = (floor + after) / 2
        print(f"floor   again, after the scans : {after:7.2f} s  (moved {after / floor - 1:+.0%})"
              f"; against the mean floor {mean:.2f} s: scan {scan_only / mean:.2f} "
              f"({scan_only / max(floor, after):.2f}-{scan_only / min(floor, after):.2f}), "
              f"whole command {whole / mean:.2f} ({whole / max(floor, after):.2f}-"
              f"{whole / min(floor, after):.2f})")
        again = run_scan(db, None)
        print(
            f"rescan  no change (in process) : {again['elapsed']:7.2f} s  "
            f"unchanged {again['report']['unchanged']:,}"
        )
        print(
            f"rescan  no change (whole CLI)  : {again['wall']:7.2f} s  "
            f"(includes Python start-up; target < 1 s at 10,000 files)"
        )
        print(
            f"index   {os.path.getsize(db) / 1e6:.1f} MB "
            f"({os.path.getsize(db) / max(n, 1):.0f} bytes per file)"
        )
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
