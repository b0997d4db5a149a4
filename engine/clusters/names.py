"""Short human labels for clusters: what they are, what they sound like, what they are called.

"snares 80% short bright · rim": first the instruments (the dominant category of the
members and its share: "kicks" when nearly all are, "kicks and toms", "snares 70%", or
"mixed percussion"), then the traits that set the cluster apart from the other sounds of
its instrument (so "bright" kicks are brighter than most of *your* kicks), then the words
the members' file names share across at least two packs (one pack's naming habit, such as
"beats_01-12", names nothing).
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain

import numpy as np

from ..sound.analysis import SOUNDALIKE_BLOCKS
from ..sound.categories import OTHER

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
    (np.array([SOUNDALIKE_BLOCKS["envelope"].start + 5]), "long", "short"),
    (
        np.arange(SOUNDALIKE_BLOCKS["centroid"].start, SOUNDALIKE_BLOCKS["centroid"].stop),
        "bright",
        "dark",
    ),
    (np.array([SOUNDALIKE_BLOCKS["low"].start + 4]), "boomy", None),
    (
        np.arange(SOUNDALIKE_BLOCKS["flatness"].start, SOUNDALIKE_BLOCKS["flatness"].stop),
        "noisy",
        "tonal",
    ),
]


def sound_words(mean_z: np.ndarray) -> list[str]:
    """Traits of a cluster from its mean standardised soundalike descriptor."""
    words = []
    for indices, high, low in _TRAITS:
        # np.mean's own sum and division, without its checks: a first scan of 100,000
        # sounds names 6,000 clusters
        value = float(np.add.reduce(mean_z[indices]) / len(indices))
        if value > TRAIT_THRESHOLD and high:
            words.append(high)
        elif value < -TRAIT_THRESHOLD and low:
            words.append(low)
    return words


#: A lower-case letter followed by a capital: "KickDeep" reads "kick deep".
_CAMEL_CASE = re.compile(r"([a-z])([A-Z])")
#: A word of a file name: three letters or more (accented ones too), numbers ignored.
_WORD = re.compile(r"[a-z\u00c0-\u024f]{3,}")


def name_words(names: list[str], most: int = 2, packs: list | None = None) -> list[str]:
    """The words most members' file names share (numbers and filler words ignored); with
    ``packs`` (each member's pack), only words found in at least two packs."""
    found = []  # each name's words
    for name in names:
        stem = name.rsplit(".", 1)[0]
        lower = stem.lower()
        if lower != stem:  # a capital, maybe after a lower-case letter
            lower = _CAMEL_CASE.sub(r"\1 \2", stem).lower()
        tokens = set(_WORD.findall(lower))
        tokens -= STOP_WORDS
        found.append(tokens)
    counts = Counter(chain.from_iterable(found))  # as updated name by name, in one call
    needed = max(2, int(np.ceil(WORD_SHARE * len(names))))
    ranked = []
    for word, n in counts.most_common():  # the most common first
        if n < needed or len(ranked) == most:
            break
        # the packs of only the few words common enough to name the cluster
        if packs is None or len({packs[i] for i, tokens in enumerate(found)
                                 if word in tokens}) >= 2:
            ranked.append(word)
    return ranked


#: How a category reads as a cluster of sounds.
PLURALS = {
    "kick": "kicks", "snare": "snares", "clap": "claps and snaps", "rim": "rims and sticks",
    "closed hat": "closed hats", "open hat": "open hats", "cymbal": "cymbals", "tom": "toms",
    "crash": "crashes", "ride": "rides", "other cymbal": "chinas and splashes",
    "shaker": "shakers", "hand drum": "hand drums", "metal percussion": "metal percussion",
    "loop": "loops", "vocal": "vocals", "fx": "effects", "tonal": "tonal sounds",
    "other": "other sounds",
}
#: A cluster is named for one category alone when at least this share of it is that category.
PURE_SHARE = 0.9
#: ... for two when they make up this share together, the second at least SECOND_SHARE.
PAIR_SHARE = 0.85
SECOND_SHARE = 0.25


def category_words(categories: list[str | None]) -> str | None:
    """"kicks", "kicks and toms", "snares 70%" or "mixed percussion"; None without categories."""
    known = [c for c in categories if c]
    if not known:
        return None
    ranked = Counter(known).most_common(2)
    top, n = ranked[0]
    share = n / len(categories)
    if share >= PURE_SHARE:
        return PLURALS.get(top, top)
    if len(ranked) > 1 and OTHER not in (top, ranked[1][0]):  # "toms and other" says little
        second, m = ranked[1]
        if share + m / len(categories) >= PAIR_SHARE and m / len(categories) >= SECOND_SHARE:
            return f"{PLURALS.get(top, top)} and {PLURALS.get(second, second)}"
    if share >= 0.5:
        return f"{PLURALS.get(top, top)} {round(100 * share)}%"
    return "mixed percussion"


def cluster_label(mean_z: np.ndarray | None, names: list[str],
                  categories: list[str | None] | None = None, packs: list | None = None) -> str:
    """``mean_z``: the members' mean hand-made descriptor (standardised), less the mean of
    the sounds they are compared with; ``categories`` and ``packs`` per member."""
    kind = category_words(categories) if categories is not None else None
    traits = sound_words(mean_z) if mean_z is not None else []
    words = name_words(names, packs=packs)
    text = " ".join(([kind] if kind else []) + traits) or "mixed"
    return f"{text} · {', '.join(words)}" if words else text
