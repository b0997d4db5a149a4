"""The names a person may give a sound's instrument: the model's categories, finer ones, aliases.

A user's correction (``soundalike label FILE --category C``) may name any category of
:data:`.categories.ALL_CATEGORIES`, or a finer instrument than the model knows (``crash``,
``ride``, ``pedal hat``...): until the model has that category, the finer name counts as its
coarser one (a crash is a cymbal) everywhere but in a kit, where it picks the sound's pad.
When the model gains a name it is used as it is; an alias the categories module declares for
one category (``ALIASES``) is followed.
"""

from __future__ import annotations

from . import categories

#: Finer instruments and the coarser name that holds them while the model lacks them.
FINER: dict[str, str] = {
    "crash": "cymbal",
    "ride": "cymbal",
    "other cymbal": "cymbal",
    "china": "cymbal",
    "splash": "cymbal",
    "pedal hat": "closed hat",
}


def _aliases() -> dict[str, str]:
    """The categories module's aliases that name one category (``pedal hat`` -> ``closed
    hat``): a name for several at once (``hats``, ``drums``) filters, but labels no sound."""
    single = {}
    for name, meaning in (getattr(categories, "ALIASES", None) or {}).items():
        if isinstance(meaning, str):
            single[str(name).lower()] = meaning
        elif len(meaning) == 1:
            single[str(name).lower()] = str(meaning[0])
    return single


def label_names() -> tuple[str, ...]:
    """Every name a correction may use: the model's categories, then finer names and aliases."""
    names = list(categories.ALL_CATEGORIES)
    names += [n for n in FINER if n not in names]
    names += [n for n in _aliases() if n not in names]
    return tuple(names)


def query_names() -> tuple[str, ...]:
    """Every name ``--category`` understands: what a correction may use, and the names of
    several categories at once (``cymbal`` for crash, ride and other cymbals; ``hats``,
    ``drums``, ``non-drum``)."""
    return tuple(dict.fromkeys((*label_names(), *categories.NAMES)))


def finer_than_model(name: str) -> bool:
    """Whether ``name`` is an instrument finer than the model's categories (``crash`` to
    ``soundalike-3``, ``pedal hat`` to any model): only the sounds a person gave that name
    are of it."""
    if name not in FINER or name in categories.ALL_CATEGORIES:
        return False
    meaning = categories.ALIASES.get(name, (name,))
    return not any(c in categories.ALL_CATEGORIES for c in meaning)


def canonical(name: str) -> str | None:
    """The stored form of a name a person typed (``Closed Hat`` -> ``closed hat``), or None."""
    wanted = " ".join(str(name).replace("_", " ").replace("-", " ").lower().split())
    for known in label_names():
        if known.lower() == wanted:
            return known
    return None


def coarse(name: str) -> str | None:
    """The category of :data:`.categories.ALL_CATEGORIES` a label counts as (None: no longer
    any): itself, else its alias, else the coarser name it belongs to."""
    seen = set()
    while name not in categories.ALL_CATEGORIES:
        if name in seen:
            return None
        seen.add(name)
        aliases = _aliases()
        if name.lower() in aliases:
            name = aliases[name.lower()]
        elif name in FINER:
            name = FINER[name]
        else:
            return None
    return name
