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
Every search is the product's (:func:`search`: the query expanded as ``similar`` expands it);
``--no-expansion`` measures the embedding's plain nearest neighbours instead.
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
from benchmarks.kit_labels import HYDROGEN_KITS, cymbal_role, kit_labels  # noqa: E402
from soundalike.engine import Library  # noqa: E402

KS = (1, 5, 10)


def search(catalogue, row: int, k: int, allowed: np.ndarray):
    """The ``k`` nearest sounds to ``row`` that ``allowed`` keeps, ranked as ``similar``
    ranks them (its query expansion: ``similar.nearest``'s step, under any mask)."""
    from soundalike.engine.search import similar

    rows, distances, _ = similar._ranked(catalogue, catalogue.index.rows(row), k, allowed,
                                         None, False, row, similar._expands(catalogue, None))
    return rows, distances


def evaluate(kits: Path, descriptor: str, workdir: Path) -> dict:
    from sklearn.metrics import normalized_mutual_info_score

    labels = kit_labels(kits, names=True)
    started = time.perf_counter()
    with Library(workdir / f"{descriptor}.db") as library:
        library.scan([kits], descriptor=descriptor, jobs=None)
        scan_seconds = time.perf_counter() - started
        catalogue = library.catalogue()
        n = catalogue.size
        kit_of = np.array(
            [os.path.relpath(os.fsdecode(p), kits).split(os.sep)[0] for p in catalogue.paths]
        )
        found = [labels.get(Path(os.path.realpath(os.fsdecode(p))), (None, None, ""))
                 for p in catalogue.paths]
        category = np.array([f[1] for f in found], dtype=object)
        cymbal = np.array([cymbal_role(f[2]) if f[1] == "cymbal" else None for f in found],
                          dtype=object)
        hits = {k: [] for k in KS}
        by_category: dict[str, list[float]] = {}
        wrong: dict[str, Counter] = {}
        labelled = category != None  # noqa: E711
        labelled_pool = []  # P@10 when unlabelled sounds are left out of the pool
        for row in np.flatnonzero(labelled):
            allowed = kit_of != kit_of[row]
            rows, _ = search(catalogue, row, 10, allowed & labelled)
            labelled_pool.append(np.mean(category[rows] == category[row]))
            rows, _ = search(catalogue, row, max(KS), allowed)
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
        categories = category_figures(catalogue, category, labelled, cymbal)
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


def category_figures(catalogue, category: np.ndarray, labelled: np.ndarray,
                     cymbal: np.ndarray | None = None) -> dict | None:
    """Accuracy of the best category (a fine model's categories mapped to the coarse ones the
    kits' names give: crash, ride, other cymbal -> cymbal), the ``other`` threshold's
    trade-off, a reliability table (confidence bins against accuracy), crash vs ride where
    the names say which, and the confusions."""
    descriptor = catalogue.descriptor
    if descriptor.categorise is None:
        return None
    from soundalike.engine.index.probabilities import category_probabilities
    from soundalike.engine.sound.categories import CATEGORIES, COARSE
    from soundalike.engine.sound.embedding import categorise

    probabilities = category_probabilities(catalogue)[labelled]
    truth = category[labelled].astype(str)
    fine = np.array(CATEGORIES)[probabilities.argmax(axis=1)]
    best = np.array([COARSE.get(c, c) for c in fine])
    sure = probabilities.max(axis=1)
    trade_off = []
    for threshold in (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        names = np.array([COARSE.get(c, c) for c in categorise(probabilities, threshold)[0]])
        kept = names != "other"
        trade_off.append((threshold, float(kept.mean()),
                          float((names[kept] == truth[kept]).mean()) if kept.any() else 0.0))
    reliability = []
    for low, high in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 0.99), (0.99, 1.01)):
        in_bin = (sure >= low) & (sure < high)
        if in_bin.any():
            reliability.append((low, min(high, 1.0), int(in_bin.sum()),
                                float(sure[in_bin].mean()),
                                float((best[in_bin] == truth[in_bin]).mean())))
    crash_ride = None
    if cymbal is not None and {"crash", "ride"} <= set(CATEGORIES):
        roles = cymbal[labelled]
        named = np.isin(roles.astype(str), ["crash", "ride"])
        if named.any():
            crash, ride = CATEGORIES.index("crash"), CATEGORIES.index("ride")
            said = np.where(probabilities[named, crash] >= probabilities[named, ride], "crash",
                            "ride")
            crash_ride = (int(named.sum()), float((said == roles[named].astype(str)).mean()))
    # rows (and columns) by how many sounds are labelled so, then by name: the same order in
    # every run, whichever order the scan stored the files in
    order = sorted(Counter(truth.tolist()).items(), key=lambda item: (-item[1], item[0]))
    confusion = {c: Counter(best[truth == c].tolist()) for c, _ in order}
    return {"accuracy": float((best == truth).mean()), "trade_off": trade_off,
            "reliability": reliability,
            "sure_right": float((best[sure >= 0.9] == truth[sure >= 0.9]).mean())
            if (sure >= 0.9).any() else None,
            "crash_ride": crash_ride, "confusion": confusion}


