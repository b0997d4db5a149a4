"""Storage faults in plain words: what happened to the index file, and what to do.

SQLite reports a full disk, a read-only file, a damaged file or a vanished
folder as ``sqlite3`` exceptions whose text ("database disk image is
malformed") means little to a musician, and the CLI would show them as
tracebacks. :func:`explain` turns one into an :class:`IndexStoreError` that says
what happened, whether anything was lost, and the command that helps.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from pathlib import Path

from ..errors import IndexStoreError


class DamagedIndexError(IndexStoreError):
    """The index file is corrupt: reading it cannot be trusted, writing it must not go on."""


def _code(exc: BaseException) -> str:
    """SQLite's error name (``SQLITE_FULL``...), from Python 3.11's attribute or the text."""
    name = getattr(exc, "sqlite_errorname", None)
    if name:
        return "_".join(name.split("_")[:2])  # SQLITE_IOERR_SHORT_READ -> SQLITE_IOERR
    text = str(exc).lower()
    for needle, code in (("disk is full", "SQLITE_FULL"), ("readonly", "SQLITE_READONLY"),
                         ("malformed", "SQLITE_CORRUPT"), ("not a database", "SQLITE_NOTADB"),
                         ("unable to open", "SQLITE_CANTOPEN"), ("disk i/o", "SQLITE_IOERR"),
                         ("locked", "SQLITE_BUSY")):
        if needle in text:
            return code
    return "SQLITE_ERROR"


def damaged_advice(path: Path) -> str:
    return (f"`soundalike --db {path} check` tells what is damaged; `soundalike --db {path} "
            "scan --rebuild` builds a new index from your folders (the damaged file is kept "
            "aside; your samples are not touched)")


def explain(exc: BaseException, path: str | os.PathLike) -> IndexStoreError:
    """The user-facing error for a ``sqlite3`` exception raised on the index at ``path``."""
    path = Path(path)
    code = _code(exc)
    if code == "SQLITE_FULL" or getattr(exc, "errno", None) == 28:
        return IndexStoreError(
            f"the disk holding the index {path} is full ({exc}). Nothing already saved is "
            "lost: free some space, then run the same command again (a scan carries on where "
            "it stopped)")
    if code == "SQLITE_READONLY":
        return IndexStoreError(
            f"the index {path} is read-only here ({exc}): reading commands (status, similar, "
            "clusters...) work, but this one needs to write it. Make the file and its folder "
            f"writable (chmod u+w), or use another index with --db")
    if code == "SQLITE_NOTADB":
        return DamagedIndexError(
            f"{path} is not a soundalike index ({exc}): is --db (or $SOUNDALIKE_DB) the right "
            "file? If it was your index, it is damaged: " + damaged_advice(path))
    if code in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        forget_checked(path)
    if code == "SQLITE_CORRUPT":
        return DamagedIndexError(f"the index {path} is damaged ({exc}). " + damaged_advice(path))
    if code == "SQLITE_CANTOPEN":
        return IndexStoreError(
            f"cannot open the index {path} ({exc}): check that its folder exists and that you "
            "may read it (and write it, to scan)")
    if code == "SQLITE_IOERR":
        return IndexStoreError(
            f"the disk holding the index {path} reported an input/output error ({exc}); "
            "check the drive (is it still connected?) and run the command again")
    if code == "SQLITE_BUSY":
        return IndexStoreError(
            f"the index {path} stayed locked by another soundalike for 30 s ({exc}); "
            "try again when it has finished")
    return IndexStoreError(f"the index {path} could not be used ({exc})")


def integrity_problems(db: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """SQLite's integrity check (``quick``: its quick check): ``[]`` when sound, else what is
    wrong, in SQLite's words."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [row[0] for row in db.execute(f"PRAGMA {pragma}(100)")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def refuse_damaged(db: sqlite3.Connection, db_path: Path) -> None:
    """No command answers from, and no scan writes to, a damaged index: what it reads may come
    from intact pages and look like success.

    SQLite's quick check reads the whole file (185 MB at 100,000 sounds: seconds when it is
    not in the page cache, where a query from the side files reads a few pages). So it runs
    once per change of the file: a file found sound is vouched for (:func:`vouch`) and not
    checked again until something changes it (any write changes its size, modification or
    change time, or its write-ahead log)."""
    if _vouched(db_path):
        return
    problems = integrity_problems(db, quick=True)
    if problems:
        forget_checked(db_path)
        raise DamagedIndexError(f"the index {db_path} is damaged ({problems[0]}). "
                                + damaged_advice(db_path))
    vouch(db_path)


def checked_path(db_path: Path) -> Path:
    """Beside the index: its state when it was last found sound."""
    return db_path.with_name(db_path.name + ".checked")


def _file_state(db_path: Path) -> list | None:
    """What changes whenever anything writes the index: device, inode, size, modification and
    change times of the file (the change time moves even when a program puts the
    modification time back), and the same but the change time of its write-ahead log when
    the log holds anything (SQLite makes an empty one for every reader, and run as root
    gives it its owner again, which moves its change time). None when there is no file."""
    try:
        st = os.stat(db_path)
    except OSError:
        return None
    state = [[st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns], None]
    with contextlib.suppress(OSError):
        log = os.stat(f"{db_path}-wal")
        if log.st_size:
            state[1] = [log.st_dev, log.st_ino, log.st_size, log.st_mtime_ns]
    return state


def _vouched(db_path: Path) -> bool:
    try:
        with open(checked_path(db_path), encoding="utf-8") as f:
            return json.load(f) == _file_state(db_path)
    except (OSError, ValueError):
        return False


def vouch(db_path: Path) -> None:
    """Remember the index file as it is now as sound: after a check found it so, or when a
    process that found it sound closes it (its own writes, through SQLite, keep it sound).
    Written to a temporary name and renamed; an index whose folder is read-only is simply
    checked every time."""
    state = _file_state(db_path)
    if state is not None:
        write_note(checked_path(db_path), state)


def write_note(target: Path, state: list) -> None:
    """A ``.checked`` note (a file's state when it was found sound), written to a temporary
    name and renamed; in a folder that cannot be written to, nothing (the file is then
    checked every time)."""
    temporary = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(json.dumps(state), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def forget_checked(db_path: Path) -> None:
    """The index was found damaged (or is replaced): it is checked again by the next command."""
    with contextlib.suppress(OSError):
        checked_path(Path(db_path)).unlink()
