"""`scan --dask`: profiling on a real Dask cluster (a LocalCluster of worker processes on
loopback), with the local scan's results, progress and failures."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from soundalike.engine import Library
from soundalike.engine.errors import EngineError
from soundalike.engine.index import vector_codec
from soundalike.engine.index.store import vector_of
from soundalike.engine.scan import dask_pool, scanner
from soundalike.engine.sound.descriptors import get_descriptor
from tests.conftest import write_drum
from tests.synth import FAMILIES

distributed = pytest.importorskip("distributed", reason="install soundalike[dask]")
dask = pytest.importorskip("dask", reason="install soundalike[dask]")

CLI = [sys.executable, "-m", "soundalike.engine.cli"]


def make_library(root: Path, count: int) -> Path:
    for i in range(count):
        family = FAMILIES[i % len(FAMILIES)]
        write_drum(root / f"pack {i % 4}" / f"{family} {i}.wav", family, seed=i)
    return root


def index_rows(db: Path) -> dict[bytes, tuple]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT path, status, category, descriptor, vector FROM files")
        return {path: tuple(rest) for path, *rest in rows}


def rows_committed(db: Path) -> int:
    """Rows of the index as another process sees them (0 while it is not made yet)."""
    if not db.exists():
        return 0
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        try:
            return conn.execute("SELECT count(*) FROM files").fetchone()[0]
        except sqlite3.OperationalError:  # no table yet, or the file locked for a moment
            return 0


def new_cluster(**config):
    """Two worker processes, one thread each, on loopback (no dashboard)."""
    with dask.config.set(config):
        return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=":0")


@pytest.fixture(scope="module")
def cluster():
    cluster = new_cluster()
    yield cluster
    cluster.close()


def kill_busy_worker(client) -> int | None:
    """SIGKILL a worker process that is profiling (found through the client), as the OOM
    killer would, and wait for the LocalCluster's nanny to replace it. None: no worker was
    busy for a moment."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        busy = [w for w, tasks in client.processing().items() if tasks]
        pids = client.run(os.getpid, workers=busy[:1], on_error="ignore") if busy else {}
        if pids:
            address, pid = next(iter(pids.items()))
            os.kill(pid, signal.SIGKILL)
            while True:  # gone from the scheduler, and a new worker in its place
                workers = client.scheduler_info()["workers"]
                if address not in workers and len(workers) == 2:
                    return pid
                if time.monotonic() > deadline + 60:
                    raise AssertionError("the killed worker was not replaced")
                time.sleep(0.05)
        time.sleep(0.02)
    return None


def test_a_dask_scan_makes_the_index_a_local_scan_makes(tmp_path, cluster):
    root = make_library(tmp_path / "lib", 60)
    steps = []
    with Library(tmp_path / "local.db") as library:
        local = library.scan([root], jobs=1)
    with Library(tmp_path / "dask.db") as library:
        remote = library.scan([root], dask=cluster.scheduler_address, progress=steps.append)
        assert library.scan(dask=cluster.scheduler_address).unchanged == 60  # a rescan
    assert (remote.new, remote.profiled, remote.failed) == (local.new, local.profiled, 0) == (
        60, 60, 0)
    profiling = [s for s in steps if s.phase == "profiling"]
    assert profiling[0].done == 0 and profiling[-1].done == profiling[-1].total == 60
    mine, theirs = index_rows(tmp_path / "local.db"), index_rows(tmp_path / "dask.db")
    assert mine.keys() == theirs.keys() and len(mine) == 60
    # One step of what is stored: the learned part in half precision, each hand-made number
    # in one byte between its bounds (vector_codec.step: 0 for the learned part).
    step = vector_codec.step(get_descriptor("soundalike"))
    for path, (status, category, descriptor, vector) in mine.items():
        assert theirs[path][:3] == (status, category, descriptor)
        assert status == "ok"
        error = np.abs(vector_of(theirs[path][3], descriptor) - vector_of(vector, descriptor))
        assert np.all(error <= 2e-3 + step * 1.001), path


