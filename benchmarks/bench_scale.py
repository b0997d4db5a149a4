"""Every command's cost at library scale: whole-process time and peak memory.

    python benchmarks/bench_scale.py                          # 10k and 100k generated sounds
    python benchmarks/bench_scale.py --files 1000000 --skip map --repeat 1   # ~15 minutes
    python benchmarks/bench_scale.py --files 100000 --workdir /tmp/scale   # keep, reuse

For each size N, a generated library (hard links of a few hundred generated files, as
``bench_scan.py`` makes it: the disk stays small) is scanned once by the ``soundalike scan``
command, then each command runs as a user types it, in a fresh process, and the script
prints its wall time and peak RSS (from ``wait4``, the child's own ``ru_maxrss``):
``similar -k 10 FILE``, ``kit FILE``, ``clusters``, ``status``, ``map --png``, a no-change
rescan (``scan``), and a whole re-clustering (in one process: the clustering alone, then
the process). Also: index bytes per sound (the SQLite file with its log and any side
files beside it), the whole scan command against a decode floor (decoding a sample of the
files in one process, scaled to N) and the start-up floor (``python -c 'import numpy'``).
Read ratios to the floors of the same run: the machine may be shared.

With ``--workdir``, the corpus and the index are kept there and reused by the next run
(the scan is then not measured again; its earlier figure is not repeated either).

Targets (issue 20) at 100k: similar <= 0.6 s and <= 150 MB, kit <= 1.0 s, no-change rescan
<= 1.5 s, index <= 1.6 KB per sound, clusters made in <= 10 s; at 1M: similar <= 1.5 s and
<= 300 MB, clusters <= 3 min.

Figures at 100k (``--files 100000 --skip map re-cluster``, 2 cores shared with other
work, the two runs one after the other; "before" ran the older code on a copy of the same
index at its schema, 8):

    =================  ==========================  ==========================
    command            before (e006811)            after (this branch)
    =================  ==========================  ==========================
    similar            1.29 s  147 MB  cpu 0.99    0.81 s  134 MB  cpu 0.57
    kit                1.75 s  276 MB  cpu 1.28    0.88 s  284 MB  cpu 0.68
    clusters           1.38 s  103 MB  cpu 1.01    0.78 s   99 MB  cpu 0.57
    status             1.23 s   62 MB  cpu 0.93    0.75 s   59 MB  cpu 0.58
    no-change rescan   3.38 s  122 MB  cpu 2.56    1.70 s   97 MB  cpu 1.31
    index per sound    1,853 B (+1,737 side)       1,958 B (+1,737 side)
    =================  ==========================  ==========================

With compiled ``.pyc`` files, as an installed package has (this machine sets
``PYTHONDONTWRITEBYTECODE``, so each command above also compiled soundalike's modules) and
one BLAS thread per command: similar 0.58 s, kit 0.58 s, clusters 0.42 s, status 0.42 s,
rescan 1.38 s. What the time went to, and went: SQLite's quick check read the whole index
in every command (now once per change of the file); the labels query and the end of every
scan walked every row of the files table (vectors included: 175 MB from a cold disk); a
rescan made three objects per file and read every file's row (now a covering index:
+105 bytes per sound); every command imported the scanner, kits, exports and decoders and
validated a report, which loads pydantic's plugin machinery (0.1 s); a kit gathered a copy
of the library per reference; a second BLAS thread spun after each product. Cold page
cache (the files evicted first): similar read 697,000 blocks (357 MB), now 140,000.

How long a run takes, on 2 cores shared with other work: 10k about 5 minutes, 100k about
35 (generating 2 minutes, the scan 10, the map 2-3, the re-clustering 1-2, the rest the
commands three times each). 1M (``--files 1000000 --skip map``, run on 7 December 2026 on a
quiet machine) took about 15 minutes: a million hard links in 35 s, the scan 9.5 minutes
(2,000-2,100 files/s, then 75-90 s of clusters and side files), each command a few seconds,
the re-clustering 50 s; the map's layout alone would take tens of minutes more, hence
``--skip map``. Disk: 3.3 GB (index and side files; the hard links cost only their folder
entries). docs/scale.md, "A million files scanned", has the figures. The server at 1M:
``bench_million.py --serve-only`` on the index kept in ``--workdir``.

The index per sound at 100k, schema 10 (the hand-made numbers in one byte each): 1,961 ->
1,583 bytes (docs/scale.md has the whole table, 7 December 2026).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.bench_scan import audio_files, generate  # noqa: E402

#: Files decoded for the decode floor (scaled to the library's size): every generated file
#: is a hard link of one of a few hundred, so a sample stands for all of them.
FLOOR_SAMPLE = 3000

RECLUSTER = """
import json, sys, time
from soundalike.engine import Library
with Library(sys.argv[1]) as library:
    library.catalogue()
    t, c = time.perf_counter(), time.process_time()
    report = library.recluster()
    print(json.dumps({"clustering": time.perf_counter() - t,
                      "clustering_cpu": time.process_time() - c, "clusters": report.clusters}))
