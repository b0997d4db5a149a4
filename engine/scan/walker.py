"""Finding the audio files under a library root.

Follows symlinked folders (sample packs are often linked in) but never loops;
skips hidden files and folders (macOS ``._name.wav`` AppleDouble files look
like audio and are not); reports what cannot be read instead of stopping.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from operator import attrgetter
from typing import NamedTuple

from ..paths import display_path
from ..sound.decode import is_audio_name, os_reason

_NAME = attrgetter("name")


class Found(NamedTuple):
    """A candidate audio file, or (with ``error``) one that cannot even be looked at. (A
    named tuple: a rescan makes one per file, and a frozen dataclass costs several times as
    much to make.)"""

    path: bytes
    size: int = 0
    mtime_ns: int = 0
    error: str | None = None
    folder: bool = False  # a folder that cannot be listed: what the index holds under it stays


def matches(name: bytes, match: str | None) -> bool:
    """The ``--match`` filter: the file name contains ``match``, ignoring case."""
    return match is None or match.casefold() in display_path(name).casefold()


def walk_audio_files(root: bytes, match: str | None = None) -> Iterator[Found]:
    """Every audio-named file below ``root`` (depth first, sorted), with size and mtime_ns."""
    seen_dirs: set[tuple[int, int]] = set()
    try:
        st = os.stat(root)
        seen_dirs.add((st.st_dev, st.st_ino))
    except OSError:
        return
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=_NAME)
        except PermissionError:
            yield Found(folder, error="folder not readable: permission denied", folder=True)
            continue
        except OSError as exc:
            yield Found(folder, error=f"folder not readable: {os_reason(exc, folder)}",
                        folder=True)
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            if name[:1] == b".":
                continue
            # The common case first, with nothing but its one stat call: a regular file (not
            # a link: the folder listing says so) with an audio name.
            try:
                plain = entry.is_file(follow_symlinks=False)
            except OSError:
                plain = False
            if plain and is_audio_name(name) and (match is None or matches(name, match)):
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    pass  # vanished meanwhile, a name too long...: said below, as for any file
                else:
                    if stat.S_ISREG(st.st_mode):
                        yield Found(entry.path, st.st_size, st.st_mtime_ns)
                        continue
            found = _look_at(entry, match, seen_dirs)
            if found is None:
                continue
            if found == "dir":
                subfolders.append(entry.path)
            else:
                yield found
        stack.extend(reversed(subfolders))


def _look_at(entry: os.DirEntry, match: str | None, seen_dirs: set) -> Found | str | None:
    try:
        is_dir = entry.is_dir(follow_symlinks=True)
    except OSError:
        is_dir = False
    if is_dir:
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError as exc:  # a path too long to open, mostly: listed, never skipped quietly
            return Found(entry.path, error=f"folder not readable: {os_reason(exc, entry.path)}",
                         folder=True)
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:  # a symlink loop, or the same folder linked twice
            return None
        seen_dirs.add(key)
        return "dir"
    if not is_audio_name(entry.name) or not matches(entry.name, match):
        return None
    try:
        st = entry.stat(follow_symlinks=True)
    except FileNotFoundError:
        return Found(entry.path, error="broken symbolic link (its target does not exist)")
    except OSError as exc:
        if entry.is_symlink():
            return Found(entry.path, error=f"symbolic link cannot be followed: {exc.strerror}")
        if exc.errno == errno.ENAMETOOLONG:
            return Found(entry.path, error=os_reason(exc, entry.path))
        return Found(entry.path, error=f"cannot read file information: {exc.strerror}")
    if not stat.S_ISREG(st.st_mode):
        return Found(entry.path, st.st_size, st.st_mtime_ns, error="not a regular file")
    return Found(entry.path, st.st_size, st.st_mtime_ns)
