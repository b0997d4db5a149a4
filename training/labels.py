"""Label rules: which instrument category a training sound belongs to, from where it came.

The categories are the engine's fine ones
(:data:`soundalike.engine.sound.categories.FINE_CATEGORIES`: crash and ride apart, china and
splash as ``other cymbal``); ``train.py --coarse`` maps them to ``soundalike-3``'s. Every rule
reads only facts that come with a source (a General MIDI note number, a drum machine's folder,
a Hydrogen kit's instrument name), never the evaluation corpora.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

#: General MIDI percussion map (channel 10) -> category. Notes not listed are ``other``.
GM_NOTES: dict[int, str] = {
    35: "kick", 36: "kick",
    37: "rim",
    38: "snare", 40: "snare",
    39: "clap",
    42: "closed hat", 44: "closed hat",
    46: "open hat",
    41: "tom", 43: "tom", 45: "tom", 47: "tom", 48: "tom", 50: "tom",
    49: "crash", 57: "crash", 51: "ride", 53: "ride", 59: "ride",
    52: "other cymbal", 55: "other cymbal",
    54: "shaker", 69: "shaker", 70: "shaker", 82: "shaker",
    60: "hand drum", 61: "hand drum", 62: "hand drum", 63: "hand drum", 64: "hand drum",
    56: "metal percussion", 67: "metal percussion", 68: "metal percussion",
    80: "metal percussion", 81: "metal percussion",
}  # fmt: skip

#: tidal-drum-machines folder suffix (``<machine>-<suffix>``) -> category.
TIDAL_FOLDERS: dict[str, str] = {
    "bd": "kick", "sd": "snare", "hh": "closed hat", "oh": "open hat", "cp": "clap",
    "rim": "rim", "cr": "crash", "rd": "ride", "lt": "tom", "mt": "tom", "ht": "tom",
    "sh": "shaker", "tb": "shaker", "cb": "metal percussion",
}  # fmt: skip

#: Words in a file name that say more than a ``perc``/``misc``/``fx`` folder does.
_NAME_WORDS: list[tuple[str, str]] = [
    (r"conga|bongo|tumba|quinto|djembe|tabla", "hand drum"),
    (r"agogo|triangle|bell|cowbell|gong", "metal percussion"),
    (r"shak|maraca|cabasa|tamb", "shaker"),
    (r"clap", "clap"),
    (r"rim|stick", "rim"),
]


#: General MIDI melodic programs rendered by default: all but the mallet family (8-15) and the
#: percussive and sound-effect programs (112-127), which cost drum accuracy (NOTES.md).
MELODIC_PROGRAMS = tuple(p for p in range(112) if not 8 <= p <= 15)
#: Choir and voice programs.
VOCAL_PROGRAMS = (52, 53, 54, 85)


def gm_program_category(program: int) -> str:
    """What a General MIDI melodic program is, among the non-drum categories."""
    if program in VOCAL_PROGRAMS:
        return "vocal"
    if program >= 120:
        return "fx"
    return "tonal"


def gm_category(note: int) -> str:
    return GM_NOTES.get(note, "other")


def tidal_category(folder: str, file_name: str) -> str:
    """Category of ``machines/<Machine>/<folder>/<file_name>`` in tidal-drum-machines."""
    suffix = folder.rsplit("-", 1)[-1].lower()
    if suffix in TIDAL_FOLDERS:
        return TIDAL_FOLDERS[suffix]
    return name_category(file_name)


def name_category(name: str) -> str:
    """Category from words of a drum machine's file name, ``other`` when none says enough."""
    return _first_match(name, _NAME_WORDS)


def _first_match(name: str, rules: list[tuple[str, str]]) -> str:
    lowered = name.lower()
    return next((category for pattern, category in rules if re.search(pattern, lowered)),
                "other")


#: Hydrogen instrument names (TR808EmulationKit) -> category, first match wins.
_HYDROGEN_WORDS: list[tuple[str, str]] = [
    (r"kick|bass ?drum|\bbd\b", "kick"),
    (r"snare|\bsd\b", "snare"),
    (r"clap", "clap"),
    (r"rim|stick", "rim"),
    (r"open", "open hat"),
    (r"hat|\bhh\b", "closed hat"),
    (r"ride", "ride"),
    (r"china|splash", "other cymbal"),
    (r"cymbal|crash", "crash"),
    (r"tom", "tom"),
    (r"conga|bongo", "hand drum"),
    (r"cowbell|bell|agogo|triangle", "metal percussion"),
    (r"maraca|shak|tamb|cabasa", "shaker"),
]


def hydrogen_category(instrument_name: str) -> str:
    """Category of a Hydrogen kit's sound from its instrument (or file) name."""
    return _first_match(instrument_name, _HYDROGEN_WORDS)


#: The columns of a ``--labelled`` folder's ``labels.csv`` (``build_set.py`` reads them).
LABELLED_COLUMNS = ["path", "category", "kit", "provenance"]


def write_set(path: Path, columns: list[str], rows: list[tuple]) -> None:
    """A training set table (path and category first) as CSV, and a count per category."""
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    counts = Counter(row[1] for row in rows)
    print(f"{len(rows)} sounds:", ", ".join(f"{c} {n}" for c, n in sorted(counts.items())))


def generated_set_main(argv: list[str] | None, doc: str, make, kinds: tuple[str, ...],
                       category: str, family: str, count: int, rate: int = 44100) -> None:
    """The command line of a synthetic source (``noises.py``, ``tones.py``): ``OUT_DIR
    [--count N] [--seed S]``; ``make(kind, rng)`` gives one sound of each kind in turn, written
    as ``OUT_DIR/<kind>-<n>.wav`` (16-bit) and labelled ``category``, kit ``family:kind``."""
    import argparse

    import numpy as np
    import soundfile as sf

    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in range(args.count):
        kind = kinds[n % len(kinds)]
        path = args.out / f"{kind}-{n:04d}.wav"
        sf.write(path, make(kind, rng), rate, subtype="PCM_16")
        rows.append((path.name, category, f"{family}:{kind}", "synthesised"))
    write_set(args.out / "labels.csv", LABELLED_COLUMNS, rows)