def test_work_in_flight_on_the_cluster_is_bounded(tmp_path, cluster, monkeypatch):
    """However many files, only a few chunks per worker thread are on the cluster at once
    (and answers are released once written): memory stays flat on a million files."""
    monkeypatch.setattr(scanner, "CHUNK_SIZE", 8)  # 80 files: 10 chunks
    monkeypatch.setattr(dask_pool, "IN_FLIGHT_PER_THREAD", 1)  # 2 threads: 2 chunks at once
    monkeypatch.setattr(scanner, "PROGRESS_EVERY_SECONDS", 0.0)  # a report per chunk written
    root = make_library(tmp_path / "lib", 80)
    seen = []

    def scheduler_tasks(dask_scheduler):
        return len(dask_scheduler.tasks)

    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:

        def progress(p):
            if p.phase == "profiling" and p.done < p.total:
                seen.append(client.run_on_scheduler(scheduler_tasks))

        with Library(tmp_path / "lib.db") as library:
            report = library.scan([root], dask=cluster.scheduler_address, progress=progress)
        assert client.run_on_scheduler(scheduler_tasks) == 0  # nothing left behind
    assert report.profiled == 80 and len(seen) >= 3
    assert max(seen) <= 3  # 2 in flight, and at most one answer being forgotten


def test_a_worker_killed_mid_scan_has_its_files_retried(tmp_path, cluster, monkeypatch):
    # Small chunks, each reported as written: many moments with a worker busy to kill (with
    # a few large chunks, a loaded machine could find none busy at any report).
    monkeypatch.setattr(scanner, "CHUNK_SIZE", 8)
    monkeypatch.setattr(scanner, "PROGRESS_EVERY_SECONDS", 0.0)
    root = make_library(tmp_path / "lib", 240)
    killed = []
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:

        def progress(p):
            if p.phase == "profiling" and 0 < p.done < p.total and not killed:
                pid = kill_busy_worker(client)
                if pid is not None:
                    killed.append((pid, p.done))

        with Library(tmp_path / "lib.db") as library:
            report = library.scan([root], dask=cluster.scheduler_address, progress=progress)
    assert killed and killed[0][1] < 240
    with pytest.raises(ProcessLookupError):
        os.kill(killed[0][0], 0)  # really gone
    assert (report.profiled, report.failed) == (240, 0)
    rows = index_rows(tmp_path / "lib.db")
    assert len(rows) == 240 and {r[0] for r in rows.values()} == {"ok"}


def test_a_dask_scan_killed_midway_is_carried_on_by_the_next(tmp_path, cluster):
    """kill -9 of the scanning process while the cluster profiles: the index keeps every
    committed batch, no lock is left, and the next scan profiles only the rest."""
    root = make_library(tmp_path / "lib", 600)  # more than one transaction's 256 files
    db = tmp_path / "lib.db"
    scan = subprocess.Popen([*CLI, "--db", str(db), "scan", str(root), "--quiet", "--dask",
                             cluster.scheduler_address], stderr=subprocess.PIPE, text=True)
    committed = 0
    deadline = time.monotonic() + 120
    while not committed and scan.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        committed = rows_committed(db)
    scan.kill()
    scan.communicate()
    assert 0 < committed < 600, (committed, scan.returncode)
    with Library(db) as library:
        kept = library.status().profiled
        assert kept >= committed
        again = library.scan(dask=cluster.scheduler_address)  # no lock left behind
        assert (again.unchanged, again.new, again.failed) == (kept, 600 - kept, 0)
        assert library.status().profiled == 600