"""


def measure(args: list[str], env: dict | None = None) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS (MB), standard output and CPU seconds (user + system, with the
    processes it waited for: scan workers) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    # wait4 gives this child's own resource usage; read the pipes first (a full pipe blocks).
    out, err = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{err.decode()}")
    return elapsed, usage.ru_maxrss / 1024, out.decode(), usage.ru_utime + usage.ru_stime


def repeated(args: list[str], repeat: int, env: dict | None = None) -> tuple[float, float, float]:
    """Median wall time, largest peak RSS and median CPU time of ``repeat`` runs."""
    runs = [measure(args, env) for _ in range(repeat)]
    return (statistics.median(r[0] for r in runs), max(r[1] for r in runs),
            statistics.median(r[3] for r in runs))


def index_bytes(db: Path) -> tuple[int, int]:
    """The SQLite index (with its log) and the side files soundalike keeps beside it."""
    sqlite = sum(p.stat().st_size for p in db.parent.iterdir()
                 if p.name in {db.name, db.name + "-wal", db.name + "-shm"})
    everything = sum(p.stat().st_size for p in db.parent.iterdir()
                     if p.name.startswith(db.name) and p.is_file())
    return sqlite, everything - sqlite


def decode_floor(files: list[str], n: int) -> float:
    sample = files[:: max(1, len(files) // FLOOR_SAMPLE)][:FLOOR_SAMPLE]
    for path in sample[:200]:  # warm the page cache
        with contextlib.suppress(Exception):
            sf.read(path, dtype="float32")
    start = time.perf_counter()
    for path in sample:
        with contextlib.suppress(Exception):
            sf.read(path, dtype="float32")
    return (time.perf_counter() - start) * n / len(sample)


def run_size(n: int, workdir: Path, repeat: int, skip: set[str],
             index_dir: Path | None = None) -> None:
    soundalike = str(Path(sys.executable).with_name("soundalike"))
    base = workdir / f"{n}"
    corpus, db = base / "corpus", (index_dir or workdir) / f"{n}" / "library.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SOUNDALIKE_DB=str(db))
    print(f"\n{n:>9,} sounds  ({base})")
    if not corpus.exists():
        t = time.perf_counter()
        generate(corpus, n)
        print(f"  generated in {time.perf_counter() - t:.1f} s")
    files = audio_files(corpus)
    startup, _, startup_cpu = repeated([sys.executable, "-c", "import numpy"], 5)
    print(f"  floors       start-up {startup:6.2f} s, cpu {startup_cpu:.2f} s "
          "(python -c 'import numpy')", end="")
    if not db.exists():
        floor = decode_floor(files, len(files))
        print(f"; decode {floor:7.1f} s (one process, {FLOOR_SAMPLE:,} files scaled)")
        scan_time, scan_rss, _, scan_cpu = measure([soundalike, "scan", "--quiet",
                                                    str(corpus)], env)
        print(f"  scan         {scan_time:7.1f} s  {scan_rss:6.0f} MB  cpu {scan_cpu:7.1f} s  "
              f"ratio to the decode floor {scan_time / floor:.2f}  "
              f"({len(files) / scan_time:,.0f} files/s)")
    else:
        print("\n  scan         (index reused: not measured)")
        # An older index is brought up to date once (migrations, side files): not a query.
        seconds, rss, _, cpu = measure([soundalike, "clusters"], env)
        print(f"  first use    {seconds:7.2f} s  {rss:6.0f} MB  cpu {cpu:7.2f} s  (an index "
              "reused: its first command, which brings it up to date)")
    size, side = index_bytes(db)
    print(f"  index        {size / 1e6:7.1f} MB  {size / len(files):6.0f} bytes per sound; side "
          f"files {side / 1e6:.1f} MB, {side / len(files):.0f} bytes per sound")
    query = files[len(files) // 2]
    commands = {
        "similar": ["similar", "-k", "10", query],
        "kit": ["kit", query],
        "clusters": ["clusters"],
        "status": ["status"],
        "map --png": ["map", "--out", str(db.parent / "map.html"), "--png",
                      str(db.parent / "map.png")],
        "rescan": ["scan", "--quiet"],
    }
    for name, args in commands.items():
        if name in skip:
            continue
        seconds, rss, cpu = repeated([soundalike, *args], repeat if name != "map --png" else 1,
                                     env)
        print(f"  {name:<12} {seconds:7.2f} s  {rss:6.0f} MB  cpu {cpu:7.2f} s  "
              f"({cpu / startup_cpu:5.1f}x the start-up's)")
    if "re-cluster" not in skip:
        seconds, rss, out, cpu = measure([sys.executable, "-c", RECLUSTER, str(db)])
        result = json.loads(out)
        print(f"  re-cluster   {result['clustering']:7.2f} s clustering, cpu "
              f"{result['clustering_cpu']:.2f} s ({result['clusters']:,} clusters); whole "
              f"process {seconds:.2f} s, {rss:.0f} MB, cpu {cpu:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, nargs="+", default=[10_000, 100_000],
                        help="library sizes (default 10000 100000)")
    parser.add_argument("--workdir", type=Path,
                        help="keep the corpora and indexes here, and reuse them next time")
    parser.add_argument("--index-dir", type=Path,
                        help="keep the indexes here instead of in --workdir (the corpora stay "
                             "there): e.g. a copy of an older index, to measure it migrated")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per command (the median time is printed; default 3)")
    parser.add_argument("--skip", nargs="+", default=[], metavar="COMMAND",
                        choices=["similar", "kit", "clusters", "status", "map --png", "map",
                                 "rescan", "re-cluster"],
                        help="commands not to measure (e.g. map: minutes at 100k)")
    args = parser.parse_args()
    args.skip = [("map --png" if name == "map" else name) for name in args.skip]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="soundalike-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}; each command in a fresh process, median of "
          f"{args.repeat} (map: 1); peak RSS is the largest; cpu is user + system time, "
          "steadier than wall time on a shared machine")
    try:
        for n in args.files:
            run_size(n, workdir, args.repeat, set(args.skip), args.index_dir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print("\ntargets at 100k: similar <= 0.6 s and <= 150 MB, kit <= 1.0 s, rescan <= 1.5 s, "
          "index <= 1600 bytes per sound, clustering <= 10 s")


if __name__ == "__main__":
    main()
