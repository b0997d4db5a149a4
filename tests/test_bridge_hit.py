"""Asking with what is playing, over real OSC: a recording written where the server says, its
strongest hit cut by the engine, then asked about like any file."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from soundalike.bridge.recorded import KEEP, hits_dir, recording_path
from soundalike.engine import Library
from tests.conftest import write_sound
from tests.synth import FAMILIES, drum
from tests.test_bridge import serving

SR = 44100


@pytest.fixture(scope="module")
def library_db(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("listen")
    root = base / "Samples"
    for p in range(2):
        for family in FAMILIES:
            for m in range(3):
                write_sound(root / f"Pack {p}" / f"{family} {p}{m}.wav",
                            drum(family, seed=100 * p + m + 1), SR)
    db = base / "listen.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    return root, db


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOUNDALIKE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def loop(*hits: tuple[float, str, float], seconds: float = 3.0) -> np.ndarray:
    """Seconds of a track: leading silence, then each ``(time, family, gain)``, stereo."""
    y = np.zeros(int(seconds * SR), np.float32)
    for at, family, gain in hits:
        sound = drum(family, sr=SR, seed=int(at * 1000) + 5) * gain
        start = int(at * SR)
        y[start: start + len(sound)] += sound[: len(y) - start]
    return np.stack([y, 0.7 * y], axis=1)


def one_shot_category(db: Path, family: str, at: float, folder: Path) -> str:
    """The category the engine gives the hit played at ``at`` when it is a file of its own
    (synthetic hats read as *other* or *metal percussion*, not always *closed hat*)."""
    path = write_sound(folder / f"{family}.wav", drum(family, sr=SR, seed=int(at * 1000) + 5),
                       SR)
    with Library(db) as library:
        return library.similar([path], k=1)[0].category


def test_a_recorded_kick_then_a_hat_are_asked_about(library_db, cache, tmp_path):
    root, db = library_db
    expected = {family: one_shot_category(db, family, 0.8, tmp_path)
                for family in ("kick", "hat")}
    assert expected["kick"] == "kick" and expected["hat"] != "kick"
    with serving(db) as (server, client, sender):
        sender.send_message("/soundalike/recording", [1])
        (where,) = client.receive("done")
        assert where.address == "/soundalike/recording/done"
        recording = where.args[1]
        assert recording.startswith(str(cache)) and Path(recording).parent.is_dir()
        for family, category in expected.items():
            # the hit we want is the loudest; a quieter hit of another kind plays after it
            other = "snare" if family != "snare" else "kick"
            sf.write(recording, loop((0.8, family, 0.9), (1.9, other, 0.15)), SR,
                     subtype="PCM_24")
            sender.send_message("/soundalike/hit", [2, recording])
            (done,) = client.receive("done")
            assert done.address == "/soundalike/hit/done", done
            hit_path, start, seconds, hit_category, cluster = done.args[1:]
            assert Path(hit_path).parent == cache / "hits"
            assert abs(start - 0.8) < 0.006 and 0.05 < seconds <= 1.1
            # the reply's category is the engine's for the cut as a file of its own, and the
            # one-shot's (a borderline sound may flip to or from "other": the cut is the same
            # hit re-encoded, at another gain and in stereo)
            with Library(db) as library:
                assert hit_category == library.similar([hit_path], k=1)[0].category
            assert hit_category == category or "other" in (hit_category, category)
            if family == "kick":
                assert hit_category == "kick"
            assert sf.info(hit_path).channels == 2
            sender.send_message("/soundalike/similar", [3, hit_path, 5])
            replies = client.receive("done")
            assert replies[-1].args == (3, 5)
            assert all(f"/{family} " in r.args[2] for r in replies[:-1][:4])
            sender.send_message("/soundalike/cluster", [4, cluster, 16])
            members = client.receive("done")
            assert members[-1].address == "/soundalike/cluster/done"
            assert replies[0].args[2] in [m.args[2] for m in members[:-1]]  # the nearest's
            sender.send_message("/soundalike/kit", [5, hit_path, 4])
            pads = client.receive("/kit/done")
            assert pads[-1].address == "/soundalike/kit/done" and pads[-1].args[1] >= 3


@pytest.mark.parametrize("samples, reason", [
    (np.zeros((SR, 1), np.float32), "silent"),
    (None, "no such recording"),
    (np.zeros((int(61 * 8000), 1), np.float32), "at most 60 s"),
])
def test_a_recording_with_no_hit_is_an_error_in_words(library_db, cache, tmp_path, samples,
                                                      reason):
    root, db = library_db
    path = tmp_path / "recording.wav"
    if samples is not None:
        sf.write(path, samples, SR if len(samples) == SR else 8000)
    with serving(db) as (server, client, sender):
        sender.send_message("/soundalike/hit", [7, str(path)])
        (error,) = client.receive("done")
        assert error.address == "/soundalike/error" and error.args[0] == 7
        assert reason in error.args[1]
        sender.send_message("/soundalike/hit", [8, str(path), 5.0])
        (error,) = client.receive("done")
        assert error.address == "/soundalike/error" and "max_seconds" in error.args[1]


def test_the_cache_keeps_the_newest_files(cache):
    for _ in range(KEEP + 5):
        recording_path()
    (cache / "recordings" / "x.wav").write_bytes(b"")
    for _ in range(3):
        recording_path()
    assert len(list((cache / "recordings").iterdir())) <= KEEP
    assert not hits_dir().exists()  # made when a hit is first cut


@pytest.mark.skipif(not shutil.which("oscsend"), reason="install liblo-tools (oscsend)")
def test_the_documented_oscsend_call_cuts_a_hit(library_db, cache, tmp_path):
    """docs/osc.md's example, with liblo's oscsend."""
    root, db = library_db
    recording = tmp_path / "loop.wav"
    sf.write(recording, loop((0.4, "snare", 0.8)), SR)
    with serving(db) as (server, client, sender):
        subprocess.run(["oscsend", "localhost", str(server.address[1]), "/soundalike/hit", "is",
                        "1", str(recording)], check=True, timeout=10, env=dict(os.environ))
        (done,) = client.receive("done")
        assert done.address == "/soundalike/hit/done" and done.args[4] == "snare"


def test_a_ring_buffer_is_read_from_its_oldest_sample(library_db, cache, tmp_path):
    """Max's [record~ @loop 1] writes over and over: with start_at the server reads the ring in
    order, so a hit the ring's end cut in two is whole again."""
    root, db = library_db
    track = loop((1.8, "snare", 0.8))[:, :1]  # a snare at 1.8 s of 3 s
    at = int(1.0 * SR)  # the ring's oldest sample: the writing wrapped 2 s ago
    ring = np.roll(track, at, axis=0)  # the snare now straddles the ring's end
    path = tmp_path / "ring.wav"
    sf.write(path, ring, SR)
    with serving(db) as (server, client, sender):
        sender.send_message("/soundalike/hit", [1, str(path), 2.0, "start_at", 1.0])
        (whole,) = client.receive("done")
        assert whole.address == "/soundalike/hit/done", whole
        assert abs(whole.args[2] - 1.8) < 0.006 and whole.args[4] == "snare"
        sender.send_message("/soundalike/hit", [2, str(path), 2.0, "start_at", 9.0])
        (error,) = client.receive("done")
        assert error.address == "/soundalike/error" and "start_at" in error.args[1]
