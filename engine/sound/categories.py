"""The instrument categories every sound is given, and their order in the model's output.

A category comes from the sound (the learned embedding, see :mod:`.embedding`), never from
the file name: a file named "kick" that sounds like a snare is a snare.

The categories are the model's own (stored with its weights): ``soundalike-3`` knows eleven
drum categories (:data:`COARSE_CATEGORIES`), ``soundalike-4`` the finer ones
(:data:`FINE_CATEGORIES`: crash and ride apart, and what a sound is when it is not a drum).
Names of either set are understood whichever model is in use (:func:`members`): ``cymbal``
means crash, ride and other cymbals to a fine model, ``crash`` means ``cymbal`` to a coarse
one.
"""

from __future__ import annotations

import numpy as np

from .model_file import model_path

#: The categories of ``soundalike-3``.
COARSE_CATEGORIES: tuple[str, ...] = (
    "kick",
    "snare",
    "clap",
    "rim",
    "closed hat",
    "open hat",
    "cymbal",
    "tom",
    "shaker",
    "hand drum",
    "metal percussion",
)
#: A sound no category fits confidently, or far from everything the model knows.
OTHER = "other"

#: The finer categories training labels its sounds with (``training/labels.py``): drum roles
#: as kits need them (crash and ride apart), then what a sound is when it is not a drum.
FINE_CATEGORIES: tuple[str, ...] = (
    "kick",
    "snare",
    "rim",
    "clap",
    "closed hat",
    "open hat",
    "crash",
    "ride",
    "other cymbal",
    "tom",
    "shaker",
    "hand drum",
    "metal percussion",
    "loop",
    "vocal",
    "fx",
    "tonal",
)
#: The drum roles among them (the rest are what a drum is not).
DRUM_CATEGORIES: tuple[str, ...] = FINE_CATEGORIES[:13]
#: Fine category -> the coarse category of ``soundalike-3`` (non-drum families -> ``other``).
COARSE: dict[str, str] = {
    **{c: c for c in COARSE_CATEGORIES},
    "crash": "cymbal",
    "ride": "cymbal",
    "other cymbal": "cymbal",
    "loop": OTHER,
    "vocal": OTHER,
    "fx": OTHER,
    "tonal": OTHER,
    OTHER: OTHER,
}
#: Names people use for several categories at once (or for one under another name).
ALIASES: dict[str, tuple[str, ...]] = {
    "cymbal": ("crash", "ride", "other cymbal", "cymbal"),
    "cymbals": ("crash", "ride", "other cymbal", "cymbal"),
    "hat": ("closed hat", "open hat"),
    "hats": ("closed hat", "open hat"),
    "hihat": ("closed hat", "open hat"),
    "china": ("other cymbal",),
    "splash": ("other cymbal",),
    "percussion": ("shaker", "hand drum", "metal percussion"),
    "drum": DRUM_CATEGORIES,
    "drums": DRUM_CATEGORIES,
    "non-drum": ("loop", "vocal", "fx", "tonal"),
}


def _model_categories() -> tuple[str, ...]:
    """The categories of the model in use, in the order of its class scores."""
    try:
        with np.load(model_path()) as arrays:
            return tuple(str(x) for x in arrays["labels"])
    except (OSError, KeyError, ValueError):  # no model: the engine says so when it needs one
        return COARSE_CATEGORIES


#: In the order of the model's class scores. Shared by the engine, the bridge and training.
CATEGORIES: tuple[str, ...] = _model_categories()
ALL_CATEGORIES: tuple[str, ...] = (*CATEGORIES, OTHER)
#: Every name ``--category`` understands: the model's categories, the other set's, aliases.
NAMES: tuple[str, ...] = tuple(dict.fromkeys(
    (*ALL_CATEGORIES, *FINE_CATEGORIES, *COARSE_CATEGORIES, *ALIASES)))


def members(name: str, categories: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The model's categories (``categories``: another model's) a name stands for, empty
    when it means nothing there."""
    known = ALL_CATEGORIES if categories is None else (*categories, OTHER)
    name = name.strip().lower()
    if name in known:
        return (name,)
    found = []
    for c in ALIASES.get(name, (name,)):
        if c in known:
            found.append(c)
        elif c in FINE_CATEGORIES and COARSE[c] in known:  # crash -> cymbal, loop -> other
            found.append(COARSE[c])
    if OTHER in found and name != OTHER and len(set(found)) > 1:
        found = [c for c in found if c != OTHER]  # non-drum under a coarse model: other
    return tuple(dict.fromkeys(found))


def resolve(name: str, categories: tuple[str, ...] | None = None) -> str:
    """The one model category that plays a role named with a fine category (kits)."""
    found = members(name, categories)
    if len(found) != 1:
        raise ValueError(f"{name!r} is not one category of this model")
    return found[0]
