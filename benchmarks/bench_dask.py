"""A scan on a Dask cluster against a local scan of the same files: files/s and their ratio.

    python benchmarks/bench_dask.py                 # 400 generated files, 2 workers each way
    python benchmarks/bench_dask.py --files 1000 --workers 2

The same generated corpus (``bench_scan.py``'s mix of formats, rates and channels) is scanned
into fresh indexes: locally with ``--workers`` processes (their start included, as a user
runs it), then through ``scan --dask`` on a ``distributed.LocalCluster`` of ``--workers``
processes of one thread each on loopback, twice: cold (the workers import soundalike and
load the model at their first task) and warm (as on a cluster that stays up between scans).
Files/s is the scan's own time (``ScanReport.elapsed``: walk, profiling, transactions;
clustering after the scan is the same either way and left out). On one machine the cluster
can only add overhead (results travel over TCP and through the scheduler): the ratio says
what the Dask path costs per file; its gain is the cores of other machines. Read the ratio
of one run: the machine may be shared.

Last, the ceiling of any cluster: however many machines profile, one process writes the
index. ``--writes`` synthetic profiles (random vectors of the default descriptor's width) are
written as a scan writes them (256 per transaction) into a new index: profiles/s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.bench_scan import generate  # noqa: E402
from soundalike.engine import Library  # noqa: E402
from soundalike.engine.index.store import IndexStore  # noqa: E402
from soundalike.engine.scan.scanner import COMMIT_EVERY_FILES  # noqa: E402
from soundalike.engine.sound.descriptors import get_descriptor  # noqa: E402
from soundalike.engine.sound.profiling import STATUS_OK, Profile  # noqa: E402


def scan(db: Path, folder: Path, **how) -> float:
    """Files/s of one scan of ``folder`` into a new index ``db``."""
    with Library(db) as library:
        report = library.scan([folder], **how)
    if report.failed or not report.profiled:
        sys.exit(f"the scan failed: {report.failures[:3]}")
    return report.profiled / report.elapsed


def writes_per_second(db: Path, count: int) -> float:
    """Profiles/s the one writing process stores, in a scan's transactions."""
    descriptor = get_descriptor("soundalike")
    rng = np.random.default_rng(0)
    profiles = [Profile(f"/library/pack {i // 1000}/hit {i}.wav".encode(), 40_000 + i, i,
                        STATUS_OK, fingerprint=f"{i:016x}", duration=0.5, sample_rate=44100,
                        channels=1, format="WAV", category="kick", category_confidence=0.9,
                        vector=rng.standard_normal(descriptor.dim).astype(np.float32))
                for i in range(count)]
    store = IndexStore(db)
    try:
        start = time.perf_counter()
        for at in range(0, count, COMMIT_EVERY_FILES):
            with store.transaction():
                store.write_profiles(profiles[at : at + COMMIT_EVERY_FILES], descriptor.key)
        return count / (time.perf_counter() - start)
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--writes", type=int, default=50_000)
    args = parser.parse_args()
    try:
        from distributed import LocalCluster
    except ImportError:
        sys.exit("needs Dask: pip install 'soundalike[dask]'")
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        folder = Path(tmp) / "corpus"
        generate(folder, args.files)
        local = scan(Path(tmp) / "local.db", folder, jobs=args.workers)
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=":0") as cluster:
            cold = scan(Path(tmp) / "cold.db", folder, dask=cluster.scheduler_address)
            warm = scan(Path(tmp) / "warm.db", folder, dask=cluster.scheduler_address)
        writes = writes_per_second(Path(tmp) / "writes.db", args.writes)
    print(f"{args.files} files, {args.workers} workers")
    print(f"  local scan            {local:7.1f} files/s")
    print(f"  dask scan, cold       {cold:7.1f} files/s  ratio to local {cold / local:.2f}")
    print(f"  dask scan, warm       {warm:7.1f} files/s  ratio to local {warm / local:.2f}")
    print(f"  index writes          {writes:7.0f} profiles/s (the one writer: any cluster's "
          f"ceiling)")


if __name__ == "__main__":
    main()
