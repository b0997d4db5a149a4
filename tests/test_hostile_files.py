"""Files that lie or are broken, as real files: a sparse WAV whose header claims 100 MHz and
200 MB, one claiming the most a header may (768 kHz, 64 channels, 4 GB), paths of 1-4 KB in
deep folders and deeper ones, a truncated MP3, sample rates of 0 and 1, float WAVs with huge
values. Each gets a clear reason or a good profile, in bounded memory, in the scanner, in a
query from outside the library and in the OSC server alike."""

from __future__ import annotations

import io
import math
import os
import struct
import subprocess
import sys
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from soundalike.engine import Library
from soundalike.engine.errors import AudioError
from soundalike.engine.sound.decode import decode
from soundalike.engine.sound.descriptors import DESCRIPTORS, get_descriptor
from soundalike.engine.sound.profiling import READ_SECONDS, profile_file
from tests.conftest import write_sound
from tests.synth import FAMILIES, drum, write_lying_wav

CLI = [sys.executable, "-m", "soundalike.engine.cli"]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root = base / "samples"
    for i, family in enumerate(FAMILIES * 2):
        write_sound(root / f"{family} {i}.wav", drum(family, seed=i), 44100)
    db = base / "index.db"
    with Library(db) as lib:
        lib.scan([root], jobs=1)
    return base, root, db


def peak_mb(args: list[str]) -> tuple[int, str, float]:
    """Run ``args`` as a real process and return (exit status, stderr, peak resident MB)."""
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, stderr, usage.ru_maxrss / 1024  # KB on Linux


def test_a_header_claiming_100_mhz_is_refused_with_its_reason(library, tmp_path):
    base, root, db = library
    lying = tmp_path / "LYING.wav"
    write_lying_wav(lying)  # 100 MHz, 200 MB claimed; ~68 KB on disk
    assert lying.stat().st_size > 200_000_000 and lying.stat().st_blocks * 512 < 200_000
    with pytest.raises(AudioError, match=r"100,000,000 Hz.*1 kHz to 768 kHz"):
        decode(os.fsencode(lying), max_seconds=READ_SECONDS)
    # A query from outside the library, as a user runs it: a clear error in little memory
    # (it took 4 GB and 40 s before the limits: benchmarks/bench_lying_header.py).
    code, stderr, peak = peak_mb([*CLI, "--db", str(db), "similar", str(lying)])
    assert code == 1 and "Traceback" not in stderr
    assert "cannot use" in stderr and "100,000,000 Hz" in stderr
    assert peak < 400, f"{peak:.0f} MB"


def test_the_scanner_and_the_osc_server_refuse_it_alike(library, tmp_path):
    from tests.test_bridge import serving

    base, root, db = library
    folder = tmp_path / "incoming"
    write_sound(folder / "kick.wav", drum("kick", seed=5), 44100)
    write_lying_wav(folder / "LYING.wav")
    with Library(tmp_path / "scan.db") as lib:
        report = lib.scan([folder], jobs=1)
    assert report.profiled == 1 and report.failed == 1
    assert "100,000,000 Hz" in report.failures[0].reason
    with serving(db) as (server, client, sender):
        sender.send_message("/soundalike/similar", [7, str(folder / "LYING.wav")])
        (reply,) = client.receive("done", timeout=30)
        assert reply.address == "/soundalike/error" and reply.args[0] == 7
        assert "100,000,000 Hz" in reply.args[1]
        sender.send_message("/soundalike/ping", [8])
        assert client.receive("pong")[-1].args[0] == 8


