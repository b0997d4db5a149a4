"""WAV copies for clients that read only uncompressed files (Pd's [soundfiler]).

Pd vanilla reads WAV, AIFF and CAF with PCM or float samples, nothing else.
When a client asks for it (the ``wav 1`` option), a result in another format
is decoded once into a WAV in soundalike's cache folder, never beside the
original, and the client receives that path, ``<cache>/<key>/<original name>.wav``
(a client showing file names shows the original's). The key is the original's
path, size and modification time, so an edited original gets a fresh copy.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import soundfile

from soundalike.engine.errors import AudioError
from soundalike.engine.sound.decode import open_sound

#: What Pd's [soundfiler] reads: container (by libsndfile's name) and sample encodings.
READABLE = {"WAV", "WAVEX", "AIFF"}
READABLE_SUBTYPES = {"PCM_16", "PCM_24", "FLOAT"}


def cache_dir() -> Path:
    override = os.environ.get("SOUNDALIKE_CACHE")
    if override:
        return Path(override)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "soundalike" / "wav"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "soundalike" / "wav"


def playable_path(path: str) -> str:
    """``path`` itself when Pd can read it, else the path of a cached WAV copy."""
    try:
        with open_sound(path) as sound:  # a descriptor, not a path: deep folders too
            container, subtype = sound.format, sound.subtype
    except Exception as exc:  # noqa: BLE001 - libsndfile raises several kinds
        raise AudioError(f"cannot read {path}: {exc}") from exc
    if container in READABLE and subtype in READABLE_SUBTYPES:
        return path
    st = os.stat(path)
    key = hashlib.blake2b(f"{path}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8",
                          "surrogateescape"), digest_size=8).hexdigest()
    # one folder per original, holding a copy named after it: clients that show the file
    # name (Pd's slot labels) show the original's name, not a hash
    target = cache_dir() / key / f"{Path(path).name[:200]}.wav"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with open_sound(path) as sound:
            rate = sound.samplerate
            data = sound.read(dtype="float32", always_2d=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as tmp:
            soundfile.write(tmp.name, data, rate, format="WAV", subtype="FLOAT")
        os.replace(tmp.name, target)  # atomic: a reader never sees half a file
    return str(target)
