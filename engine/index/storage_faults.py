"""Storage faults in plain words: what happened to the index file, and what to do.

SQLite reports a full disk, a read-only file, a damaged file or a vanished
folder as ``sqlite3`` exceptions whose text ("database disk image is
malformed") means little to a musician, and the CLI would show them as
tracebacks. :func:`explain` turns one into an :class:`IndexStoreError` that says
what happened, whether anything was lost, and the command that helps.
"""

from __future__ import annotations

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
    from intact pages and look like success. SQLite's quick check reads the file once (fast
    next to loading the library, which reads all of it anyway)."""
    problems = integrity_problems(db, quick=True)
    if problems:
        raise DamagedIndexError(f"the index {db_path} is damaged ({problems[0]}). "
                                + damaged_advice(db_path))
