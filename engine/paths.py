"""Where the index lives, and how file paths are kept exactly.

Paths are stored as the raw bytes the operating system gave us
(``os.fsencode``), so names that are not valid UTF-8 survive a round trip
through the index. They are shown to people with :func:`display_path`.
"""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path

DB_ENV_VAR = "SOUNDALIKE_DB"
DB_FILENAME = "library.db"


def default_db_path() -> Path:
    """The index file: ``$SOUNDALIKE_DB``, else the platform's per-user data folder."""
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return user_data_dir() / DB_FILENAME


def user_data_dir() -> Path:
    """The per-user data folder (XDG on Linux, Application Support on macOS, LOCALAPPDATA)."""
    home = Path.home()
    if sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "soundalike"


def to_bytes(path: str | bytes | os.PathLike) -> bytes:
    """An absolute, normalised path as raw bytes (symlinks are not resolved)."""
    raw = os.fsencode(path)
    return os.path.normpath(os.path.abspath(raw))


def real_path(path: str | bytes | os.PathLike) -> bytes:
    """The absolute path with every symlink resolved, as raw bytes: how roots are stored, so
    a folder reached through a link and the folder itself are one root."""
    return os.path.realpath(to_bytes(path))


def aliases(path: bytes) -> list[bytes]:
    """Other spellings of ``path`` that the index may know it by: through its folder's real
    path (a root reached by a symlink), then its own real path."""
    folder, name = os.path.split(path)
    found = []
    for alias in (os.path.join(os.path.realpath(folder), name), os.path.realpath(path)):
        if alias != path and alias not in found:
            found.append(alias)
    return found


def path_bytes(path: bytes) -> str | None:
    """For a name that is not valid UTF-8: its exact bytes in base64, so a program reading
    JSON or CSV can open the file (``display_path`` shows escapes that name no file).
    ``None`` for every ordinary path."""
    try:
        path.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(path).decode("ascii")
    return None


def display_path(path: bytes) -> str:
    """A path for people: undecodable bytes are shown as escapes, never an exception."""
    return path.decode("utf-8", errors="backslashreplace")


def under_prefix_bounds(root: bytes) -> tuple[bytes, bytes]:
    """Lower and upper bounds selecting every path strictly below ``root`` in byte order.

    ``b'/'`` is 0x2F, so every path under ``root/`` sorts in ``[root + b'/', root + b'0')``:
    an index range scan instead of a ``LIKE`` that cannot use the index.
    """
    root = root.rstrip(b"/")
    return root + b"/", root + b"0"


def is_under(path: bytes, root: bytes) -> bool:
    root = root.rstrip(b"/")
    return path == root or path.startswith(root + b"/")
