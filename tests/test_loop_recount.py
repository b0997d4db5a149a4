"""Loops counted again, once, in a library scanned before the loop rule improved: a mixed loop
(hats over a held bass, saturated) that the old rule called a one-shot is named ``loop`` at the
next scan without being profiled again; loops placed by their first hit are placed by all their
hits, with only the loops read again; a library scanned with the current rule is never read
twice. Real generated files, a real scan, a real SQLite index."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np

from soundalike.engine import Library
from soundalike.engine.scan.loop_recount import LOOP_RULE_META
from soundalike.engine.sound.hits import LOOP_HITS, LOOP_RULE, count_hits
from tests.conftest import write_drum, write_sound
from tests.synth import drum

SR = 44100


def mixed_loop(seed: int) -> np.ndarray:
    """Eighth-note hats over a held 55 Hz saw, saturated as a mixed loop is: a loop by its
    spectrum, a one-shot by its loudness envelope alone (the rule before)."""
    t = np.arange(int(2.4 * SR)) / SR
    y = 0.3 * sum(np.sin(2 * np.pi * 55 * k * t) / k for k in range(1, 12))
    eighth = 60 / 128 / 2
    for i in range(9):
        hat = drum("hat", sr=SR, seed=seed + i) * 0.5
        start = int(i * eighth * SR)
        y[start: start + len(hat)] += hat[: len(y) - start]
    return np.tanh(3.0 * y).astype(np.float32)


def _rows(db) -> dict[str, tuple]:
    with sqlite3.connect(db) as conn:
        return {p.decode(): (c, s) for p, c, s in conn.execute(
            "SELECT path, category, scanned_ns FROM files")}


def _meta(db, key):
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row and row[0]


def test_an_old_librarys_loops_are_counted_again_once(tmp_path):
    root = tmp_path / "samples"
    for m in range(3):
        write_sound(root / "Loops" / f"mixed {m}.wav", mixed_loop(seed=10 * m), SR)
        assert count_hits(mixed_loop(seed=10 * m), SR) < LOOP_HITS
    for family in ("kick", "snare", "tom", "bell"):
        write_drum(root / "One Shots" / f"{family}.wav", family, seed=3)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    assert _meta(db, LOOP_RULE_META) == LOOP_RULE  # a first scan uses the current rule
    named = _rows(db)
    assert all(c == "loop" for p, (c, _) in named.items() if "/Loops/" in p), named
    assert not any(c == "loop" for p, (c, _) in named.items() if "/One Shots/" in p), named

    # The library as the rule before left it: the mixed loops named by the model's head.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE files SET category = 'kick' WHERE category = 'loop'")
        conn.execute("UPDATE meta SET value = 'hits-0' WHERE key = ?", (LOOP_RULE_META,))
    before = _rows(db)
    phases = []
    with Library(db) as library:
        report = library.rescan(progress=lambda p: phases.append((p.phase, p.done, p.total)))
        catalogue = library.catalogue()
        loops = {p.decode() for p, is_loop in zip(catalogue.paths, catalogue.loops, strict=True)
                 if is_loop}
    assert report.changed == 0 and report.new == 0  # nothing profiled again ...
    assert report.loops_found == 3  # ... and said
    after = _rows(db)
    assert all(after[p][1] == before[p][1] for p in before)  # ... not a row rewritten by a scan
    assert {p for p in after if "/Loops/" in p} == loops  # ... but the loops named again
    assert all(after[p][0] == before[p][0] for p in after if "/One Shots/" in p)
    done, total = [(d, t) for ph, d, t in phases if ph == "loops"][-1]
    assert done == total >= 3  # with progress: every file long enough to be a loop, once
    assert _meta(db, LOOP_RULE_META) == LOOP_RULE

    # Once: the next rescan reads nothing again (a person's or a model's later say stands).
    renamed = next(p for p in after if "mixed 0" in p)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE files SET category = 'kick' WHERE path = ?", (renamed.encode(),))
    phases.clear()
    with Library(db) as library:
        library.rescan(progress=lambda p: phases.append(p.phase))
    assert "loops" not in phases
    assert _rows(db)[renamed][0] == "kick"


def test_a_file_that_cannot_be_read_keeps_its_name(tmp_path):
    """A loop file on a drive that is gone is not renamed, and the pass does not fail."""
    root = tmp_path / "samples"
    write_sound(root / "Loops" / "mixed.wav", mixed_loop(seed=1), SR)
    write_sound(root / "Loops" / "mixed gone.wav", mixed_loop(seed=2), SR)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE files SET category = 'kick'")
        conn.execute("UPDATE meta SET value = 'hits-0' WHERE key = ?", (LOOP_RULE_META,))
    from soundalike.engine.scan.loop_recount import recount_loops

    gone = root / "Loops" / "mixed gone.wav"
    shutil.move(gone, tmp_path / "elsewhere.wav")
    with Library(db) as library:
        assert recount_loops(library.store, library.descriptor).named == 1
    named = _rows(db)
    assert named[str(root / "Loops" / "mixed.wav")][0] == "loop"
    assert named[str(gone)][0] == "kick"


def test_the_command_line_says_how_many_loops_it_found(tmp_path):
    import subprocess
    import sys

    root = tmp_path / "samples"
    for m in range(2):
        write_sound(root / "Loops" / f"mixed {m}.wav", mixed_loop(seed=5 * m), SR)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    with sqlite3.connect(db) as conn:  # as the rule before left it
        conn.execute("UPDATE files SET category = 'kick'")
        conn.execute("UPDATE meta SET value = 'hits-0' WHERE key = ?", (LOOP_RULE_META,))
    out = subprocess.run([sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), "scan"],
                         capture_output=True, text=True, timeout=300, check=True)
    assert "2 more named loop (a better loop rule" in out.stdout + out.stderr
    assert "2 loops placed by all their hits" in out.stdout + out.stderr
    again = subprocess.run([sys.executable, "-m", "soundalike.engine.cli", "--db", str(db),
                            "scan"], capture_output=True, text=True, timeout=300, check=True)
    assert "named loop" not in again.stdout + again.stderr
    assert "placed by all their hits" not in again.stdout + again.stderr


def test_loops_placed_by_their_first_hit_are_placed_by_their_hits(tmp_path):
    """Under ``hits+spectrum-1`` the loops were named right but placed by their first hit:
    only they are read again and given their hits' learned numbers; no one-shot's row
    changes."""
    from soundalike.engine.index import vector_codec
    from soundalike.engine.sound.descriptors import get_descriptor

    root = tmp_path / "samples"
    for m in range(3):
        write_sound(root / "Loops" / f"mixed {m}.wav", mixed_loop(seed=7 * m), SR)
    for family in ("kick", "snare", "tom", "bell", "hat", "clap"):
        write_drum(root / "One Shots" / f"{family} long.wav", family, seed=5)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    descriptor = get_descriptor("soundalike")
    with sqlite3.connect(db) as conn:
        placed = {p.decode(): vector_codec.decode(v, descriptor)
                  for p, v in conn.execute("SELECT path, vector FROM files")}
    # The library as the rule before left it: each loop at its first hit's numbers.
    from soundalike.engine.sound.decode import decode

    with sqlite3.connect(db) as conn:
        for path, vector in placed.items():
            if "/Loops/" in path:
                audio = decode(path.encode(), max_seconds=2.5)
                first = descriptor.compute_many([(audio.y, audio.sr)])[0]
                assert not np.allclose(first[:descriptor.learned], vector[:descriptor.learned],
                                       atol=1e-2)
                conn.execute("UPDATE files SET vector = ? WHERE path = ?",
                             (vector_codec.encode(first, descriptor), path.encode()))
        conn.execute("UPDATE meta SET value = 'hits+spectrum-1' WHERE key = ?",
                     (LOOP_RULE_META,))
    before = _rows(db)
    with sqlite3.connect(db) as conn:
        blobs = dict(conn.execute("SELECT path, vector FROM files"))
    phases = []
    with Library(db) as library:
        report = library.rescan(progress=lambda p: phases.append((p.phase, p.done, p.total)))
        mates = library.mates(root / "Loops" / "mixed 0.wav").mates
    assert (report.loops_found, report.loops_placed) == (0, 3)
    assert [(d, t) for ph, d, t in phases if ph == "loops"][-1] == (3, 3)  # the loops alone
    assert _rows(db) == before  # no name changed, no row profiled again
    with sqlite3.connect(db) as conn:
        after = dict(conn.execute("SELECT path, vector FROM files"))
    for path, blob in after.items():
        if b"/Loops/" in path:  # the numbers a fresh scan gives (half precision)
            assert np.allclose(vector_codec.decode(blob, descriptor), placed[path.decode()],
                               atol=2e-3)
        else:
            assert blob == blobs[path]
    assert "mixed 1.wav" in {m.path.rsplit("/", 1)[-1] for m in mates}  # loops stay together
    assert _meta(db, LOOP_RULE_META) == LOOP_RULE


def test_short_files_an_older_rule_named_loops_by_their_spectrum_are_profiled_again(tmp_path):
    """Under ``hits+spectrum-2`` the spectrum was counted from half a second: a 0.8 s pattern
    was named ``loop`` and placed by its hits. Now it is no loop: it alone is read again and
    profiled again, and its row is what a fresh scan writes; longer loops are not read."""
    from tests.test_hits import hats_over_bass

    root = tmp_path / "samples"
    write_sound(root / "Loops" / "short.wav", hats_over_bass(0.8), SR)
    for m in range(2):
        write_sound(root / "Loops" / f"mixed {m}.wav", mixed_loop(seed=3 * m), SR)
    for family in ("kick", "snare", "hat"):
        write_drum(root / "One Shots" / f"{family}.wav", family, seed=2)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    short = str(root / "Loops" / "short.wav").encode()
    columns = "category, category_confidence, vector, descriptor, size, mtime_ns"
    with sqlite3.connect(db) as conn:
        fresh = conn.execute(f"SELECT {columns} FROM files WHERE path = ?", (short,)).fetchone()
        assert fresh[0] != "loop"
        loop_blob = conn.execute("SELECT vector FROM files WHERE path = ?", (
            str(root / "Loops" / "mixed 0.wav").encode(),)).fetchone()[0]
        # The library as the rule before left it: the short pattern a loop, placed elsewhere.
        conn.execute("UPDATE files SET category = 'loop', category_confidence = 0.99, "
                     "vector = ? WHERE path = ?", (loop_blob, short))
        conn.execute("UPDATE meta SET value = 'hits+spectrum-2' WHERE key = ?",
                     (LOOP_RULE_META,))
        others = {p: rest for p, *rest in conn.execute(
            f"SELECT path, {columns}, scanned_ns FROM files WHERE path != ?", (short,))}
    phases = []
    with Library(db) as library:
        report = library.rescan(progress=lambda p: phases.append((p.phase, p.done, p.total)))
        assert library.status().categories.get("loop") == 2
    assert (report.loops_found, report.loops_placed, report.loops_unnamed) == (0, 0, 1)
    assert [(d, t) for ph, d, t in phases if ph == "loops"][-1] == (1, 1)  # it alone read
    with sqlite3.connect(db) as conn:
        assert conn.execute(f"SELECT {columns} FROM files WHERE path = ?",
                            (short,)).fetchone() == fresh
        assert {p: rest for p, *rest in conn.execute(
            f"SELECT path, {columns}, scanned_ns FROM files WHERE path != ?", (short,))
        } == others
    assert _meta(db, LOOP_RULE_META) == LOOP_RULE
    with Library(db) as library:  # once: the next rescan reads nothing again
        again = library.rescan()
    assert (again.loops_found, again.loops_placed, again.loops_unnamed) == (0, 0, 0)
