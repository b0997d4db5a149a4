"""Recordings clients make of what is playing, and the hits cut from them.

A client at the DAW (Pd's ``[soundalike.listen~]``, the Live *Listener*) keeps the last seconds
of a track. To ask with the hit in them it writes them as a WAV where the server says
(:func:`recording_path`, in soundalike's cache folder, never in a sample folder) and asks for
the hit (:func:`cut_recording`): the engine's :func:`~soundalike.engine.sound.hits.strongest_hit`
cuts it into a WAV beside the recordings, whose path the client then asks ``similar``, ``kit``
or ``cluster`` about like any file. Each folder keeps its newest :data:`KEEP` files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import uuid
from pathlib import Path

import numpy as np
import soundfile

from soundalike.engine.errors import AudioError
from soundalike.engine.sound.hits import Hit, strongest_hit

from .playable import cache_dir

#: Files kept in each of the recordings and hits folders (older ones are deleted).
KEEP = 32
#: A recording longer than this is refused (clients keep a few seconds).
MAX_RECORDING_SECONDS = 60.0


def recordings_dir() -> Path:
    return cache_dir() / "recordings"


def hits_dir() -> Path:
    return cache_dir() / "hits"


def recording_path() -> str:
    """A new path where a client may write a recording (the folder exists)."""
    folder = recordings_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _tidy(folder)
    return str(folder / f"{uuid.uuid4().hex[:12]}.wav")


def cut_recording(path: str, max_seconds: float | None = None,
                  start_at: float = 0.0) -> tuple[str, Hit]:
    """The strongest hit of the recording at ``path``, written as a WAV in :func:`hits_dir`:
    its path and where it was in the recording. ``start_at`` (seconds): the recording is a
    ring whose oldest sample is there; it is read from there on, then from its start."""
    try:
        info = soundfile.info(path)
    except Exception as exc:  # noqa: BLE001 - libsndfile raises several kinds
        if not os.path.exists(path):
            raise AudioError(f"no such recording: {path}") from exc
        raise AudioError(f"cannot read the recording {path}: {exc}") from exc
    if info.duration > MAX_RECORDING_SECONDS:
        raise AudioError(f"the recording {path} is {info.duration:.0f} s long; send at most "
                         f"{MAX_RECORDING_SECONDS:.0f} s (the last seconds of the track)")
    data, sr = soundfile.read(path, dtype="float32", always_2d=True)
    if start_at:
        if not 0 <= start_at <= info.duration:
            raise AudioError(f"start_at must be between 0 and the recording's length "
                             f"({info.duration:.2f} s), not {start_at:g}")
        data = np.roll(data, -int(round(start_at * sr)), axis=0)
    hit = (strongest_hit(y=data, sr=sr) if max_seconds is None
           else strongest_hit(y=data, sr=sr, max_seconds=max_seconds))
    st = os.stat(path)
    key = hashlib.blake2b(f"{path}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8",
                          "surrogateescape"), digest_size=6).hexdigest()
    folder = hits_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"hit-{key}.wav"
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as tmp:
        soundfile.write(tmp.name, data[hit.start: hit.stop], sr, format="WAV", subtype="FLOAT")
    os.replace(tmp.name, target)  # atomic: a reader never sees half a file
    _tidy(folder)
    return str(target), hit


def _tidy(folder: Path) -> None:
    """Delete all but the newest :data:`KEEP` files of one of our cache folders."""
    try:
        files = sorted((f for f in folder.iterdir() if f.is_file()),
                       key=lambda f: f.stat().st_mtime_ns, reverse=True)
    except OSError:
        return
    for old in files[KEEP:]:
        with contextlib.suppress(OSError):  # another server tidying at once
            old.unlink()
