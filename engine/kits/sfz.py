"""A kit as an SFZ instrument: one region per pad, ``key=`` its note, ``sample=`` its file.

SFZ is the plain-text instrument format most software samplers read (sfizz, Sforzando,
Bitwig's and Reaper's samplers, TAL-Sampler...). Paths are relative to the ``.sfz`` file and
written with ``/``, as the format asks, and ``sample=`` ends its line (a value with spaces
runs to the end of the line); one-shots play to their end (``loop_mode=one_shot``)
whatever the note length, and the hats share a choke group (``group=1 off_by=1``), so a
closed hat cuts an open one.
"""

from __future__ import annotations

from pathlib import Path

from .instrument_files import KitSample

HATS = ("closed hat", "open hat", "pedal hat")


def write(folder: Path, name: str, samples: list[KitSample]) -> Path:
    """Write ``folder/<name>.sfz`` for ``samples`` (already in ``folder/samples``)."""
    lines = [f"// {name}: made by soundalike kit, one region per General MIDI note", "",
             "<global>", "loop_mode=one_shot", "amp_veltrack=100", ""]
    for sample in sorted(samples, key=lambda s: s.note):
        lines.append(f"// {sample.role} ({sample.category})")
        choke = " group=1 off_by=1" if sample.role in HATS else ""
        # sample= last: its value (which may hold spaces) runs to the end of the line
        lines.append(f"<region> key={sample.note}{choke} sample={sample.file}")
    path = folder / f"{name}.sfz"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
