"""Kits by role on real drum kits: are the pads the right instruments, and is the kit whole?

    python benchmarks/bench_kit.py [--kits /usr/share/hydrogen/data/drumkits] [--db FILE]
        [--pads 16] [--min-confidence 0.5 ...] [--detail]

Every labelled sound of Debian's hydrogen-drumkits (labels from the kits' drumkit.xml, see
kit_labels.py) is used once as a reference, and a kit of ``--pads`` roles is built around it
from the *other* kits (``other_folders``, as ``soundalike kit --other-folders`` does; the
reference's own kit would make it too easy). Printed, over all those kits:

- right category: the share of filled pads (the reference's own pad left out) whose
  labelled category is the category the role asks for (crash and ride: cymbal; pedal hat:
  closed hat; shaker: shaker or tambourine), among pads holding a labelled sound (target
  >= 0.85), then among all pads with unlabelled sounds counted wrong (a lower bound: about
  150 of hydrogen's sounds, mostly rumpf_kit's "beats_*", have no usable instrument name).
- roles filled: the share of the kit's pads that hold a sound;
- core complete: the share of kits with a kick, a snare, a closed hat and a cymbal (crash
  or ride) pad filled, which the other kits always hold (target: every kit, 1.000), and
  with each of those pads holding a labelled sound of that category;
- one pack: the share of kits whose pads (reference left out) all come from one pack, and
  the mean share of pads from the kit's home pack;
- per role, its right-category share, with ``--detail`` what the wrong ones were;
- crash/ride and closed/pedal hat: on the crash, ride, closed hat and pedal hat pads holding
  a sound whose instrument (or file) name says which (kit_labels.finer_labels), the share
  that is the right one of the pair. The model has one "cymbal" and one "closed hat"
  category, so until it has finer ones these are near chance; with ``--corrections``, the
  same figures follow after the finer names of every second kit's sounds were given as
  corrections (`soundalike label`), as a user correcting some packs would.

The same figures follow for kits taken from the reference's own kit first (no
``other_folders``), what a user gets by default. ``--db`` keeps the scanned index between
runs (it is rescanned, which is quick when nothing changed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.kit_labels import HYDROGEN_KITS, finer_labels, kit_labels  # noqa: E402
from soundalike.engine import Library  # noqa: E402
from soundalike.engine.kits.build import CORE, MIN_CONFIDENCE, build_kit  # noqa: E402
from soundalike.engine.sound.categories import COARSE  # noqa: E402

#: The pads finer than the model's categories, and the pair each is told apart from.
FINER_PADS = {"crash": ("crash", "ride"), "ride": ("crash", "ride"),
              "closed hat": ("closed hat", "pedal hat"), "pedal hat": ("closed hat", "pedal hat")}


def evaluate(catalogue, labels: dict[Path, tuple[str, str]], *, pads: int,
             other_folders: bool, min_confidence: float,
             finer: dict[Path, str] | None = None) -> dict:
    label_of, finer_of = {}, {}
    for path in catalogue.paths:
        real = Path(os.path.realpath(os.fsdecode(path)))
        found = labels.get(real)
        if found is not None:
            label_of[os.fsdecode(path)] = found[1]
        if finer and real in finer:
            finer_of[os.fsdecode(path)] = finer[real]
    finer_counts: dict[str, Counter] = defaultdict(Counter)
    right = wrong = unlabelled = filled = total = core_complete = core_filled = one_pack = 0
    home_share = []
    by_role: dict[str, Counter] = defaultdict(Counter)
    started = time.perf_counter()
    references = sorted(label_of)
    for reference in references:
        kit = build_kit(catalogue, [reference], pads=pads, other_folders=other_folders,
                        min_confidence=min_confidence)
        total += len(kit.pads)
        filled += sum(p.path is not None for p in kit.pads)
        have = set()
        packs = Counter()
        for pad in kit.pads:
            if pad.path is None:
                continue
            label = label_of.get(pad.path)
            if pad.reference:
                have.add(pad.category)
                continue
            packs[pad.pack] += 1
            told = finer_of.get(pad.path)
            if pad.role in FINER_PADS and told in FINER_PADS[pad.role]:
                finer_counts[pad.role]["right" if told == pad.role else "wrong"] += 1
            if label is None:
                unlabelled += 1
                by_role[pad.role]["unlabelled"] += 1
            elif label == COARSE.get(pad.category, pad.category):  # labels are coarse
                right += 1
                by_role[pad.role]["right"] += 1
                have.add(pad.category)
            else:
                wrong += 1
                by_role[pad.role][label] += 1
        core_complete += all(c in have for c in CORE)
        present = {p.category for p in kit.pads if p.path is not None}
        core_filled += all(c in present for c in CORE)
        placed = sum(packs.values())
        if placed:
            one_pack += len(packs) == 1
            home_share.append(packs.get(kit.pack, 0) / placed)
    kits = len(references)
    placed = right + wrong + unlabelled
    return {
        "kits": kits,
        "right": right / max(placed, 1),
        "right_labelled": right / max(right + wrong, 1),
        "core_filled": core_filled / max(kits, 1),
        "unlabelled": unlabelled / max(placed, 1),
        "filled": filled / max(total, 1),
        "core": core_complete / max(kits, 1),
        "one_pack": one_pack / max(kits, 1),
        "home_share": float(np.mean(home_share)) if home_share else 0.0,
        "by_role": by_role,
        "finer": finer_counts,
        "ms_per_kit": 1000 * (time.perf_counter() - started) / max(kits, 1),
    }


def report(name: str, result: dict, detail: bool) -> None:
    print(f"{name}: {result['kits']} kits, {result['ms_per_kit']:.1f} ms per kit")
    print(f"  right category, labelled pads  {result['right_labelled']:.3f}   (target >= 0.85)")
    print(f"  right category, all pads       {result['right']:.3f}   (unlabelled sounds, "
          f"counted wrong here: {result['unlabelled']:.3f})")
    print(f"  roles filled                   {result['filled']:.3f}")
    print(f"  kick+snare+closed hat+cymbal   {result['core_filled']:.3f}   (share of kits with "
          "the four pads filled; target 1)")
    print(f"    ... each of a labelled sound of that category  {result['core']:.3f}")
    print(f"  kit from one pack              {result['one_pack']:.3f}   (pads from the home "
          f"pack: {result['home_share']:.3f})")
    print("  per role (right / placed):")
    for role, counts in sorted(result["by_role"].items()):
        placed = sum(counts.values())
        line = f"    {role:<11} {counts['right'] / placed:.3f}  ({placed})"
        if detail:
            misses = ", ".join(f"{k} {v}" for k, v in counts.most_common() if k != "right")
            line += f"  wrong: {misses}" if misses else ""
        print(line)


def report_finer(result: dict) -> None:
    print("  finer pads (right one of the pair / pads holding a sound named crash or ride, "
          "closed or pedal hat):")
    for role in FINER_PADS:
        counts = result["finer"].get(role, Counter())
        placed = counts["right"] + counts["wrong"]
        share = f"{counts['right'] / placed:.3f}" if placed else "  -  "
        print(f"    {role:<11} {share}  ({placed})")


def correct_every_second_kit(library, kits: Path, finer: dict[Path, str]) -> int:
    """Give the finer names of every second kit's sounds as corrections; returns how many."""
    names = sorted(p.name for p in kits.iterdir() if p.is_dir())[::2]
    chosen: dict[str, list[Path]] = defaultdict(list)
    for path, label in finer.items():
        if any(path.is_relative_to((kits / n).resolve()) for n in names):
            chosen[label].append(path)
    for label, paths in chosen.items():
        library.label(paths, label)
    return sum(len(p) for p in chosen.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kits", type=Path, default=HYDROGEN_KITS)
    parser.add_argument("--db", type=Path, help="keep the index in FILE between runs")
    parser.add_argument("--pads", type=int, default=16)
    parser.add_argument("--min-confidence", type=float, nargs="+", default=[MIN_CONFIDENCE])
    parser.add_argument("--detail", action="store_true", help="what the wrong pads were")
    parser.add_argument("--corrections", action="store_true",
                        help="then again with every second kit's crash/ride and closed/pedal "
                             "hat names given as corrections")
    args = parser.parse_args()
    if not args.kits.is_dir():
        print(f"no kits at {args.kits} (install hydrogen-drumkits)", file=sys.stderr)
        return 1
    labels = kit_labels(args.kits)
    finer = finer_labels(args.kits)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "kits.db"
        with Library(db) as library:
            library.scan([args.kits], jobs=None)
            catalogue = library.catalogue()
            print(f"{catalogue.size} sounds, {len(labels)} labelled; model "
                  f"{catalogue.descriptor.key}")
            library.store.db.execute("BEGIN IMMEDIATE")  # a kept --db: no earlier corrections
            library.store.db.execute("DELETE FROM labels")
            library.store.db.execute("COMMIT")
            library.live.reload()
            catalogue = library.catalogue()
            for threshold in args.min_confidence:
                for other_folders in (True, False):
                    result = evaluate(catalogue, labels, pads=args.pads,
                                      other_folders=other_folders, min_confidence=threshold,
                                      finer=finer)
                    where = "from the other kits" if other_folders else "own kit first"
                    report(f"{args.pads}-pad kits {where}, min confidence {threshold}",
                           result, args.detail)
                    report_finer(result)
            if args.corrections:
                count = correct_every_second_kit(library, args.kits, finer)
                catalogue = library.catalogue()
                print(f"\nwith {count} corrections (every second kit's named crashes, rides, "
                      "closed and pedal hats):")
                for other_folders in (True, False):
                    result = evaluate(catalogue, labels, pads=args.pads,
                                      other_folders=other_folders,
                                      min_confidence=args.min_confidence[0], finer=finer)
                    where = "from the other kits" if other_folders else "own kit first"
                    report(f"{args.pads}-pad kits {where}", result, args.detail)
                    report_finer(result)
                library.store.db.execute("BEGIN IMMEDIATE")
                library.store.db.execute("DELETE FROM labels")
                library.store.db.execute("COMMIT")
    return 0


if __name__ == "__main__":
    sys.exit(main())
