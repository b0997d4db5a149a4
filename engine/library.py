"""The front door: one object the CLI and the OSC bridge both use.

``Library`` owns the index file and knows the roots; each verb here has the
same name on every layer (``Library.scan`` <-> ``soundalike scan`` <->
``/soundalike/rescan``...). It returns report objects and never prints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from .descriptors import DEFAULT_DESCRIPTOR, Descriptor, get_descriptor
from .errors import EngineError
from .index_store import IndexStore, Root
from .paths import default_db_path, display_path, is_under, to_bytes
from .reports import Failure, LibraryStatus, RootStatus, ScanReport
from .scanner import ProgressCallback, Scanner


class Library:
    """A sample library: its roots, its index, and the questions it answers."""

    def __init__(self, db_path: str | os.PathLike | None = None):
        self.db_path = Path(db_path) if db_path is not None else default_db_path()
        self.store = IndexStore(self.db_path)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- configuration ---

    @property
    def descriptor(self) -> Descriptor:
        """The descriptor this library was last scanned with (the default before any scan)."""
        return get_descriptor(self.store.get_meta("descriptor", DEFAULT_DESCRIPTOR))

    def roots(self) -> list[Root]:
        return self.store.roots()

    # --- scan ---

    def scan(
        self,
        paths: Iterable[str | os.PathLike] | None = None,
        *,
        match: str | None = None,
        jobs: int | None = None,
        descriptor: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> ScanReport:
        """Profile the audio files under ``paths`` (which become roots), or rescan every root.

        ``match`` keeps only files whose name contains it; it is remembered with
        the roots given here. Only new and changed files are decoded.
        """
        chosen = get_descriptor(descriptor) if descriptor else self.descriptor
        if jobs is not None and jobs < 1:
            raise EngineError("--jobs must be at least 1")
        if paths:
            roots = self._add_roots(paths, match)
        else:
            roots = self.store.roots()
            if not roots:
                raise EngineError("the library has no folders yet: run `soundalike scan FOLDER`")
            if match is not None:
                raise EngineError(
                    "--match needs the folders it applies to: `soundalike scan FOLDER --match WORD`"
                )
        return Scanner(self.store, chosen, jobs=jobs, progress=progress).run(roots)

    def _add_roots(self, paths: Iterable[str | os.PathLike], match: str | None) -> list[Root]:
        wanted = []
        for raw in paths:
            path = to_bytes(raw)
            if not os.path.exists(path):
                raise EngineError(f"no such folder: {display_path(path)}")
            if not os.path.isdir(path):
                raise EngineError(f"not a folder: {display_path(path)} (scan takes folders)")
            wanted.append(path)
        with self.store.transaction():
            for path in wanted:
                self.store.add_root(path, match or None)
        by_path = {root.path: root for root in self.store.roots()}
        return [by_path[path] for path in wanted]

    def root_of(self, path: bytes) -> Root | None:
        """The library root a path lies under, if any."""
        for root in self.store.roots():
            if is_under(path, root.path):
                return root
        return None

    # --- status ---

    def status(self, *, failures: int | None = 50) -> LibraryStatus:
        counts = self.store.counts()
        keys = self.store.descriptor_keys()
        descriptor = self.descriptor
        last = self.store.last_scan()
        last_report = last_finished = None
        if last is not None and last[2] is not None:
            last_report = ScanReport.model_validate(last[2])
            last_finished = _iso(last[1])
        return LibraryStatus(
            db=str(self.db_path),
            db_bytes=_db_bytes(self.db_path),
            schema_version=self.store.schema_version(),
            descriptor=descriptor.key,
            roots=[
                RootStatus(
                    path=display_path(r.path),
                    match=r.match,
                    last_scan=_iso(r.last_scan_ns),
                    online=os.path.isdir(r.path),
                )
                for r in self.store.roots()
            ],
            files=counts["total"],
            profiled=keys.get(descriptor.key, 0),
            silent=counts["silent"],
            failed=counts["failed"],
            long=counts["long"],
            stale=sum(n for key, n in keys.items() if key != descriptor.key),
            last_scan=last_report,
            last_scan_finished=last_finished,
            failures=[
                Failure(path=display_path(p), reason=r)
                for p, r in self.store.failures(limit=failures)
            ],
        )


def _iso(ns: int | None) -> str | None:
    if ns is None:
        return None
    return dt.datetime.fromtimestamp(ns / 1e9).astimezone().isoformat(timespec="seconds")


def _db_bytes(path: Path) -> int:
    total = 0
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            total += os.path.getsize(str(path) + suffix)
    return total
