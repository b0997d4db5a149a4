"""One scan at a time per index: a lock file beside it, held with ``flock``.

Two scans of one library at once would both decode every new file and fight
over the clusters. SQLite's own locks only serialise single transactions, so a
scan takes an exclusive ``flock`` on ``<index>.lock`` for its whole run
(walking, profiling, clustering). The kernel drops the lock when the holder
exits in any way, kill -9 included, so a crashed scan never blocks the next
one. The holder writes who it is into the file (pid, host, command, start) so
the second scan can say plainly which scan is running.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import socket
import sys
import time
from pathlib import Path

from ..errors import EngineError

try:
    import fcntl
except ImportError:  # Windows: no flock; scans are then not serialised (SQLite still is)
    fcntl = None


class ScanRunningError(EngineError):
    """Another process (or this one) is scanning the same index."""


class ScanLock:
    """``with ScanLock(db_path, "soundalike scan ..."):`` ... the scan ...

    Raises :class:`ScanRunningError` at once when another scan holds it.
    """

    def __init__(self, db_path: str | os.PathLike, command: str | None = None):
        self.path = Path(str(db_path) + ".lock")
        self.command = command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])
        self._fd: int | None = None

    def acquire(self) -> ScanLock:
        if fcntl is None:
            return self
        try:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except PermissionError:  # another user's lock file: flock works on a read-only fd
                fd = os.open(self.path, os.O_RDONLY)
        except OSError as exc:
            raise EngineError(
                f"cannot scan: the index's folder {self.path.parent} is not writable "
                f"({exc.strerror}); reading commands still work, or scan into another "
                "index with --db") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise EngineError(f"cannot lock {self.path}: {exc.strerror}") from exc
            raise ScanRunningError(
                f"another scan of this library is running ({holder}); wait for it to "
                "finish, then scan again (nothing is lost: it keeps what it profiles)"
            ) from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                "started": time.time()}
        with contextlib.suppress(OSError):  # who we are is a courtesy: a full disk must not stop us
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)  # closing drops the flock

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> ScanLock:
        return self if self.held else self.acquire()  # held: taken over from its acquirer

    def __exit__(self, *exc) -> None:
        self.release()


def scan_running(db_path: str | os.PathLike) -> bool:
    """True while a live process on this computer holds the scan lock of this index.

    Reads the holder's note without touching the lock (probing with ``flock`` could make
    a scan starting that instant fail). A holder killed with -9 leaves its note behind;
    its pid is then gone, so the answer is still right.
    """
    try:
        with open(str(db_path) + ".lock", "rb") as f:
            info = json.loads(f.read(4096).decode("utf-8", "replace") or "{}")
    except (OSError, ValueError):
        return False
    pid = info.get("pid")
    if not isinstance(pid, int) or info.get("host") != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _read_holder(fd: int) -> str:
    """Who holds the lock, in words (``pid 123 on host: soundalike scan ..., since 04:31``)."""
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8", "replace") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info.get("pid"):
        return "started just now"
    since = dt.datetime.fromtimestamp(float(info.get("started", 0))).strftime("%H:%M:%S")
    return (f"pid {info['pid']} on {info.get('host', '?')}: {info.get('command', '?')}, "
            f"since {since}")
