"""Descriptor switches and upgrades: until every sound is reprofiled, every query uses the old
descriptor for the whole library; the scan that reprofiles the last sound switches at once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from soundalike.bridge.service import LibraryService
from soundalike.engine import EngineError, Library
from soundalike.engine.scan import scanner
from tests.conftest import write_drum
from tests.synth import FAMILIES


def test_a_stopped_descriptor_switch_keeps_every_sound_searchable(tmp_path, monkeypatch):
    root = tmp_path / "lib"
    for i in range(60):
        write_drum(root / f"pack {i % 3}" / f"{FAMILIES[i % 6]} {i:02d}.wav", FAMILIES[i % 6],
                   seed=i)
    db = tmp_path / "lib.db"
    query = root / "pack 0" / "kick 00.wav"
    with Library(db) as library:
        library.scan([root], descriptor="soundalike-2", jobs=1)
        library.clusters()

    # Progress after every batch of 8 files, so that the stop below lands after 24 of 60.
    monkeypatch.setattr(scanner, "CHUNK_SIZE", 8)
    monkeypatch.setattr(scanner, "PROGRESS_EVERY_SECONDS", 0.0)

    def stop(progress):  # Ctrl-C partway through the reprofiling
        if progress.phase == "profiling" and progress.done >= 20:
            raise KeyboardInterrupt

    with Library(db) as library, pytest.raises(KeyboardInterrupt):
        library.scan(descriptor="soundalike", jobs=1, progress=stop)
    with sqlite3.connect(db) as conn:
        switched = conn.execute("SELECT COUNT(*) FROM files WHERE descriptor = 'soundalike-3'"
                                ).fetchone()[0]
    assert 20 <= switched < 60, "the stop must land halfway"

    with Library(db) as library:
        status = library.status()
        assert status.descriptor == "soundalike-3" and status.search_descriptor == "soundalike-2"
        assert status.stale == 60 - switched
        found = library.similar([query], k=1000)[0].neighbours
        assert len(found) == 59 and all(n.category is None for n in found)  # one descriptor
        assert sum(c.size for c in library.clusters()) == 60
        with pytest.raises(EngineError, match="no categories"):  # as the old library says
            library.kit([query], pads=4)
        assert len(library.map_data().paths) == 60
    service = LibraryService(db)  # what the OSC server answers from
    service.load()
    assert service.size == 60 and service.snapshot.descriptor.key == "soundalike-2"

    with Library(db) as library:
        report = library.scan(jobs=1)  # the next scan carries the switch through
        assert report.changed == 60 - switched and report.descriptor_switched
        status = library.status()
        assert status.search_descriptor == "soundalike-3" and status.stale == 0
        assert status.profiled == 60
        found = library.similar([query], k=1000)[0].neighbours
        assert len(found) == 59 and all(n.category for n in found)
        assert sum(c.size for c in library.clusters()) == 60
        assert library.kit([query], pads=4).pads[0].path is not None
        assert library.scan(jobs=1).unchanged == 60
    with sqlite3.connect(db) as conn:  # the old profiles kept aside are gone
        assert conn.execute("SELECT COUNT(*) FROM files WHERE prev_vector IS NOT NULL"
                            ).fetchone()[0] == 0


def test_an_upgrade_killed_with_sigkill_keeps_every_sound_searchable(tmp_path):
    """An index profiled with soundalike-2 (as before soundalike-3), upgraded by a scan that is
    killed with -9 halfway: the CLI and the OSC server still answer from every sound."""
    root = tmp_path / "lib"
    count = 400
    for i in range(count):
        write_drum(root / f"pack {i % 5}" / f"hit {i:03d}.wav", FAMILIES[i % 6], seed=i % 40)
    db = tmp_path / "old.db"
    with Library(db) as library:
        library.scan([root], descriptor="soundalike-2", jobs=2)
    with sqlite3.connect(db) as conn:  # an index written before soundalike-3 names the family
        conn.execute("UPDATE meta SET value = 'soundalike' WHERE key = 'descriptor'")
    cli = [sys.executable, "-m", "soundalike.engine.cli", "--db", str(db)]
    upgrade = subprocess.Popen([*cli, "scan", "--jobs", "1", "--quiet"], start_new_session=True)
    deadline = time.monotonic() + 120
    while switched_rows(db) == 0:
        assert upgrade.poll() is None, "the upgrade finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(upgrade.pid, signal.SIGKILL)
    upgrade.wait()
    assert 0 < switched_rows(db) < count, "the kill must land halfway"

    query = str(root / "pack 0" / "hit 000.wav")
    found = json.loads(subprocess.run([*cli, "similar", "--json", "-k", "1000", query],
                                      capture_output=True, text=True, check=True).stdout)
    assert len(found["neighbours"]) == count - 1
    service = LibraryService(db)
    service.load()
    assert service.size == count

    report = json.loads(subprocess.run([*cli, "scan", "--json", "--jobs", "2"],
                                       capture_output=True, text=True, check=True).stdout)
    assert report["descriptor_switched"] and report["failed"] == 0
    with Library(db) as library:
        status = library.status()
        assert status.search_descriptor == "soundalike-3" and status.profiled == count
        assert len(library.similar([query], k=1000)[0].neighbours) == count - 1


def switched_rows(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM files WHERE descriptor = 'soundalike-3'"
                                ).fetchone()[0]
    except sqlite3.OperationalError:
        return 0
