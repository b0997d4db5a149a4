"""The library's folders (roots): adding them, finding the one a path lies in, choosing
what a rescan walks, and forgetting them.

Folders are remembered by their real path: a folder reached through a symbolic link and the
folder itself are one root.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable

from ..errors import EngineError
from ..index.store import IndexStore, Root
from ..paths import display_path, is_under, real_path, to_bytes

NO_FOLDERS = "the library has no folders yet: run `soundalike scan FOLDER`"


def add_roots(store: IndexStore, paths: Iterable[str | os.PathLike],
              match: str | None) -> list[Root]:
    """Remember folders as roots (with ``match``), returning them as stored."""
    wanted = []
    for raw in paths:
        given = to_bytes(raw)
        if not os.path.exists(given):
            raise EngineError(f"no such folder: {display_path(given)}")
        if not os.path.isdir(given):
            raise EngineError(f"not a folder: {display_path(given)} (scan takes folders)")
        wanted.append(real_path(given))  # a symlinked folder and its target: one root
    stored = [root.path for root in store.roots()]
    with store.transaction():
        for path in wanted:
            # A root an older soundalike stored by a symlink's path gives way to the
            # real one (its files come back under the real path in this scan).
            for old in stored:
                if old != path and real_path(old) == path:
                    store.forget_root(old, [p for p in stored if p != old])
            store.add_root(path, match or None)
    by_path = {root.path: root for root in store.roots()}
    return [by_path[path] for path in wanted]


def roots_to_scan(store: IndexStore, paths: Iterable[str | os.PathLike] | None,
                  match: str | None) -> list[Root]:
    """What ``scan`` walks: the folders given (remembered as roots, with ``match``), or
    every root."""
    if paths:
        return add_roots(store, paths, match)
    roots = store.roots()
    if not roots:
        raise EngineError(NO_FOLDERS)
    if match is not None:
        raise EngineError("--match needs the folders it applies to: "
                          "`soundalike scan FOLDER --match WORD`")
    return roots


def root_of(store: IndexStore, path: bytes) -> Root | None:
    """The library root a path lies under (directly or through symlinks), if any."""
    roots = store.roots()
    for candidate in (path, real_path(path)):
        for root in roots:
            if is_under(candidate, root.path):
                return root
    return None


def roots_to_rescan(store: IndexStore, folder: str | os.PathLike | None) -> list[Root]:
    """Every root, or the one folder of the library given (a root or a folder inside one,
    scanned with its root's ``match``). A folder outside the library is an error."""
    roots = store.roots()
    if folder is None:
        if not roots:
            raise EngineError(NO_FOLDERS)
        return roots
    path = to_bytes(folder)
    if not any(is_under(path, root.path) for root in roots):
        path = real_path(path)  # reached through a symlink: walk it by its real path
    parent = root_of(store, path)
    if parent is None:
        raise EngineError(f"{display_path(path)} is not in the library's folders")
    if not os.path.isdir(path):
        raise EngineError(f"no such folder: {display_path(path)}")
    return [Root(path, parent.match, parent.added_ns, parent.last_scan_ns)]


def forget_roots(store: IndexStore, folders: Iterable[str | os.PathLike]) -> tuple[list[bytes],
                                                                                   int]:
    """Take whole roots out of the index; returns them and how many files left with them."""
    roots = {root.path for root in store.roots()}
    chosen: list[bytes] = []
    for raw in folders:
        path = to_bytes(raw)
        if path not in roots and real_path(path) in roots:
            path = real_path(path)  # the folder named through a symlink
        if path not in roots:
            parent = root_of(store, path)
            if parent is not None:
                raise EngineError(
                    f"{display_path(path)} is inside the library folder "
                    f"{display_path(parent.path)}: only whole folders given to `scan` "
                    "can be forgotten"
                )
            raise EngineError(
                f"{display_path(path)} is not one of the library's folders "
                "(`soundalike status` lists them)"
            )
        if path not in chosen:
            chosen.append(path)
    keep = [root for root in roots if root not in chosen]
    with store.transaction():
        files = sum(store.forget_root(path, keep) for path in chosen)
    return chosen, files


def folders_to_rebuild(store: IndexStore,
                       folders: Iterable[str | os.PathLike] | None) -> list[tuple[bytes,
                                                                                  str | None]]:
    """``(path, match)`` of the folders a rebuilt index starts from: ``folders``, or the old
    index's roots if it can still be read (it may be damaged). Each must exist."""
    try:
        old_roots = [(r.path, r.match) for r in store.roots()]
    except (sqlite3.DatabaseError, EngineError):
        old_roots = []
    wanted = [(to_bytes(f), None) for f in folders] if folders else old_roots
    if not wanted:
        raise EngineError("the old index's folder list cannot be read: name the folders, "
                          "`soundalike scan --rebuild FOLDER...`")
    for path, _ in wanted:
        if not os.path.isdir(path):
            raise EngineError(f"no such folder: {display_path(path)}")
    return wanted
