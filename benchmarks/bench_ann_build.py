"""How long the approximate neighbour index (HNSW) takes to build, per million sounds.

    python benchmarks/bench_ann_build.py                      # 100k and 1M rows, 48-d and 384-d
    python benchmarks/bench_ann_build.py --rows 100000 --dims 48 --threads 2

Random float16 vectors (what the side files hold), ``dims`` wide: 48 is the embedding the
library searches today (``index/feature_space.py``: 48 components), 384 a wider one. Up to
``--full-up-to`` rows the graph is built exactly as ``index/neighbours.py`` builds it
(``HnswGraph``, ef_construction 120, M 16). Larger sizes would take longer than a run may
(``--budget`` seconds): the same graph (same voyager parameters) is grown in steps of 5% of
the rows until the budget is spent, and the time for all rows is extrapolated from the last
step's rate (slightly optimistic: each step is a little slower than the one before, as the
graph deepens). Random vectors are a hard case for HNSW (no structure to exploit); real
embeddings build no slower. Read the figures as orders of magnitude: the machine may be
shared.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np

from soundalike.engine.index.neighbours import HnswGraph, ann_available

#: HnswGraph's parameters when NeighbourIndex builds it (index/neighbours.py).
EF_CONSTRUCTION = 120
M = 16


def vectors(rows: int, dims: int) -> np.ndarray:
    """Unit-length random rows in float16, as the side files store the embedding."""
    rng = np.random.default_rng(0)
    out = np.empty((rows, dims), dtype=np.float16)
    for start in range(0, rows, 100_000):
        block = rng.standard_normal((min(100_000, rows - start), dims), dtype=np.float32)
        out[start : start + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def full_build(E: np.ndarray, threads: int) -> float:
    start = time.perf_counter()
    HnswGraph(E, ef_construction=EF_CONSTRUCTION, threads=threads)
    return time.perf_counter() - start


def grown_build(E: np.ndarray, threads: int, budget: float) -> tuple[int, float, float]:
    """Rows added within ``budget`` seconds, the seconds they took, and the extrapolated
    seconds for every row."""
    from voyager import Index, Space, StorageDataType

    index = Index(Space.Euclidean, num_dimensions=E.shape[1], M=M,
                  ef_construction=EF_CONSTRUCTION, random_seed=0, max_elements=len(E),
                  storage_data_type=StorageDataType.Float32)
    step = max(1, len(E) // 20)
    done, spent, rate = 0, 0.0, 0.0
    while done < len(E) and spent < budget:
        batch = np.ascontiguousarray(E[done : done + step], dtype=np.float32)
        start = time.perf_counter()
        index.add_items(batch, ids=np.arange(done, done + len(batch)), num_threads=threads)
        took = time.perf_counter() - start
        spent += took
        done += len(batch)
        rate = len(batch) / took
    return done, spent, spent + (len(E) - done) / rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--dims", type=int, nargs="+", default=[48, 384])
    parser.add_argument("--threads", type=int, default=2, help="build threads (default 2)")
    parser.add_argument("--full-up-to", type=int, default=200_000,
                        help="build HnswGraph whole up to this many rows (default 200000)")
    parser.add_argument("--budget", type=float, default=150.0,
                        help="seconds a grown build may take (default 150)")
    args = parser.parse_args()
    if not ann_available():
        sys.exit("needs voyager: pip install 'soundalike[ann]'")
    print(f"HNSW build (voyager, M {M}, ef_construction {EF_CONSTRUCTION}), "
          f"{args.threads} threads")
    for dims in args.dims:
        for rows in args.rows:
            E = vectors(rows, dims)
            if rows <= args.full_up_to:
                took = full_build(E, args.threads)
                how = f"built whole in {took:6.1f} s"
            else:
                done, spent, took = grown_build(E, args.threads, args.budget)
                how = (f"{done:,} rows in {spent:.1f} s, all rows extrapolated {took:6.1f} s"
                       if done < rows else f"built whole in {took:6.1f} s")
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  {dims:4d}-d {rows:>10,} rows: {how}; {took / rows * 1e6 / 60:5.1f} min "
                  f"per million rows; peak RSS so far {peak:,.0f} MB", flush=True)
            del E


if __name__ == "__main__":
    main()
