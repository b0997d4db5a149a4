"""Gather the labelled training one-shots into one table: path, category, kit, source.

    python training/build_set.py OUT.csv --gm GM_DIR --labelled ACOUSTIC_DIR --tidal TIDAL_REPO \
        --hydrogen-kit TR808EmulationKit_DIR --exclude ../shared/training/exclude.txt \
        --evaluation EVAL_DIR ...

``GM_DIR`` is what ``render_gm.py`` wrote; ``TIDAL_REPO`` a checkout of
geikha/tidal-drum-machines (its ``machines/`` folder); the Hydrogen kit comes from Debian's
hydrogen-data package unpacked with ``dpkg-deb -x`` (never its GMRockKit: the same
recordings as an evaluation kit). Files listed in the exclude file (paths relative to the
tidal repository) are left out: they are the same recordings as sounds we evaluate on.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labels import hydrogen_category, tidal_category, write_set  # noqa: E402

from soundalike.engine.sound.decode import is_audio_name  # noqa: E402

FORBIDDEN_KITS = ("GMRockKit",)


def labelled_rows(folder: Path, source: str) -> list[tuple[str, str, str, str]]:
    """The sounds a rendering script wrote with its ``labels.csv`` (``render_gm.py``,
    ``acoustic.py``, ``loops.py``...)."""
    with open(folder / "labels.csv", newline="") as handle:
        return [
            (str((folder / row["path"]).resolve()), row["category"], row["kit"], source)
            for row in csv.DictReader(handle)
        ]


def gm_rows(folder: Path) -> list[tuple[str, str, str, str]]:
    return labelled_rows(folder, "gm")


def tidal_rows(repo: Path, excluded: set[str]) -> tuple[list, int]:
    rows, skipped = [], 0
    for path in sorted((repo / "machines").rglob("*")):
        if not is_audio_name(path.name) or not path.is_file():
            continue
        relative = path.relative_to(repo).as_posix()
        if relative in excluded:
            skipped += 1
            continue
        machine, folder = path.relative_to(repo / "machines").parts[:2]
        rows.append((str(path.resolve()), tidal_category(folder, path.stem), f"tidal:{machine}",
                     "tidal"))
    return rows, skipped


def hydrogen_rows(kit: Path) -> list:
    if kit.name in FORBIDDEN_KITS:
        raise SystemExit(f"{kit.name} holds the same recordings as an evaluation kit: not allowed")
    return [
        (str(p.resolve()), hydrogen_category(p.stem.replace("_", " ")), f"hydrogen:{kit.name}",
         "hydrogen-data")
        for p in sorted(kit.iterdir())
        if is_audio_name(p.name)
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--gm", type=Path, action="append", default=[])
    parser.add_argument("--labelled", type=Path, action="append", default=[],
                        help="a folder with a labels.csv (acoustic.py, loops.py, noises.py...)")
    parser.add_argument("--tidal", type=Path)
    parser.add_argument("--hydrogen-kit", type=Path, action="append", default=[])
    parser.add_argument("--exclude", type=Path, required=True)
    parser.add_argument("--evaluation", type=Path, action="append", default=[],
                        help="a folder of an evaluation corpus: no training file may lie in it")
    args = parser.parse_args(argv)
    excluded = {line.strip() for line in args.exclude.read_text().splitlines() if line.strip()}
    rows = []
    for folder in args.gm:
        rows += gm_rows(folder)
    for folder in args.labelled:
        rows += labelled_rows(folder, folder.name)
    if args.tidal:
        tidal, skipped = tidal_rows(args.tidal, excluded)
        print(f"tidal-drum-machines: {len(tidal)} files, {skipped} excluded (exclude.txt)")
        rows += tidal
    for kit in args.hydrogen_kit:
        rows += hydrogen_rows(kit)
    forbidden = [str(f.resolve()).rstrip("/") + "/" for f in args.evaluation]
    bad = [r[0] for r in rows if any(r[0].startswith(f) for f in forbidden)]
    if bad:
        raise SystemExit(f"{len(bad)} files come from an evaluation corpus, e.g. {bad[0]}")
    write_set(args.out, ["path", "category", "kit", "source"], rows)


if __name__ == "__main__":
    main()
