"""Incremental, parallel scans of the library roots into the index.

A scan walks the roots, compares what it finds with what the index remembers
(size, mtime_ns, descriptor version) and profiles only new and changed files, in
worker processes, writing results in small transactions as they arrive. A file
that moved keeps its profile (matched by content fingerprint); files that are
gone leave the index at the end. Killed at any moment, the index holds every
batch committed so far and the next scan carries on from there.

Nothing here prints: progress goes to a callback and the summary is returned.

Over 450 lines on purpose: walking, comparing with the index, feeding and replacing worker
processes, committing and counting are one loop whose state (what is in flight, what to retry,
what is committed) must be read in one place to see that nothing is lost when it is killed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ..errors import EngineError
from ..index.store import FileState, IndexStore, Root
from ..paths import display_path
from ..reports import Failure, ProgressCallback, ScanProgress, ScanReport, plain_data
from ..sound.descriptors import Descriptor
from ..sound.fingerprint import fingerprint
from ..sound.profiling import (
    STATUS_FAILED,
    STATUS_OK,
    STATUS_SILENT,
    Profile,
    profile_batch,
    quiet_worker,
)
from .allocator import keep_freed_memory
from .dask_pool import DaskProfiler
from .held_stops import HeldStops
from .lifeline import watch_parent
from .loop_recount import mark_counted
from .safe_path import drop_current_folder, spawn_context, start_fork_server
from .walker import walk_audio_files

#: Below this many files to profile, worker start-up costs more than it saves.
INLINE_LIMIT = 48
CHUNK_SIZE = 48
COMMIT_EVERY_FILES = 256
COMMIT_EVERY_SECONDS = 1.0
PROGRESS_EVERY_SECONDS = 0.1
#: Seconds without any answer from the workers after which the pool is checked for a worker
#: that died in the middle of sending its answer (see _unwedge).
STALL_SECONDS = 5.0
#: Seconds the pool loop waits at most before it looks for a stop (Ctrl-C, SIGTERM, SIGHUP).
STOP_SECONDS = 0.1
#: Worker pools in a row that may die before profiling anything, before the scan gives up.
FRUITLESS_POOLS = 3
#: Failures listed in a report (all of them stay in the index; `status` shows them).
REPORT_FAILURES = 200

Item = tuple[bytes, int, int]  # path, size, mtime_ns


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def check_options(jobs: int | None, dask: str | None) -> None:
    """Refuse options no scan can run with, before anything is written (a folder given to
    ``scan`` becomes a root, ``--rebuild`` sets the old index aside)."""
    if jobs is not None and jobs < 1:
        raise EngineError("--jobs must be at least 1")
    if dask is not None and jobs is not None:
        raise EngineError("--jobs counts this computer's worker processes and --dask "
                          "profiles on a cluster's workers: give one or the other")


class Scanner:
    """Brings the index up to date with some roots. One instance per scan."""

    def __init__(
        self,
        store: IndexStore,
        descriptor: Descriptor,
        *,
        jobs: int | None = None,
        progress: ProgressCallback | None = None,
        while_profiling: Callable[[], object] | None = None,
        dask: str | None = None,
    ):
        check_options(jobs, dask)
        self.store = store
        self.descriptor = descriptor
        self.jobs = jobs or default_jobs()
        self.progress = progress
        #: Work for the scanning process's idle main thread while workers profile (the
        #: library imports what it needs after the scan); finished before the scan returns.
        self.while_profiling = while_profiling
        self._started = 0.0
        self._last_progress = 0.0
        self._warm_pool: ProcessPoolExecutor | None = None
        self._retrying: set[bytes] = set()  # paths tried again after a failure that could pass
        #: Profiles on a Dask cluster instead of local processes (``scan --dask ADDRESS``).
        self._dask = DaskProfiler(dask) if dask is not None else None

    # --- the whole scan ---

    def run(self, roots: list[Root]) -> ScanReport:
        if self._dask is None:
            return self._run(roots)
        # The cluster is reached, and its workers checked, before anything is walked or written.
        self._dask.open([r.path for r in roots if os.path.isdir(r.path)], self.descriptor.key,
                        self.descriptor.name)
        try:
            return self._run(roots)
        finally:
            self._dask.close()

    def _run(self, roots: list[Root]) -> ScanReport:
        self._started = time.monotonic()
        report = ScanReport.model_construct(
            roots=[display_path(r.path) for r in roots], descriptor=self.descriptor.key
        )
        scan_id = self.store.begin_scan()
        mark_counted(self.store)  # a first scan names loops by the current rule
        with self.store.transaction():
            # The library's descriptor from now on: a scan stopped halfway through a switch is
            # carried on by the next scan, while searches keep using the old profiles.
            self.store.set_meta("descriptor", self.descriptor.name)
            if self.store.search_key() is None:  # a first scan that was stopped: its profiles
                keys = self.store.descriptor_keys()
                if keys:
                    self.store.set_meta("search_descriptor", max(keys, key=keys.__getitem__))
        local = self._dask is None
        if local and self.jobs > 1 and not any(self.store.has_files_under(r.path) for r in roots):
            # A first scan will profile everything: start the workers while we walk (starting
            # them blocks until the fork server has imported numpy, so on another thread).
            self._warm_pool = self._new_pool()
            self._warming = threading.Thread(target=_warm_up, args=(self._warm_pool, self.jobs),
                                             daemon=True)
            self._warming.start()
        try:
            return self._walk_and_profile(roots, report, scan_id)
        finally:
            if self._warm_pool is not None:  # warmed for nothing (few files to profile)
                self._warm_pool.shutdown(wait=False, cancel_futures=True)
                self._warm_pool = None

    def _walk_and_profile(self, roots: list[Root], report: ScanReport, scan_id: int
                          ) -> ScanReport:
        self._emit(ScanProgress.model_construct(phase="walking"), force=True)
        # Per file, as little Python as can be: at 100,000 files every step here costs a
        # tenth of a second. ``known`` holds the index's rows as tuples (see
        # :meth:`.store.IndexStore.file_marks_under`), counts are kept in local names.
        known: dict[bytes, tuple] = {}
        seen: set[bytes] = set()
        to_profile: list[Item] = []
        new: list[Item] = []
        walk_failures: list[Profile] = []
        online: list[Root] = []
        unreadable: list[bytes] = []
        self._retrying = set()
        unchanged = changed = 0
        key = self.descriptor.key
        for root in roots:
            if not os.path.isdir(root.path):
                report.offline_roots.append(display_path(root.path))
                continue
            online.append(root)
            known.update(self.store.file_marks_under(root.path, key))
            for found in walk_audio_files(root.path, root.match):
                path = found.path
                if path in seen:
                    continue
                seen.add(path)
                mark = known.get(path)  # (path, size, mtime_ns, current, retry, failed)
                if found.error is not None:
                    if found.folder:
                        unreadable.append(path)
                    if mark is None or not mark[5] or mark[1] != found.size:
                        # Every cause the walk meets can pass (permissions, a link whose target
                        # comes back), except a name that is not a file at all.
                        walk_failures.append(
                            Profile(path, found.size, found.mtime_ns, STATUS_FAILED,
                                    found.error, retry=found.error != "not a regular file")
                        )
                    else:
                        unchanged += 1
                    continue
                if mark is None:
                    new.append((path, found.size, found.mtime_ns))
                elif mark[1] == found.size and mark[2] == found.mtime_ns and mark[3]:
                    if mark[4]:  # its last attempt failed for a cause that can pass
                        report.retried += 1
                        self._retrying.add(path)
                        to_profile.append((path, found.size, found.mtime_ns))
                    else:
                        unchanged += 1
                else:
                    changed += 1
                    to_profile.append((path, found.size, found.mtime_ns))
        report.unchanged += unchanged
        report.changed += changed

        # A folder that could not be listed this time (unplugged for a moment, permissions):
        # what the index holds under it stays as it was, as for an offline root.
        if unreadable:
            folders = set(unreadable)
            seen.update(path for path in known if path not in seen and _inside_any(path, folders))
        vanished = self.store.file_states(path for path in known if path not in seen)
        new = self._apply_moves(new, vanished, report)
        report.new = len(new)
        to_profile.extend(new)

        if walk_failures:
            with self.store.transaction():
                self.store.write_profiles(walk_failures, self.descriptor.key)
            self._count(walk_failures, report)

        self._profile_all(to_profile, report)

        self._emit(
            ScanProgress.model_construct(
                phase="finishing",
                done=len(to_profile),
                total=len(to_profile),
                failed=report.failed,
                elapsed=self._elapsed(),
            ),
            force=True,
        )
        report.elapsed = self._elapsed()
        with self.store.transaction():
            report.removed = self.store.delete_files(vanished) if vanished else 0
            finished = time.time_ns()
            for root in online:
                self.store.mark_root_scanned(root.path, finished)
            before = self.store.search_key()
            # Once every sound has a profile of this descriptor (offline folders included),
            # searches switch to it, all at once.
            if self.store.finish_switch(self.descriptor.key) and before is not None:
                report.descriptor_switched = True
            self.store.finish_scan(scan_id, plain_data(report))
        return report

    # --- moves ---

    def _apply_moves(
        self, new: list[Item], vanished: dict[bytes, FileState], report: ScanReport
    ) -> list[Item]:
        """Re-point rows of vanished files at new paths with the same content; return the rest."""
        candidates = {}
        for path, state in vanished.items():
            if (
                state.fingerprint
                and state.status != STATUS_FAILED
                and state.descriptor == self.descriptor.key
            ):
                candidates.setdefault(state.size, {})[state.fingerprint] = path
        if not candidates:
            return new
        remaining = []
        moves = []
        for item in new:
            path, size, mtime_ns = item
            by_fp = candidates.get(size)
            old = None
            if by_fp:
                try:
                    old = by_fp.pop(fingerprint(path, size), None)
                except OSError:
                    old = None
            if old is None:
                remaining.append(item)
            else:
                moves.append((old, path, size, mtime_ns))
                del vanished[old]
        if moves:
            with self.store.transaction():
                for old, path, size, mtime_ns in moves:
                    self.store.move_file(old, path, size, mtime_ns)
        report.moved = len(moves)
        return remaining

    # --- profiling ---

    def _profile_all(self, items: list[Item], report: ScanReport) -> None:
        total = len(items)
        progress = ScanProgress.model_construct(phase="profiling", total=total)
        buffer: list[Profile] = []
        last_commit = time.monotonic()

        def take(profiles: Iterable[Profile]) -> None:
            nonlocal last_commit
            profiles = list(profiles)
            buffer.extend(profiles)
            self._count(profiles, report)
            progress.done += len(profiles)
            progress.failed = report.failed
            progress.elapsed = self._elapsed()
            now = time.monotonic()
            if len(buffer) >= COMMIT_EVERY_FILES or now - last_commit >= COMMIT_EVERY_SECONDS:
                self._commit(buffer)
                last_commit = now
            self._emit(progress)

        self._emit(progress, force=True)
        try:
            if self._dask is not None:  # the user asked for the cluster, however few files
                self._profile_in_workers(items, take)
            elif self.jobs <= 1 or total <= INLINE_LIMIT:
                for start in range(0, total, CHUNK_SIZE):
                    take(profile_batch(items[start : start + CHUNK_SIZE], self.descriptor.name))
            else:
                self._profile_in_workers(items, take)
        finally:
            self._commit(buffer)  # also on Ctrl-C: keep everything already profiled
        self._emit(progress, force=True)

    def _profile_in_workers(self, items: list[Item], take: Callable[[list[Profile]], None]) -> None:
        """Feed chunks to a process pool (or the Dask cluster), a few per worker in flight so
        memory stays bounded.

        If a worker dies (a decoder crash on a hostile file), the chunks it may have
        held are retried one file each in a fresh pool; a file that kills a worker
        on its own is recorded as a failure.
        """
        side_work = None
        if self.while_profiling is not None:
            side_work = threading.Thread(target=self.while_profiling, name="while profiling",
                                         daemon=True)
            side_work.start()
        try:
            if self._dask is not None:
                self._dask.profile(items, CHUNK_SIZE, self.descriptor.name, take)
            else:
                self._feed_workers(items, take)
        finally:
            if side_work is not None:
                side_work.join()

    def _feed_workers(self, items: list[Item], take: Callable[[list[Profile]], None]) -> None:
        queue: deque[tuple[list[Item], bool]] = deque(
            (items[i : i + CHUNK_SIZE], False) for i in range(0, len(items), CHUNK_SIZE)
        )
        with HeldStops() as stops:
            self._feed_pools(queue, take, stops)

    def _feed_pools(self, queue: deque[tuple[list[Item], bool]],
                    take: Callable[[list[Profile]], None], stops: HeldStops) -> None:
        in_flight_limit = self.jobs * 3
        fruitless = 0  # pools in a row that died before finishing or losing anything
        while queue:
            pool, self._warm_pool = self._warm_pool or self._new_pool(), None
            pending: dict[Future, tuple[list[Item], bool]] = {}
            lost: list[tuple[list[Item], bool]] = []  # chunks a dead worker may have held
            # Its workers as soon as they exist (a warm pool's already do): a worker killed
            # before the first submit breaks the pool, which then no longer lists it, and
            # how it ended is what the files it held are told.
            workers: dict = dict(_workers_of(pool))
            finished = 0
            broken = False
            answered = time.monotonic()  # when the workers last answered
            try:
                while queue or pending:
                    stops.raise_if_stopped()
                    while queue and not broken and _may_submit(queue[0], pending, in_flight_limit):
                        try:
                            future = pool.submit(profile_batch, queue[0][0], self.descriptor.name)
                        except BrokenProcessPool:  # a worker died before it was given this
                            broken = True
                            workers.update(_workers_of(pool))
                            break
                        pending[future] = queue.popleft()
                        workers.update(_workers_of(pool))
                    if not pending:
                        break
                    done, _ = wait(pending, timeout=STOP_SECONDS, return_when=FIRST_COMPLETED)
                    stops.raise_if_stopped()
                    if not done:
                        if time.monotonic() - answered < STALL_SECONDS:
                            continue
                        workers.update(_workers_of(pool))
                        _unwedge(pool, workers.values())  # its futures now fail: lost below
                        answered = time.monotonic()
                        continue
                    answered = time.monotonic()
                    for future in done:
                        chunk = pending.pop(future)
                        try:
                            profiles = future.result()
                        except BrokenProcessPool:
                            broken = True
                            lost.append(chunk)
                            continue
                        finished += 1
                        take(profiles)
                    if broken and not pending:
                        break
                workers.update(_workers_of(pool))
            finally:
                if broken:
                    # A pool that broke while this scan submitted to it may have started a
                    # worker after it terminated the others (a race in CPython 3.11's pool):
                    # that worker waits for work for ever, and the pool's shutdown joins it.
                    _kill_workers(_workers_of(pool).values())
                pool.shutdown(wait=True, cancel_futures=True)
                # Drop the pool now: an interrupt's traceback keeps this frame alive until
                # exit, and a pool still referenced then makes the resource tracker warn
                # about "leaked semaphores".
                del pool
            if not broken:
                continue
            # A worker died (the OOM killer, a decoder crash on a hostile file): the chunks it
            # may have held are tried again one file at a time in a fresh pool, so no innocent
            # file is blamed; a file whose own worker dies is recorded, to be tried again at
            # the next scan.
            reason = lost_worker_reason(workers.values())
            for chunk, single in lost:
                if single:
                    path, size, mtime = chunk[0]
                    take([Profile(path, size, mtime, STATUS_FAILED, reason, retry=True)])
                else:
                    queue.extendleft(([item], True) for item in reversed(chunk))
            fruitless = 0 if finished or lost else fruitless + 1
            if fruitless >= FRUITLESS_POOLS:
                raise EngineError(f"the scan's worker processes keep dying before they profile "
                                  f"anything ({reason}); try `--jobs 1`")

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=_mp_context(),
                                   initializer=_start_worker, initargs=(os.getpid(),))

    def _commit(self, buffer: list[Profile]) -> None:
        if buffer:
            with self.store.transaction():
                self.store.write_profiles(buffer, self.descriptor.key)
            buffer.clear()

    # --- bookkeeping ---

    def _count(self, profiles: Iterable[Profile], report: ScanReport) -> None:
        for p in profiles:
            if p.status != STATUS_FAILED and p.path in self._retrying:
                report.recovered += 1
            if p.status == STATUS_OK:
                report.profiled += 1
            elif p.status == STATUS_SILENT:
                report.silent += 1
            else:
                report.failed += 1
                if len(report.failures) < REPORT_FAILURES:
                    report.failures.append(Failure(path=display_path(p.path),
                                                   reason=p.error or "", retry=p.retry))

    def _elapsed(self) -> float:
        return time.monotonic() - self._started

    def _emit(self, progress: ScanProgress, *, force: bool = False) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if force or now - self._last_progress >= PROGRESS_EVERY_SECONDS:
            self._last_progress = now
            progress.elapsed = self._elapsed()
            self.progress(progress.model_copy())


def _start_worker(scan_pid: int) -> None:
    """Each worker: quiet, one BLAS thread, keeping the memory it frees for its next batch,
    and gone as soon as the scanning process is."""
    watch_parent(scan_pid)
    quiet_worker()
    keep_freed_memory()
    drop_current_folder()  # spawned workers (macOS, Windows): for what they import later


def _inside_any(path: bytes, folders: set[bytes]) -> bool:
    """Whether ``path`` lies in one of ``folders`` (its parents looked up, not every folder)."""
    parent = os.path.dirname(path)
    while True:
        if parent in folders:
            return True
        up = os.path.dirname(parent)
        if up == parent:
            return False
        parent = up


def _unwedge(pool: ProcessPoolExecutor, workers: Iterable) -> None:
    """Free a pool whose worker died while sending its answer (the OOM killer strikes at any
    moment): its manager then waits forever for the rest of that answer, since the other
    workers keep the answers' pipe open. With a dead worker and no answer for a while, the
    other workers are killed and this process's end of that pipe closed: the manager reads
    the end of the pipe and fails every pending task as it does for any dead worker."""
    workers = list(workers)
    if not any(w.exitcode is not None for w in workers):
        return  # slow work, not a wedge
    _kill_workers(workers)
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()


def _kill_workers(workers: Iterable) -> None:
    """Kill the worker processes still running (of a pool that is broken anyway)."""
    for worker in workers:
        if worker.exitcode is None:
            with contextlib.suppress(OSError, ValueError):
                worker.kill()


def _workers_of(pool: ProcessPoolExecutor) -> dict:
    """The pool's worker processes by pid (to read how they ended once the pool is broken)."""
    return dict(getattr(pool, "_processes", None) or {})


