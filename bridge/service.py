"""The library as a long-running service: a snapshot for queries, a worker for rescans.

Queries read an immutable :class:`~soundalike.engine.catalogue.Catalogue`; a
rescan runs on its own thread with its own index connection, builds the next
catalogue and swaps the reference when it is complete. So a query never waits
for a scan and never sees half of one.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from soundalike.engine import EngineError, Library, __version__
from soundalike.engine.catalogue import Catalogue
from soundalike.engine.paths import to_bytes
from soundalike.engine.reports import ScanProgress, ScanReport

log = logging.getLogger("soundalike.bridge")


class LibraryService:
    def __init__(self, db_path: str | os.PathLike, *, jobs: int | None = None):
        self.db_path = db_path
        self.jobs = jobs
        self.version = __version__
        self._snapshot: Catalogue | None = None
        self._scan: threading.Thread | None = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Read the index into memory (clustering it first if it never was)."""
        with Library(self.db_path) as library:
            if library.status(failures=0).profiled:
                library.clusters()
                self._snapshot = library.catalogue()
        log.info("library loaded: %d sounds", self.size)

    @property
    def snapshot(self) -> Catalogue:
        snapshot = self._snapshot
        if snapshot is None:
            raise EngineError("the library is empty: scan a folder first "
                              "(`soundalike scan FOLDER`, then /soundalike/rescan)")
        return snapshot

    @property
    def size(self) -> int:
        snapshot = self._snapshot
        return 0 if snapshot is None else snapshot.size

    @property
    def scanning(self) -> bool:
        scan = self._scan
        return scan is not None and scan.is_alive()

    def status(self):
        with Library(self.db_path) as library:
            return library.status(failures=0)

    def start_rescan(
        self,
        folder: str | None,
        on_progress: Callable[[ScanProgress], None],
        on_done: Callable[[ScanReport, Catalogue | None], None],
        on_error: Callable[[str], None],
    ) -> int:
        """Start a background rescan; returns how many folders it covers.

        Raises :class:`EngineError` at once for a folder outside the library or
        when a rescan is already running.
        """
        with self._lock:
            if self.scanning:
                raise EngineError("a rescan is already running; wait for its done message")
            with Library(self.db_path) as library:
                roots = library.roots()
                if folder:
                    if library.root_of(to_bytes(folder)) is None:
                        raise EngineError(f"{folder} is not in the library's folders; scan it "
                                          "from the command line to add it")
                elif not roots:
                    raise EngineError("the library has no folders yet: run "
                                      "`soundalike scan FOLDER` once")
            count = 1 if folder else len(roots)
            self._scan = threading.Thread(
                target=self._rescan, args=(folder, on_progress, on_done, on_error),
                name="soundalike-rescan", daemon=True,
            )
            self._scan.start()
        return count

    def _rescan(self, folder, on_progress, on_done, on_error) -> None:
        try:
            with Library(self.db_path) as library:
                report = library.rescan(folder or None, jobs=self.jobs, progress=on_progress)
                snapshot = self._snapshot
                if report.changed_library or snapshot is None:
                    if library.status(failures=0).profiled:
                        library.clusters()
                        snapshot = library.catalogue()  # built by the refresh, clusters included
                    self._snapshot = snapshot  # the swap: one reference assignment
            on_done(report, snapshot)
        except EngineError as exc:
            on_error(str(exc))
        except Exception as exc:  # noqa: BLE001 - a rescan must never take the server down
            log.exception("rescan failed")
            on_error(f"the rescan failed: {exc}")
