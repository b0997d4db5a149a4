"""Search latency, recall and clustering time at library scale, on synthetic vectors.

    python benchmarks/bench_search.py                 # 10k, 100k and 1M
    python benchmarks/bench_search.py --sizes 10000 100000

Vectors are drawn from a mixture of Gaussians in the descriptor's dimensions (sounds come
in families; the learned part scaled to unit length), standardised and embedded exactly as
the library does. Prints, per size: exact query latency p50/p99 (k=16, a library
sample as the query); with voyager, the approximate index's build time, p50/p99
and recall@16 against exact; kit-sized clustering time (at 100k); and the time
to answer for a file outside the library (decode + profile + search).
Targets (issue 3): <= 1 ms p50 at 100k; recall@16 >= 0.95 with p99 <= 5 ms at
1M; <= 20 ms for an outside file; clusters of 100k in <= 30 s.

Issue 12 replaced hnswlib (no wheels: a C++ compile at install) by voyager. Both
graphs alone on the same 1M embeddings, same M/ef, same loaded 2-core machine:
voyager build 212 s, p50 0.13 ms, p99 0.26 ms, recall@16 1.000; hnswlib 168 s,
0.08 ms, 0.15 ms, 0.997; usearch 244 s, 0.19 ms, 0.39 ms, 1.000. This script at
1M with voyager on that machine (busy with other work): approximate p50 0.52 ms,
p99 4.89 ms, recall@16 1.000, build 214 s (hnswlib's run on a quiet machine,
issue 3: p50 0.16 ms, p99 0.29 ms, recall 1.000, build 89 s).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from soundalike.engine.clusters.clustering import KitClusterer  # noqa: E402
from soundalike.engine.index.feature_space import FeatureSpace  # noqa: E402
from soundalike.engine.index.neighbours import NeighbourIndex, ann_available  # noqa: E402
from soundalike.engine.sound.descriptors import DESCRIPTORS  # noqa: E402
from soundalike.engine.sound.profiling import profile_file  # noqa: E402
from tests.synth import drum  # noqa: E402

K = 16
QUERIES = 400


def synthetic_library(n: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    families = max(8, n // 200)
    centres = rng.standard_normal((families, dim)).astype(np.float32) * 3
    which = rng.integers(0, families, n)
    X = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):  # in slices: bounded temporary memory
        stop = min(n, start + 100_000)
        X[start:stop] = centres[which[start:stop]] + rng.standard_normal((stop - start, dim),
                                                                         dtype=np.float32)
    return X


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ms = np.array(seconds) * 1e3
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def time_queries(index: NeighbourIndex, rows: np.ndarray) -> tuple[list[float], list[np.ndarray]]:
    times, results = [], []
    for row in rows:
        t = time.perf_counter()
        found, _ = index.search(index.Z[row], K + 1)
        times.append(time.perf_counter() - t)
        results.append(found[found != row][:K])
    return times, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    descriptor = DESCRIPTORS["soundalike"]
    print(f"descriptor {descriptor.key}: {descriptor.dim} numbers; k = {K}; "
          f"{QUERIES} queries per measurement; voyager (HNSW) {'yes' if ann_available() else 'no'}")

    with tempfile.TemporaryDirectory() as tmp:
        outside = Path(tmp) / "outside kick.wav"
        sf.write(outside, drum("kick", seed=77), 44100)
        for n in args.sizes:
            X = synthetic_library(n, descriptor.dim)
            if descriptor.learned:  # the learned part of a vector has unit length
                head = X[:, : descriptor.learned]
                head /= np.linalg.norm(head, axis=1, keepdims=True)
            t = time.perf_counter()
            space = FeatureSpace(learned=descriptor.learned).fit(X)
            Z = space.standardize(X)
            del X
            E = space.embed(Z)
            prep = time.perf_counter() - t
            exact = NeighbourIndex(Z, E, space.components_, descriptor.aspects, approximate=False,
                                   learned=descriptor.learned)
            rng = np.random.default_rng(1)
            rows = rng.choice(n, QUERIES, replace=False)
            time_queries(exact, rows[:20])  # warm up
            exact_times, truth = time_queries(exact, rows)
            p50, p99 = percentiles(exact_times)
            print(f"\n{n:>9,} sounds  (fit + standardise + embed {prep:.1f} s)")
            print(f"  exact        p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")
            if ann_available():
                t = time.perf_counter()
                approx = NeighbourIndex(Z, E, space.components_, descriptor.aspects,
                                        learned=descriptor.learned,
                                        approximate=True, threads=os.cpu_count() or 1)
                build = time.perf_counter() - t
                approx_times, found = time_queries(approx, rows)
                recall = np.mean([len(set(a) & set(b)) / K for a, b in zip(truth, found,
                                                                            strict=True)])
                p50, p99 = percentiles(approx_times)
                print(f"  approximate  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  "
                      f"recall@{K} {recall:.3f}  (build {build:.1f} s)")
                del approx
            times = []
            for attempt in range(21):  # the first call imports scipy.fft: not counted
                t = time.perf_counter()
                st = outside.stat()
                profile = profile_file(os.fsencode(outside), st.st_size, st.st_mtime_ns,
                                       descriptor)
                exact.search(space.standardize(profile.vector), K)
                if attempt:
                    times.append(time.perf_counter() - t)
            p50, p99 = percentiles(times)
            print(f"  outside file p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  (decode + profile + "
                  "search)")
            if n <= 100_000:
                t = time.perf_counter()
                model = KitClusterer().fit(E)
                print(f"  clusters     {time.perf_counter() - t:6.1f} s  "
                      f"{model.n_clusters_:,} kit-sized clusters, largest "
                      f"{np.bincount(model.labels_).max()}")
            del exact, Z, E
    print("\ntargets: exact p50 <= 1 ms at 100k; approximate recall@16 >= 0.95 and p99 <= 5 ms "
          "at 1M; outside file <= 20 ms; clusters of 100k <= 30 s")


if __name__ == "__main__":
    main()
