"""Scanning real generated libraries into a real SQLite index."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from soundalike.engine import EngineError, IndexStoreError, Library
from soundalike.engine.index import vector_codec
from soundalike.engine.index.store import SCHEMA_VERSION, vector_of
from soundalike.engine.sound.descriptors import get_descriptor
from tests.conftest import FORMATS, file_row_walks, traced, tree_snapshot, write_drum, write_sound
from tests.synth import drum


def rows(db_path: Path) -> dict[bytes, tuple]:
    with sqlite3.connect(db_path) as db:
        return {
            r[0]: r[1:]
            for r in db.execute(
                "SELECT path, status, error, sample_rate, channels, duration, is_long, scanned_ns, "
                "vector IS NOT NULL FROM files"
            )
        }


def by_name(db_path: Path) -> dict[str, tuple]:
    return {
        os.path.basename(p).decode("utf-8", "backslashreplace"): r for p, r in rows(db_path).items()
    }


def test_every_claimed_format_mono_and_stereo(tmp_path, library, db_path):
    root = tmp_path / "formats"
    for label, ext, fmt, subtype, sr in FORMATS:
        for channels in (1, 2):
            write_drum(
                root / f"{label}-{channels}ch{ext}",
                "snare",
                seed=1,
                sr=sr,
                fmt=fmt,
                subtype=subtype,
                channels=channels,
            )
    report = library.scan([root], jobs=1)
    assert report.failed == 0, report.failures
    assert report.new == report.profiled == 2 * len(FORMATS)
    found = by_name(db_path)
    for label, ext, _fmt, _subtype, sr in FORMATS:
        for channels in (1, 2):
            status, error, rate, chans, duration, is_long, _, has_vector = found[
                f"{label}-{channels}ch{ext}"
            ]
            assert (status, rate, chans, has_vector) == ("ok", sr, channels, 1), label
            assert 0.25 < duration < 0.5


@pytest.mark.parametrize("fmt, subtype", [
    ("WAV", "PCM_U8"), ("WAV", "PCM_16"), ("WAV", "PCM_24"), ("WAV", "PCM_32"),
    ("AIFF", "PCM_S8"), ("AIFF", "PCM_16"), ("AIFF", "PCM_24"), ("FLAC", "PCM_16"),
    ("FLAC", "PCM_24"), ("WAV", "FLOAT"), ("WAV", "ULAW"),
])
@pytest.mark.parametrize("channels", [1, 2, 3])
def test_decoding_gives_libsndfiles_own_float_samples(tmp_path, monkeypatch, fmt, subtype,
                                                      channels):
    """Integer files are read as integers and scaled by the engine (faster than libsndfile's
    conversion): the samples must be exactly what libsndfile's float32 reading gives, mixed
    as before, also across read blocks and at full scale."""
    import soundfile as sf

    from soundalike.engine.sound import decode as decoding

    rng = np.random.default_rng(channels)
    n = 30_000
    data = rng.uniform(-1.0, 1.0, (n, channels)) * np.linspace(1.0, 0.001, n)[:, None]
    data[:8] = [[1.0], [-1.0], [0.999], [-0.999], [1e-9], [0.5], [-0.5], [0.0]]  # edges
    path = tmp_path / f"noise.{fmt.lower()}"
    sf.write(path, data, 44100, format=fmt, subtype=subtype)
    monkeypatch.setattr(decoding, "BLOCK_SAMPLES", 7_777)  # several blocks, a short last one
    for seconds in (None, 0.5):
        wanted = -1 if seconds is None else int(np.ceil(seconds * 44100))
        with sf.SoundFile(path) as f:
            assert f.subtype == subtype
            # libsndfile's own conversion to float32, mixed block by block as before
            expected = decoding._read_mono(f, channels, wanted, subtype="")
        y = decoding.decode(path, max_seconds=seconds).y
        assert y.dtype == np.float32 and y.flags.c_contiguous
        np.testing.assert_array_equal(y, expected)
    with sf.SoundFile(path) as f:
        raw = f.read(dtype="float32", always_2d=True)
    y = decoding.decode(path).y
    if channels < 3:  # halving is exact: the same samples whatever the blocks
        np.testing.assert_array_equal(y, raw[:, 0] if channels == 1 else raw @ np.float32([.5, .5]))


def test_right_channel_only_is_heard(tmp_path, library, db_path):
    y = drum("kick", seed=2)
    stereo = np.stack([np.zeros_like(y), y], axis=1)
    import soundfile as sf

    (tmp_path / "lib").mkdir()
    sf.write(tmp_path / "lib" / "right only.wav", stereo, 44100)
    library.scan([tmp_path / "lib"], jobs=1)
    assert by_name(db_path)["right only.wav"][0] == "ok"


def test_bad_input_never_stops_a_scan(tmp_path, library, db_path):
    root = tmp_path / "mess"
    root.mkdir()
    good = write_drum(root / "good kick.wav", "kick")
    (root / "empty.wav").write_bytes(b"")
    data = good.read_bytes()
    (root / "truncated.wav").write_bytes(data[:30])
    (root / "random bytes.wav").write_bytes(np.random.default_rng(0).bytes(5000))
    (root / "notes.mp3").write_text("this is not an mp3 at all\n" * 50)
    write_sound(root / "silent.wav", np.zeros(44100, np.float32), 44100)
    write_sound(root / "blip.wav", np.ones(80, np.float32) * 0.5, 44100)  # 1.8 ms
    write_sound(
        root / "long ambience.flac",
        (np.random.default_rng(1).standard_normal(8000 * 45) * 0.1).astype(np.float32),
        8000,
        fmt="FLAC",
    )
    os.symlink(root / "nowhere.wav", root / "broken link.wav")
    os.symlink(root, root / "loop")  # a folder symlink back to the root
    os.symlink(root / "self.wav", root / "self.wav")  # a symlink loop
    os.mkfifo(root / "pipe.wav")
    nasty = [
        'it\'s "quoted" .wav',
        "Tr\u00e8s b\u00e9b\u00e9 \u30c9\u30e9\u30e0.wav",
        "  spaces  everywhere  .wav",
    ]
    for name in nasty:
        write_drum(root / name, "hat", seed=len(name))
    bad_utf8 = os.path.join(os.fsencode(root), b"caf\xe9 latin1 \xff.wav")
    write_drum(Path(os.fsdecode(bad_utf8)), "clap")
    (root / "._good kick.wav").write_bytes(b"\x00\x05\x16\x07 AppleDouble junk")
    (root / "readme.txt").write_text("not audio, wrong extension: ignored")

    before = tree_snapshot(root)
    report = library.scan([root], jobs=2)
    assert tree_snapshot(root) == before  # nothing written, nothing touched

    found = by_name(db_path)
    ok = {name for name, r in found.items() if r[0] == "ok"}
    assert ok == {"good kick.wav", "long ambience.flac", *nasty, "caf\\xe9 latin1 \\xff.wav"}
    assert found["silent.wav"][0] == "silent"
    reasons = {name: r[1] for name, r in found.items() if r[0] == "failed"}
    assert reasons["empty.wav"] == "empty file (0 bytes)"
    assert "too short" in reasons["blip.wav"]
    assert "broken symbolic link" in reasons["broken link.wav"]
    assert "symbolic link cannot be followed" in reasons["self.wav"]
    assert reasons["pipe.wav"] == "not a regular file"
    for name in ("truncated.wav", "random bytes.wav", "notes.mp3"):
        assert reasons[name], name
    assert "._good kick.wav" not in found and "readme.txt" not in found
    long_row = found["long ambience.flac"]
    assert long_row[4] == pytest.approx(45.0) and long_row[5] == 1  # true duration, flagged long
    assert report.failed == len(reasons) and report.silent == 1
    assert {f.path.rsplit("/", 1)[1] for f in report.failures} == set(reasons)

    status = library.status()
    assert status.failed == len(reasons)
    assert {f.path.rsplit("/", 1)[1]: f.reason for f in status.failures} == reasons


def test_permission_denied_is_a_recorded_failure(tmp_path):
    """Root reads everything, so as root the scan runs without the capabilities that allow it."""
    command = [sys.executable, "-m", "soundalike.engine.cli"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root needs setpriv to drop privileges: install util-linux")
        drop = "-dac_override,-dac_read_search"
        command = [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}", *command]
    root = tmp_path / "lib"
    write_drum(root / "fine.wav", "kick")
    write_drum(root / "locked.wav", "snare")
    write_drum(root / "closed" / "inside.wav", "hat")
    os.chmod(root / "locked.wav", 0o000)
    os.chmod(root / "closed", 0o000)
    db = tmp_path / "lib.db"
    try:
        subprocess.run(
            [*command, "--db", str(db), "scan", str(root), "--jobs", "1", "--quiet"], check=True
        )
    finally:
        os.chmod(root / "locked.wav", 0o644)
        os.chmod(root / "closed", 0o755)
    found = {os.path.basename(p).decode(): r for p, r in rows(db).items()}
    assert found["fine.wav"][0] == "ok"
    assert found["locked.wav"][:2] == ("failed", "permission denied")
    assert found["closed"][:2] == ("failed", "folder not readable: permission denied")


def test_incremental_rescan_touches_exactly_what_changed(small_kit, library, db_path):
    first = library.scan([small_kit], jobs=1)
    assert (first.new, first.unchanged) == (12, 0)
    before = rows(db_path)

    changed = small_kit / "Pack A" / "kick 0.wav"
    write_drum(changed, "kick", seed=99)  # new content...
    os.utime(changed, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))  # ...and a new mtime
    (small_kit / "Pack A" / "hat 2.wav").unlink()
    write_drum(small_kit / "Pack C" / "new tom.wav", "tom", seed=7)
    moved_from = small_kit / "Pack B" / "snare 1.wav"
    moved_to = small_kit / "Pack C" / "renamed snare.wav"
    os.rename(moved_from, moved_to)

    report = library.scan(jobs=1)  # no folders: rescan the roots
    assert (report.new, report.changed, report.moved, report.removed, report.unchanged) == (
        1,
        1,
        1,
        1,
        9,
    )
    assert report.profiled == 2  # the new and the changed file; the moved one is not decoded
    after = rows(db_path)
    untouched = set(before) - {
        os.fsencode(p) for p in (changed, moved_from, small_kit / "Pack A" / "hat 2.wav")
    }
    for path in untouched:
        assert after[path][6] == before[path][6]  # scanned_ns unchanged: not profiled again
    assert after[os.fsencode(moved_to)][6] == before[os.fsencode(moved_from)][6]
    assert os.fsencode(moved_from) not in after
    again = library.scan(jobs=1)
    assert (again.new, again.changed, again.moved, again.removed, again.unchanged) == (
        0,
        0,
        0,
        0,
        12,
    )


def test_a_rescan_with_nothing_changed_reads_no_vector(small_kit, library):
    """A rescan compares each file with what an index of its own holds (path, size, time...):
    no statement walks the rows of the files table, which hold the vectors."""
    library.scan([small_kit], jobs=1)
    library.store.refuse_damaged()
    seen = traced(library)
    report = library.scan(jobs=1)
    assert (report.unchanged, report.profiled) == (12, 0)
    assert any("FROM files WHERE path >=" in sql for sql in seen)
    assert not file_row_walks(library, seen)


def test_a_scan_report_is_stored_as_pydantic_would_dump_it(tmp_path, small_kit, library):
    from soundalike.engine.reports import Failure, ScanReport, plain_data

    (small_kit / "broken.wav").write_bytes(b"RIFF0000WAVEjunk")
    report = library.scan([small_kit], jobs=1)
    assert report.failures and report.new == 13  # the broken file is new too
    assert plain_data(report) == report.model_dump()
    assert library.store.last_scan()[2] == report.model_dump()
    made = ScanReport(roots=["/x"], descriptor="d", offline_roots=["/y"],
                      failures=[Failure(path="/x/a.wav", reason="bad", retry=True)])
    assert plain_data(made) == made.model_dump()


def test_match_keeps_only_matching_names_and_is_remembered(small_kit, library, db_path):
    report = library.scan([small_kit], match="SNARE", jobs=1)
    assert report.new == 2
    assert all("snare" in name for name in by_name(db_path))
    assert library.scan(jobs=1).unchanged == 2  # the rescan keeps the filter
    assert library.scan([small_kit], jobs=1).new == 10  # scanning the folder again clears it


def test_descriptor_change_reprofiles_only_stale_files(small_kit, library, db_path):
    library.scan([small_kit], jobs=1)
    seed = library.scan(descriptor="seed", jobs=1)
    assert seed.changed == 12 and seed.descriptor == "seed-1"
    assert library.status().descriptor == "seed-1"
    assert library.scan(jobs=1).unchanged == 12  # the library now stays on seed
    back = library.scan(descriptor="soundalike", jobs=1)
    assert back.changed == 12


def test_offline_root_keeps_its_files(tmp_path, small_kit, library):
    library.scan([small_kit], jobs=1)
    parked = tmp_path / "parked"
    os.rename(small_kit, parked)  # the external drive is unplugged
    report = library.scan(jobs=1)
    assert report.offline_roots == [str(small_kit)]
    assert report.removed == 0
    status = library.status()
    assert status.files == 12 and status.roots[0].online is False


def test_parallel_scan_equals_serial_scan(tmp_path, small_kit):
    for i in range(40):
        write_drum(small_kit / "more" / f"hit {i}.flac", "snare", seed=100 + i, fmt="FLAC")
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    with Library(serial) as lib:
        lib.scan([small_kit], jobs=1)
    with Library(parallel) as lib:
        report = lib.scan([small_kit], jobs=2)
    assert report.profiled == 52

    def vectors(db):
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT path, vector FROM files WHERE status = 'ok'")
            return {path: vector_of(blob, "soundalike-3") for path, blob in rows}

    a, b = vectors(serial), vectors(parallel)
    assert a.keys() == b.keys() and len(a) == 52
    # One step of what is stored: the learned embedding in half precision (steps of 2**-10),
    # the hand-made numbers in one byte between their bounds (zero steps for the first).
    step = vector_codec.step(get_descriptor("soundalike"))
    for path in a:  # the same numbers, up to BLAS summation order (threads differ), which
        # may round to neighbouring values of what is stored
        error = np.abs(a[path] - b[path])
        assert np.all(error <= 2**-10 * np.abs(b[path]) + 1e-5 + step * 1.001), path


def test_bad_arguments_are_engine_errors(tmp_path, library, small_kit):
    with pytest.raises(EngineError, match="no folders yet"):
        library.scan()
    with pytest.raises(EngineError, match="no such folder"):
        library.scan([tmp_path / "missing"])
    with pytest.raises(EngineError, match="not a folder"):
        library.scan([small_kit / "Pack A" / "kick 0.wav"])


def test_a_newer_schema_is_refused(db_path):
    with Library(db_path):
        pass
    with sqlite3.connect(db_path) as db:
        db.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    with pytest.raises(IndexStoreError, match="newer soundalike"):
        Library(db_path)


def test_a_file_that_is_not_an_index_is_refused(tmp_path):
    bogus = tmp_path / "bogus.db"
    bogus.write_text("hello, I am not SQLite" * 100)
    with pytest.raises(IndexStoreError, match="not a soundalike index"):
        Library(bogus)


def test_a_folder_and_a_symlink_to_it_are_one_root(small_kit, tmp_path):
    link = tmp_path / "link to samples"
    link.symlink_to(small_kit, target_is_directory=True)
    db = tmp_path / "links.db"
    with Library(db) as library:
        library.scan([link], jobs=1)
        library.scan([small_kit], jobs=1)
        assert [root.path for root in library.roots()] == [os.fsencode(small_kit)]
        assert library.status().files == 12
        assert library.duplicates() == []  # no false pairs of one file seen twice
        for query in (small_kit / "Pack A" / "kick 0.wav", link / "Pack A" / "kick 0.wav"):
            result = library.similar([query], k=11)[0]
            assert len(result.neighbours) == 11
            assert len({n.path for n in result.neighbours}) == 11
            assert str(small_kit / "Pack A" / "kick 0.wav") not in {n.path for n in
                                                                    result.neighbours}
            assert library.mates(query).mates is not None  # found in the library both ways
        assert library.rescan(link / "Pack A").unchanged == 6
        assert library.forget([link]).files == 12


def test_a_root_stored_by_a_symlink_gives_way_to_its_target(small_kit, tmp_path):
    """An index made before roots were stored by real path: scanning the target merges."""
    link = tmp_path / "old link"
    link.symlink_to(small_kit, target_is_directory=True)
    db = tmp_path / "old.db"
    with Library(db) as library:
        with library.store.transaction():
            library.store.add_root(os.fsencode(link), None)
        library.rescan(jobs=1)  # as an old soundalike did: files stored under the link
        assert library.status().files == 12
        library.scan([small_kit], jobs=1)
        assert [root.path for root in library.roots()] == [os.fsencode(small_kit)]
        assert library.status().files == 12


def test_workers_store_what_one_thread_profiles(tmp_path, db_path):
    """Worker processes (one BLAS thread, keeping the memory they free: scan.allocator) store
    the very bytes that profiling the same chunks in a plain process with one BLAS thread
    gives. (Not those of a scan in the scanning process itself: it runs BLAS on every core,
    whose sums may differ in the last bit.)"""
    from tests.synth import FAMILIES

    root = tmp_path / "kits"
    for i in range(60):  # more than a chunk: two chunks, each of several sample rates
        label, ext, fmt, subtype, sr = FORMATS[i % len(FORMATS)]
        write_drum(root / f"{i:02d} {label}{ext}", FAMILIES[i % len(FAMILIES)], seed=i, sr=sr,
                   fmt=fmt, subtype=subtype, channels=1 + i % 2)
    with Library(db_path) as lib:
        assert lib.scan([root], jobs=2).profiled == 60
    with sqlite3.connect(db_path) as db:
        stored = {os.fsdecode(path): (vector.hex(), category) for path, vector, category
                  in db.execute("SELECT path, vector, category FROM files")}
    code = """
