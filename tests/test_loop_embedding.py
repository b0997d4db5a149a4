"""A loop is placed by all its hits, not its first: two beats of the same drums in another
order are nearer each other than a beat is to a run of other sounds that starts on the same
kick, and its stored learned numbers are its hits' mean. Real generated files, a real scan."""

from __future__ import annotations

import numpy as np

from soundalike.engine import Library
from soundalike.engine.sound.decode import decode
from soundalike.engine.sound.descriptors import get_descriptor
from soundalike.engine.sound.hits import hit_starts, is_loop
from soundalike.engine.sound.loop_embedding import LOOP_HITS_EMBEDDED, loop_embeddings
from soundalike.engine.sound.profiling import READ_SECONDS
from tests.conftest import write_drum, write_sound
from tests.synth import drum

SR = 44100


def pattern(families: list[str], seed: int, bpm: float = 120.0) -> np.ndarray:
    """One hit of each of ``families`` every eighth note, then the last one's tail."""
    step = int(60 / bpm / 2 * SR)
    y = np.zeros(step * len(families) + SR // 2, dtype=np.float32)
    for i, family in enumerate(families):
        hit = drum(family, sr=SR, seed=seed + i)[: len(y) - i * step]
        y[i * step: i * step + len(hit)] += 0.8 * hit
    return y / np.abs(y).max() * 0.9


def test_loops_are_placed_by_all_their_hits(tmp_path):
    root = tmp_path / "samples"
    beat = ["kick", "hat", "snare", "hat"] * 2
    loops = {
        "beat": pattern(beat, seed=1),
        "beat again": pattern(beat[2:] + beat[:2], seed=11),  # the same drums, from the snare
        "bells": pattern(["kick"] + ["bell", "tom", "clap"] * 2 + ["tom"], seed=21),
    }
    for name, y in loops.items():
        assert is_loop(y, SR) and len(hit_starts(y, SR, LOOP_HITS_EMBEDDED)) >= 4, name
        write_sound(root / "Loops" / f"{name}.wav", y, SR)
    write_drum(root / "One Shots" / "kick.wav", "kick", seed=1)
    db = tmp_path / "library.db"
    descriptor = get_descriptor("soundalike")
    with Library(db) as library:
        library.scan([root], jobs=1)
        catalogue = library.catalogue()
        index, width = catalogue.index, catalogue.index.learned
        row = {name: catalogue.row_of(str(root / "Loops" / f"{name}.wav").encode())
               for name in loops}
        learned = {name: index.rows(r, width) for name, r in row.items()}

        def distance(a: str, b: str) -> float:
            return float(np.sqrt(np.mean((learned[a] - learned[b]) ** 2)))

        # By their first hit, "beat" and "bells" (both on a kick) were the nearer pair.
        first = descriptor.compute_many([(y, SR) for y in loops.values()])[:, :width]
        by_first = dict(zip(loops, first, strict=True))
        assert (np.linalg.norm(by_first["beat"] - by_first["bells"])
                < np.linalg.norm(by_first["beat"] - by_first["beat again"]))
        assert distance("beat", "beat again") < distance("beat", "bells")
        found = library.similar([root / "Loops" / "beat.wav"], k=1)[0].neighbours
        assert found[0].path == str(root / "Loops" / "beat again.wav")
        # What is stored is the hits' mean, at unit length (stored in half precision).
        for name in loops:
            audio = decode(str(root / "Loops" / f"{name}.wav").encode(), max_seconds=READ_SECONDS)
            expected = loop_embeddings(descriptor, [(audio.y, audio.sr)])[0]
            stored = catalogue.space.mean_[:width] + learned[name] * catalogue.space.scale_[:width]
            assert np.allclose(stored, expected, atol=2e-3), name
            assert abs(np.linalg.norm(expected) - 1.0) < 1e-5
