"""Worker processes that import only the installed soundalike, never code from the current folder.

A scan's workers fork from multiprocessing's fork server, which Python starts as
``python -c ...``: its import path begins with ``''``, the current folder, so a folder
holding ``soundalike/engine/__init__.py`` (or ``numpy/``) would run its code in every
worker, whatever the scan's own import path. A worker's initializer is too late (it is
itself unpickled, so imported, first), and ``-P``/``PYTHONSAFEPATH`` does not exist before
Python 3.11. So the fork server is started from the root folder, with the current folder
left out of the import path it may copy (newer Pythons copy the parent's), and the first
module it preloads (:mod:`.worker_path`) removes ``''`` from its path before anything else
is imported.
Where workers are spawned (macOS, Windows) they copy the scan's import path: the current
folder is taken out of it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading

_starting = threading.Lock()


def drop_current_folder(paths: list[str] | None = None) -> None:
    """Remove the current folder (``''``, ``.`` or its absolute path) from an import path."""
    paths = sys.path if paths is None else paths
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the current folder was deleted: only the relative entries matter
        here = None
    paths[:] = [p for p in paths if p not in ("", ".")
                and (here is None or os.path.realpath(p) != here)]


def start_fork_server() -> None:
    """Start multiprocessing's fork server (if it is not running) from ``/``, without the
    current folder on the import path it inherits."""
    from multiprocessing import forkserver

    with _starting:
        saved = list(sys.path)
        drop_current_folder()  # here, before leaving the current folder
        try:
            with _in_root_folder():
                forkserver.ensure_running()
        finally:
            sys.path[:] = saved


def spawn_context():
    """The ``spawn`` context, with the current folder out of the import path workers copy."""
    drop_current_folder()
    return multiprocessing.get_context("spawn")


@contextlib.contextmanager
def _in_root_folder():
    """Work in ``/`` for a moment, and come back even to a folder with no name any more."""
    back = os.open(".", getattr(os, "O_PATH", os.O_RDONLY))
    try:
        os.chdir("/")
        yield
    finally:
        os.fchdir(back)
        os.close(back)