import json, os, sys
import numpy as np
from threadpoolctl import threadpool_limits
threadpool_limits(limits=1, user_api="blas")
from soundalike.engine.index.vector_codec import encode
from soundalike.engine.scan.scanner import CHUNK_SIZE
from soundalike.engine.scan.walker import walk_audio_files
from soundalike.engine.sound.descriptors import get_descriptor
from soundalike.engine.sound.profiling import profile_batch
items = [(f.path, f.size, f.mtime_ns) for f in walk_audio_files(os.fsencode(sys.argv[1]))]
descriptor = get_descriptor("soundalike")
profiles = [p for i in range(0, len(items), CHUNK_SIZE)
            for p in profile_batch(items[i:i + CHUNK_SIZE], "soundalike")]
print(json.dumps({os.fsdecode(p.path): (encode(p.vector, descriptor).hex(), p.category)
                  for p in profiles}))
"""
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True,
                         check=True).stdout
    assert {path: tuple(row) for path, row in json.loads(out).items()} == stored


def test_workers_keep_the_memory_they_free():
    """On glibc (Linux) the allocator takes the settings; elsewhere nothing is changed."""
    import platform

    code = ("from soundalike.engine.scan.allocator import keep_freed_memory; "
            "print(keep_freed_memory())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert out == str(glibc)


@pytest.mark.parametrize("name", ["soundalike", "seed", None])
def test_vectors_encoded_together_are_the_bytes_of_each_alone(name):
    """write_profiles encodes a batch's vectors in one go: the very bytes of one at a time,
    past the bounds, at them, for NaN and infinities, and None for a profile without one."""
    descriptor = get_descriptor(name) if name else None
    dim = descriptor.dim if descriptor else 40
    rng = np.random.default_rng(0)
    vectors = [rng.normal(0, 30, dim).astype(np.float32) for _ in range(20)]
    vectors[3][:5] = [np.nan, np.inf, -np.inf, 1e9, -1e9]
    if descriptor is not None and descriptor.ranges is not None:
        low, high = descriptor.ranges
        vectors[4][descriptor.learned:] = low
        vectors[5][descriptor.learned:] = high
        vectors[6][descriptor.learned:] = (low + high) / 2
    vectors[7] = None
    together = vector_codec.encode_many(vectors, descriptor)
    assert together == [None if v is None else vector_codec.encode(v, descriptor)
                        for v in vectors]
    assert vector_codec.encode_many([None, None], descriptor) == [None, None]
    # infinities without a NaN in the batch (the fast path, which replaces NaN alone)
    infinite = [v for v in vectors if v is not None and not np.isnan(v).any()]
    infinite[0][:4] = [np.inf, -np.inf, 1e38, -1e38]
    assert vector_codec.encode_many(infinite, descriptor) == [
        vector_codec.encode(v, descriptor) for v in infinite]


@pytest.mark.parametrize("label", ["wav16", "wav24", "wavfloat", "aiff", "flac", "truncated"])
def test_blocks_read_as_soundfile_reads_them(tmp_path, label):
    """The decoder reads blocks straight from libsndfile (decode._read_block, without
    soundfile's seeks): block for block the frames soundfile's own ``read`` gives, a file whose
    header claims more frames than it holds included, and the same through the fallback."""
    import soundfile as sf

    from soundalike.engine.sound import decode as decoding

    name = "wav24" if label == "truncated" else label
    _, ext, fmt, subtype, sr = next(f for f in FORMATS if f[0] == name)
    rng = np.random.default_rng(0)
    path = tmp_path / f"noise{ext}"
    sf.write(path, rng.uniform(-1, 1, (20_000, 2)), sr, format=fmt, subtype=subtype)
    if label == "truncated":  # the header still says 20,000 frames
        with open(path, "r+b") as f:
            f.truncate(os.path.getsize(path) - 6_000 * 2 * 3 - 1)  # and one byte of a frame
    dtype = decoding._INTEGER_READS.get(subtype, ("float32", None))[0]
    for fallback in (False, True):
        got, mine, theirs = 0, [], []
        with sf.SoundFile(path) as a, sf.SoundFile(path) as b:
            if fallback:
                a.seekable = lambda: False  # soundfile's own read, as for a file that cannot seek
            while True:
                block = decoding._read_block(a, 7_000, dtype, got)
                mine.append(block)
                theirs.append(b.read(frames=7_000, dtype=dtype, always_2d=True))
                got += len(block)
                if len(block) < 7_000:
                    break
        assert [len(x) for x in mine] == [len(x) for x in theirs]
        assert sum(len(x) for x in mine) == (13_999 if label == "truncated" else 20_000)
        for x, y in zip(mine, theirs, strict=True):
            assert x.dtype == y.dtype and x.shape == y.shape
            np.testing.assert_array_equal(x, y)
