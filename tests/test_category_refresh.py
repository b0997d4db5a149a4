"""A new category head names a library's sounds again from their stored profiles, once,
without decoding a file: a real scan, a real index, a real model file of another head."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np

from soundalike.engine import Library
from soundalike.engine.index.category_refresh import HEAD_META, head_digest
from soundalike.engine.sound.categories import CATEGORIES
from soundalike.engine.sound.model_file import model_path


def categories(db: Path) -> dict[bytes, str]:
    with sqlite3.connect(db) as conn:
        return {bytes(p): c for p, c in conn.execute(
            "SELECT path, category FROM files WHERE status = 'ok'")}


def cli(db: Path, *args: str, model: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if model is not None:
        env["SOUNDALIKE_MODEL"] = str(model)
    return subprocess.run([sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=300, env=env)


def test_a_library_named_by_an_older_head_is_named_again_once(small_kit, db_path):
    with Library(db_path) as library:
        library.scan([small_kit], jobs=1)
        assert library.store.get_meta(HEAD_META) == head_digest()
    fresh = categories(db_path)
    with sqlite3.connect(db_path) as conn:  # as an older soundalike left it
        conn.execute("UPDATE files SET category = 'cymbal', category_confidence = 0.5")
        conn.execute("DELETE FROM meta WHERE key = ?", (HEAD_META,))
    small_kit.rename(small_kit.with_name("unplugged"))  # no file can be decoded again
    with Library(db_path) as library:
        assert library.live.recategorised == sum(c != "cymbal" for c in fresh.values())
        catalogue = library.catalogue()
        assert {catalogue.category_of(r) for r in range(catalogue.size)} == set(fresh.values())
    assert categories(db_path) == fresh
    with Library(db_path) as library:
        assert library.live.recategorised == 0  # once


def test_another_head_renames_every_sound_and_says_so(small_kit, db_path, tmp_path):
    with Library(db_path) as library:
        library.scan([small_kit], jobs=1)
    shipped = categories(db_path)
    # The same networks with a head that hears a snare in everything.
    with np.load(model_path()) as arrays:
        parts = {name: arrays[name] for name in arrays.files}
    snare = CATEGORIES.index("snare")
    parts["class_intercept"] = parts["class_intercept"].astype(np.float32)
    parts["class_intercept"][snare] += 1000.0
    other_head = tmp_path / "snare-head.npz"
    np.savez(other_head, **parts)

    done = cli(db_path, "status", model=other_head)
    assert done.returncode == 0, done.stderr
    renamed = categories(db_path)
    changed = sum(renamed[p] != shipped[p] for p in shipped)
    assert changed and f"{changed} sounds named again" in done.stderr
    # every sound is a snare now, but those far from everything the model knows
    assert set(renamed.values()) <= {"snare", "other"}
    assert all(renamed[p] == "snare" for p in shipped if shipped[p] != "other")
    again = cli(db_path, "status", model=other_head)
    assert again.returncode == 0 and "named again" not in again.stderr
    # Back to the shipped head: the shipped categories, as a scan gave them.
    back = cli(db_path, "similar", "-k", "3", str(small_kit / "Pack A" / "kick 0.wav"))
    assert back.returncode == 0 and "named again" in back.stderr
    assert categories(db_path) == shipped


def test_a_big_library_is_told_before_it_is_named_again(small_kit, db_path, monkeypatch,
                                                         caplog):
    """Renaming a million sounds takes a minute: the command says so before it starts."""
    from soundalike.engine.index import category_refresh

    with Library(db_path) as library:
        library.scan([small_kit], jobs=1)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (HEAD_META,))
    monkeypatch.setattr(category_refresh, "ANNOUNCE_FROM", 1)
    with caplog.at_level("WARNING"), Library(db_path):
        pass
    assert any("naming" in r.getMessage() and "sounds again" in r.getMessage()
               for r in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING"), Library(db_path):  # once
        pass
    assert not caplog.records