def lost_worker_reason(workers: Iterable) -> str:
    """Why a file's worker process is gone, in a user's words, from how the pool's workers
    ended (the pool terminates the survivors with SIGTERM once one has died)."""
    codes = [w.exitcode for w in workers if w.exitcode is not None]
    if -signal.SIGKILL in codes:
        return "the worker profiling it was killed (out of memory?)"
    crashes = [c for c in codes if c < 0 and c != -signal.SIGTERM]
    if crashes:
        name = signal.Signals(-crashes[0]).name if -crashes[0] in signal.valid_signals() else ""
        return f"the audio decoder crashed on this file ({name or 'signal ' + str(-crashes[0])})"
    return "the worker profiling it stopped unexpectedly"


def _warm_up(pool: ProcessPoolExecutor, jobs: int) -> None:
    """Start the pool's worker processes now (a submitted task spawns them)."""
    # The pool was shut down meanwhile (RuntimeError), or broke while a worker was being
    # started (a worker killed: OSError, its queue closed under the start): nothing to warm,
    # and the scan's first submit meets the broken pool and starts another. Not a traceback
    # on the user's terminal.
    with contextlib.suppress(RuntimeError, OSError):
        for _ in range(jobs):
            pool.submit(int)


def _may_submit(chunk, pending: dict, limit: int) -> bool:
    """A suspect (a file retried after a worker crash) runs alone, so no innocent is blamed."""
    if chunk[1] or any(single for _, single in pending.values()):
        return not pending
    return len(pending) < limit


def _mp_context():
    """``forkserver`` where it exists: safe next to the bridge's threads, cheap to start.

    Either way the workers import only the installed soundalike, never code from the current
    folder (see :mod:`.safe_path`)."""
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        # Workers fork from a server that has already imported numpy and the decoders; the
        # first module it imports takes the current folder out of its import path.
        # (By name: importing it here would change this process's import path.)
        context.set_forkserver_preload([f"{__package__}.worker_path", profile_batch.__module__,
                                        "scipy.fft"])
        start_fork_server()
        return context
    return spawn_context()
