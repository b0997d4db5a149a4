"""Kits as instrument files: a kit written for the sampler a producer uses.

``soundalike kit ... --save FORMAT FOLDER`` writes the kit's pads as

- ``hydrogen``: a Hydrogen drumkit (``drumkit.xml`` and the samples beside it), the format
  Hydrogen 1.2 validates with its ``drumkit.xsd`` (see :mod:`.hydrogen`);
- ``drumgizmo``: a DrumGizmo kit (kit XML, one XML per instrument, a MIDI map), see
  :mod:`.drumgizmo`;
- ``sfz``: an SFZ instrument, one region per note with ``key=`` and a relative ``sample=``,
  which most software samplers read (see :mod:`.sfz`).

The samples are *copied* into the folder (never moved, never linked: the kit must keep
working when the library changes, and the library is never written to), and converted to
WAV where the format needs it. The folder must be new or empty; the caller refuses folders
inside the library (``Library.save_kit``).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from ..errors import EngineError
from ..index.store import IndexStore
from ..output import refuse_inside
from ..paths import display_path
from ..reports import KitResult, SavedKit

#: Containers each format's players read as they are; anything else is converted to WAV.
READS = {
    "hydrogen": {"WAV", "AIFF", "FLAC"},
    "drumgizmo": {"WAV"},
    "sfz": {"WAV", "AIFF", "FLAC", "OGG"},
}
#: Subtypes kept as they are in a WAV (others, such as ADPCM, are written as 24-bit PCM).
PLAIN_SUBTYPES = {"PCM_16", "PCM_24", "PCM_32", "FLOAT"}


@dataclass(frozen=True)
class KitSample:
    """One pad's sound as written: its role and note, the file beside the kit, its format."""

    note: int
    role: str
    category: str
    source: str  # the library file it was copied from
    file: str  # relative to the kit folder, with "/" separators
    rate: int
    channels: int
    frames: int


def save_kit(kit: KitResult, fmt: str, folder: str | os.PathLike,
             store: IndexStore | None = None) -> SavedKit:
    """Write ``kit`` as ``fmt`` into ``folder`` (new or empty; with ``store``, never inside its
    library's folders, by real path, nor its index file). Returns what was written."""
    if store is not None:
        refuse_inside(folder, [root.path for root in store.roots()], what="the kit",
                      index=store.path)
    writers = _writers()
    if fmt not in writers:
        raise EngineError(f"unknown kit format {fmt!r} (formats: {', '.join(writers)})")
    pads = [pad for pad in kit.pads if pad.path is not None]
    if not pads:
        raise EngineError("the kit has no sound to save")
    target = Path(os.fsdecode(os.path.abspath(folder)))
    _prepare(target)
    name = _safe(target.name) or "soundalike kit"
    layout, write = writers[fmt]
    samples = []
    converted = 0
    for pad in pads:
        sample, was_converted = _copy(pad, target, layout, fmt)
        samples.append(sample)
        converted += was_converted
    kit_file = write(target, name, samples)
    return SavedKit(format=fmt, folder=str(target), file=str(kit_file),
                    samples=[s.file for s in samples], converted=converted)


def _writers() -> dict[str, tuple[str, Callable]]:
    """``{format: (samples subfolder, writer(folder, name, samples) -> kit file)}``."""
    from . import drumgizmo, hydrogen, sfz

    return {"hydrogen": ("", hydrogen.write), "drumgizmo": ("samples", drumgizmo.write),
            "sfz": ("samples", sfz.write)}


def _prepare(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise EngineError(f"{target} is a file; the kit goes into a new or empty folder")
    if target.exists() and any(target.iterdir()):
        raise EngineError(f"{target} is not empty; choose an empty or new folder")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EngineError(f"cannot create {target}: {exc.strerror}") from exc


def _safe(text: str, limit: int = 80) -> str:
    """A file name made of ``text``: no separators, control or shell-special characters."""
    return re.sub(r"[\x00-\x1f/\\:*?\"<>|]+", " ", text).strip(" .")[:limit]


def _copy(pad, target: Path, subfolder: str, fmt: str) -> tuple[KitSample, bool]:
    source = pad.path
    try:
        info = soundfile.info(source)
    except Exception as exc:  # noqa: BLE001 - libsndfile raises several kinds
        raise EngineError(f"cannot read {display_path(os.fsencode(source))}: {exc}") from exc
    stem = _safe(f"{pad.note} {pad.role} - {Path(source).stem}") or f"{pad.note}"
    keep = info.format in READS[fmt] and (info.format != "WAV" or info.subtype in PLAIN_SUBTYPES)
    extension = Path(source).suffix.lower() if keep else ".wav"
    relative = f"{subfolder}/{stem}{extension}" if subfolder else f"{stem}{extension}"
    destination = target / relative
    destination.parent.mkdir(parents=True, exist_ok=True)
    if keep:
        shutil.copyfile(source, destination)  # a copy: the library's file is only read
    else:
        data, rate = soundfile.read(source, dtype="float32", always_2d=True)
        soundfile.write(destination, data, rate, format="WAV", subtype="PCM_24")
    return KitSample(note=pad.note, role=pad.role, category=pad.category, source=source,
                     file=relative, rate=int(info.samplerate), channels=int(info.channels),
                     frames=int(info.frames)), not keep


def resample_file(path: Path, rate: int) -> None:
    """Rewrite a WAV at ``rate`` (for formats whose kits have one sample rate)."""
    from math import gcd

    import scipy.signal

    data, old = soundfile.read(path, dtype="float32", always_2d=True)
    if old == rate:
        return
    g = gcd(int(rate), int(old))
    data = scipy.signal.resample_poly(data, rate // g, old // g, axis=0).astype(np.float32)
    soundfile.write(path, np.clip(data, -1.0, 1.0), rate, format="WAV", subtype="PCM_24")


def xml_text(text: str) -> str:
    """Text for an XML element or attribute value."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