def test_a_header_claiming_the_most_allowed_is_read_only_as_far_as_needed(tmp_path):
    """768 kHz, 64 channels, 4 GB claimed: within the limits, so the file is read, but only
    its first READ_SECONDS, block by block, mixed to mono as it goes."""
    wide = tmp_path / "WIDE.wav"
    write_lying_wav(wide, rate=768_000, channels=64, claimed_bytes=4_000_000_000)
    tracemalloc.start()
    try:
        audio = decode(os.fsencode(wide), max_seconds=READ_SECONDS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(audio.y) == math.ceil(READ_SECONDS * 768_000)
    assert audio.frames == 4_000_000_000 // 128 and audio.channels == 64
    # The mono result (7.7 MB) and one 4 MB block, not 2.5 s x 64 channels (490 MB).
    assert peak < 32e6, f"{peak / 1e6:.0f} MB"


def test_every_read_is_bounded_whatever_the_rate(tmp_path):
    for rate in (1_000, 44_100, 768_000):
        path = tmp_path / f"{rate}.wav"
        sf.write(path, np.full(rate * 5, 0.25, dtype=np.float32), rate, subtype="FLOAT")
        audio = decode(os.fsencode(path), max_seconds=READ_SECONDS)
        assert len(audio.y) == math.ceil(READ_SECONDS * rate)
        assert audio.frames == rate * 5 and audio.duration == 5.0


def deep_tree(root: Path, lengths: tuple[int, ...]) -> list[bytes]:
    """Folders of names up to 200 bytes, deep enough for a real kick at each path length of
    ``lengths`` (bytes, whatever ``root``'s own length), made through folder descriptors: their
    paths outgrow what the system can open by name. Returns the files' paths."""
    buffer = io.BytesIO()
    sf.write(buffer, drum("kick", seed=3), 44100, format="WAV", subtype="PCM_16")
    wav = buffer.getvalue()
    root.mkdir(parents=True)
    path = os.fsencode(root)
    fd = os.open(path, os.O_RDONLY)
    made, level = [], 0
    try:
        for length in lengths:
            while len(path) + len(b"/kick.wav") < length:
                level += 1
                room = length - len(path) - len(b"/kick.wav") - 1
                name = (b"f" * 199 + b"%d" % (level % 10))[-min(200, room):]
                os.mkdir(name, dir_fd=fd)
                inner = os.open(name, os.O_RDONLY, dir_fd=fd)
                os.close(fd)
                fd, path = inner, path + b"/" + name
            out = os.open(b"kick.wav", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
            os.write(out, wav)
            os.close(out)
            made.append(path + b"/kick.wav")
    finally:
        os.close(fd)
    return made


def test_deep_folders_are_profiled_and_deeper_ones_listed_as_failures(tmp_path):
    root = tmp_path / "deep"
    files = deep_tree(root, (1100, 2100, 3100, 4000, 4090, 4300, 5000))
    assert [len(p) for p in files] == [1100, 2100, 3100, 4000, 4090, 4300, 5000]
    with Library(tmp_path / "deep.db") as lib:
        report = lib.scan([root], jobs=1)
        assert report.profiled == 5  # every file whose path the system can open: 1-4 KB
        # The folder past the system's limit cannot even be listed: counted and listed.
        assert report.failed == 1
        (failure,) = report.failures
        assert "path is too long" in failure.reason and len(os.fsencode(failure.path)) >= 4096
        status = lib.status()
        assert status.failed == 1 and "path is too long" in status.failures[0].reason
        (answer,) = lib.similar([files[4]], k=2)  # a query by a 4 KB path
        assert answer.in_library and len(answer.neighbours) == 2
    result = subprocess.run([*CLI, "--db", str(tmp_path / "deep.db"), "similar",
                             os.fsdecode(files[3]), "-k", "1", "--json"], capture_output=True,
                            text=True)
    assert result.returncode == 0 and "Traceback" not in result.stderr


def test_a_long_path_outside_the_library_can_be_a_query(library, tmp_path):
    base, root, db = library
    (deep,) = deep_tree(tmp_path / "outside", (3000,))
    with Library(db) as lib:
        (answer,) = lib.similar([deep], k=3)
    assert not answer.in_library and len(answer.neighbours) == 3


def wav_with_rate(path: Path, rate: int) -> Path:
    """A real 16-bit WAV of a kick whose header's sample rate is then set to ``rate``."""
    buffer = io.BytesIO()
    sf.write(buffer, drum("kick", seed=4), 44100, format="WAV", subtype="PCM_16")
    data = bytearray(buffer.getvalue())
    struct.pack_into("<II", data, 24, rate, rate * 2)  # sample rate, byte rate
    path.write_bytes(bytes(data))
    return path


def profile(path: Path, descriptor: str = "soundalike"):
    st = path.stat()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning is a failure here
        return profile_file(os.fsencode(path), st.st_size, st.st_mtime_ns,
                            get_descriptor(descriptor))


def test_broken_files_get_reasons_in_the_users_words(tmp_path):
    full = tmp_path / "full.mp3"
    sf.write(full, drum("snare", seed=2), 44100, format="MP3")
    data = full.read_bytes()
    cut = tmp_path / "cut short.mp3"
    cut.write_bytes(data[:400])  # a download that stopped: the header and a frame or two
    zero = wav_with_rate(tmp_path / "rate 0.wav", 0)
    one = wav_with_rate(tmp_path / "rate 1.wav", 1)
    expected = {
        cut: "cut short or corrupt",
        zero: "declares no sample rate (0 Hz)",
        one: "sample rate of 1 Hz, outside what audio files use (1 kHz to 768 kHz)",
    }
    for path, words in expected.items():
        result = profile(path)
        assert result.status == "failed" and words in result.error, (path, result.error)
        for worded in ("File does not exist", "argmax", "SF_INFO", "Internal error"):
            assert worded not in result.error


def test_float_files_with_huge_values_get_a_reason_and_no_warning(tmp_path):
    y = drum("tom", seed=6).astype(np.float64)
    for name in DESCRIPTORS:
        for peak, words in ((1e20, "far past full scale"), (3e38, "far past full scale")):
            path = tmp_path / f"huge {peak:g}.wav"
            sf.write(path, np.stack([y * peak] * 2, axis=1).astype(np.float32), 44100,
                     subtype="FLOAT")
            result = profile(path, name)
            assert result.status == "failed" and words in result.error
        # Past full scale but sane (integer-scaled float, a hot master): a good profile.
        for peak in (4.0, 32768.0, 2e9):
            path = tmp_path / f"loud {peak:g}.wav"
            sf.write(path, (y * peak).astype(np.float32), 44100, subtype="FLOAT")
            result = profile(path, name)
            assert result.status == "ok" and np.isfinite(result.vector).all()
    infinite = tmp_path / "infinite.wav"
    sf.write(infinite, y * 1e300, 44100, subtype="DOUBLE")  # past float32: infinite samples
    result = profile(infinite)
    assert result.status == "failed" and "infinite" in result.error
    spoiled = y.astype(np.float32)
    spoiled[[100, 5000]] = [np.inf, np.nan]  # a broken sample or two: silenced, profiled
    sf.write(tmp_path / "two bad samples.wav", spoiled, 44100, subtype="FLOAT")
    assert profile(tmp_path / "two bad samples.wav").status == "ok"


def test_the_command_line_prints_the_reason_and_no_warning(library, tmp_path):
    base, root, db = library
    huge = tmp_path / "huge.wav"
    sf.write(huge, drum("kick", seed=1) * np.float32(1e30), 44100, subtype="FLOAT")
    cut = tmp_path / "cut.mp3"
    sf.write(cut, drum("snare", seed=2), 44100, format="MP3")
    cut.write_bytes(cut.read_bytes()[:400])
    for path, words in ((huge, "far past full scale"), (cut, "cut short or corrupt"),
                        (wav_with_rate(tmp_path / "zero.wav", 0), "no sample rate")):
        result = subprocess.run([*CLI, "--db", str(db), "similar", str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 1 and words in result.stderr, result.stderr
        assert "Warning" not in result.stderr and "Traceback" not in result.stderr


def test_a_deep_flac_still_gets_its_wav_copy_for_pd(tmp_path, monkeypatch):
    from soundalike.bridge.playable import playable_path

    monkeypatch.setenv("SOUNDALIKE_CACHE", str(tmp_path / "cache"))
    (deep,) = deep_tree(tmp_path / "deep", (3000,))
    flac = deep[: -len(b"kick.wav")] + b"kick.flac"
    with open(flac, "wb") as f:  # by a file object: libsndfile refuses the path itself
        sf.write(f, drum("kick", seed=3), 44100, format="FLAC")
    copy = playable_path(os.fsdecode(flac))
    assert copy.endswith("kick.flac.wav") and sf.info(copy).format == "WAV"
    assert playable_path(os.fsdecode(deep)) == os.fsdecode(deep)  # a WAV Pd reads as it is
