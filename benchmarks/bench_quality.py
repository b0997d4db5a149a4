"""Similarity quality on real drum kits: cross-kit precision@k, cluster NMI, categories.

    python benchmarks/bench_quality.py [--kits /usr/share/hydrogen/data/drumkits] [--detail]
        [--descriptors soundalike soundalike-2 seed]

Categories come from the instrument names in each kit's drumkit.xml (see
kit_labels.py); unlabelled samples stay in the pool as distractors. For every
labelled sample, its k nearest neighbours from *other* kits are retrieved and
P@k is the share of them with the same category, averaged over queries. NMI
compares the library's kit-sized clusters with the categories. Both are
printed for each descriptor in one run: the learned ``soundalike`` (3), the hand-made
``soundalike-2`` and the original tool's profile (``seed``). Target: cross-kit P@10 >= 0.70.
For a descriptor with categories, also the category accuracy over labelled sounds (best
category, nothing sent to ``other``), the accuracy / coverage trade-off of the confidence
threshold that sends sounds to ``other``, and a confusion matrix; and for every descriptor,
cluster purity (the share of a cluster's labelled sounds in its main category) and how many
clusters each category is spread over. ``--detail`` adds, per category and descriptor, P@10
and the categories its wrong neighbours came from: where to look before changing anything.
None of these kits is in the learned model's training data (see docs/model.md).
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
        purity, spread = cluster_purity(catalogue.clusters[labelled], category[labelled])
        categories = category_figures(catalogue, category, labelled)
        mixed = None
        if catalogue.descriptor.categorise is not None:  # the clusters of `clusters --mixed`
            library.recluster(mixed=True)
            again = library.catalogue().clusters
            mixed = (len(set(again.tolist())),
                     *cluster_purity(again[labelled], category[labelled]))
    return {
        "descriptor": descriptor,
        "files": n,
        "queries": int(labelled.sum()),
        "p": {k: float(np.mean(v)) for k, v in hits.items()},
        "nmi": float(nmi),
        "clusters": clusters,
        "scan_seconds": scan_seconds,
        "p10_labelled_pool": float(np.mean(labelled_pool)),
        "purity": purity,
        "spread": spread,
        "mixed": mixed,
        "category_figures": categories,
        "categories": {
            c: (len(v), float(np.mean(v)), wrong[c].most_common(3))
            for c, v in sorted(by_category.items(), key=lambda item: -len(item[1]))
        },
    }


def cluster_purity(clusters: np.ndarray, category: np.ndarray) -> tuple[float, dict[str, int]]:
    """Share of labelled sounds that are in their cluster's main category, and over how many
    clusters each category's sounds are spread (clusters holding at least 2 of them)."""
    in_main = 0
    for cid in set(clusters.tolist()):
        in_main += Counter(category[clusters == cid].tolist()).most_common(1)[0][1]
    spread = {
        c: sum(1 for n in Counter(clusters[category == c].tolist()).values() if n >= 2)
        for c in sorted(set(category.tolist()))
    }
    return in_main / max(len(clusters), 1), spread


def category_figures(catalogue, category: np.ndarray, labelled: np.ndarray) -> dict | None:
    """Accuracy of the best category, the ``other`` threshold's trade-off, the confusions."""
    descriptor = catalogue.descriptor
    if descriptor.categorise is None:
        return None
    from soundalike.engine.index.probabilities import category_probabilities
    from soundalike.engine.sound.categories import CATEGORIES
    from soundalike.engine.sound.embedding import categorise

    probabilities = category_probabilities(catalogue)[labelled]
    truth = category[labelled].astype(str)
    best = np.array(CATEGORIES)[probabilities.argmax(axis=1)]
    trade_off = []
    for threshold in (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        names = np.array(categorise(probabilities, threshold)[0])
        kept = names != "other"
        trade_off.append((threshold, float(kept.mean()),
                          float((names[kept] == truth[kept]).mean()) if kept.any() else 0.0))
    confusion = {c: Counter(best[truth == c].tolist()) for c in CATEGORIES if (truth == c).any()}
    return {"accuracy": float((best == truth).mean()), "trade_off": trade_off,
            "confusion": confusion}


def print_categories(result: dict) -> None:
    figures = result["category_figures"]
    if figures is None:
        return
    print(f"  {result['descriptor']}: category accuracy {figures['accuracy']:.3f} "
          "(best category, nothing sent to other)")
    print("    threshold  coverage  accuracy of the rest")
    for threshold, coverage, accuracy in figures["trade_off"]:
        print(f"    {threshold:9.1f}  {coverage:8.2f}  {accuracy:8.3f}")
    names = list(figures["confusion"])
    short = [n[:6] for n in names]
    print("    confusion (rows: labelled, columns: predicted)")
    print("    " + " " * 17 + " ".join(f"{n:>6s}" for n in short))
    for name in names:
        row = figures["confusion"][name]
        print(f"    {name:17s}" + " ".join(f"{row.get(c, 0):6d}" for c in names))


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
    parser.add_argument("--descriptors", nargs="+", default=["soundalike", "soundalike-2", "seed"])
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
            f"{'P@10':>6s} {'NMI':>6s} {'clusters':>8s} {'purity':>6s}"
        )
        results = []
        for descriptor in args.descriptors:
            r = evaluate(args.kits, descriptor, Path(tmp))
            results.append(r)
            print(
                f"{r['descriptor']:12s} {r['files']:6d} {r['queries']:7d} {r['p'][1]:6.3f} "
                f"{r['p'][5]:6.3f} {r['p'][10]:6.3f} {r['nmi']:6.3f} {r['clusters']:8d} "
                f"{r['purity']:6.3f}"
            )
        for r in results:
            print_categories(r)
        print("clusters holding each category (at least 2 of its sounds):")
        for r in results:
            print(f"  {r['descriptor']:12s} " + ", ".join(f"{c} {n}" for c, n in
                                                        r["spread"].items()))
        for r in results:
            if r["mixed"]:
                count, purity, spread = r["mixed"]
                print(f"  {r['descriptor']:12s} --mixed (instruments not kept apart): {count} "
                      f"clusters, purity {purity:.3f}; " + ", ".join(f"{c} {n}" for c, n in
                                                                      spread.items()))
        if args.detail:
            for r in results:
                print_detail(r)
    print("targets: cross-kit P@10 >= 0.70; category accuracy >= 0.80 (nothing sent to other)")


if __name__ == "__main__":
    main()
