"""The kit's roles: which pad asks for which instrument, on which General MIDI note.

Apart from :mod:`.build`, which chooses the sounds: the command line lists the roles in
its help, and every command builds that help, so this table must be cheap to import.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..sound.categories import CATEGORIES


@dataclass(frozen=True)
class Role:
    """A pad of the kit. ``wants`` is the instrument it asks for, which may be finer than the
    model's categories (crash, ride, pedal hat); ``fallback`` is the model's coarser category
    that holds it until the model has it (a crash is a cymbal)."""

    name: str
    note: int  # General MIDI percussion note, which Ableton's Drum Rack follows too
    wants: str
    fallback: str | None = None

    @property
    def category(self) -> str:
        """The model's category the role takes its sounds from: what it wants as soon as
        the model has that category, else the coarser one. Between sounds of a coarser
        category, the user's corrections (``soundalike label``) decide: a sound labelled
        ``ride`` goes on the ride pad, never on the crash pad."""
        if self.wants in CATEGORIES or self.fallback not in CATEGORIES:
            return self.wants
        return self.fallback


#: The roles in the order pads are given to them: ``--pads 8`` keeps the first eight.
#: Notes are the General MIDI percussion map (36 = C1 in Live, the Drum Rack's first pad).
LAYOUT: tuple[Role, ...] = (
    Role("kick", 36, "kick"),
    Role("snare", 38, "snare"),
    Role("closed hat", 42, "closed hat"),
    Role("crash", 49, "crash", "cymbal"),
    Role("open hat", 46, "open hat"),
    Role("clap", 39, "clap"),
    Role("rim", 37, "rim"),
    Role("low tom", 41, "tom"),
    Role("mid tom", 45, "tom"),
    Role("high tom", 48, "tom"),
    Role("ride", 51, "ride", "cymbal"),
    Role("pedal hat", 44, "pedal hat", "closed hat"),
    Role("shaker", 54, "shaker"),
    Role("cowbell", 56, "metal percussion"),
    Role("kick 2", 35, "kick"),
    Role("snare 2", 40, "snare"),
    Role("high conga", 63, "hand drum"),
    Role("low conga", 64, "hand drum"),
)
DEFAULT_PADS = 16
MAX_PADS = len(LAYOUT)
