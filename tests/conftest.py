"""Shared fixtures: libraries of real audio files generated with numpy and soundfile."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from soundalike.engine import Library
from tests.synth import drum, resample

#: Every container/encoding we promise to read: (label, extension, format, subtype, rate).
FORMATS = [
    ("wav16", ".wav", "WAV", "PCM_16", 44100),
    ("wav24", ".WAV", "WAV", "PCM_24", 48000),
    ("wavfloat", ".wav", "WAV", "FLOAT", 96000),
    ("wavex", ".wav", "WAVEX", "PCM_24", 44100),
    ("aiff", ".aiff", "AIFF", "PCM_16", 44100),
    ("aifc", ".aifc", "AIFF", "FLOAT", 48000),
    ("flac", ".flac", "FLAC", "PCM_24", 96000),
    ("ogg", ".ogg", "OGG", "VORBIS", 44100),
    ("opus", ".opus", "OGG", "OPUS", 48000),
    ("mp3", ".mp3", "MP3", "MPEG_LAYER_III", 44100),
]


def write_sound(
    path: Path, y: np.ndarray, sr: int, fmt: str = "WAV", subtype: str = "PCM_16", channels: int = 1
) -> Path:
    """Write ``y`` (mono) to ``path``; ``channels=2`` writes it to both channels."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = y if channels == 1 else np.stack([y] * channels, axis=1)
    sf.write(os.fsencode(path), data, sr, format=fmt, subtype=subtype)
    return path


def write_drum(path: Path, family: str, seed: int = 0, sr: int = 44100, **kwargs) -> Path:
    y = drum(family, sr=44100, seed=seed)
    if sr != 44100:
        y = resample(y, 44100, sr)
    return write_sound(path, y, sr, **kwargs)


def tree_snapshot(root: Path) -> dict[bytes, tuple[int, int, str]]:
    """Every file under ``root`` with size, mtime_ns and content hash (symlinks not followed)."""
    snapshot = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        for name in filenames + dirnames:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            digest = ""
            if os.path.isfile(full) and not os.path.islink(full):
                with open(full, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            snapshot[full] = (st.st_size, st.st_mtime_ns, digest)
    return snapshot


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "index" / "library.db"


@pytest.fixture
def library(db_path: Path):
    with Library(db_path) as lib:
        yield lib


@pytest.fixture
def small_kit(tmp_path: Path) -> Path:
    """Twelve ordinary one-shots in two packs."""
    root = tmp_path / "samples"
    for p, pack in enumerate(("Pack A", "Pack B")):  # fixed seeds: ``hash`` of a string
        for i, family in enumerate(("kick", "snare", "hat", "clap", "tom", "bell")):  # varies
            write_drum(root / pack / f"{family} {i}.wav", family, seed=100 * p + i)  # by process
    return root


def traced(library: Library) -> list[str]:
    """Every SQL statement the library's connection runs from now on (bound values in)."""
    seen: list[str] = []
    library.store.db.set_trace_callback(seen.append)
    return seen


def file_row_walks(library: Library, statements: list[str]) -> list[tuple[str, str]]:
    """``(statement, plan step)`` for every statement among ``statements`` that reads rows of
    the files table one by one (a scan of it, or an index search whose rows it then loads),
    other than by one row's id, path or fingerprint, or among the sounds of a descriptor switch
    (an index that is empty but during one). Those rows hold the vectors: 175 MB at
    100,000 sounds, read from disk when the page cache is cold."""
    library.store.db.set_trace_callback(None)
    walks = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            continue
        for *_, detail in library.store.db.execute("EXPLAIN QUERY PLAN " + sql):
            words = detail.split()
            if (words[0] in ("SCAN", "SEARCH") and len(words) > 1 and words[1] in ("f", "files")
                    and "COVERING INDEX" not in detail
                    and "INDEX files_switching" not in detail  # empty but during a switch
                    and not re.search(r"\((id|rowid|path|fingerprint)=\?\)", detail)):
                walks.append((sql, detail))
    return walks


@contextlib.contextmanager
def small_disk_at(mount: Path, size: str):
    """A real file system of ``size`` (tmpfs: ``1m``) at ``mount``, to fill up; the test is
    skipped where this machine cannot mount one (CI can, and fails on a skip)."""
    if not (shutil.which("mount") and shutil.which("umount")):
        pytest.skip("a full disk is simulated with a tmpfs mount: needs mount(8) (util-linux)")
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},nr_inodes=200",
                             "tmpfs", str(mount)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip("a full disk is simulated with a tmpfs mount, which needs root and a "
                    f"system that allows mounting: {result.stderr.strip() or result.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)
