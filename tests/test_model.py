"""The learned embedding (soundalike-3): numpy inference equals training, copies stay nearest,
synthetic families get their categories, the training pipeline runs, old libraries upgrade."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from soundalike.engine import Library
from soundalike.engine.sound.analysis import soundalike_analysis
from soundalike.engine.sound.embedding import (
    MODEL_FILE,
    SoundModel,
    categorise,
    model_inputs,
    sound_model,
)
from tests.conftest import write_sound
from tests.synth import FAMILIES, drum, resample

REPO = Path(__file__).resolve().parents[1]
#: What each synthetic family is, in the engine's categories.
FAMILY_CATEGORY = {"kick": "kick", "snare": "snare", "hat": "closed hat", "clap": "clap",
                   "tom": "tom", "bell": "metal percussion"}
#: Float32 sums in another order: numpy and the training framework agree to this much.
GOLDEN_TOLERANCE = 1e-5


def test_numpy_inference_equals_the_training_frameworks_output():
    with np.load(MODEL_FILE) as arrays:
        inputs, expected = arrays["golden_inputs"], arrays["golden_outputs"]
    assert len(inputs) >= 4
    out = sound_model().embed(inputs)
    assert out.shape == expected.shape
    assert np.abs(out - expected).max() <= GOLDEN_TOLERANCE
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_synthetic_families_get_their_own_categories():
    model = sound_model()
    for family in ("kick", "snare", "hat", "tom", "bell"):
        signals = [(drum(family, seed=seed), 44100) for seed in range(12)]
        vectors, frames = soundalike_analysis(signals)
        names, confidence = categorise(model.category_scores(model.embed(
            model_inputs(vectors, frames))))
        top, count = Counter(names).most_common(1)[0]
        assert top == FAMILY_CATEGORY[family] and count >= 8, (family, Counter(names))
        assert np.all((confidence > 0) & (confidence <= 1))


def test_copies_stay_each_others_nearest_neighbours(tmp_path):
    root = tmp_path / "lib"
    for p, pack in enumerate(("Pack A", "Pack B")):
        for family in FAMILIES:
            for m in range(3):
                write_sound(root / pack / f"{family} {p}-{m}.wav",
                            drum(family, seed=50 * p + 7 * m + FAMILIES.index(family)), 44100)
    original = root / "Pack A" / "clap 0-1.wav"
    y, sr = sf.read(original, dtype="float32")
    copies = [
        write_sound(root / "Copies" / "clap -12 dB.wav", y * 10 ** (-12 / 20), sr),
        write_sound(root / "Copies" / "clap 48k.wav", resample(y, sr, 48000), 48000),
        write_sound(root / "Copies" / "clap.mp3", y, sr, fmt="MP3", subtype="MPEG_LAYER_III"),
    ]
    family = {str(original), *map(str, copies)}
    with Library(tmp_path / "copies.db") as library:
        library.scan([root], jobs=1)
        for query in [original, *copies]:
            nearest = library.similar([query], k=3)[0].neighbours
            assert {n.path for n in nearest} == family - {str(query)}, query
        groups = library.duplicates()
        assert [sorted(g.paths) for g in groups] == [sorted(family)]


def test_a_soundalike_2_library_keeps_answering_and_upgrades_at_the_next_scan(tmp_path):
    root = tmp_path / "lib"
    for family in ("kick", "snare", "hat"):
        for m in range(3):
            write_sound(root / f"{family} {m}.wav", drum(family, seed=m), 44100)
    (root / "broken.wav").write_bytes(b"RIFF....WAVEfmt nonsense")
    db = tmp_path / "old.db"
    with Library(db) as library:
        library.scan([root], descriptor="soundalike-2", jobs=1)
    # An index written before soundalike-3 names the family, not the version.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = 'soundalike' WHERE key = 'descriptor'")
    with Library(db) as library:
        status = library.status()
        assert status.descriptor == "soundalike-3" and status.stale == 9 and status.profiled == 0
        # Still searchable with the vectors it has, before any rescan.
        old = library.similar([root / "kick 0.wav"], k=2)[0]
        assert all("kick" in n.path for n in old.neighbours)
        assert old.neighbours[0].category is None
        report = library.scan(jobs=1)
        assert report.changed == 10 and report.failed == 1  # the broken file is tried again
        status = library.status()
        assert status.profiled == 9 and status.stale == 0 and status.failed == 1
        assert [r.path for r in status.roots] == [str(root)]
        assert sum(status.categories.values()) == 9
        new = library.similar([root / "kick 0.wav"], k=2)[0]
        assert new.category == "kick" and all(n.category for n in new.neighbours)


def test_training_pipeline_runs_on_a_tiny_generated_set(tmp_path):
    pytest.importorskip("torch", reason="training needs PyTorch: pip install -e '.[train]'")
    sounds = tmp_path / "sounds"
    rows = []
    for family, category in FAMILY_CATEGORY.items():
        for m in range(4):
            path = write_sound(sounds / f"kit{m % 2}" / f"{family} {m}.wav",
                               drum(family, seed=m), 44100)
            rows.append((str(path), category, f"kit{m % 2}", "test"))
    # An evaluation corpus holding a quieter copy of one training sound: the leak check must
    # refuse that sound, and only that one.
    evaluation = tmp_path / "evaluation"
    write_sound(evaluation / "copy.wav", drum("snare", seed=2) * 0.5, 44100)
    write_sound(evaluation / "other.wav", drum("bell", seed=99), 44100)
    table = tmp_path / "set.csv"
    with open(table, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "category", "kit", "source"])
        writer.writerows(rows)
    features, model = tmp_path / "features.npz", tmp_path / "model.npz"
    run = [sys.executable, str(REPO / "training" / "features.py"), str(table), str(features),
           "--views", "2", "--jobs", "1", "--evaluation", str(evaluation)]
    out = subprocess.run(run, check=True, capture_output=True, text=True, timeout=300).stdout
    assert "1 training sounds refused" in out and "snare 2.wav" in out
    with np.load(features) as arrays:
        assert arrays["vectors"].shape[:2] == (len(rows) - 1, 3)
    subprocess.run([sys.executable, str(REPO / "training" / "train.py"), str(features),
                    str(model), "--seeds", "0", "1", "--steps", "5", "--batch", "8"],
                   check=True, capture_output=True, timeout=300)
    trained = SoundModel.load(model)
    assert trained.dim == 2 * 128
    with np.load(model) as arrays:
        out = trained.embed(arrays["golden_inputs"])
        assert np.abs(out - arrays["golden_outputs"]).max() <= GOLDEN_TOLERANCE
    scores = trained.category_scores(out)
    assert scores.shape == (len(out), 11) and np.allclose(scores.sum(axis=1), 1.0, atol=1e-5)