def print_categories(result: dict) -> None:
    figures = result["category_figures"]
    if figures is None:
        return
    print(f"  {result['descriptor']}: category accuracy {figures['accuracy']:.3f} "
          "(best category, nothing sent to other)")
    print("    threshold  coverage  accuracy of the rest")
    for threshold, coverage, accuracy in figures["trade_off"]:
        print(f"    {threshold:9.1f}  {coverage:8.2f}  {accuracy:8.3f}")
    print("    reliability: confidence     sounds  mean confidence  accuracy")
    for low, high, count, mean, accuracy in figures["reliability"]:
        print(f"                 {low:4.2f}-{high:4.2f}  {count:6d}  {mean:15.3f}  {accuracy:8.3f}")
    if figures["sure_right"] is not None:
        print(f"    right among predictions at >= 0.9: {figures['sure_right']:.3f} (target 0.92)")
    if figures["crash_ride"] is not None:
        count, right = figures["crash_ride"]
        print(f"    crash vs ride right on {count} cymbals named so: {right:.3f} (target 0.8)")
    names = list(figures["confusion"])
    short = [n[:6] for n in names]
    print("    confusion (rows: labelled, columns: predicted)")
    print("    " + " " * 17 + " ".join(f"{n:>6s}" for n in short))
    for name in names:
        row = figures["confusion"][name]
        print(f"    {name:17s}" + " ".join(f"{row.get(c, 0):6d}" for c in names))


SONIC_PI = Path("/usr/share/sonic-pi/samples")
LMMS = Path("/usr/share/lmms/samples")
#: Clearly non-drum files of the two collections, by name (the issue's rules).
NON_DRUM_SONIC_PI = ("ambi_", "bass_", "guit_", "loop_", "mehackit_", "vinyl_")
NON_DRUM_LMMS = ("basses", "bassloops", "beats", "effects", "instruments", "latin", "shapes",
                 "stringsnpads", "waveforms")


def non_drum_kind(path: Path) -> str | None:
    """``loop`` or ``non-drum`` for a clearly non-drum file of sonic-pi-samples or lmms-common
    (loops: sonic-pi's ``loop_*``, lmms's ``beats`` and ``bassloops``), else None."""
    if path.parent == SONIC_PI and path.name.startswith(NON_DRUM_SONIC_PI):
        return "loop" if path.name.startswith("loop_") else "non-drum"
    if path.parent.parent == LMMS and path.parent.name in NON_DRUM_LMMS:
        return "loop" if path.parent.name in ("beats", "bassloops") else "non-drum"
    return None


