"""Short human labels for clusters: what they sound like, and what their files are called.

"short bright noisy · snare, rim": the words before the dot come from the
cluster's average descriptor compared with the whole library (so "bright"
means brighter than most of *your* sounds); the words after it are the most
frequent words in the members' file names.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from .descriptors import SOUNDALIKE_BLOCKS

#: z-score (relative to the library) beyond which a trait is worth naming.
TRAIT_THRESHOLD = 0.5
#: A file-name word names the cluster when at least this share of members have it.
WORD_SHARE = 0.4
STOP_WORDS = frozenset(
    [
        "wav",
        "wave",
        "aif",
        "aiff",
        "aifc",
        "flac",
        "ogg",
        "opus",
        "mp3",
        "caf",
        "bwf",
        "sample",
        "samples",
        "one",
        "shot",
        "oneshot",
        "oneshots",
        "hit",
        "hits",
        "loop",
        "loops",
        "the",
        "and",
        "mix",
        "mixed",
        "kit",
        "drum",
        "drums",
        "sound",
        "sounds",
        "sfx",
        "wet",
        "dry",
        "left",
        "right",
        "stereo",
        "mono",
        "processed",
        "copy",
        "final",
        "new",
        "old",
        "edit",
        "version",
        "take",
        "vel",
        "velocity",
        "hard",
        "soft",
        "med",
        "medium",
        "hardest",
        "softest",
        "layer",
    ]
)

_TRAITS = [
    # (vector indices averaged, word when high, word when low)
    ([SOUNDALIKE_BLOCKS["envelope"].start + 5], "long", "short"),
    (
        list(range(SOUNDALIKE_BLOCKS["centroid"].start, SOUNDALIKE_BLOCKS["centroid"].stop)),
        "bright",
        "dark",
    ),
    ([SOUNDALIKE_BLOCKS["low"].start + 4], "boomy", None),
    (
        list(range(SOUNDALIKE_BLOCKS["flatness"].start, SOUNDALIKE_BLOCKS["flatness"].stop)),
        "noisy",
        "tonal",
    ),
]


def sound_words(mean_z: np.ndarray) -> list[str]:
    """Traits of a cluster from its mean standardised soundalike descriptor."""
    words = []
    for indices, high, low in _TRAITS:
        value = float(np.mean(mean_z[indices]))
        if value > TRAIT_THRESHOLD and high:
            words.append(high)
        elif value < -TRAIT_THRESHOLD and low:
            words.append(low)
    return words


def name_words(names: list[str], most: int = 2) -> list[str]:
    """The words most members' file names share (numbers and filler words ignored)."""
    counts: Counter[str] = Counter()
    for name in names:
        stem = re.sub(r"([a-z])([A-Z])", r"\1 \2", name.rsplit(".", 1)[0]).lower()  # CamelCase
        tokens = {t for t in re.split(r"[^a-z\u00c0-\u024f]+", stem) if len(t) >= 3}
        counts.update(tokens - STOP_WORDS)
    needed = max(2, int(np.ceil(WORD_SHARE * len(names))))
    return [word for word, n in counts.most_common(most) if n >= needed]


def cluster_label(mean_z: np.ndarray | None, names: list[str]) -> str:
    traits = sound_words(mean_z) if mean_z is not None else []
    words = name_words(names)
    text = " ".join(traits) or "mixed"
    return f"{text} · {', '.join(words)}" if words else text
