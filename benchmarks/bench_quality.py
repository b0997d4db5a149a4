"""Similarity quality on real drum kits: cross-kit precision@k and cluster NMI.

    python benchmarks/bench_quality.py [--kits /usr/share/hydrogen/data/drumkits] [--detail]

Categories come from the instrument names in each kit's drumkit.xml (see
kit_labels.py); unlabelled samples stay in the pool as distractors. For every
labelled sample, its k nearest neighbours from *other* kits are retrieved and
P@k is the share of them with the same category, averaged over queries. NMI
compares the library's kit-sized clusters with the categories. Both are
printed for our descriptor and for the original tool's profile (`seed`), in one
run. Target (issue 3): cross-kit P@10 >= 0.70. ``--detail`` adds, per category and
descriptor, P@10 and the categories its wrong neighbours came from: where to look
before changing the descriptor.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.kit_labels import HYDROGEN_KITS, kit_labels  # noqa: E402
from soundalike.engine import Library  # noqa: E402

KS = (1, 5, 10)


def evaluate(kits: Path, descriptor: str, workdir: Path) -> dict:
    from sklearn.metrics import normalized_mutual_info_score

    labels = kit_labels(kits)
    started = time.perf_counter()
    with Library(workdir / f"{descriptor}.db") as library:
        library.scan([kits], descriptor=descriptor, jobs=None)
        scan_seconds = time.perf_counter() - started
        catalogue = library.catalogue()
        n = catalogue.size
        kit_of = np.array(
            [os.path.relpath(os.fsdecode(p), kits).split(os.sep)[0] for p in catalogue.paths]
        )
        category = np.array(
            [
                labels.get(Path(os.path.realpath(os.fsdecode(p))), (None, None))[1]
                for p in catalogue.paths
            ],
            dtype=object,
        )
        hits = {k: [] for k in KS}
        by_category: dict[str, list[float]] = {}
        wrong: dict[str, Counter] = {}
        labelled = category != None  # noqa: E711
        labelled_pool = []  # P@10 when unlabelled sounds are left out of the pool
        for row in np.flatnonzero(labelled):
            allowed = kit_of != kit_of[row]
            rows, _ = catalogue.index.search(catalogue.index.Z[row], 10, allowed=allowed & labelled)
            labelled_pool.append(np.mean(category[rows] == category[row]))
            rows, _ = catalogue.index.search(catalogue.index.Z[row], max(KS), allowed=allowed)
            same = category[rows] == category[row]
            for k in KS:
                hits[k].append(same[:k].mean())
            by_category.setdefault(category[row], []).append(same[:10].mean())
            misses = (c or "unlabelled" for c in category[rows[:10]][~same[:10]])
            wrong.setdefault(category[row], Counter()).update(misses)
        nmi = normalized_mutual_info_score(
            category[labelled].astype(str), catalogue.clusters[labelled]
        )
        clusters = len(set(catalogue.clusters.tolist()))
    return {
        "descriptor": descriptor,
        "files": n,
        "queries": int(labelled.sum()),
        "p": {k: float(np.mean(v)) for k, v in hits.items()},
        "nmi": float(nmi),
        "clusters": clusters,
        "scan_seconds": scan_seconds,
        "p10_labelled_pool": float(np.mean(labelled_pool)),
        "categories": {
            c: (len(v), float(np.mean(v)), wrong[c].most_common(3))
            for c, v in sorted(by_category.items(), key=lambda item: -len(item[1]))
        },
    }


def print_detail(result: dict) -> None:
    print(
        f"  {result['descriptor']}: P@10 {result['p10_labelled_pool']:.3f} with unlabelled sounds "
        "left out of the pool; per category, and where its wrong neighbours came from:"
    )
    for name, (queries, p10, misses) in result["categories"].items():
        shares = ", ".join(f"{c} {n / queries:.1f}" for c, n in misses)
        print(f"    {name:17s} {queries:4d} queries  P@10 {p10:.3f}   wrong per query: {shares}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kits", type=Path, default=HYDROGEN_KITS)
    parser.add_argument("--descriptors", nargs="+", default=["soundalike", "seed"])
    parser.add_argument(
        "--detail", action="store_true", help="per-category P@10 and the commonest confusions"
    )
    args = parser.parse_args()
    if not args.kits.is_dir():
        sys.exit(f"no kits at {args.kits}: apt-get install hydrogen-drumkits")
    with tempfile.TemporaryDirectory(prefix="soundalike-quality-") as tmp:
        print(f"kits: {args.kits}")
        print(
            f"{'descriptor':12s} {'files':>6s} {'queries':>7s} {'P@1':>6s} {'P@5':>6s} "
            f"{'P@10':>6s} {'NMI':>6s} {'clusters':>8s}"
        )
        results = []
        for descriptor in args.descriptors:
            r = evaluate(args.kits, descriptor, Path(tmp))
            results.append(r)
            print(
                f"{r['descriptor']:12s} {r['files']:6d} {r['queries']:7d} {r['p'][1]:6.3f} "
                f"{r['p'][5]:6.3f} {r['p'][10]:6.3f} {r['nmi']:6.3f} {r['clusters']:8d}"
            )
        if args.detail:
            for r in results:
                print_detail(r)
    print("target: cross-kit P@10 >= 0.70")


if __name__ == "__main__":
    main()
