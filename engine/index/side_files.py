"""Side files beside the index: what a search needs, ready to be memory-mapped.

Opening a library used to mean reading and decoding every sound's vector from SQLite
(669 numbers each: seconds and hundreds of MB at 100,000 sounds) in every command. Instead,
the catalogue's arrays are kept in two files beside ``library.db``:

``library.db.vectors``
    The big arrays, written once per change of the library's sounds: file ids, durations,
    paths, categories, standardised vectors (float16), the compact embedding, every
    category's probability and distance to its centre. A query touches only the pages it
    reads: the embedding, and the vectors of the few candidates it re-ranks.
``library.db.side``
    Small, rewritten whenever the library's generation moves: the generation and
    descriptor it belongs to, which ``.vectors`` build it goes with, the feature space
    and roots it was made with, and the clusters.

SQLite stays the one truth: the side files are a cache, checked against the index's
generation (and feature space and roots) on every open, and rebuilt from SQLite when they
are missing, stale or damaged (a bad header, a wrong size, a checksum that does not match).
Both are written to a temporary name and renamed into place, so a process killed while
writing leaves the old files or none, never half of one; a reader that has mapped the old
file keeps it until it lets go. The large matrix of vectors is not checksummed (a check
would read it all, which is what the side files avoid; SQLite does not checksum its pages
either); everything else is, and compared once per file as it was written (a note beside
it, ``NAME.checked``, vouches for the file until it changes: at a million sounds the
checksummed arrays are 400 MB, which every command would otherwise read).

Layout of a file: ``MAGIC``, the header's length (8 bytes, little-endian), the header
(JSON: the format version, metadata, and per array its dtype, shape, offset and CRC-32),
then the arrays, each at a 64-byte boundary.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import functools
import json
import mmap
import os
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .storage_faults import checked_path, write_note

MAGIC = b"SOUNDALIKE-SIDE\n"
#: Bump when the layout or the meaning of an array changes: older files are then rebuilt.
FORMAT = 1
ALIGN = 64
#: Arrays not checksummed on open (read piecemeal: a checksum would read them whole).
UNCHECKED = frozenset({"Z"})


class DamagedSideFile(Exception):
    """A side file that cannot be trusted: rebuild it from the index."""


def vectors_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".vectors")


def manifest_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".side")


def _aligned(size: int) -> int:
    """``size`` rounded up to the next :data:`ALIGN` boundary."""
    return -(-size // ALIGN) * ALIGN


def _entry(name: str, array: np.ndarray, offset: int) -> dict:
    """How the header describes an array (contiguous) written at ``offset`` of the data."""
    return {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset,
            "crc": None if name in UNCHECKED else zlib.crc32(array.data)}


def _header(meta: Mapping, entries: dict, data_bytes: int) -> bytes:
    return json.dumps({"format": FORMAT, "meta": dict(meta), "arrays": entries,
                       "data_bytes": data_bytes}).encode()


def _put_in_place(temporary: Path, path: Path) -> None:
    """Rename a side file just written into place, and vouch for it: its checksums were just
    computed from the arrays written, so the process that opens it next need not read it
    whole to compare them (1.8 GB at a million sounds)."""
    os.replace(temporary, path)
    st = os.stat(path)
    _vouch(path, [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns])


def write_arrays(path: Path, meta: Mapping, arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` with ``meta`` to ``path``: to a temporary name, then renamed."""
    entries, offset = {}, 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        entries[name] = _entry(name, array, offset)
        offset += _aligned(array.nbytes)
    header = _header(meta, entries, offset)
    start = _aligned(len(MAGIC) + 8 + len(header))
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        with open(temporary, "wb") as out:
            out.write(MAGIC + len(header).to_bytes(8, "little") + header)
            out.write(b"\0" * (start - out.tell()))
            for name, array in arrays.items():
                out.seek(start + entries[name]["offset"])
                out.write(np.ascontiguousarray(array).data)
            out.truncate(start + offset)
            _finish_writing(out, path)
        _put_in_place(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


#: Room for the header of a file written by :class:`StreamedFile` (its header is written last,
#: into room kept before the data; what it holds is bounded: no list grows with the library).
HEADER_ROOM = 16384


class StreamedFile:
    """A side file whose first array (``name``: the vectors, 1.3 GB at a million sounds) is
    written a block of rows at a time as it is made, so that the process writing it never
    holds it whole; its other arrays are written whole by :meth:`finish`, with the header
    last, into room kept for it before the data. The layout is :func:`write_arrays`' (the
    header padded with spaces): readers cannot tell the two apart. Written to a temporary
    name and renamed by :meth:`finish`; :meth:`abandon` deletes it."""

    def __init__(self, path: Path, name: str, dtype, width: int):
        self.path, self.name = path, name
        self.dtype, self.width, self.rows = np.dtype(dtype), width, 0
        self.finished = False
        self.temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        self.start = _aligned(len(MAGIC) + 8 + HEADER_ROOM)
        self._out = open(self.temporary, "wb")  # noqa: SIM115 - closed by finish or abandon
        try:
            self._out.write(b"\0" * self.start)
        except BaseException:
            self.abandon()
            raise

    def append(self, block: np.ndarray) -> None:
        """The next rows of the streamed array."""
        block = np.ascontiguousarray(block, dtype=self.dtype)
        if block.ndim != 2 or block.shape[1] != self.width:
            raise ValueError(f"rows of {self.width} numbers expected, not {block.shape}")
        self._out.write(block.data)
        self.rows += len(block)

    def view(self) -> np.ndarray:
        """The streamed array as written so far, read-only and memory-mapped (a pass over it
        reads it back from the system's cache, a block of pages at a time: see
        :func:`let_go`)."""
        self._out.flush()
        if not self.rows:
            return np.zeros((0, self.width), dtype=self.dtype)
        return np.memmap(self.temporary, dtype=self.dtype, mode="r", offset=self.start,
                         shape=(self.rows, self.width))

    def finish(self, meta: Mapping, arrays: Mapping[str, np.ndarray]) -> None:
        """Write the other ``arrays`` and the header, then rename the file into place."""
        try:
            entries = {self.name: {"dtype": self.dtype.str, "shape": [self.rows, self.width],
                                   "offset": 0, "crc": None}}
            offset = _aligned(self.rows * self.width * self.dtype.itemsize)
            for name, array in arrays.items():
                array = np.ascontiguousarray(array)
                entries[name] = _entry(name, array, offset)
                self._out.seek(self.start + offset)
                self._out.write(array.data)
                offset += _aligned(array.nbytes)
            header = _header(meta, entries, offset)
            if len(header) > HEADER_ROOM:
                raise ValueError(f"a side file's header of {len(header):,} bytes: more than "
                                 f"the {HEADER_ROOM:,} kept for it")
            self._out.truncate(self.start + offset)
            self._out.seek(0)
            self._out.write(MAGIC + HEADER_ROOM.to_bytes(8, "little")
                            + header.ljust(HEADER_ROOM))
            _finish_writing(self._out, self.path)
            self._out.close()
            _put_in_place(self.temporary, self.path)
            self.finished = True
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Delete what was written (a full disk, an error, a stopped build); nothing once
        :meth:`finish` has put the file in place. (A view of it stays readable.)"""
        if self.finished:
            return
        with contextlib.suppress(OSError):
            self._out.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)


def _finish_writing(out, path: Path) -> None:
    """Flush and sync a side file just written; let it leave the system's cache unless
    :func:`cached_until_done` holds (then when it ends)."""
    out.flush()
    os.fsync(out.fileno())
    kept = _KEPT.get()
    if kept is None:
        _leave_cache(out.fileno())
    else:
        kept.append(path)


#: The side files written while :func:`cached_until_done` holds (None: not holding).
_KEPT: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar("side_files_kept",
                                                                          default=None)


@contextlib.contextmanager
def cached_until_done():
    """Side files written inside this block stay in the system's cache until it ends, then
    leave it (:func:`_leave_cache`). For the end of a scan, which writes them and at once
    reads every vector back for the clusters and their labels: dropped as soon as written,
    they were read back from the disk (20 s of a million-sound scan on a disk of 100 MB/s;
    1 s at 100,000 sounds)."""
    kept: list[Path] = []
    token = _KEPT.set(kept)
    try:
        yield
    finally:
        _KEPT.reset(token)
        for path in dict.fromkeys(kept):
            with contextlib.suppress(OSError), open(path, "rb") as handle:
                _leave_cache(handle.fileno())


def _leave_cache(fd: int) -> None:
    """Let the pages of a side file just written (and synced) leave the system's cache, so
    that readers read them back as they ask for them.

    Pages a process writes stay cached as large blocks (Linux 6 caches files in "folios" of
    up to 2 MB), and a process that maps the file and reads one row of it is counted the
    whole block as its own memory: after a scan of a million sounds, one ``similar`` that
    read a thousand rows of the vectors grew by 1.2 GB, and a server by as much as its
    requests read, where rows read back from the disk cost a page each (5 MB for the same
    thousand rows). The file is read from the disk once more (the compact embedding, 96 MB
    at a million sounds, by the first command; the rest a row at a time)."""
    if hasattr(os, "posix_fadvise"):  # not on macOS or Windows, which cache otherwise
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def read_arrays(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """``(meta, arrays)`` of a side file, the arrays read-only views of a memory map.

    Raises :class:`FileNotFoundError` when there is none and :class:`DamagedSideFile` when
    it cannot be trusted. The checksums are compared once per file as it was written: a
    file found sound is vouched for (``NAME.checked``: its size, inode and change times),
    and later processes open it without reading it whole (at a million sounds the arrays
    checksummed are 400 MB, which a one-query command would otherwise read and hold).
    """
    try:
        return _read_arrays(path)
    except DamagedSideFile:
        _forget(path)
        raise


def _read_arrays(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    with open(path, "rb") as f:
        stat = os.fstat(f.fileno())
        size = stat.st_size
        if size < len(MAGIC) + 8:
            raise DamagedSideFile(f"{path.name}: too short")
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    state = [size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]
    vouched = _vouched(path) == state
    if mapped[: len(MAGIC)] != MAGIC:
        raise DamagedSideFile(f"{path.name}: not a soundalike side file")
    length = int.from_bytes(mapped[len(MAGIC) : len(MAGIC) + 8], "little")
    try:
        header = json.loads(mapped[len(MAGIC) + 8 : len(MAGIC) + 8 + length])
        if header["format"] != FORMAT:
            raise DamagedSideFile(f"{path.name}: format {header['format']}, not {FORMAT}")
        start = _aligned(len(MAGIC) + 8 + length)
        if size != start + header["data_bytes"]:
            raise DamagedSideFile(f"{path.name}: {size} bytes, not {start + header['data_bytes']}")
        arrays = {}
        for name, entry in header["arrays"].items():
            dtype, shape = np.dtype(entry["dtype"]), tuple(entry["shape"])
            count = int(np.prod(shape, dtype=np.int64))
            array = np.frombuffer(mapped, dtype=dtype, count=count,
                                  offset=start + entry["offset"]).reshape(shape)
            if entry["crc"] is not None and not vouched \
                    and zlib.crc32(array.data) != entry["crc"]:
                raise DamagedSideFile(f"{path.name}: {name} does not match its checksum")
            if entry["crc"] is None:
                _advise(mapped, getattr(mmap, "MADV_RANDOM", None), start + entry["offset"],
                        array.nbytes)
            arrays[name] = array
        if not vouched:
            _vouch(path, state)
        return header["meta"], arrays
    except (ValueError, KeyError, TypeError) as exc:
        raise DamagedSideFile(f"{path.name}: {exc}") from exc


def _vouched(path: Path) -> list | None:
    """The file state a side file's checksums were last found right for (None: never)."""
    try:
        return json.loads(checked_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _vouch(path: Path, state: list) -> None:
    """Remember that the file, as it is (``state``), matched its checksums. A write changes
    its change time (which no program can set back), a rebuild its inode: either makes the
    next reader compare the checksums again. A folder that cannot be written to: the
    checksums are compared in every process."""
    write_note(checked_path(path), state)


def _forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        checked_path(path).unlink()


def _advise(mapped: mmap.mmap, advice: int | None, offset: int, length: int) -> None:
    """``madvise`` a byte range of a map (where the system has it; advice only).

    The arrays read a few rows at a time (the vectors) are advised as read at random: else a
    page fault there reads ahead as far as for a file read in order (8 MB on some systems;
    a search's 64 rows re-ranked could read the whole matrix from a cold disk)."""
    if advice is None or not hasattr(mapped, "madvise") or length <= 0:
        return
    start = offset - offset % mmap.PAGESIZE
    madvise = _libc_madvise()
    if madvise is not None:
        # Through ctypes, which lets go of the GIL while the system works: letting go of a
        # server's profile pages took 2-16 ms holding it (mmap.madvise does), and every
        # request thread waited.
        with contextlib.suppress(ValueError):  # a map closed meanwhile: nothing to advise
            origin = np.frombuffer(mapped, dtype=np.uint8, count=1).ctypes.data
            madvise(origin + start, min(offset + length, len(mapped)) - start, advice)
        return
    with contextlib.suppress(OSError, ValueError):
        mapped.madvise(advice, start, offset + length - start)


@functools.cache
def _libc_madvise():
    """The C library's ``madvise`` (None where there is none to call)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
    except (OSError, AttributeError):
        return None
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    return madvise


def will_read(array: np.ndarray, start: int = 0, stop: int | None = None) -> None:
    """Say that rows ``start:stop`` of a memory-mapped array are about to be read through (a
    pass over the whole library): the system reads them ahead in large requests, as for a
    file read in order, instead of page by page. Nothing for an array in memory."""
    _advise_rows(array, getattr(mmap, "MADV_WILLNEED", None), start, stop)


def let_go(array: np.ndarray, start: int = 0, stop: int | None = None) -> None:
    """Say that a pass over rows ``start:stop`` of a memory-mapped array is done: their pages
    leave this process (they stay in the system's page cache, and a later read maps them
    again without reading the disk). A server's one pass over every profile (its copy
    groups) would otherwise count them all in its memory for as long as it runs. Nothing
    for an array in memory."""
    _advise_rows(array, getattr(mmap, "MADV_DONTNEED", None), start, stop)


def _advise_rows(array: np.ndarray, advice: int | None, start: int, stop: int | None) -> None:
    base = array.base
    while base is not None and not isinstance(base, mmap.mmap):
        base = getattr(base, "obj" if isinstance(base, memoryview) else "base", None)
    if base is None or not len(array):
        return
    origin = np.frombuffer(base, dtype=np.uint8, count=1).ctypes.data
    row = array.strides[0]
    first = array.ctypes.data - origin + start * row
    last = array.ctypes.data - origin + (len(array) if stop is None else stop) * row
    _advise(base, advice, first, last - first)


def remove(db_path: Path) -> None:
    """Delete the side files of an index (they are rebuilt when next needed)."""
    for path in (manifest_path(db_path), vectors_path(db_path)):
        for name in (path, checked_path(path)):
            with contextlib.suppress(OSError):
                name.unlink()
