"""The profile of a file stays what it was: descriptor, mel frames, embedding and category of
generated sounds, pinned to values stored in ``golden/profiles.npz``.

The learned model was trained on exactly these inputs, and libraries keep their stored vectors
until the descriptor's version changes: making the analysis faster (one FFT instead of two,
float32, fewer Python loops) must not move a single number beyond float32 rounding. The golden
file was written by the code before such work (``python -m tests.test_profile_golden``); write
it again only together with a new descriptor version.

The sounds are made by :mod:`tests.synth` (seeded numpy, deterministic) and written as real
files in several formats, rates and channel counts, then profiled as a scan worker profiles a
batch (:func:`profile_files`), and one by one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from soundalike.engine.sound.analysis import SOUNDALIKE_DIM, soundalike_analysis
from soundalike.engine.sound.decode import decode
from soundalike.engine.sound.descriptors import get_descriptor
from soundalike.engine.sound.embedding import LEARNED_DIM
from soundalike.engine.sound.profiling import READ_SECONDS, STATUS_OK, profile_files
from tests.conftest import write_sound
from tests.synth import drum, resample

GOLDEN = Path(__file__).parent / "golden" / "profiles.npz"
#: float32 rounding in another order of sums, relative to each block's scale.
RELATIVE = 1e-4


def _cases() -> list[tuple[str, np.ndarray, int, str, str, int]]:
    """(name, samples, rate, format, subtype, channels): the paths a scan worker takes."""

    def at(y, sr):
        return y if sr == 44100 else resample(y, 44100, sr)

    bell = drum("bell", seed=5)
    cases = [
        ("kick", drum("kick", seed=1), 44100, "WAV", "PCM_24", 1),
        ("snare", drum("snare", seed=2), 44100, "WAV", "PCM_16", 1),
        ("hat", drum("hat", seed=3), 44100, "FLAC", "PCM_16", 1),
        ("clap", drum("clap", seed=4), 44100, "AIFF", "PCM_16", 2),
        ("tom", drum("tom", seed=6), 44100, "WAV", "FLOAT", 1),
        ("bell", bell, 44100, "WAV", "PCM_24", 1),
        ("kick 48k stereo", at(drum("kick", seed=7), 48000), 48000, "WAV", "PCM_24", 2),
        ("snare 96k", at(drum("snare", seed=8), 96000), 96000, "WAV", "FLOAT", 1),
        ("hat 22k", at(drum("hat", seed=9), 22050), 22050, "WAV", "PCM_16", 1),
        ("tom 8k", at(drum("tom", seed=10), 8000), 8000, "WAV", "PCM_16", 1),
        ("clap 32k", at(drum("clap", seed=11), 32000), 32000, "FLAC", "PCM_24", 1),
    ]
    silence = np.zeros(int(0.3 * 44100), dtype=np.float32)
    cases.append(("snare after silence", np.concatenate([silence, drum("snare", seed=12)]),
                  44100, "WAV", "PCM_24", 1))
    cases.append(("quiet hat", drum("hat", seed=13) * np.float32(0.01), 44100, "WAV", "FLOAT", 1))
    cases.append(("12 ms click", drum("hat", seed=14)[: int(0.012 * 44100)], 44100, "WAV",
                  "PCM_16", 1))
    long_bell = np.concatenate([bell, bell, bell])  # past the seconds a scan reads
    cases.append(("long bell", long_bell, 44100, "WAV", "PCM_16", 1))
    t = np.arange(int(0.8 * 44100)) / 44100
    square = np.sign(np.sin(2 * np.pi * 110 * t)).astype(np.float32) * np.float32(0.99)
    cases.append(("clipped square", square, 44100, "WAV", "PCM_16", 1))
    return cases


def _write(folder: Path) -> tuple[list[str], list[tuple[bytes, int, int]]]:
    names, items = [], []
    for i, (name, y, sr, fmt, subtype, channels) in enumerate(_cases()):
        ext = {"WAV": ".wav", "FLAC": ".flac", "AIFF": ".aif"}[fmt]
        path = write_sound(folder / f"{i:02d} {name}{ext}", y, sr, fmt=fmt, subtype=subtype,
                           channels=channels)
        st = os.stat(path)
        names.append(name)
        items.append((os.fsencode(path), st.st_size, st.st_mtime_ns))
    return names, items


def _profiles(items) -> dict[str, np.ndarray]:
    profiles = profile_files(items, get_descriptor("soundalike"))
    assert all(p.status == STATUS_OK for p in profiles), [p.error for p in profiles]
    signals = [(a.y, a.sr) for a in (decode(p, max_seconds=READ_SECONDS) for p, _, _ in items)]
    _, frames = soundalike_analysis(signals)
    return {
        "vectors": np.stack([p.vector for p in profiles]),
        "frames": frames,
        "categories": np.array([p.category for p in profiles]),
        "confidence": np.array([p.category_confidence for p in profiles], dtype=np.float32),
    }


def _assert_close(got: np.ndarray, want: np.ndarray, what: str, names: list[str]) -> None:
    """Equal within float32 rounding relative to the magnitude of each row's block."""
    scale = np.maximum(np.abs(want).max(axis=-1, keepdims=True), 1.0)
    error = np.abs(got - want) / scale
    worst = np.unravel_index(np.argmax(error), error.shape)
    assert error.max() <= RELATIVE, (
        f"{what} of {names[worst[0]]!r} moved at {worst[1:]}: {got[worst]} instead of "
        f"{want[worst]} (relative {error.max():.2e})"
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("golden sounds"))


def test_the_golden_file_covers_every_case():
    with np.load(GOLDEN) as golden:
        assert list(golden["names"]) == [c[0] for c in _cases()]
        assert golden["vectors"].shape == (len(_cases()), LEARNED_DIM + SOUNDALIKE_DIM)


def test_a_batch_profiles_as_before(written):
    names, items = written
    got = _profiles(items)
    with np.load(GOLDEN) as golden:
        learned = slice(0, LEARNED_DIM)
        hand = slice(LEARNED_DIM, None)
        _assert_close(got["vectors"][:, learned], golden["vectors"][:, learned], "embedding",
                      names)
        _assert_close(got["vectors"][:, hand], golden["vectors"][:, hand], "descriptor", names)
        _assert_close(got["frames"], golden["frames"], "mel frames", names)
        assert got["categories"].tolist() == golden["categories"].tolist()
        np.testing.assert_allclose(got["confidence"], golden["confidence"], atol=2e-4)


def test_each_file_alone_profiles_as_in_a_batch(written):
    names, items = written
    with np.load(GOLDEN) as golden:
        for i in (0, 6, 9, 13):  # 44.1 kHz, 48 kHz stereo, 8 kHz, a 12 ms click
            got = _profiles([items[i]])
            _assert_close(got["vectors"], golden["vectors"][i : i + 1], "vector", [names[i]])


def write_golden(folder: Path) -> None:
    names, items = _write(folder)
    got = _profiles(items)
    GOLDEN.parent.mkdir(exist_ok=True)
    np.savez_compressed(GOLDEN, names=np.array(names), **got)


if __name__ == "__main__":  # python -m tests.test_profile_golden: only with a new version
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        write_golden(Path(folder))
    print(f"wrote {GOLDEN}", file=sys.stderr)
