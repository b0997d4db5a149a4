"""Instrument categories of Debian's hydrogen-drumkits, read from each kit's drumkit.xml.

Each instrument's name is mapped to one of the engine's categories (kick, snare,
clap, rim, closed hat, open hat, cymbal, tom, shaker, hand drum, metal
percussion); the files of its layers get that
category. Anything else (effects, whistles, unnamed) stays unlabelled and sits
in the search pool as a distractor.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

HYDROGEN_KITS = Path("/usr/share/hydrogen/data/drumkits")

#: First matching rule wins; patterns are matched against the lower-cased instrument name.
RULES: list[tuple[str, str]] = [
    ("shaker", r"shak|maraca|tambourine|cabasa"),
    ("open hat", r"open|\bop\b|ohh|hh ?o\b"),
    ("closed hat", r"closed|pedal|\bcl\b|\bpd\b|chh|hh ?c\b|hi-?hat|\bhh\b|\bhat\b"),
    ("clap", r"clap"),
    ("rim", r"rim|stick"),
    ("kick", r"kick|bass ?drum|\bbd\b|bassdrum"),
    ("snare", r"snare|\bsd\b"),
    ("cymbal", r"crash|ride|splash|china|cymbal"),
    ("tom", r"\btom"),
    ("hand drum", r"conga|bongo|djemb|tabla|cajon|hand drum|doumbek|darbuk|udu"),
    ("metal percussion", r"cowbell|bell|triangle|agogo|anvil|gong"),
]


def category(instrument: str) -> str | None:
    name = instrument.lower()
    for label, pattern in RULES:
        if re.search(pattern, name):
            return label
    return None


def kit_labels(root: Path = HYDROGEN_KITS, *, names: bool = False) -> dict[Path, tuple]:
    """``{sample path: (kit name, category)}`` for every labelled layer of every kit (with
    ``names``, ``(kit name, category, instrument name)``)."""
    labels: dict[Path, tuple] = {}
    for xml in sorted(root.glob("*/drumkit.xml")):
        kit = xml.parent
        tree = ET.parse(xml)
        for instrument in tree.iter():
            if instrument.tag.split("}")[-1] != "instrument":
                continue
            name = next((c.text or "" for c in instrument if c.tag.split("}")[-1] == "name"), "")
            label = category(name)
            if label is None:
                continue
            for element in instrument.iter():
                if element.tag.split("}")[-1] == "filename" and element.text:
                    labels[(kit / element.text).resolve()] = (
                        (kit.name, label, name) if names else (kit.name, label))
    return labels


#: Finer cymbal roles, where an instrument's name says which (bench_quality's crash vs ride;
#: a "crash ride" is a ride, as players use it).
CYMBAL_RULES: list[tuple[str, str]] = [
    ("ride", r"ride"),
    ("other cymbal", r"china|splash"),
    ("crash", r"crash"),
]


def cymbal_role(instrument: str) -> str | None:
    """crash, ride or other cymbal when the instrument's name says so, else None."""
    name = instrument.lower()
    return next((label for label, pattern in CYMBAL_RULES if re.search(pattern, name)), None)


#: Finer names where an instrument's name (or its sample's file name) says which: the crash
#: and ride pads, the closed and pedal hat pads. First matching rule wins.
FINER_RULES: list[tuple[str, str]] = [
    ("crash", r"crash"),
    ("ride", r"ride"),
    ("pedal hat", r"pedal|\bpd\b|foot|\bphh\b|hh ?p\b"),
    ("closed hat", r"closed|\bcl\b|chh|hh ?c\b"),
]


def finer(text: str) -> str | None:
    name = text.lower()
    for label, pattern in FINER_RULES:
        if re.search(pattern, name):
            return label
    return None


def finer_labels(root: Path = HYDROGEN_KITS) -> dict[Path, str]:
    """``{sample path: crash|ride|pedal hat|closed hat}`` for the cymbals and closed hats
    whose instrument name, or else file name, says which."""
    coarse = {path: label for path, (_, label) in kit_labels(root).items()}
    labels: dict[Path, str] = {}
    for xml in sorted(root.glob("*/drumkit.xml")):
        kit = xml.parent
        for instrument in ET.parse(xml).iter():
            if instrument.tag.split("}")[-1] != "instrument":
                continue
            name = next((c.text or "" for c in instrument if c.tag.split("}")[-1] == "name"), "")
            for element in instrument.iter():
                if element.tag.split("}")[-1] != "filename" or not element.text:
                    continue
                path = (kit / element.text).resolve()
                label = finer(name) or finer(Path(element.text).stem)
                wanted = {"crash": "cymbal", "ride": "cymbal", "pedal hat": "closed hat",
                          "closed hat": "closed hat"}
                if label is not None and coarse.get(path) == wanted[label]:
                    labels[path] = label
    return labels
