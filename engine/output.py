"""Every file soundalike writes for the user (exports, the map page and picture): one rule.

1. **Never inside the library.** The target's real path (every symlink resolved; for a file
   that does not exist yet, through its folder) must lie outside every library folder, whose
   real paths the index keeps. A sample reached through ``Samples -> disk/Samples``, a link
   pointing at a sample, a folder inside the library: all refused, the folder named.
2. **Whole or not at all.** The bytes go to a temporary file in the target's folder, which is
   then renamed over the target: a full disk, an error or a kill leaves the previous file
   whole (and a hard link to a sample outside the library is replaced, never written
   through).
3. **Plain words.** A missing folder, a folder given as a file, a full disk, no permission:
   an :class:`EngineError` naming the path, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator

from .errors import EngineError
from .paths import display_path, is_under, to_bytes

#: Prefix of the temporary files and folders made beside a target while it is written.
PART_PREFIX = b".soundalike-part-"


class OutputError(EngineError):
    """An output could not be written where the user asked (or must not be)."""


def real_target(target: str | bytes | os.PathLike) -> bytes:
    """The absolute path of ``target`` with every symlink resolved, as raw bytes; for a path
    that does not exist yet, its folder's real path joined with its name (a dangling link is
    followed to where it points)."""
    path = to_bytes(target)
    return os.path.realpath(path)


def refuse_inside(target: str | bytes | os.PathLike, roots: Iterable[bytes], *,
                  what: str = "the output", index: str | os.PathLike | None = None) -> bytes:
    """``target``'s real path, or an :class:`OutputError` naming the library folder it lies in
    (or saying it is the ``index`` file itself, or one of SQLite's files beside it).

    Both the target and each root are compared by their real paths, so neither a symlinked
    library folder nor a link to a sample slips through.
    """
    real = real_target(target)
    given = to_bytes(target)
    if index is not None:
        db = real_target(index)
        if real in (db, db + b"-wal", db + b"-shm", db + b"-journal"):
            raise OutputError(f"{what} cannot go to {display_path(given)}: that is the "
                              "library's index file")
    for root in roots:
        for spelling in dict.fromkeys((root, os.path.realpath(root))):
            if is_under(real, spelling) or is_under(given, spelling):
                raise OutputError(
                    f"{what} must go outside your sample folders: {display_path(given)} is "
                    f"inside the library folder {display_path(root)} "
                    "(soundalike never writes inside them)"
                )
    return real


def explain_os_error(exc: OSError, path: bytes, what: str = "write") -> str:
    """An OSError while writing ``path``, in the user's words."""
    shown = display_path(path)
    folder = display_path(os.path.dirname(path) or b".")
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return f"cannot {what} {shown}: the disk is full (anything there before is kept)"
    if exc.errno == errno.ENOENT:
        return f"cannot {what} {shown}: there is no folder {folder}"
    if exc.errno == errno.ENOTDIR:
        return f"cannot {what} {shown}: part of that path is a file, not a folder"
    if exc.errno == errno.EISDIR:
        return f"cannot {what} {shown}: it is a folder; give a file name"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"cannot {what} {shown}: permission denied"
    if exc.errno == errno.EROFS:
        return f"cannot {what} {shown}: the disk is read-only"
    if exc.errno == errno.ENAMETOOLONG:
        return f"cannot {what} {shown}: the name is too long for this disk"
    return f"cannot {what} {shown}: {exc.strerror or exc}"


def check_file_target(target: str | bytes | os.PathLike, roots: Iterable[bytes], *,
                      what: str = "the output", index: str | os.PathLike | None = None) -> bytes:
    """Everything that can be said before writing a file: outside the library, not the
    index, not a folder, its folder exists. Returns the real path to write to."""
    real = refuse_inside(target, roots, what=what, index=index)
    shown = display_path(to_bytes(target))
    if os.path.isdir(real):
        raise OutputError(f"cannot write {shown}: it is a folder; give a file name")
    folder = os.path.dirname(real)
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write {shown}: there is no folder "
                          f"{display_path(os.path.dirname(to_bytes(target)))}")
    return real


@contextlib.contextmanager
def replacing(target: str | bytes | os.PathLike, roots: Iterable[bytes], *,
              what: str = "the output",
              index: str | os.PathLike | None = None) -> Iterator[object]:
    """A binary file to write; on leaving without error it replaces ``target`` in one rename.

    The temporary file lives beside the target (same file system, so the rename is atomic),
    is flushed to disk before the rename, and is removed on any failure, leaving the
    previous ``target`` (if any) untouched.
    """
    real = check_file_target(target, roots, what=what, index=index)
    folder, name = os.path.split(real)
    shown_path = to_bytes(target)
    try:
        fd, part = tempfile.mkstemp(prefix=PART_PREFIX, suffix=b"-" + name[:64], dir=folder)
    except OSError as exc:
        raise OutputError(explain_os_error(exc, shown_path)) from exc
    try:
        with os.fdopen(fd, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(OSError):  # keep the old file's permissions, or the usual
            mode = os.stat(real).st_mode & 0o777 if os.path.exists(real) else _default_mode()
            os.chmod(part, mode)
        os.replace(part, real)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise OutputError(explain_os_error(exc, shown_path)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise


def write_bytes(target: str | bytes | os.PathLike, data: bytes, roots: Iterable[bytes], *,
                what: str = "the output", index: str | os.PathLike | None = None) -> bytes:
    """Write ``data`` to ``target`` by the rule above; returns the real path written."""
    roots = list(roots)
    with replacing(target, roots, what=what, index=index) as file:
        file.write(data)
    return real_target(target)


def write_text(target: str | bytes | os.PathLike, text: str, roots: Iterable[bytes], *,
               what: str = "the output", index: str | os.PathLike | None = None) -> bytes:
    """``text`` as UTF-8 to ``target`` by the rule above; returns the real path written."""
    return write_bytes(target, text.encode("utf-8"), roots, what=what, index=index)


def _default_mode() -> int:
    """What ``open(..., "w")`` would have given a new file: 0o666 less the umask (read from
    /proc where it can be: setting the umask to read it back is not thread-safe)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
