"""Storage faults in plain words, with real files: a damaged index, a read-only index and
folder (as an unprivileged user: root ignores permissions), a disk that fills up."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import write_drum


def soundalike(*args, db, check=False, user: str | None = None, env=None):
    command = [sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), *args]
    if user is not None:
        who = pwd.getpwnam(user)
        command = ["setpriv", f"--reuid={who.pw_uid}", f"--regid={who.pw_gid}",
                   "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, check=check, env=env)


def plain_error(out: subprocess.CompletedProcess, *words: str) -> None:
    """Failed, with a `soundalike: error:` line saying ``words``, and no traceback."""
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr, out.stderr
    assert "soundalike: error:" in out.stderr
    for word in words:
        assert word in out.stderr, out.stderr


def damage(db: Path) -> None:
    """Overwrite the page in the middle of the file, as a bad sector or a stray write would.
    (A whole page: 8 KiB written in its middle may land in its unused space, which no check
    can see, depending on where the schema's pages fall.)"""
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.seek(size // 2 // 16384 * 16384)
        f.write(b"\xa5" * 16384)


def test_a_damaged_index_says_so_and_can_be_rebuilt(small_kit, tmp_path):
    db = tmp_path / "damaged.db"
    soundalike("scan", str(small_kit), "-q", db=db, check=True)
    assert soundalike("check", db=db).returncode == 0
    damage(db)
    query = str(next(small_kit.rglob("*.wav")))
    for command in (["status"], ["similar", query], ["clusters"], ["duplicates"],
                    ["export", "json", str(tmp_path / "out.json")], ["scan"],
                    ["scan", str(small_kit)]):
        plain_error(soundalike(*command, db=db), "damaged", "scan --rebuild")
    checked = soundalike("check", db=db)
    plain_error(checked, "damaged")
    assert "is damaged:" in checked.stdout
    rebuilt = soundalike("scan", "--rebuild", "--json", db=db)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["new"] == 12
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("damaged.db.old-")]
    assert aside and "kept as" in rebuilt.stderr
    assert soundalike("check", db=db).returncode == 0
    status = json.loads(soundalike("status", "--json", db=db, check=True).stdout)
    assert status["files"] == 12 and status["roots"][0]["path"] == str(small_kit)


def test_missing_clusters_are_made_by_the_next_scan(small_kit, tmp_path):
    db = tmp_path / "unclustered.db"
    soundalike("scan", str(small_kit), "-q", db=db, check=True)
    with sqlite3.connect(db) as conn:  # as a scan killed while clustering leaves it
        conn.execute("DELETE FROM cluster_members")
        conn.execute("DELETE FROM clusters")
    report = json.loads(soundalike("scan", "--json", db=db, check=True).stdout)
    assert report["new"] == 0 and report["unchanged"] == 12
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM cluster_members").fetchone() == (12,)


@pytest.fixture
def shared_dir():
    """A folder every user may read (pytest's own tmp folders are private to root)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv (util-linux) to run a command as another user")
    base = Path(tempfile.mkdtemp(prefix="soundalike-perm-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base)


def _kit(base: Path) -> Path:
    root = base / "samples"
    for i, family in enumerate(("kick", "snare", "hat", "clap", "tom", "bell")):
        write_drum(root / f"{family} {i}.wav", family, seed=i)
    for folder in [root, *root.rglob("*")]:
        folder.chmod(0o755 if folder.is_dir() else 0o644)
    return root


def test_an_index_in_a_read_only_folder_can_be_read(shared_dir):
    root = _kit(shared_dir)
    index_dir = shared_dir / "index"
    index_dir.mkdir(mode=0o755)
    db = index_dir / "library.db"
    soundalike("scan", str(root), "-q", db=db, check=True)  # as root; nobody may not write here
    db.chmod(0o644)
    env = {**os.environ, "HOME": str(shared_dir)}
    status = soundalike("status", "--json", db=db, user="nobody", env=env)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["files"] == 6
    similar = soundalike("similar", str(root / "kick 0.wav"), "--json", db=db, user="nobody",
                         env=env)
    assert similar.returncode == 0, similar.stderr
    assert len(json.loads(similar.stdout)["neighbours"]) == 5
    plain_error(soundalike("scan", db=db, user="nobody", env=env), "read-only", "--db")
    (index_dir / "library.db.lock").unlink()  # no lock file yet: the folder is named
    plain_error(soundalike("scan", db=db, user="nobody", env=env), "not writable", "--db")


def test_a_read_only_index_file_reads_and_refuses_writes_plainly(shared_dir):
    root = _kit(shared_dir)
    index_dir = shared_dir / "index"
    index_dir.mkdir(mode=0o755)
    db = index_dir / "library.db"
    soundalike("scan", str(root), "-q", db=db, check=True)
    db.chmod(0o444)
    shutil.chown(index_dir, "nobody")  # the folder is writable, the file is not
    env = {**os.environ, "HOME": str(shared_dir)}
    status = soundalike("status", "--json", db=db, user="nobody", env=env)
    assert status.returncode == 0, status.stderr
    write_drum(root / "new kick.wav", "kick", seed=99)
    (root / "new kick.wav").chmod(0o644)
    plain_error(soundalike("scan", db=db, user="nobody", env=env), "read-only", "chmod")
    plain_error(soundalike("clusters", "--count", "2", db=db, user="nobody", env=env),
                "read-only")


def test_a_full_disk_stops_the_scan_plainly_and_the_next_scan_carries_on(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "small disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"mount is not permitted here: {mounted.stderr.strip()}")
    try:
        root = tmp_path / "samples"
        for i in range(400):
            write_drum(root / ("first" if i < 200 else "second") / f"hit {i:03d}.wav",
                       ("kick", "snare", "hat", "tom")[i % 4], seed=i)
        db = disk / "library.db"
        first = soundalike("scan", str(root / "first"), "--jobs", "1", "-q", db=db)
        assert first.returncode == 0, first.stderr
        # Fill the disk but for 128 KiB: less than the second folder's profiles need.
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        with open(disk / "filler", "wb") as f:
            f.write(b"\0" * (free - 128 * 1024))
        full = soundalike("scan", str(root / "second"), "--jobs", "1", db=db)
        plain_error(full, "full", "free some space", "carries on")
        (disk / "filler").unlink()
        again = soundalike("scan", "--json", "--jobs", "1", db=db)
        assert again.returncode == 0, again.stderr
        report = json.loads(again.stdout)
        assert report["unchanged"] >= 200  # nothing saved before the disk filled was lost
        assert report["unchanged"] + report["new"] == 400
        assert soundalike("check", db=db).returncode == 0
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
