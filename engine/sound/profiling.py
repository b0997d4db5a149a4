"""Profiling one file: decode, check, describe. Runs inside scan worker processes.

A :class:`Profile` always comes back, whatever the file holds: a failure is a
value with a reason, never an exception that would stop a scan.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from ..errors import AudioError
from .categories import CATEGORIES, OTHER
from .decode import DecodedAudio, decode, os_reason
from .descriptors import Descriptor, check_profilable, get_descriptor
from .fingerprint import fingerprint
from .hits import LOOP_CONFIDENCE, loops_among
from .loop_embedding import loop_embeddings

#: Files are decoded up to this length: a one-shot's character is in its first seconds (the
#: descriptor looks 2 s past the onset; cross-kit P@10 is the same with 2.5 s as with 4 s), and
#: a one-hour recording then costs no more to profile than a crash cymbal.
READ_SECONDS = 2.5
#: Longer than this is a loop, a phrase or an ambience rather than a hit: flagged ``is_long``.
LONG_SECONDS = 10.0

LOOP = "loop"

STATUS_OK = "ok"
STATUS_SILENT = "silent"
STATUS_FAILED = "failed"


@dataclass
class Profile:
    """What one file turned out to be. ``vector`` is set only when ``status == "ok"``."""

    path: bytes
    size: int
    mtime_ns: int
    status: str
    error: str | None = None
    fingerprint: str | None = None
    duration: float | None = None
    sample_rate: int | None = None
    channels: int | None = None
    format: str | None = None
    is_long: bool = False
    vector: np.ndarray | None = None
    category: str | None = None  # for descriptors with categories (see .categories)
    category_confidence: float | None = None
    #: A failure whose cause can pass (the file vanished or could not be read, a worker died
    #: on it): the next scan tries it again. False: the content is broken, tried again only
    #: once the file changes.
    retry: bool = False


def profile_file(path: bytes, size: int, mtime_ns: int, descriptor: Descriptor) -> Profile:
    """Profile ``path`` with ``descriptor``. Never raises for a bad file."""
    return profile_files([(path, size, mtime_ns)], descriptor)[0]


def profile_files(items: list[tuple[bytes, int, int]], descriptor: Descriptor) -> list[Profile]:
    """Profile ``(path, size, mtime_ns)`` items: each decoded and checked on its own, the
    profilable ones described together (see :func:`.analysis.soundalike_descriptors`)."""
    profiles, signals, waiting = [], [], []
    for path, size, mtime_ns in items:
        profile, audio = _open_and_check(path, size, mtime_ns)
        profiles.append(profile)
        if audio is not None:
            signals.append((audio.y, audio.sr))
            waiting.append(profile)
    if not signals:
        return profiles
    try:
        if descriptor.compute_many is not None:
            vectors = descriptor.compute_many(signals)
        else:
            vectors = [descriptor.compute(y=y, sr=sr) for y, sr in signals]
    except (ValueError, FloatingPointError, MemoryError):  # a bug, but never a lost scan:
        vectors = [_describe_alone(descriptor, y, sr, p) for (y, sr), p in zip(signals, waiting,
                                                                                strict=True)]
    for profile, vector in zip(waiting, vectors, strict=True):
        if vector is not None:
            profile.vector = np.asarray(vector, dtype=np.float32)
            profile.status = STATUS_OK
    described = [p for p in waiting if p.vector is not None]
    if descriptor.categorise is not None and described:
        names, confidence = descriptor.categorise(np.stack([p.vector for p in described]))
        for profile, name, value in zip(described, names, confidence.tolist(), strict=True):
            profile.category, profile.category_confidence = name, round(float(value), 4)
        _name_loops(descriptor, described,
                    {id(p): s for p, s in zip(waiting, signals, strict=True)})
    return profiles


def _name_loops(descriptor: Descriptor, profiles: list[Profile],
                signal_of: dict[int, tuple[np.ndarray, int]]) -> None:
    """A file that holds several hits is a loop (``other`` to a model without that category),
    whatever its first hit sounds like: the model reads one hit, so a beat would be "snare
    97%" and a bass line "tonal"; a sample library files both, and a vocal phrase, with the
    loops, and searches keep loops with loops. A library named by an older head keeps its
    loops (:mod:`..index.category_refresh`), so a fresh scan must name the same files so.
    A loop's learned numbers are its hits' (:mod:`.loop_embedding`)."""
    name = LOOP if LOOP in CATEGORIES else OTHER
    loops = [p for p, loop in zip(profiles, loops_among([signal_of[id(p)] for p in profiles]),
                                   strict=True) if loop]
    for profile in loops:
        profile.category = name
        profile.category_confidence = LOOP_CONFIDENCE
    if loops and descriptor.learned and descriptor.compute_many is not None:
        try:
            learned = loop_embeddings(descriptor, [signal_of[id(p)] for p in loops])
        except (ValueError, FloatingPointError, MemoryError):  # a bug, never a lost scan:
            return  # the loops keep the numbers of their start
        for profile, numbers in zip(loops, learned, strict=True):
            profile.vector[: descriptor.learned] = numbers


def _describe_alone(descriptor: Descriptor, y, sr, profile: Profile):
    try:
        return descriptor.compute(y=y, sr=sr)
    except (ValueError, FloatingPointError, MemoryError) as exc:
        profile.error = f"could not compute the descriptor: {exc}"
        return None


def _open_and_check(path: bytes, size: int, mtime_ns: int) -> tuple[Profile, DecodedAudio | None]:
    """Decode and check one file: its profile (failed or silent, or waiting for a vector), and
    its audio when it can be described."""
    base = Profile(path=path, size=size, mtime_ns=mtime_ns, status=STATUS_FAILED)
    if size == 0:
        base.error = "empty file (0 bytes)"
        return base, None
    try:
        base.fingerprint = fingerprint(path, size)
        audio = decode(path, max_seconds=READ_SECONDS)
    except AudioError as exc:
        base.error = str(exc)
        base.retry = _passing_cause(path, size, mtime_ns, base.error)
        return base, None
    except PermissionError:
        base.error, base.retry = "permission denied", True
        return base, None
    except FileNotFoundError:
        base.error, base.retry = "file vanished during the scan", True
        return base, None
    except OSError as exc:
        base.error = os_reason(exc, path)
        base.retry = True
        return base, None
    base.duration = audio.duration
    base.sample_rate = audio.sr
    base.channels = audio.channels
    base.format = audio.format
    base.is_long = audio.duration > LONG_SECONDS
    problem = check_profilable(y=audio.y, sr=audio.sr)
    if problem == STATUS_SILENT:
        base.status = STATUS_SILENT
        return base, None
    if problem is not None:
        base.error = problem
        return base, None
    return base, audio


#: Decoder messages about the file system rather than the file's content.
_PASSING_REASONS = ("permission denied", "file not found", "system error", "input/output error",
                    "no such file")


def _passing_cause(path: bytes, size: int, mtime_ns: int, reason: str) -> bool:
    """After a decoder error: could it pass? Yes when the decoder met the file system (an
    unreadable file, an I/O error) or when the file is not what the walk saw any more (it
    vanished or changed while it was decoded); no when the bytes themselves are broken."""
    if any(word in reason.lower() for word in _PASSING_REASONS):
        return True
    try:
        st = os.stat(path)
    except OSError:
        return True
    return st.st_size != size or st.st_mtime_ns != mtime_ns


def quiet_worker() -> None:
    """Worker initialiser: one BLAS thread, and no decoder chatter on stderr.

    Workers already use every core; a multi-threaded BLAS in each of them spins
    threads against each other (measured: 7 ms per file instead of 1.2 with two
    workers). Decoders (mpg123) print notes about broken files on stderr, which
    would tear the progress bar apart; the failure itself is recorded with its
    reason, so a worker's stderr goes to the null device.
    """
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
    except ImportError:  # scikit-learn brings it; without it, only speed suffers
        pass
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def profile_batch(items: list[tuple[bytes, int, int]], descriptor_name: str) -> list[Profile]:
    """Worker entry point: profile a batch of ``(path, size, mtime_ns)``."""
    return profile_files(items, get_descriptor(descriptor_name))
