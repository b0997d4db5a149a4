"""The training data scripts on tiny generated stand-ins (no network): acoustic kits mixed from
their microphones, loops from one-shots, synthetic effects, voices, General MIDI melodic
programs; and the calibration of the category head."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from soundalike.engine.sound.categories import FINE_CATEGORIES
from soundalike.engine.sound.decode import decode
from tests.conftest import write_sound
from tests.synth import drum

REPO = Path(__file__).resolve().parents[1]
TRAINING = REPO / "training"
sys.path.insert(0, str(TRAINING))


def labels_of(folder: Path) -> list[dict]:
    with open(folder / "labels.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def run(script: str, *args) -> str:
    return subprocess.run([sys.executable, str(TRAINING / script), *map(str, args)],
                          check=True, capture_output=True, text=True, timeout=300).stdout


def tone(freq: float, seconds: float = 0.5, sr: int = 44100) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (0.5 * np.sin(2 * np.pi * freq * t) * np.exp(-t / 0.1)).astype(np.float32)


def test_acoustic_kits_are_mixed_from_their_microphones_and_labelled(tmp_path):
    muldjord = tmp_path / "DrumGizmo.MuldjordKit" / "DrumGizmo" / "MuldjordKit" / "Samples"
    for folder, take in (("CrashR", 1), ("CrashR", 2), ("RideLBell", 1), ("China", 1)):
        for mic, freq in (("OHL", 300), ("AmbL", 500), ("Snare_top", 700), ("Trigger", 5000)):
            write_sound(muldjord / folder / f"{take}-{folder}-{mic}.flac", tone(freq), 44100,
                        fmt="FLAC")
    gogodze = tmp_path / "gogodze"
    for mic in ("front", "oh", "wndw", "retro"):
        for name in ("ks_vl1_rr1", "ss_vl2_rr3", "hf_vl1_rr1", "ho_vl4_rr2", "zz_vl1_rr1"):
            freq = 9000 if mic == "retro" else 200 + 100 * len(mic)
            write_sound(gogodze / "Samples" / f"{mic}_mic" / f"{name}.wav", tone(freq), 44100)
    sonor = tmp_path / "SamsSonor"
    for name in ("HHPedal#1", "HHHalfOpen", "RideBell#2", "CrashTip", "SnareOffLeft#3",
                 "Mystery"):
        write_sound(sonor / "Samples" / f"{name}.flac", np.stack([tone(400)] * 2, axis=1),
                    44100, fmt="FLAC")
    out = tmp_path / "out"
    run("acoustic.py", out, "--muldjord", tmp_path / "DrumGizmo.MuldjordKit",
        "--gogodze", gogodze, "--sonor", sonor)
    rows = {(r["kit"], r["path"]): r for r in labels_of(out)}
    category = {Path(p).stem + ("@room" if "/room/" in p else ""): r["category"]
                for (_, p), r in rows.items()}
    assert category["CrashR-001"] == category["CrashR-002"] == "crash"
    assert category["RideLBell-001"] == "ride" and category["China-001"] == "other cymbal"
    assert category["ks_vl1_rr1"] == "kick" and category["ss_vl2_rr3"] == "rim"
    assert category["hf_vl1_rr1"] == "closed hat" and category["ho_vl4_rr2"] == "open hat"
    assert category["HHPedal-1"] == "closed hat" and category["HHHalfOpen"] == "open hat"
    assert category["RideBell-2"] == "ride" and category["CrashTip"] == "crash"
    assert category["SnareOffLeft-3"] == "snare"
    assert "zz_vl1_rr1" not in category and "Mystery" not in category  # no label, left out
    assert category["CrashR-001@room"] == "crash"  # the overhead + room view
    assert set(category.values()) <= set(FINE_CATEGORIES)

    def spectrum(relative: str) -> np.ndarray:
        y, sr = sf.read(out / relative)
        assert sr == 44100 and y.ndim == 1 and len(y) <= 3 * sr
        assert abs(np.abs(y).max() - 10 ** (-1 / 20)) < 1e-3  # peak at -1 dBFS
        return np.abs(np.fft.rfft(y, n=sr))  # 1 Hz bins

    mix = spectrum("muldjord/mix/CrashR-001.wav")
    assert min(mix[300], mix[500], mix[700]) > 100 * mix[5000]  # every mic but the trigger
    room = spectrum("muldjord/room/CrashR-001.wav")
    assert min(room[300], room[500]) > 100 * room[700]  # overhead and ambience only
    mix = spectrum("gogodze2/mix/ks_vl1_rr1.wav")
    assert mix[9000] < 0.01 * mix[700]  # the lo-fi retro microphone is left out


def test_loops_are_sequenced_from_one_shots(tmp_path):
    rows = []
    for family, category in (("kick", "kick"), ("snare", "snare"), ("hat", "closed hat"),
                             ("tom", "tom")):
        path = write_sound(tmp_path / "kit" / f"{family}.wav", drum(family, seed=1), 44100)
        rows.append((str(path), category, "kit:a", "test"))
    table = tmp_path / "set.csv"
    with open(table, "w", newline="") as handle:
        csv.writer(handle).writerows([("path", "category", "kit", "source"), *rows])
    out = tmp_path / "loops"
    run("loops.py", table, out, "--count", "4", "--seed", "3")
    loops = labels_of(out)
    assert len(loops) == 4 and {r["category"] for r in loops} == {"loop"}
    for row in loops:
        y, sr = sf.read(out / row["path"])
        assert len(y) == 3 * sr
        # several hits: the loud onsets of at least four sixteenths at 180 BPM or slower
        envelope = np.abs(y).reshape(-1, 441).max(axis=1)  # 10 ms blocks
        rises = np.flatnonzero((envelope[1:] > 0.3) & (envelope[1:] > 3 * envelope[:-1]))
        assert len(rises) >= 4, row


def test_effects_and_voices_are_generated(tmp_path):
    out = tmp_path / "fx"
    run("noises.py", out, "--count", "6")
    rows = labels_of(out)
    assert len(rows) == 6 and {r["category"] for r in rows} == {"fx"}
    for row in rows:
        audio = decode(out / row["path"])
        assert 1.4 <= audio.duration <= 3.1 and np.abs(audio.y).max() > 0.5
    if shutil.which("espeak-ng") is None:
        pytest.skip("install espeak-ng")
    voices = tmp_path / "voices"
    run("voices.py", voices, "--count", "3")
    rows = labels_of(voices)
    assert len(rows) == 3 and {r["category"] for r in rows} == {"vocal"}
    assert all(decode(voices / r["path"]).duration > 0.1 for r in rows)


def test_synthetic_tones_are_steady_or_plucked_and_pitched(tmp_path):
    """Single-cycle waveforms and held notes keep their level to the end (the kick they are
    mistaken for decays); plucks decay; every one has a pitch, none is silent."""
    out = tmp_path / "tones"
    run("tones.py", out, "--count", "12", "--seed", "3")
    rows = labels_of(out)
    assert len(rows) == 12 and {r["category"] for r in rows} == {"tonal"}
    assert {r["kit"] for r in rows} == {"tones:cycle", "tones:held", "tones:pluck"}
    for row in rows:
        audio = decode(out / row["path"])
        y = audio.y
        assert 0.015 <= audio.duration <= 3.1 and np.abs(y).max() > 0.5, row
        quarter = len(y) // 4
        first = np.sqrt(np.mean(y[quarter: 2 * quarter] ** 2))
        last = np.sqrt(np.mean(y[2 * quarter: 3 * quarter] ** 2))
        if row["kit"] == "tones:pluck":
            assert last < 0.9 * first, row
        else:
            assert last > 0.5 * first, row  # steady (a held note's vibrato or release aside)
        spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y))))
        assert spectrum.max() > 20 * np.median(spectrum), row  # harmonic peaks, not noise


def test_melodic_programs_are_rendered_by_family(tmp_path):
    font = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
    if shutil.which("fluidsynth") is None or not font.is_file():
        pytest.skip("install fluidsynth fluid-soundfont-gm")
    out = tmp_path / "melodic"
    run("render_gm.py", out, font, "--melodic", "--programs", "0", "33", "52")
    rows = labels_of(out)
    by_program = {}
    for row in rows:
        by_program.setdefault(int(row["provenance"].split()[2]), set()).add(row["category"])
    assert by_program == {0: {"tonal"}, 33: {"tonal"}, 52: {"vocal"}}
    held = [r for r in rows if r["path"].endswith("2.0s.wav")]
    assert len(held) == 3 and all(decode(out / r["path"]).duration >= 2.0 for r in held)


def test_build_set_takes_labelled_folders(tmp_path):
    folder = tmp_path / "acoustic"
    write_sound(folder / "a.wav", drum("kick", seed=1), 44100)
    with open(folder / "labels.csv", "w", newline="") as handle:
        csv.writer(handle).writerows([("path", "category", "kit", "provenance"),
                                      ("a.wav", "kick", "acoustic:x", "mix")])
    exclude = tmp_path / "exclude.txt"
    exclude.write_text("")
    table = tmp_path / "set.csv"
    run("build_set.py", table, "--labelled", folder, "--exclude", exclude)
    with open(table, newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["category"] == "kick" and row["kit"] == "acoustic:x"
    assert row["source"] == "acoustic" and Path(row["path"]).is_file()
    with pytest.raises(subprocess.CalledProcessError):  # a folder inside an evaluation corpus
        run("build_set.py", table, "--labelled", folder, "--exclude", exclude,
            "--evaluation", tmp_path)


def test_the_fitted_temperature_undoes_overconfidence():
    pytest.importorskip("torch", reason="training needs PyTorch: pip install -e '.[train]'")
    from train import fit_temperature

    rng = np.random.default_rng(0)
    true_logits = rng.normal(0, 2.5, (4000, 6))
    p = np.exp(true_logits) / np.exp(true_logits).sum(axis=1, keepdims=True)
    classes = np.array([rng.choice(6, p=row) for row in p])
    overconfident = 4.0 * true_logits  # what a head fitted on its own training data says
    t = fit_temperature(overconfident, classes)
    assert 3.3 <= t <= 4.8
    calibrated = overconfident / t
    q = np.exp(calibrated) / np.exp(calibrated).sum(axis=1, keepdims=True)
    sure = q.max(axis=1) >= 0.9
    before = np.exp(overconfident) / np.exp(overconfident).sum(axis=1, keepdims=True)
    # Among the sounds it is 90% sure of, it is right about 90% of the time (and it was not).
    right = q.argmax(axis=1) == classes
    assert sure.sum() > 300 and right[sure].mean() >= 0.88
    assert right[before.max(axis=1) >= 0.9].mean() < 0.85
