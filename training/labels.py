"""Label rules: which instrument category a training sound belongs to, from where it came.

The categories are the engine's (:data:`soundalike.engine.categories.CATEGORIES`). Every rule
reads only facts that come with a source (a General MIDI note number, a drum machine's folder,
a Hydrogen kit's instrument name), never the evaluation corpora.
"""

from __future__ import annotations

import re

#: General MIDI percussion map (channel 10) -> category. Notes not listed are ``other``.
GM_NOTES: dict[int, str] = {
    35: "kick", 36: "kick",
    37: "rim",
    38: "snare", 40: "snare",
    39: "clap",
    42: "closed hat", 44: "closed hat",
    46: "open hat",
    41: "tom", 43: "tom", 45: "tom", 47: "tom", 48: "tom", 50: "tom",
    49: "cymbal", 52: "cymbal", 55: "cymbal", 57: "cymbal", 51: "cymbal", 53: "cymbal",
    59: "cymbal",
    54: "shaker", 69: "shaker", 70: "shaker", 82: "shaker",
    60: "hand drum", 61: "hand drum", 62: "hand drum", 63: "hand drum", 64: "hand drum",
    56: "metal percussion", 67: "metal percussion", 68: "metal percussion",
    80: "metal percussion", 81: "metal percussion",
}  # fmt: skip

#: tidal-drum-machines folder suffix (``<machine>-<suffix>``) -> category.
TIDAL_FOLDERS: dict[str, str] = {
    "bd": "kick", "sd": "snare", "hh": "closed hat", "oh": "open hat", "cp": "clap",
    "rim": "rim", "cr": "cymbal", "rd": "cymbal", "lt": "tom", "mt": "tom", "ht": "tom",
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
    (r"cymbal|crash|ride|china|splash", "cymbal"),
    (r"tom", "tom"),
    (r"conga|bongo", "hand drum"),
    (r"cowbell|bell|agogo|triangle", "metal percussion"),
    (r"maraca|shak|tamb|cabasa", "shaker"),
]


def hydrogen_category(instrument_name: str) -> str:
    """Category of a Hydrogen kit's sound from its instrument (or file) name."""
    return _first_match(instrument_name, _HYDROGEN_WORDS)
