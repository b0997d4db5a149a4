"""Loops find loops and one-shots find one-shots: a library of generated drum one-shots and
beats sequenced from the same drums, scanned for real, searched through the engine and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from soundalike.engine import EngineError, Library
from tests.conftest import write_drum, write_sound
from tests.synth import FAMILIES, drum

SR = 44100
LOOPS = 6


def beat(seed: int, bpm: float) -> np.ndarray:
    """Two bars of eighth notes: kick, hat, snare, hat, as a drum machine plays them."""
    eighth = 60 / bpm / 2
    y = np.zeros(int(16 * eighth * SR) + SR // 2, np.float32)
    for i in range(16):
        sound = drum(("kick", "hat", "snare", "hat")[i % 4], sr=SR, seed=seed + i) * 0.7
        start = int(i * eighth * SR)
        y[start: start + len(sound)] += sound[: len(y) - start]
    return y


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> tuple[Path, Path]:
    """24 one-shots (every family, 4 each) and 6 beats beginning on a kick."""
    base = tmp_path_factory.mktemp("loops")
    root = base / "samples"
    for family in FAMILIES:
        for m in range(4):
            write_drum(root / "One Shots" / f"{family} {m}.wav", family, seed=100 * m + 7)
    for m in range(LOOPS):
        write_sound(root / "Loops" / f"beat {m}.wav", beat(seed=50 * m, bpm=90 + 12 * m), SR)
    db = base / "library.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    return root, db


def is_loop_path(path: str) -> bool:
    return "/Loops/" in path


def test_beats_are_named_loops(mixed):
    root, db = mixed
    with Library(db) as library:
        catalogue = library.catalogue()
        named = {p.decode(): catalogue.category_of(r) for r, p in enumerate(catalogue.paths)}
    assert all(named[p] == "loop" for p in named if is_loop_path(p)), named
    assert not any(named[p] == "loop" for p in named if not is_loop_path(p)), named


def test_a_loop_finds_loops_and_a_one_shot_finds_one_shots(mixed):
    root, db = mixed
    with Library(db) as library:
        loop = library.similar([root / "Loops" / "beat 0.wav"], 5)[0]
        assert [is_loop_path(n.path) for n in loop.neighbours] == [True] * 5
        kick = library.similar([root / "One Shots" / "kick 0.wav"], 10)[0]
        assert not any(is_loop_path(n.path) for n in kick.neighbours)
        # Without the rule, a beat that starts on a kick is near the kicks: the rule decides.
        mixed_up = library.similar([root / "Loops" / "beat 0.wav"], 20, kind="any")[0]
        assert not all(is_loop_path(n.path) for n in mixed_up.neighbours)


def test_the_other_kind_fills_in_when_the_library_has_too_few(mixed):
    root, db = mixed
    with Library(db) as library:
        result = library.similar([root / "Loops" / "beat 1.wav"], 8)[0]
    kinds = [is_loop_path(n.path) for n in result.neighbours]
    assert kinds == [True] * (LOOPS - 1) + [False] * (8 - LOOPS + 1)  # its own loops first


def test_kind_and_category_choose_explicitly(mixed):
    root, db = mixed
    with Library(db) as library:
        only_loops = library.similar([root / "One Shots" / "kick 1.wav"], 10, kind="loop")[0]
        assert [is_loop_path(n.path) for n in only_loops.neighbours] == [True] * LOOPS
        by_category = library.similar([root / "One Shots" / "kick 1.wav"], 3,
                                      category="loop")[0]
        assert all(is_loop_path(n.path) for n in by_category.neighbours)
        with pytest.raises(EngineError, match="kind must be one of"):
            library.similar([root / "One Shots" / "kick 1.wav"], 3, kind="long")


def test_the_cli_takes_kind(mixed):
    root, db = mixed
    out = subprocess.run(
        [sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), "similar", "--json",
         "--kind", "one-shot", "-k", "4", str(root / "Loops" / "beat 2.wav")],
        capture_output=True, text=True, check=True,
    ).stdout
    neighbours = json.loads(out)["neighbours"]
    assert len(neighbours) == 4 and not any(is_loop_path(n["path"]) for n in neighbours)


def test_osc_clients_choose_the_kind(mixed):
    """A real server on loopback: the default keeps a loop with loops, ``kind any`` does not."""
    from tests.test_bridge import serving

    root, db = mixed
    query = str(root / "Loops" / "beat 3.wav")
    with serving(db) as (server, client, sender):
        sender.send_message("/soundalike/similar", [1, query, 5])
        rows = client.receive("done")[:-1]
        assert len(rows) == 5 and all(is_loop_path(r.args[2]) for r in rows)
        sender.send_message("/soundalike/similar", [2, query, 5, "kind", "one-shot"])
        rows = client.receive("done")[:-1]
        assert len(rows) == 5 and not any(is_loop_path(r.args[2]) for r in rows)
        sender.send_message("/soundalike/similar", [3, query, 5, "kind", "long"])
        (error,) = client.receive("error")
        assert "kind must be one of" in " ".join(str(a) for a in error.args)


def test_a_melody_is_a_loop_whatever_its_first_note_sounds_like(tmp_path):
    """Eight organ notes: the head hears a tonal first note, the file is a loop (as it is in
    a library named by an older head, whose loops are kept)."""
    import os

    from soundalike.engine.sound.descriptors import get_descriptor
    from soundalike.engine.sound.profiling import profile_files

    t = np.arange(int(0.4 * SR)) / SR
    gap = np.zeros(int(0.05 * SR))

    def organ(f: float) -> np.ndarray:
        partials = sum(a * np.sin(2 * np.pi * f * k * t)
                       for k, a in ((1, 1.0), (2, 0.5), (3, 0.3), (4, 0.2)))
        return np.concatenate([0.3 * partials * np.minimum(t / 0.01, 1), gap])

    melody = np.concatenate([organ(f) for f in (523, 659, 784, 659, 523, 440, 523, 392)])
    paths = [write_sound(tmp_path / "organ melody.wav", melody.astype(np.float32), SR),
             write_sound(tmp_path / "organ note.wav", organ(523).astype(np.float32), SR)]
    items = [(os.fsencode(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths]
    melody_profile, note_profile = profile_files(items, get_descriptor("soundalike"))
    assert note_profile.category == "tonal"  # what the head hears in the first note
    assert melody_profile.category == "loop"