def test_files_whose_workers_keep_dying_are_tried_alone_then_recorded(tmp_path):
    """With a scheduler that gives up on a task at its first dead worker (allowed-failures
    0), a killed chunk's files are tried again one per task, alone, and a file whose own
    worker is killed is recorded with a reason, then profiled by the next scan."""
    root = make_library(tmp_path / "lib", 150)
    cluster = new_cluster(**{"distributed.scheduler.allowed-failures": 0})
    kills, recorded, stop = [], threading.Event(), threading.Event()

    def killer(client):  # kills busy workers, each once replaced, until a file is recorded
        while not stop.is_set() and not recorded.is_set() and len(kills) < 10:
            pid = kill_busy_worker(client)
            if pid is not None:
                kills.append(pid)

    def progress(p):
        if p.phase == "profiling" and p.failed:
            recorded.set()

    try:
        with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
            thread = threading.Thread(target=killer, args=(client,))
            with Library(tmp_path / "lib.db") as library:
                thread.start()
                try:
                    first = library.scan([root], dask=cluster.scheduler_address,
                                         progress=progress)
                finally:
                    stop.set()
                    thread.join()
                assert len(kills) >= 2 and first.failed >= 1  # a chunk, then a suspect
                assert first.profiled + first.failed == 150
                assert {(f.reason, f.retry) for f in first.failures} == {
                    (dask_pool.KILLED_REASON, True)}
                again = library.scan(dask=cluster.scheduler_address)  # nothing killed now
                assert (again.retried, again.recovered, again.failed) == (
                    first.failed, first.failed, 0)
                assert library.status().profiled == 150
    finally:
        cluster.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_a_clear_error_and_nothing_is_scanned(tmp_path):
    root = make_library(tmp_path / "lib", 2)
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    db = tmp_path / "lib.db"
    done = subprocess.run([*CLI, "--db", str(db), "scan", str(root), "--dask", address],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert f"soundalike: error: cannot reach the Dask scheduler at {address}" in done.stderr
    assert "Traceback" not in done.stderr
    with Library(db) as library:
        assert library.status().profiled == 0


def test_jobs_and_dask_together_are_refused_before_anything_is_written(tmp_path):
    root = make_library(tmp_path / "lib", 1)
    with Library(tmp_path / "lib.db") as library:
        with pytest.raises(EngineError, match="give one or the other"):
            library.scan([root], jobs=2, dask="tcp://127.0.0.1:1")
        with pytest.raises(EngineError, match="give one or the other"):
            library.rebuild([root], jobs=2, dask="tcp://127.0.0.1:1")
        assert library.roots() == []  # the folder was not remembered
    assert not list(tmp_path.glob("lib.db.old-*"))  # nor the index set aside


def test_workers_that_cannot_see_the_folders_are_named(tmp_path, cluster):
    """A worker without the rights to see the library (as a machine without the mount): the
    scan stops before profiling anything and says which folder and what to do."""
    if os.geteuid() != 0:
        pytest.skip("needs root: a worker with fewer rights than the scan is made by dropping "
                    "root's capabilities")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("giving a worker fewer rights needs setpriv: install util-linux")
    hidden = tmp_path / "share"
    root = make_library(hidden / "lib", 3)
    hidden.chmod(0)  # root reads it; a worker without DAC capabilities cannot
    drop = "-dac_override,-dac_read_search"
    scheduler = distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=":0")
    worker = subprocess.Popen(
        [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}", sys.executable, "-m",
         "distributed.cli.dask_worker", scheduler.scheduler_address, "--nthreads", "1",
         "--no-nanny", "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with Library(tmp_path / "lib.db") as library:
            with pytest.raises(EngineError) as error:
                library.scan([root], dask=scheduler.scheduler_address)
            assert library.status().profiled == 0
        assert str(error.value).startswith(f"the Dask workers cannot see {root}")
        assert "they must mount the same folders" in str(error.value)
    finally:
        hidden.chmod(0o755)
        worker.kill()
        worker.wait()
        scheduler.close()


OTHER_VERSION = """
import dataclasses
from soundalike.engine.sound import descriptors
mine = descriptors.DESCRIPTORS["soundalike"]
descriptors.DESCRIPTORS["soundalike"] = dataclasses.replace(mine, version=mine.version + 1)
"""
NO_SOUNDALIKE = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name == "soundalike" or name.startswith("soundalike."):
            raise ImportError(f"No module named {name!r}")
sys.meta_path.insert(0, Refuse())
for name in [n for n in sys.modules if n == "soundalike" or n.startswith("soundalike.")]:
    del sys.modules[name]
"""


@pytest.mark.parametrize("preload, expected", [
    (OTHER_VERSION, ", this computer with soundalike-3: install the same soundalike version on "
                    "every machine"),
    (NO_SOUNDALIKE, "the Dask workers cannot run soundalike"),
], ids=["another version", "not installed"])
def test_workers_with_another_or_no_soundalike_are_refused(tmp_path, preload, expected):
    """A real worker process whose soundalike differs (its descriptor has another version)
    or is missing (imports of it fail), made with dask's own --preload: the scan stops
    before profiling anything."""
    (tmp_path / "worker_setup.py").write_text(preload)
    root = make_library(tmp_path / "lib", 3)
    scheduler = distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=":0")
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", scheduler.scheduler_address,
         "--nthreads", "1", "--no-nanny", "--no-dashboard", "--preload",
         str(tmp_path / "worker_setup.py")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with Library(tmp_path / "lib.db") as library:
            with pytest.raises(EngineError) as error:
                library.scan([root], dask=scheduler.scheduler_address)
            assert library.status().profiled == 0
        assert expected in str(error.value)
    finally:
        worker.kill()
        worker.wait()
        scheduler.close()


def test_without_dask_installed_the_error_says_what_to_install(tmp_path):
    """A Python where importing distributed fails (a folder shadowing it on the path)."""
    shadow = tmp_path / "shadow" / "distributed"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('no distributed here')\n")
    root = make_library(tmp_path / "lib", 1)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "shadow")}
    done = subprocess.run([*CLI, "--db", str(tmp_path / "lib.db"), "scan", str(root), "--dask",
                           "tcp://127.0.0.1:8786"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 1
    assert "--dask needs Dask, which is not installed here: pip install 'soundalike[dask]'" \
        in done.stderr