def non_drum_figures(kits: Path, workdir: Path, descriptor: str) -> dict | None:
    """On one library of the drum kits, sonic-pi-samples and lmms-common: how the clearly
    non-drum files are named, how many of them come into drum queries' top 10 (neighbours
    from other folders), and how many loops a loop query's top 10 holds."""
    if not (SONIC_PI.is_dir() and LMMS.is_dir()):
        return None
    from soundalike.engine.search.similar import similar
    from soundalike.engine.sound.categories import DRUM_CATEGORIES

    labels = kit_labels(kits)
    workdir.mkdir(parents=True, exist_ok=True)
    with Library(workdir / "non-drum.db") as library:
        library.scan([kits, SONIC_PI, LMMS], descriptor=descriptor, jobs=None)
        catalogue = library.catalogue()
        if catalogue.descriptor.categorise is None:
            return None
        paths = [Path(os.path.realpath(os.fsdecode(p))) for p in catalogue.paths]
        kind = np.array([non_drum_kind(p) for p in paths], dtype=object)
        folder = np.array([str(p.parent) if labels.get(p) is None else labels[p][0]
                           for p in paths])
        drum_query = np.array([p in labels for p in paths])
        named = np.array([catalogue.category_of(r) for r in range(catalogue.size)],
                         dtype=object)
        sure = catalogue.category_confidence
        drum_like = set(DRUM_CATEGORIES) | {"cymbal"}
        non_drum = kind != None  # noqa: E711
        is_drum = np.array([n in drum_like for n in named])
        in_top = []
        for row in np.flatnonzero(drum_query):
            rows, _ = search(catalogue, row, 10, folder != folder[row])
            in_top.append(non_drum[rows].mean())
        loop_hits, loop_hits_embedding = [], []
        is_loop = {catalogue.paths[r]: kind[r] == "loop" for r in range(catalogue.size)}
        for row in np.flatnonzero(kind == "loop"):
            allowed = np.ones(catalogue.size, dtype=bool)
            allowed[row] = False
            rows, _ = search(catalogue, row, 10, allowed)
            loop_hits_embedding.append((kind[rows] == "loop").mean())
            found = similar(catalogue, catalogue.paths[row], 10).neighbours  # the product's
            loop_hits.append(np.mean([is_loop[os.fsencode(n.path)] for n in found]))
    return {
        "files": int(non_drum.sum()),
        "named_non_drum": float((~is_drum[non_drum]).mean()),
        "drum_sure": float((is_drum & (sure >= 0.9))[non_drum].mean()),
        "in_drum_top10": float(np.mean(in_top)),
        "loops": int((kind == "loop").sum()),
        # the engine's loop rule: how many of the loops it names so, and how many files the
        # collections do not file as loops it names so (drum rolls, phrases, crackle...)
        "loops_named": int(sum(named[r] == "loop" for r in np.flatnonzero(kind == "loop"))),
        "others_named_loop": int(sum(named[r] == "loop" for r in np.flatnonzero(kind != "loop"))),
        "loop_top10": float(np.mean(loop_hits)) if loop_hits else 0.0,
        "loop_top10_embedding": float(np.mean(loop_hits_embedding)) if loop_hits else 0.0,
    }


def print_non_drum(descriptor: str, figures: dict | None) -> None:
    if figures is None:
        return
    print(f"  {descriptor}: {figures['files']} clearly non-drum files of sonic-pi + lmms: "
          f"named non-drum {figures['named_non_drum']:.3f} (target 0.85), drum at >= 0.9 "
          f"{figures['drum_sure']:.3f} (target <= 0.05); non-drum share of drum queries' top "
          f"10 {figures['in_drum_top10']:.3f}; loops in a loop query's top 10 "
          f"{figures['loop_top10']:.3f} over {figures['loops']} loops (target 0.8; by the "
          f"embedding alone, without similar's loops-with-loops rule, "
          f"{figures['loop_top10_embedding']:.3f}); named loop: {figures['loops_named']} of "
          f"the {figures['loops']} loops and {figures['others_named_loop']} other files")


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
    parser.add_argument("--no-non-drum", action="store_true",
                        help="skip the non-drum section (it needs sonic-pi-samples, lmms-common)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-expansion", action="store_true",
                        help="search from the query alone (similar.EXPAND_NEIGHBOURS = 0)")
    args = parser.parse_args()
    if args.no_expansion:
        from soundalike.engine.search import similar

        similar.EXPAND_NEIGHBOURS = 0
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
        if not args.no_non_drum:
            print("non-drum (one library of the kits, sonic-pi-samples and lmms-common):")
            for descriptor in args.descriptors:
                print_non_drum(descriptor, non_drum_figures(args.kits, Path(tmp) / descriptor,
                                                            descriptor))
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
        if args.json:
            import json

            args.json.write_text(json.dumps(results, default=str, indent=1))
    print("targets: cross-kit P@10 >= 0.70; category accuracy >= 0.82 (nothing sent to other)")


if __name__ == "__main__":
    main()
