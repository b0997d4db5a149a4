"""Time to build the library map page, and its size, for 10,000 and 50,000 sounds.

    python benchmarks/bench_map.py [--sizes 10000 50000]

Synthetic descriptors (families of sounds) stand in for a scanned library; the
layout, the neighbour lists and the page are built exactly as `soundalike map`
builds them. Target (issue 7): the page for 50,000 sounds in under a minute.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.bench_search import synthetic_library  # noqa: E402
from soundalike.engine.index.feature_space import FeatureSpace  # noqa: E402
from soundalike.engine.index.neighbours import all_neighbours, ann_available  # noqa: E402
from soundalike.engine.map.layout import layout  # noqa: E402
from soundalike.engine.map.page import MapData, render_page  # noqa: E402
from soundalike.engine.sound.descriptors import DESCRIPTORS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    args = parser.parse_args()
    print(f"voyager (HNSW) for the neighbour lists: {'yes' if ann_available() else 'no (exact)'}")
    for n in args.sizes:
        X = synthetic_library(n, DESCRIPTORS["soundalike"].dim)
        space = FeatureSpace().fit(X)
        E = space.embed(space.standardize(X))
        t0 = time.perf_counter()
        positions = layout(E)
        t1 = time.perf_counter()
        neighbours = all_neighbours(E, 8)
        t2 = time.perf_counter()
        paths = [f"/Samples/Pack {i % 300:03d}/Drums/sound number {i:06d}.wav".encode()
                 for i in range(n)]
        data = MapData(positions, paths, np.full(n, 0.42, np.float32),
                       (np.arange(n) // 16 + 1), {c: "short bright noisy · snare"
                                                   for c in range(1, n // 16 + 2)}, neighbours)
        html = render_page(data)
        t3 = time.perf_counter()
        relaid = layout(E, positions.astype(np.float64))
        t4 = time.perf_counter()
        assert np.allclose(relaid, positions, atol=1e-6)
        print(f"{n:>7,} sounds: layout {t1 - t0:5.1f} s, neighbours {t2 - t1:5.1f} s, "
              f"page {t3 - t2:4.1f} s, total {t3 - t0:5.1f} s (target < 60 s at 50,000); "
              f"page {len(html.encode()) / 1e6:.1f} MB; next map reusing the layout "
              f"{t4 - t3:.1f} s")


if __name__ == "__main__":
    main()
