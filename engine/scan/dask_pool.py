"""Profiling on a Dask distributed cluster: the executor behind ``scan --dask ADDRESS``.

When a library outgrows one computer's cores, its files can be profiled by the workers of an
existing Dask cluster whose machines mount the same folders under the same paths. Everything
else stays with the scan (:mod:`.scanner`): the walk, what changed, the transactions, progress
and the report. This module only replaces the local process pool: chunks of files go to the
cluster a few per worker thread at a time (so a million files never become a million futures
or a million results held in memory) and each chunk's profiles come back to the one process
that writes the index, as they finish.

Failures keep the local scan's rules. When a worker dies, the scheduler itself runs its tasks
again elsewhere; a chunk it gives up on (``KilledWorker``: it was running on too many workers
that died) is tried again one file per task, and a single file it gives up on is recorded as
a failure that the next scan tries again, as a file whose local worker was killed. A scan
stopped at any moment (Ctrl-C, ``kill -9``) keeps what was committed; the scheduler forgets
the work of a client that is gone, and the cluster's workers live on for the next scan.

``dask`` and ``distributed`` are an optional extra (``pip install 'soundalike[dask]'``),
imported only here and only for a scan that asks for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import time
from collections import deque
from collections.abc import Callable, Sequence

from ..errors import EngineError
from ..paths import display_path
from ..sound.descriptors import get_descriptor
from ..sound.profiling import STATUS_FAILED, Profile, profile_batch

INSTALL = "pip install 'soundalike[dask]'"
#: Seconds to reach the scheduler, and to wait for its first worker.
CONNECT_SECONDS = 20.0
#: Seconds between looks at the cluster while no chunk finishes.
STALL_SECONDS = 5.0
#: Seconds the cluster may have no worker at all before the scan gives up.
NO_WORKERS_SECONDS = 120.0
#: Chunks in flight per worker thread: enough to keep every thread busy while results travel.
IN_FLIGHT_PER_THREAD = 3
KILLED_REASON = "the Dask workers profiling it were killed (out of memory?)"

Item = tuple[bytes, int, int]  # path, size, mtime_ns


def _distributed():
    """The ``distributed`` package, or a clear error saying what to install."""
    try:
        import distributed
    except ImportError as exc:
        raise EngineError(f"--dask needs Dask, which is not installed here: {INSTALL}") from exc
    return distributed


class DaskProfiler:
    """Profiles chunks of files on the Dask cluster at ``address`` (``tcp://host:8786``)."""

    def __init__(self, address: str):
        self.address = address
        self.client = None

    def open(self, folders: Sequence[bytes], descriptor_key: str, descriptor_name: str) -> None:
        """Connect, then check with one small task per worker that every worker sees the
        library's ``folders`` and profiles with the same descriptor as this computer: a worker
        that cannot would otherwise fail every file (or profile it differently)."""
        distributed = _distributed()
        try:
            self.client = distributed.Client(self.address, timeout=CONNECT_SECONDS,
                                             set_as_default=False)
        except (OSError, TimeoutError, asyncio.TimeoutError, ValueError) as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {self.address} ({exc}): "
                              f"is `dask scheduler` running there, and the address right?"
                              ) from exc
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError, asyncio.TimeoutError) as exc:
            self.close()
            raise EngineError(f"the Dask cluster at {self.address} has no workers: start "
                              f"`dask worker {self.address}` on the computers that mount "
                              f"your sample folders") from exc
        try:
            seen = self.client.run(worker_view, list(folders), descriptor_name)
        except Exception as exc:  # whatever a worker raised, in its own words
            self.close()
            raise EngineError(f"the Dask workers cannot run soundalike ({type(exc).__name__}: "
                              f"{exc}): install it in their environment, the same version as "
                              f"here") from exc
        for worker, (missing, key) in sorted(seen.items()):
            if missing:
                self.close()
                raise EngineError(f"the Dask workers cannot see {display_path(missing[0])} "
                                  f"(worker {worker}): they must mount the same folders under "
                                  f"the same paths")
            if key != descriptor_key:
                self.close()
                raise EngineError(f"the Dask worker {worker} profiles with {key}, this "
                                  f"computer with {descriptor_key}: install the same "
                                  f"soundalike version on every machine")

    def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):  # a scheduler gone already
                self.client.close(timeout=5)
            self.client = None

    def profile(self, items: list[Item], chunk_size: int, descriptor_name: str,
                take: Callable[[list[Profile]], None]) -> None:
        """Profile ``items`` on the cluster, ``chunk_size`` files per task, and hand each
        chunk's profiles to ``take`` as it finishes. Chunks are cut as they are submitted:
        memory holds the few in flight, not a million futures."""
        fresh = (items[i : i + chunk_size] for i in range(0, len(items), chunk_size))
        suspects: deque[list[Item]] = deque()  # files of chunks whose workers kept dying
        pending: dict = {}  # future -> (chunk, single)
        finished: queue.SimpleQueue = queue.SimpleQueue()  # futures done, in the order they end
        no_workers_since: float | None = None
        limit = self._in_flight_limit()
        more = True
        while more or suspects or pending:
            while len(pending) < limit:
                if suspects or any(single for _, single in pending.values()):
                    # A suspect runs alone on the cluster, as in a local scan: the scheduler
                    # blames every task a dying worker held, so no innocent may share its turn.
                    if suspects and not pending:
                        self._submit(pending, finished, suspects.popleft(), True,
                                     descriptor_name)
                    break
                chunk = next(fresh, None)
                if chunk is None:
                    more = False
                    break
                self._submit(pending, finished, chunk, False, descriptor_name)
            if not pending:
                break
            try:
                done = [finished.get(timeout=STALL_SECONDS)]
            except queue.Empty:
                done = []
            if not done:  # slow work, or a cluster without workers
                limit = self._in_flight_limit()
                if self._workers():
                    no_workers_since = None
                elif no_workers_since is None:
                    no_workers_since = time.monotonic()
                elif time.monotonic() - no_workers_since > NO_WORKERS_SECONDS:
                    raise EngineError(f"the Dask cluster at {self.address} has had no workers "
                                      f"for {NO_WORKERS_SECONDS:.0f} s; what was profiled is "
                                      f"saved, scan again to carry on")
                continue
            while not finished.empty():  # every other chunk that has finished meanwhile
                done.append(finished.get())
            for future in done:
                if future not in pending:  # told twice (a result lost and made again)
                    continue
                chunk, single = pending.pop(future)
                profiles = self._result(future, chunk, single, suspects)
                future.release()  # the worker may drop the result now
                if profiles:
                    take(profiles)

    def _submit(self, pending: dict, finished: queue.SimpleQueue, chunk: list[Item],
                single: bool, descriptor_name: str) -> None:
        future = self.client.submit(profile_batch, chunk, descriptor_name, pure=False)
        pending[future] = (chunk, single)
        future.add_done_callback(finished.put)  # called on the client's own thread

    def _result(self, future, chunk: list[Item], single: bool,
                suspects: deque[list[Item]]) -> list[Profile] | None:
        """A finished chunk's profiles; a chunk whose workers kept dying is queued again one
        file per task (so no innocent file is blamed), and a single file is recorded."""
        distributed = _distributed()
        try:
            return future.result()
        except distributed.KilledWorker:
            if single:
                path, size, mtime_ns = chunk[0]
                return [Profile(path, size, mtime_ns, STATUS_FAILED, KILLED_REASON, retry=True)]
            suspects.extend([item] for item in chunk)
            return None
        except Exception as exc:  # the scheduler lost the work, or soundalike itself failed
            raise EngineError(f"the Dask cluster at {self.address} could not profile "
                              f"{display_path(chunk[0][0])} ({type(exc).__name__}: {exc}); "
                              f"what was profiled is saved, scan again to carry on") from exc

    def _workers(self) -> dict:
        try:
            return self.client.nthreads()
        except Exception as exc:
            raise EngineError(f"lost the Dask scheduler at {self.address} ({exc}); what was "
                              f"profiled is saved, scan again to carry on") from exc

    def _in_flight_limit(self) -> int:
        return max(2, IN_FLIGHT_PER_THREAD * sum(self._workers().values()))


def worker_view(folders: list[bytes], descriptor_name: str) -> tuple[list[bytes], str]:
    """Run on each worker: the folders it cannot see, and its descriptor's stored key."""
    missing = [folder for folder in folders if not os.path.isdir(folder)]
    return missing, get_descriptor(descriptor_name).key
