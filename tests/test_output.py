"""Every output soundalike writes (export csv/json/links, the map page and picture) follows one
rule: never inside the library (real paths, through every symlink), written whole or not at
all (a temporary file renamed over the target), and a plain error for a path it cannot use.
Real symlinked folders, real processes, a real full disk (tmpfs) where this machine allows."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from soundalike.engine.export import link_name
from tests.conftest import small_disk_at, tree_snapshot, write_drum
from tests.synth import FAMILIES


def soundalike(*args, db, check=False):
    return subprocess.run([sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), *args],
                          capture_output=True, text=True, check=check)


LONG_NAME = "x" * 251 + ".wav"  # 255 bytes: the longest name the disk allows


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    """A library scanned as ``Samples``, a symlink to ``disk/Samples``, as many users have it."""
    base = tmp_path_factory.mktemp("linked")
    real = base / "disk" / "Samples"
    for i, family in enumerate(FAMILIES * 2):
        write_drum(real / f"Pack {i % 2}" / f"{family} {i}.wav", family, seed=i)
    write_drum(real / "Pack 0" / "some-tom.wav", "tom", seed=77)
    write_drum(real / "Pack 1" / LONG_NAME, "kick", seed=78)
    (base / "Samples").symlink_to(real, target_is_directory=True)
    db = base / "index.db"
    scanned = soundalike("scan", str(base / "Samples"), "--jobs", "1", db=db, check=True)
    assert "failed 0" in scanned.stdout
    return base, db


def refused(result, root: Path) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "outside your sample folders" in result.stderr
    assert str(root.resolve()) in result.stderr  # the library folder is named


def test_nothing_is_written_inside_the_library_through_any_symlink(linked, tmp_path):
    base, db = linked
    samples, real = base / "Samples", base / "disk" / "Samples"
    sample = samples / "Pack 0" / "some-tom.wav"
    before = tree_snapshot(real)
    # A link outside the library pointing at a sample, and one pointing at a new name inside.
    (tmp_path / "points-at-a-sample.csv").symlink_to(real / "Pack 0" / "some-tom.wav")
    (tmp_path / "dangling.html").symlink_to(real / "Pack 1" / "new.html")
    attempts = [
        ("export", "csv", str(sample)),
        ("export", "json", str(sample)),
        ("export", "csv", str(real / "Pack 0" / "some-tom.wav")),  # the real path itself
        ("export", "json", str(samples / "Pack 0" / "new.json")),  # a new file inside
        ("export", "csv", str(tmp_path / "points-at-a-sample.csv")),
        ("export", "links", str(samples / "clusters")),
        ("export", "links", str(samples)),
        ("map", "--out", str(sample)),
        ("map", "--out", str(tmp_path / "dangling.html")),
        ("map", "--png", str(sample), "--out", str(tmp_path / "fine.html")),
        ("device", "--install", str(samples / "Pack 0")),
        ("device", "--pd", str(real / "patches")),
    ]
    for args in attempts:
        refused(soundalike(*args, db=db), samples)
    assert tree_snapshot(real) == before  # every sample's bytes, size and mtime as they were
    assert not (tmp_path / "fine.html").exists()  # refused before anything was written
    assert os.readlink(tmp_path / "points-at-a-sample.csv") == str(real / "Pack 0" /
                                                                   "some-tom.wav")


def test_the_index_file_is_not_an_output_either(linked, tmp_path):
    base, db = linked
    before = db.read_bytes()
    (tmp_path / "index link.csv").symlink_to(db)
    for args in (("export", "csv", str(db)), ("export", "json", str(db) + "-wal"),
                 ("map", "--out", str(db)), ("map", "--png", str(tmp_path / "index link.csv"))):
        result = soundalike(*args, db=db)
        assert result.returncode == 1 and "the library's index file" in result.stderr, args
    assert db.read_bytes() == before
    assert soundalike("status", db=db).returncode == 0


def test_outputs_replace_the_target_in_one_rename(linked, tmp_path):
    """A hard link to a sample outside the library is replaced, never written through."""
    base, db = linked
    real = base / "disk" / "Samples"
    before = tree_snapshot(real)
    hard = tmp_path / "hard.csv"
    os.link(real / "Pack 0" / "some-tom.wav", hard)
    assert soundalike("export", "csv", str(hard), db=db).returncode == 0
    assert hard.read_text().startswith("path,status")
    assert tree_snapshot(real) == before
    page, picture = tmp_path / "map.html", tmp_path / "map.png"
    result = soundalike("map", "--out", str(page), "--png", str(picture), db=db, check=True)
    assert "Traceback" not in result.stderr
    assert page.read_text().startswith("<!DOCTYPE html>")
    assert picture.read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.csv", "map.html", "map.png"]


def test_paths_that_cannot_be_written_get_a_plain_error(linked, tmp_path):
    base, db = linked
    missing = tmp_path / "no such folder"
    (tmp_path / "a file").write_text("x")
    cases = [
        (("map", "--out", str(missing / "map.html")), "there is no folder"),
        (("map", "--png", str(missing / "map.png")), "there is no folder"),
        (("export", "csv", str(missing / "index.csv")), "there is no folder"),
        (("export", "json", str(missing / "index.json")), "there is no folder"),
        (("map", "--out", str(tmp_path)), "it is a folder"),
        (("map", "--png", str(tmp_path)), "it is a folder"),
        (("export", "csv", str(tmp_path)), "it is a folder"),
        (("export", "json", str(tmp_path)), "it is a folder"),
        (("export", "links", str(tmp_path / "a file")), "is not a folder"),
        (("export", "csv", str(tmp_path / "a file" / "x.csv")), "there is no folder"),
    ]
    for args, words in cases:
        result = soundalike(*args, db=db)
        assert result.returncode == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert words in result.stderr, (args, result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a file"]


def test_a_255_byte_name_gets_a_shortened_unique_link(linked, tmp_path):
    base, db = linked
    out = tmp_path / "by cluster"
    result = soundalike("export", "links", str(out), db=db)
    assert result.returncode == 0, result.stderr
    links = [p for p in out.rglob("*") if p.is_symlink()]
    assert len(links) == 14 and f"{len(links)} links" in result.stderr
    targets = {os.readlink(p) for p in links}
    assert len(targets) == 14  # every sound, the one with the longest name too
    long = next(p for p in links if os.readlink(p).endswith(LONG_NAME))
    assert len(os.fsencode(long.name)) <= 255 and long.name.endswith("~.wav")
    assert Path(os.readlink(long)).exists()


def test_link_names_are_shortened_whole_characters_and_stay_unique():
    names = {link_name(rank, b"/s/" + "é".encode() * 200 + b".wav") for rank in range(1, 150)}
    assert len(names) == 149
    for name in names:
        assert len(name) <= 255 and name.endswith(b"~.wav")
        name.decode("utf-8")  # no character cut in two
    assert link_name(3, b"/s/kick.wav") == b"03 kick.wav"


@pytest.fixture
def small_disk(tmp_path):
    """A real 1 MB file system (tmpfs) to fill up; skipped where this machine cannot mount."""
    with small_disk_at(tmp_path / "small disk", "1m") as mount:
        yield mount


def fill(disk: Path) -> None:
    """Use up every byte and every inode left on ``disk``."""
    with contextlib.suppress(OSError), open(disk / "filler", "wb") as f:
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    for i in range(1000):
        try:
            (disk / f"filler-{i}").touch()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
            break


def test_a_full_disk_keeps_the_previous_map_and_export(linked, small_disk):
    base, db = linked
    page, picture = small_disk / "map.html", small_disk / "map.png"
    table, out = small_disk / "index.json", small_disk / "links"
    soundalike("map", "--out", str(page), "--png", str(picture), db=db, check=True)
    soundalike("export", "json", str(table), db=db, check=True)
    soundalike("export", "links", str(out), db=db, check=True)
    kept = {p: p.read_bytes() for p in (page, picture, table)}
    links = sorted(str(p) for p in out.rglob("*") if p.is_symlink())
    fill(small_disk)
    for args in (("map", "--out", str(page)), ("map", "--png", str(picture), "--out",
                                                str(page)),
                 ("export", "json", str(table)), ("export", "csv", str(small_disk / "new.csv")),
                 ("export", "links", str(out)), ("export", "links", str(small_disk / "more"))):
        result = soundalike(*args, db=db)
        assert result.returncode == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert "the disk is full" in result.stderr, (args, result.stderr)
    assert {p: p.read_bytes() for p in kept} == kept
    assert sorted(str(p) for p in out.rglob("*") if p.is_symlink()) == links
    leftovers = sorted(p.name for p in small_disk.iterdir() if not p.name.startswith("filler"))
    assert leftovers == ["index.json", "links", "map.html", "map.png"]
