"""The library as a long-running service: a snapshot for queries, a worker for rescans.

Queries read an immutable :class:`~soundalike.engine.index.catalogue.Catalogue`; a
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
from soundalike.engine.index.catalogue import Catalogue
from soundalike.engine.index.store import IndexStore
from soundalike.engine.paths import to_bytes
from soundalike.engine.reports import ScanProgress, ScanReport
from soundalike.engine.scan.lock import ScanLock, scan_running

log = logging.getLogger("soundalike.bridge")


class LibraryService:
    def __init__(self, db_path: str | os.PathLike, *, jobs: int | None = None):
        # Absolute: a rescan starts its worker processes from another folder for a moment
        # (see soundalike.engine.scan.safe_path), and request threads open the index meanwhile.
        self.db_path = os.path.abspath(db_path)
        self.jobs = jobs
        self.version = __version__
        self._snapshot: Catalogue | None = None
        self._scan: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._watch: IndexStore | None = None  # the watcher thread's own connection
        self._data_version: int | None = None
        self._watch_inode: int | None = None

    def load(self) -> None:
        """Read the index into memory (clustering it first if it never was)."""
        with Library(self.db_path, serving=True) as library:
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
    def cluster_count(self) -> int:
        snapshot = self._snapshot
        return 0 if snapshot is None else len(snapshot.cluster_labels)

    @property
    def scanning(self) -> bool:
        scan = self._scan
        return scan is not None and scan.is_alive()

    def status(self):
        with Library(self.db_path, serving=True) as library:
            return library.status(failures=0)

    def start_rescan(
        self,
        folder: str | None,
        on_progress: Callable[[ScanProgress], None],
        on_done: Callable[[ScanReport, Catalogue | None, bool], None],
        on_error: Callable[[str], None],
    ) -> int:
        """Start a background rescan; returns how many folders it covers.

        ``on_done(report, snapshot, swapped)``: ``swapped`` is true when a new
        snapshot is in use. Raises :class:`EngineError` at once for a folder
        outside the library, or when a scan of this index is already running
        (here or in another process: the scan lock is taken before returning).
        """
        with self._lock:
            if self.scanning:
                raise EngineError("a rescan is already running; wait for its done message")
            with Library(self.db_path, serving=True) as library:
                roots = library.roots()
                if folder:
                    if library.root_of(to_bytes(folder)) is None:
                        raise EngineError(f"{folder} is not in the library's folders; scan it "
                                          "from the command line to add it")
                elif not roots:
                    raise EngineError("the library has no folders yet: run "
                                      "`soundalike scan FOLDER` once")
            lock = ScanLock(self.db_path, f"soundalike serve (OSC rescan, pid {os.getpid()})")
            lock.acquire()
            count = 1 if folder else len(roots)
            self._scan = threading.Thread(
                target=self._rescan, args=(folder, lock, on_progress, on_done, on_error),
                name="soundalike-rescan", daemon=True,
            )
            self._scan.start()
        return count

    def label(self, path: str, category: str | None) -> tuple[str, str | None, str | None]:
        """Give a library sound a category (None: back to the model's) and answer from a
        snapshot that knows it. Returns the path and the sound's category and source now."""
        with self._lock, Library(self.db_path, serving=True) as library:
            report = library.label([path], category)
            snapshot = self._fresh_snapshot(library)
            self._snapshot = snapshot
        stored = report.files[0]
        row = None if snapshot is None else snapshot.row_of(to_bytes(stored))
        if row is None:
            return stored, category, "you" if category else None
        return stored, snapshot.category_of(row), snapshot.category_source(row)

    def save_kit(self, kit, fmt: str, folder: str):
        """Write a kit as an instrument file (see ``Library.save_kit``)."""
        with Library(self.db_path, serving=True) as library:
            return library.save_kit(kit, fmt, folder)

    def stop(self, timeout: float = 60.0) -> None:
        """Stop a running rescan (it keeps what it profiled, its workers exit) and wait; then
        let go of the library in memory, stopping what its index was making in the
        background (:meth:`~soundalike.engine.index.neighbours.NeighbourIndex.close`)."""
        self._stopping.set()
        scan = self._scan
        if scan is not None:
            scan.join(timeout)
        snapshot, self._snapshot = self._snapshot, None
        if snapshot is not None:
            snapshot.index.close()

    def _rescan(self, folder, lock: ScanLock, on_progress, on_done, on_error) -> None:
        def progress(p: ScanProgress) -> None:
            if self._stopping.is_set():  # raised inside the scan loop: it cleans up as on Ctrl-C
                raise EngineError("the server is stopping; the rescan stopped")
            on_progress(p)

        try:
            with lock, Library(self.db_path, serving=True) as library:
                report = library.rescan(folder or None, jobs=self.jobs, progress=progress,
                                        locked=True)
                snapshot = self._snapshot
                stored = library.store.get_meta("generation", "0")
                # Reload when this scan changed the library, and also when another process
                # (a terminal `scan`) changed it since the snapshot was taken.
                swapped = (report.changed_library or snapshot is None
                           or snapshot.generation != stored)
                if swapped:
                    snapshot = self._fresh_snapshot(library)
                    self._snapshot = snapshot  # the swap: one reference assignment
            on_done(report, snapshot, swapped)
        except EngineError as exc:
            on_error(str(exc))
        except Exception as exc:  # noqa: BLE001 - a rescan must never take the server down
            log.exception("rescan failed")
            on_error(f"the rescan failed: {exc}")

    @staticmethod
    def _fresh_snapshot(library: Library) -> Catalogue | None:
        if not library.status(failures=0).profiled:
            return None
        library.clusters()  # clusters missing (a scan killed while clustering): made now
        return library.catalogue()

    # --- changes made by other processes ---

    def let_go_of_profiles(self) -> None:
        """The pages of the profiles requests have read leave this process (they stay in the
        system's cache, mapped again by the next request that reads them). A request re-ranks
        its candidates on their profiles, rows spread over a file of 1.7 GB at a million
        sounds, and Linux counts a process the whole cached block (up to 2 MB) of each row
        it reads: after 2,000 requests a server held 1.5 GB of them."""
        snapshot = self._snapshot
        if snapshot is not None:
            snapshot.index.let_go()

    def check_for_changes(self) -> bool:
        """Swap in a fresh snapshot when another process changed the index; True if swapped.

        Cheap when nothing changed: one ``PRAGMA data_version`` on a connection kept for
        this (its value moves only when another connection commits). Call from one thread.
        Skipped while this service's own rescan runs (it swaps when it is done).
        """
        if self.scanning or scan_running(self.db_path):  # wait for its clusters too
            return False
        try:
            inode = os.stat(self.db_path).st_ino
        except OSError:
            return False  # moved aside by `scan --rebuild` a moment before the new one exists
        if self._watch is not None and inode != self._watch_inode:
            self._watch.close()  # a new file (`scan --rebuild`): follow it, not the old one
            self._watch = None
        if self._watch is None:
            self._watch = IndexStore(self.db_path)
            self._watch_inode = inode
            self._data_version = None
        version = self._watch.db.execute("PRAGMA data_version").fetchone()[0]
        if version == self._data_version:
            return False
        self._data_version = version
        stored = self._watch.get_meta("generation", "0")
        snapshot = self._snapshot
        if snapshot is not None and snapshot.generation == stored:
            return False
        with self._lock:
            if self.scanning:
                return False
            with Library(self.db_path, serving=True) as library:
                if snapshot is None and not library.status(failures=0).profiled:
                    return False
                fresh = self._fresh_snapshot(library)
            self._snapshot = fresh
        log.info("the index changed on disk: now %d sounds", self.size)
        return True
