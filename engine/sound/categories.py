"""The instrument categories every sound is given, and their order in the model's output.

A category comes from the sound (the learned embedding, see :mod:`.embedding`), never from
the file name: a file named "kick" that sounds like a snare is a snare.
"""

from __future__ import annotations

#: In the order of the model's class scores. Shared by the engine, the bridge and training.
CATEGORIES: tuple[str, ...] = (
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
#: A sound no category fits confidently (effects, vocals, loops, unusual percussion).
OTHER = "other"
ALL_CATEGORIES: tuple[str, ...] = (*CATEGORIES, OTHER)
