"""Side files beside the index: a catalogue opened from them answers exactly as one built
from SQLite, without reading a vector from it; they are rebuilt when missing, stale or
damaged, carried over when only the clusters change, and never left half-written."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from soundalike.engine import Library
from soundalike.engine.index import side_files
from soundalike.engine.index.storage_faults import DamagedIndexError
from soundalike.engine.index.store import IndexStore
from tests.conftest import file_row_walks, traced, write_drum

FAMILIES = ("kick", "snare", "hat", "tom", "clap", "bell")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> tuple[Path, Path]:
    """A scanned library of 36 sounds in three packs: (its index, its sample folder)."""
    base = tmp_path_factory.mktemp("side")
    root = base / "samples"
    for pack in range(3):
        for f, family in enumerate(FAMILIES):
            for m in range(2):
                write_drum(root / f"Pack {pack}" / f"{family} {pack}-{m}.wav", family,
                           seed=500 + 100 * pack + 10 * m + f)
    db = base / "library.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    return db, root


@pytest.fixture
def db(scanned, tmp_path) -> Path:
    """A copy of the scanned index (with its side files) that a test may change."""
    source = scanned[0]
    for path in source.parent.glob(source.name + "*"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path / source.name


def answers(db: Path, root: Path) -> tuple:
    """What the library answers: similar sounds (with weights too), a kit, clusters."""
    query = str(root / "Pack 0" / "snare 0-0.wav")
    with Library(db) as library:
        plain = library.similar([query], k=8)[0]
        weighted = library.similar([query], k=8, weights={"attack": 2.0})[0]
        under = library.similar([query], k=8, under=str(root / "Pack 1"))[0]
        kit = library.kit([query], pads=8)
        clusters = library.clusters()
    return (
        [(n.path, n.distance, n.aspects, n.cluster, n.category) for n in plain.neighbours],
        [(n.path, n.distance) for n in weighted.neighbours],
        [n.path for n in under.neighbours],
        [(p.note, p.path, p.distance, p.category_confidence) for p in kit.pads],
        [(c.id, c.label, c.size) for c in clusters],
    )


def files_of(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name))


def test_a_scan_leaves_side_files_and_a_new_process_needs_no_vector_from_sqlite(
        scanned, db, monkeypatch):
    assert {"library.db.side", "library.db.vectors"} <= set(files_of(db))
    before = answers(db, scanned[1])

    def no_vectors(self, key):
        raise AssertionError("the vectors were read from SQLite")

    monkeypatch.setattr(IndexStore, "search_rows", no_vectors)
    assert answers(db, scanned[1]) == before
    with Library(db) as library:
        catalogue = library.catalogue()
        assert catalogue.index.Z.dtype == np.float16 and catalogue.probabilities is not None
        assert not catalogue.index.Z.flags.writeable  # a read-only map of the file
        assert catalogue.row_of(os.fsencode(scanned[1] / "Pack 2" / "tom 2-1.wav")) is not None
        assert catalogue.row_of(os.fsencode(scanned[1] / "Pack 2" / "nothing.wav")) is None


def test_answers_from_side_files_are_those_from_sqlite(scanned, db):
    from_files = answers(db, scanned[1])
    side_files.remove(db)
    assert "library.db.vectors" not in files_of(db)
    assert answers(db, scanned[1]) == from_files  # built from SQLite, and written again
    assert {"library.db.side", "library.db.vectors"} <= set(files_of(db))


def damage_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(side_files.MAGIC) + 20 : len(side_files.MAGIC) + 40] = b"#" * 20
    path.write_bytes(bytes(data))


def damage_data(path: Path) -> None:
    """Flip a byte of the first array (checksummed), leaving the header intact."""
    import json

    data = bytearray(path.read_bytes())
    length = int.from_bytes(data[len(side_files.MAGIC) : len(side_files.MAGIC) + 8], "little")
    header = json.loads(data[len(side_files.MAGIC) + 8 : len(side_files.MAGIC) + 8 + length])
    start = -(-(len(side_files.MAGIC) + 8 + length) // side_files.ALIGN) * side_files.ALIGN
    first = next(entry for entry in header["arrays"].values() if entry["crc"] is not None)
    data[start + first["offset"]] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) // 2)


def emptied(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("which", ["library.db.vectors", "library.db.side"])
@pytest.mark.parametrize("damage", [damage_header, damage_data, truncate, emptied])
def test_damaged_side_files_are_rebuilt(scanned, db, which, damage, caplog):
    expected = answers(db, scanned[1])
    damage(db.with_name(which))
    with pytest.raises(side_files.DamagedSideFile):
        side_files.read_arrays(db.with_name(which))
    assert answers(db, scanned[1]) == expected
    side_files.read_arrays(db.with_name(which))  # sound again
    if damage is not emptied:
        assert "rebuilding the side files" in caplog.text


def test_stale_side_files_are_rebuilt_after_a_scan(scanned, db, tmp_path):
    root = tmp_path / "samples"
    shutil.copytree(scanned[1], root)
    with Library(db) as library:
        library.scan([root], jobs=1)  # another folder: the generation moves
        count = library.catalogue().size
    assert count == 72
    meta, arrays = side_files.read_arrays(db.with_name("library.db.vectors"))
    assert len(arrays["ids"]) == 72
    with IndexStore(db) as store:
        manifest, _ = side_files.read_arrays(db.with_name("library.db.side"))
        assert manifest["generation"] == store.get_meta("generation")
        assert manifest["build"] == meta["build"]


def test_a_clustering_carries_the_vectors_over(scanned, db):
    vectors = db.with_name("library.db.vectors")
    built = (vectors.stat().st_ino, vectors.stat().st_mtime_ns)
    with Library(db) as library:
        library.recluster(size=4)
        clusters = {c.id: c.size for c in library.clusters()}
    assert (vectors.stat().st_ino, vectors.stat().st_mtime_ns) == built  # not written again
    with Library(db) as library:  # a new process reads the new clusters from the side file
        assert {c.id: c.size for c in library.clusters()} == clusters
        assert library.catalogue().side_build is not None
    assert max(clusters.values()) <= 8 and len(clusters) >= 36 / 8


def test_a_write_interrupted_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "x.side"
    side_files.write_arrays(path, {"a": 1}, {"ids": np.arange(5)})

    def killed(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", killed)
    with pytest.raises(KeyboardInterrupt):
        side_files.write_arrays(path, {"a": 2}, {"ids": np.arange(9)})
    meta, arrays = side_files.read_arrays(path)
    assert meta == {"a": 1} and arrays["ids"].tolist() == list(range(5))
    # no temporary file left (beside the file, the note that its checksums were found right)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.side", "x.side.checked"]


def test_vectors_are_stored_in_half_precision_and_older_indexes_migrate(tmp_path):
    """A schema-4 index (float32 vectors) goes through half precision (schema 8) to one byte
    per hand-made number (schema 10): every number within half a step of what it was."""
    import sqlite3

    from soundalike.engine.index import vector_codec
    from soundalike.engine.index.migrations import MIGRATIONS
    from soundalike.engine.sound.descriptors import get_descriptor

    db = tmp_path / "old.db"
    descriptor = get_descriptor("soundalike")
    low, high = descriptor.ranges
    # Numbers a profile can hold: the embedding about unit length, the rest within bounds
    # (i / 400 of the way up from here: still within them).
    vector = np.concatenate([np.linspace(-0.2, 0.2, descriptor.learned),
                             low + 0.3 * (high - low)]).astype(np.float32)
    shift = np.concatenate([np.full(descriptor.learned, 1e-3), (high - low) / 400])
    with sqlite3.connect(db, isolation_level=None) as conn:  # an index of schema 4
        for migrate in MIGRATIONS[:4]:
            migrate(conn)
        conn.execute("INSERT INTO meta VALUES ('schema_version', '4')")
        for i in range(200):
            conn.execute("INSERT INTO files (path, size, mtime_ns, status, descriptor, vector, "
                         "scanned_ns) VALUES (?, 1, 1, 'ok', 'soundalike-3', ?, 1)",
                         (f"/x/{i}.wav".encode(), (vector + i * shift).astype("<f4").tobytes()))
        conn.execute("INSERT INTO files (path, size, mtime_ns, status, descriptor, scanned_ns) "
                     "VALUES (?, 1, 1, 'failed', 'soundalike-3', 1)", (b"/x/bad.wav",))
    before = os.path.getsize(db)
    with IndexStore(db) as store:
        rows = store.db.execute("SELECT path, vector FROM files ORDER BY id").fetchall()
    assert len(rows) == 201 and rows[-1][1] is None
    half_step = vector_codec.step(descriptor) / 2
    for i, (_, blob) in enumerate(rows[:-1]):
        assert len(blob) == descriptor.learned * 2 + (669 - descriptor.learned)
        expected = vector + i * shift
        error = np.abs(vector_codec.decode(blob, descriptor) - expected)
        assert np.all(error <= half_step * 1.001 + 2**-10 * np.abs(expected) + 1e-6)
    assert os.path.getsize(db) < 0.7 * before  # compacted after the migration
    with IndexStore(db) as store:
        assert store.db.execute("PRAGMA page_size").fetchone()[0] == 16384
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_stored_vectors_keep_each_number_within_half_a_step():
    """One byte per hand-made number between its bounds; the learned embedding and a
    descriptor without bounds in half precision; out-of-bounds numbers clipped to them;
    a blob of the wrong length is an error in words, not garbage numbers."""
    from soundalike.engine.errors import IndexStoreError
    from soundalike.engine.index import vector_codec
    from soundalike.engine.sound.descriptors import get_descriptor

    rng = np.random.default_rng(3)
    for name, size in (("soundalike", 384 * 2 + 285), ("soundalike-2", 285)):
        descriptor = get_descriptor(name)
        low, high = descriptor.ranges
        learned = rng.uniform(-0.3, 0.3, descriptor.learned)
        vector = np.concatenate([learned, rng.uniform(low, high)]).astype(np.float32)
        blob = vector_codec.encode(vector, descriptor)
        assert len(blob) == size
        back = vector_codec.decode(blob, descriptor)
        error = np.abs(back - vector)
        assert np.all(error <= vector_codec.step(descriptor) / 2 * 1.001
                      + 2**-11 * np.abs(vector) + 1e-7)
        assert error[descriptor.learned:].max() > 0  # really one byte: not exact
        beyond = vector.copy()
        beyond[descriptor.learned:] = high + 5
        assert np.allclose(vector_codec.decode(vector_codec.encode(beyond, descriptor),
                                               descriptor)[descriptor.learned:], high)
        with pytest.raises(IndexStoreError, match="damaged"):
            vector_codec.decode(blob[:-1], descriptor)
    seed = get_descriptor("seed")
    vector = rng.normal(0, 20, seed.dim).astype(np.float32)
    blob = vector_codec.encode(vector, seed)
    assert blob == vector.astype("<f2").tobytes()
    assert np.array_equal(vector_codec.decode(blob, seed), vector.astype("<f2"))


def test_stored_vectors_read_in_blocks_are_those_read_one_by_one():
    """A catalogue decodes each block of stored vectors at once: the same numbers as one by
    one, for a descriptor with bounds and one without, and for a block holding a vector
    stored before the one-byte layout (which is read one by one)."""
    from soundalike.engine.index import vector_codec
    from soundalike.engine.sound.descriptors import get_descriptor

    rng = np.random.default_rng(8)
    for name in ("soundalike", "soundalike-2", "seed"):
        descriptor = get_descriptor(name)
        vectors = rng.normal(0, 3, (50, descriptor.dim)).astype(np.float32)
        if descriptor.ranges is not None:
            low, high = descriptor.ranges
            vectors[:, descriptor.learned:] = rng.uniform(low - 1, high + 1,
                                                          (50, descriptor.dim - descriptor.learned))
        blobs = [vector_codec.encode(v, descriptor) for v in vectors]
        older = blobs[:7] + [vectors[7].astype("<f2").tobytes()] + blobs[8:]
        for stored in (blobs, older):
            expected = np.stack([vector_codec.decode(b, descriptor) for b in stored])
            out = np.full((50, descriptor.dim), np.nan, dtype=np.float32)
            vector_codec.decode_many_into(stored, descriptor, out)
            np.testing.assert_array_equal(out, expected)


def test_a_schema_9_library_upgrades_keeping_roots_failures_labels_and_answers(tmp_path):
    """A library as soundalike wrote it at schema 9 (vectors in half precision, made by the
    migrations before the one-byte numbers) upgrades in place: its folders, failures,
    corrections, clusters and answers stay, its vectors shrink, and its side files are
    rebuilt from the new numbers."""
    from soundalike.engine.index import vector_codec
    from soundalike.engine.index.migrations import MIGRATIONS
    from soundalike.engine.sound.descriptors import get_descriptor

    root = tmp_path / "samples"
    for f, family in enumerate(FAMILIES):
        for m in range(3):
            write_drum(root / f"{family} {m}.wav", family, seed=900 + 10 * m + f)
    (root / "broken.wav").write_bytes(b"RIFF not really a wave file")
    new, old = tmp_path / "new" / "library.db", tmp_path / "old" / "library.db"
    kick = root / "kick 0.wav"
    with Library(new) as library:
        library.scan([root], jobs=1)
        library.label([root / "snare 1.wav"], "clap")
        answers = [n.path for n in library.similar([kick], k=8)[0].neighbours]
        status, labels = library.status(), library.store.labels()
    assert status.failed == 1 and answers and [c for _, c, _ in labels] == ["clap"]
    descriptor = get_descriptor("soundalike")

    def half_precision(blob):
        return vector_codec.decode(blob, descriptor).astype("<f2").tobytes()

    old.parent.mkdir()
    with contextlib.closing(sqlite3.connect(old, isolation_level=None)) as conn:
        conn.execute("PRAGMA page_size = 16384")
        for migrate in MIGRATIONS[:9]:
            migrate(conn)
        conn.create_function("half_precision", 1, half_precision)
        conn.execute("ATTACH DATABASE ? AS new", (str(new),))
        for table in ("roots", "files", "scans", "feature_space", "clusters",
                      "cluster_members", "labels"):
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM new.{table}")
        conn.execute("UPDATE main.files SET vector = half_precision(vector) "
                     "WHERE vector IS NOT NULL")
        conn.execute("INSERT INTO main.meta SELECT * FROM new.meta WHERE key != "
                     "'schema_version'")
        conn.execute("INSERT INTO main.meta VALUES ('schema_version', '9')")
        conn.execute("DETACH DATABASE new")
        blobs = conn.execute("SELECT length(vector) FROM files WHERE vector IS NOT NULL")
        assert {n for (n,) in blobs} == {669 * 2}  # as schema 9 stored them
        generation = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    with Library(old) as library:
        upgraded = library.status()
        assert upgraded.schema_version == 10
        assert [r.path for r in upgraded.roots] == [r.path for r in status.roots]
        assert [(f.path, f.reason) for f in upgraded.failures] == \
            [(f.path, f.reason) for f in status.failures]
        assert library.store.labels() == labels
        assert library.store.count_clustered() == status.profiled
        assert [n.path for n in library.similar([kick], k=8)[0].neighbours] == answers
        rows = library.store.db.execute(
            "SELECT length(vector) FROM files WHERE vector IS NOT NULL").fetchall()
        assert {n for (n,) in rows} == {384 * 2 + 285}
        assert library.store.get_meta("generation") != generation[0]  # side files anew


def test_checksums_are_compared_once_per_file_as_written(tmp_path, monkeypatch):
    """A side file found sound is not read whole again by the next process (nor one its
    writer just computed the checksums of); a file changed in place afterwards (same size,
    its modification time put back) is checked again and refused."""
    import zlib

    path = tmp_path / "x.vectors"
    side_files.write_arrays(path, {"a": 1}, {"ids": np.arange(1000), "E": np.ones((1000, 8))})
    sums, crc32 = [], zlib.crc32

    def counted(data, *args):
        sums.append(len(data))
        return crc32(data, *args)

    monkeypatch.setattr(side_files.zlib, "crc32", counted)
    side_files.read_arrays(path)
    assert sums == []  # vouched for by its writer
    side_files.checked_path(path).unlink()
    side_files.read_arrays(path)
    assert len(sums) == 2  # both arrays, the first time a reader vouches for it
    meta, arrays = side_files.read_arrays(path)
    assert len(sums) == 2 and arrays["ids"].tolist() == list(range(1000))  # vouched for
    stat = path.stat()
    with open(path, "r+b") as f:  # a byte of E flipped in place, the time put back
        f.seek(-3, os.SEEK_END)
        byte = f.read(1)
        f.seek(-3, os.SEEK_END)
        f.write(bytes([byte[0] ^ 0xFF]))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(side_files.DamagedSideFile, match="E does not match"):
        side_files.read_arrays(path)
    assert not side_files.checked_path(path).exists()


def test_one_query_reads_the_embedding_in_blocks_a_server_keeps_a_copy():
    """A command's one query reads a half-precision embedding a block at a time (no
    single-precision copy of it all: 192 MB at a million sounds); an index that keeps
    answering makes the copy; both find the same candidates."""
    from soundalike.engine.index import neighbours

    rng = np.random.default_rng(5)
    Z = rng.standard_normal((40_000, 24)).astype(np.float16)
    P = np.linalg.qr(rng.standard_normal((24, 8)))[0].T.astype(np.float32)
    E = (Z.astype(np.float32) @ P.T).astype(np.float16)
    index = neighbours.NeighbourIndex(Z, E, P, {}, approximate=False)
    reference = neighbours.NeighbourIndex(Z, E.astype(np.float32), P, {}, approximate=False)
    for row in range(0, 40_000, 997):
        rows, distances = index.search(Z[row].astype(np.float32), 10)
        expected = reference.search(Z[row].astype(np.float32), 10)
        assert rows.tolist() == expected[0].tolist()
        assert np.allclose(distances, expected[1])
    assert index._queries > neighbours.GRAPH_AFTER and index._E32 is not None
    single = neighbours.NeighbourIndex(Z, E, P, {}, approximate=False)
    single.search(Z[0].astype(np.float32), 10)
    assert single._E32 is None  # one query: no copy


def test_the_approximate_graph_waits_for_a_server(monkeypatch):
    """A command's one query is answered exactly; an index that keeps answering (a server)
    builds its HNSW graph in the background, and answers from it once built."""
    pytest.importorskip("voyager", reason="approximate search needs voyager: "
                        "pip install 'soundalike[ann]'")
    from soundalike.engine.index import neighbours

    monkeypatch.setattr(neighbours, "APPROXIMATE_FROM", 100)
    monkeypatch.setattr(neighbours, "GRAPH_AFTER", 3)
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((500, 16)).astype(np.float32)
    index = neighbours.NeighbourIndex(Z, Z, np.eye(16, dtype=np.float32), {})
    first, _ = index.search(Z[0], 5)
    assert not index.approximate and index._building is None
    for row in (1, 2):
        index.search(Z[row], 5)
    index._building.join(timeout=60)
    assert index.approximate
    again, _ = index.search(Z[0], 5)
    assert again.tolist() == first.tolist()
    read_only = Z.copy()
    read_only.setflags(write=False)  # as a memory map of the side files is
    graph = neighbours.HnswGraph(read_only, ef_construction=50)
    assert graph.query(read_only[:3], k=1, ef=10)[:, 0].tolist() == [0, 1, 2]
    exact = neighbours.NeighbourIndex(Z, Z, np.eye(16, dtype=np.float32), {}, approximate=False)
    for row in range(5):
        exact.search(Z[row], 5)
    assert exact._building is None and not exact.approximate


def test_a_server_lets_go_of_its_single_precision_embedding_once_its_graph_is_built(
        monkeypatch):
    """The graph holds its own copy of the embedding: the single-precision one made for the
    exact searches while it was built goes, and what the graph cannot answer (a filter
    keeping few sounds) is answered exactly from the stored half-precision embedding."""
    pytest.importorskip("voyager", reason="approximate search needs voyager: "
                        "pip install 'soundalike[ann]'")
    from soundalike.engine.index import neighbours

    monkeypatch.setattr(neighbours, "APPROXIMATE_FROM", 100)
    monkeypatch.setattr(neighbours, "GRAPH_AFTER", 3)
    rng = np.random.default_rng(1)
    Z = rng.standard_normal((600, 16)).astype(np.float32)
    E = Z.astype(np.float16)  # as the side files store it
    P = np.eye(16, dtype=np.float32)
    index = neighbours.NeighbourIndex(Z, E, P, {})
    exact = neighbours.NeighbourIndex(Z, E, P, {}, approximate=False)
    for row in range(3):
        index.search(Z[row], 5)
    index.E  # noqa: B018  (made, as the exact searches while the graph is built make it)
    index._building.join(timeout=60)
    assert index.approximate and index._E32 is None
    few = np.zeros(len(Z), dtype=bool)
    few[::50] = True  # too few for the graph: the exact scan answers
    for row in range(20):
        assert (index.search(Z[row], 5, allowed=few)[0].tolist()
                == exact.search(Z[row], 5, allowed=few)[0].tolist())
    assert index._E32 is None  # read a block at a time, not made again
    assert index.E.dtype == np.float32 and index._E32 is None


def test_the_quick_check_runs_once_per_change_of_the_index(scanned, db):
    """SQLite's quick check reads the whole index: it runs when the file is new to this
    check or changed by something else, not in every command; damage is still found."""
    def checks() -> int:
        with Library(db) as library:
            seen = traced(library)
            library.store.refuse_damaged()
            library.similar([str(scanned[1] / "Pack 0" / "kick 0-0.wav")], k=3)
        return sum("quick_check" in sql for sql in seen)

    assert checks() == 1  # a copy: another file than the one vouched for
    assert checks() == 0
    with Library(db) as library:  # this process writes: it vouches for what it leaves
        library.store.refuse_damaged()
        library.label([str(scanned[1] / "Pack 0" / "kick 0-0.wav")], "kick")
    assert checks() == 0
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:  # another program writes it
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('note', 'x')")
    assert checks() == 1
    assert checks() == 0
    stat = db.stat()
    with open(db, "r+b") as f:  # a page in the middle overwritten, the time put back
        f.seek(stat.st_size // 2 // 16384 * 16384)
        f.write(b"\xa5" * 16384)
    os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    for _ in range(2):
        with Library(db) as library, pytest.raises(DamagedIndexError):
            library.store.refuse_damaged()
    assert not db.with_name("library.db.checked").exists()


def test_a_query_reads_no_row_of_the_files_table(scanned, db):
    """Opened from side files, a catalogue, a search and a kit read a few small tables and
    indexes: no statement walks the files table (its rows hold the vectors: 175 MB at
    100,000 sounds), whatever plan SQLite picks."""
    query = str(scanned[1] / "Pack 0" / "snare 0-0.wav")
    with Library(db) as library:
        library.label([str(scanned[1] / "Pack 1" / "tom 1-0.wav")], "tom")  # a label to join
        library.catalogue()
    with Library(db) as library:
        seen = traced(library)
        library.catalogue()
        library.similar([query], k=5)
        library.kit([query], pads=8)
        assert any("labels" in sql for sql in seen)
        assert not file_row_walks(library, seen)


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="needs Linux's /proc")
def test_the_vectors_are_mapped_for_random_reads(scanned, db):
    """The vectors, read a few rows at a time, are advised as read at random (``rr`` in the
    map's flags): a page fault there reads that page, not megabytes ahead."""
    _, arrays = side_files.read_arrays(db.with_name("library.db.vectors"))
    flags = []
    lines = Path("/proc/self/smaps").read_text().splitlines()
    inside = False
    for line in lines:
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            inside = line.endswith("library.db.vectors")
        elif inside and line.startswith("VmFlags:"):
            flags.append(line.split()[1:])
    assert any("rr" in f for f in flags) and any("rr" not in f for f in flags), flags
    side_files.will_read(arrays["Z"])  # a pass over them: advice only, nothing else changes
    assert arrays["Z"].shape[0] == 36


def test_one_pass_distances_are_those_of_each_row(scanned, db):
    """A kit measures every sound's distance to its references in one pass over the mapped
    vectors: exactly the distances a search measures row by row, and the duplicate check
    of a row against every sound on the kit is raw_distances_to's."""
    from soundalike.engine.kits.build import _raw_distances
    from soundalike.engine.search.duplicates import raw_distances_to

    with Library(db) as library:
        catalogue = library.catalogue()
        index = catalogue.index
        queries = np.stack([index.rows(row) for row in (0, 7, 35)])
        every = index.distances_to_all(queries)
        assert every.shape == (3, catalogue.size)
        for z, row in zip(queries, every, strict=True):
            np.testing.assert_array_equal(row, index.distances(z, np.arange(catalogue.size)))
        scale = catalogue.space.scale_
        for row in (3, 20):
            expected = [raw_distances_to(index, scale, z, np.array([row]))[0] for z in queries]
            np.testing.assert_array_equal(_raw_distances(catalogue, scale, row, queries),
                                          expected)


def test_a_first_build_reads_only_the_vectors_its_fit_samples(db, monkeypatch):
    """Fitting the feature space (a first scan, a library grown by a quarter) reads the few
    thousand vectors the fit samples, not every one (a million sounds' in single precision
    would take 2.7 GB), and fits what a fit on every vector fits."""
    from soundalike.engine.index import feature_space, vector_codec
    from soundalike.engine.index.feature_space import FeatureSpace

    monkeypatch.setattr(feature_space, "FIT_SAMPLE", 10)  # of the library's 36 sounds
    with IndexStore(db) as store:
        with store.transaction():
            store.db.execute("DELETE FROM feature_space")
        key = store.search_key()
        every = [vector for (_, _, _, vector, *_rest) in store.search_rows(key)]
    read = []
    real = IndexStore.search_vectors_at

    def counted(self, key, positions):
        found = real(self, key, positions)
        read.append(len(found))
        return found

    monkeypatch.setattr(IndexStore, "search_vectors_at", counted)
    with Library(db) as library:
        catalogue = library.catalogue()
        descriptor = catalogue.descriptor
        X = np.stack([vector_codec.decode(vector, descriptor) for vector in every])
        whole = FeatureSpace(learned=descriptor.learned).fit(X)
        assert read == [10] and catalogue.space.n_fit_ == whole.n_fit_ == len(X) == 36
        for name in ("mean_", "scale_", "components_"):
            assert np.array_equal(getattr(catalogue.space, name), getattr(whole, name)), name


def _mapped_kb(path: Path) -> int:
    """This process's resident kilobytes of the mappings of ``path`` (/proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            inside = line.endswith(str(path))
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="reads Linux's /proc")
def test_a_pass_over_every_profile_leaves_its_pages_behind(tmp_path):
    """A kit's distances and a weighted search read every profile of a mapped vectors file
    (each row holds the embedding and the hand-made numbers, so every page): a block's pages
    leave the process once it is read, or a command at a million sounds would hold 1.3 GB of
    them. The answers are those of the same vectors in memory."""
    from soundalike.engine.index import neighbours

    rng = np.random.default_rng(11)
    n, dim, learned = 60_000, 128, 64
    path = tmp_path / "Z.f16"
    written = np.memmap(path, dtype=np.float16, mode="w+", shape=(n, dim))
    written[:] = rng.standard_normal((n, dim)).astype(np.float16)
    written.flush()
    del written
    Z = np.memmap(path, dtype=np.float16, mode="r", shape=(n, dim))
    P = np.linalg.qr(rng.standard_normal((dim, 8)))[0].T.astype(np.float32)
    E = (np.asarray(Z, dtype=np.float32) @ P.T).astype(np.float32)
    aspects = {"sound": list(range(learned)), "attack": list(range(learned, 96)),
               "tail": list(range(96, dim))}
    mapped = neighbours.NeighbourIndex(Z, E, P, aspects, approximate=False, learned=learned)
    held = neighbours.NeighbourIndex(np.array(Z), E, P, aspects, approximate=False,
                                     learned=learned)
    queries = np.asarray(Z[[5, 77]], dtype=np.float32)
    size_kb = n * dim * 2 // 1024
    every = mapped.distances_to_all(queries)
    assert _mapped_kb(path) < size_kb // 4, (_mapped_kb(path), size_kb)
    np.testing.assert_array_equal(every, held.distances_to_all(queries))
    weights = {"attack": 2.0, "tail": 0.5}
    rows, distances = mapped.search(queries[0], 10, weights=weights)
    assert _mapped_kb(path) < size_kb // 4, (_mapped_kb(path), size_kb)
    expected = held.search(queries[0], 10, weights=weights)
    assert rows.tolist() == expected[0].tolist()
    np.testing.assert_allclose(distances, expected[1], rtol=1e-5)
    assert rows[0] == 5  # the query itself, at distance 0


def test_a_scan_keeps_its_side_files_cached_until_its_clusters_are_made(scanned, tmp_path,
                                                                        monkeypatch):
    """The end of a scan writes the side files and at once reads every vector back (the
    clusters, their labels): their pages leave the system's cache once that is done, not as
    soon as they are written (they were then read back from the disk). Outside a scan, a
    side file leaves the cache as it is written."""
    released: list[int] = []  # inodes, in the order their pages were let go
    monkeypatch.setattr(side_files, "_leave_cache", lambda fd: released.append(os.fstat(fd).st_ino))
    with side_files.cached_until_done():
        side_files.write_arrays(tmp_path / "a", {}, {"x": np.arange(5)})
        side_files.write_arrays(tmp_path / "b", {}, {"x": np.arange(6)})
        assert released == []
    assert released == [os.stat(tmp_path / "a").st_ino, os.stat(tmp_path / "b").st_ino]
    released.clear()
    side_files.write_arrays(tmp_path / "c", {}, {"x": np.arange(7)})
    assert len(released) == 1  # the temporary file, as written

    shutil.copytree(scanned[1], tmp_path / "samples")
    released.clear()
    with Library(tmp_path / "library.db") as library:
        after_scan = library.keeper.after_scan
        seen_during: list[int] = []

        def clusters_made(*args, **kwargs):
            result = after_scan(*args, **kwargs)
            seen_during.extend(released)
            return result

        monkeypatch.setattr(library.keeper, "after_scan", clusters_made)
        library.scan([tmp_path / "samples"], jobs=1)
        vectors = side_files.vectors_path(tmp_path / "library.db")
        assert seen_during == []
        assert os.stat(vectors).st_ino in released


def test_the_vectors_are_written_as_they_are_made_as_a_build_in_memory_makes_them(scanned, db):
    """A build writes the vectors into the side file block by block (a million sounds'
    would otherwise be held whole, 1.3 GB): every array as a build that writes nothing
    makes it, byte for byte."""
    from soundalike.engine.index import catalogue as catalogues

    side_files.remove(db)
    with Library(db) as library:
        store, descriptor = library.store, library.descriptor
        roots, generation = store.roots(), store.get_meta("generation", "0")
        *_, in_memory = catalogues._build(store, descriptor, generation, roots, write=False)
        assert not side_files.vectors_path(db).exists()
        *_, meta, written = catalogues._build(store, descriptor, generation, roots)
    assert side_files.vectors_path(db).exists()
    assert "pack_keys" not in meta  # kept as arrays: the header's size is bounded
    assert set(written) == set(in_memory)
    for name, array in in_memory.items():
        assert np.array_equal(np.asarray(written[name]), np.asarray(array)), name


def test_blocks_made_on_threads_are_kept_in_the_order_of_the_rows(scanned, db, monkeypatch):
    """The vectors are made a block at a time on two threads while the index is read: a
    block that takes longer than the ones after it still lands in its own rows, in the file
    and in memory (each row's vector, embedding and probabilities are its own file's)."""
    import threading
    import time

    from soundalike.engine.index import catalogue as catalogues
    from soundalike.engine.index import vector_codec
    from soundalike.engine.index.probabilities import probabilities_of

    monkeypatch.setattr(catalogues, "BLOCK", 4)  # 36 sounds: nine blocks
    decode, first = vector_codec.decode_many_into, threading.Event()

    def first_block_last(blobs, descriptor, out):
        if not first.is_set():
            first.set()
            time.sleep(0.5)  # the blocks after it are made meanwhile
        return decode(blobs, descriptor, out)

    monkeypatch.setattr(catalogues.vector_codec, "decode_many_into", first_block_last)
    side_files.remove(db)
    for write in (False, True):
        first.clear()
        with Library(db) as library:
            store, descriptor = library.store, library.descriptor
            roots, generation = store.roots(), store.get_meta("generation", "0")
            space, *_, built = catalogues._build(store, descriptor, generation, roots,
                                                 write=write)
            rows = list(store.search_rows(descriptor.key))
        Z = space.standardize(np.stack([vector_codec.decode(row[3], descriptor)
                                        for row in rows]))
        assert [int(i) for i in built["ids"]] == [row[0] for row in rows]
        assert np.array_equal(np.asarray(built["Z"]), Z.astype(np.float16))
        # (a product of 4 rows and one of 36 may round the last bit apart)
        assert np.allclose(np.asarray(built["E"], dtype=np.float32), space.embed(Z),
                           rtol=2e-3, atol=2e-3)
        assert np.allclose(built["probabilities"],
                           probabilities_of(Z, space, descriptor.learned), atol=1e-6)
        assert side_files.vectors_path(db).exists() == write


def test_a_server_builds_on_its_own_thread_and_a_command_on_more(scanned, db, monkeypatch):
    """A command builds the side files on threads beside its own; a server, whose requests
    share the cores, on the thread that builds (its rescans open the library the same way),
    into the same files."""
    import threading

    from soundalike.bridge.service import LibraryService
    from soundalike.engine.index import catalogue as catalogues

    where: list[str] = []
    make = catalogues._Streamed._make

    def noted(self, blobs, start):
        where.append(threading.current_thread().name)
        return make(self, blobs, start)

    monkeypatch.setattr(catalogues._Streamed, "_make", noted)
    monkeypatch.setattr(catalogues, "BLOCK", 8)
    side_files.remove(db)
    with Library(db) as library:
        library.catalogue()
    assert where and all(name.startswith("side-files") for name in where)
    _, built = side_files.read_arrays(side_files.vectors_path(db))
    built = {name: np.array(array) for name, array in built.items()}
    where.clear()
    side_files.remove(db)
    service = LibraryService(db, jobs=1)
    service.load()
    try:
        assert where and not any(name.startswith("side-files") for name in where)
        assert threading.current_thread().name in where
        _, again = side_files.read_arrays(side_files.vectors_path(db))
        for name, array in built.items():
            assert np.array_equal(np.asarray(again[name]), array), name
    finally:
        service.stop()


def test_a_disk_that_fills_while_the_vectors_are_written_leaves_answers_from_memory(
        scanned, tmp_path, caplog):
    """A real full disk (tmpfs) part way through the vectors: the command answers from
    memory, says so, and leaves no half-written file."""
    from tests.conftest import small_disk_at

    db_source, root = scanned
    with small_disk_at(tmp_path / "disk", "1m") as disk:
        db = disk / db_source.name
        shutil.copy(db_source, db)
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        # room for SQLite's own files, not for the vectors (36 sounds: 48 KB, and a header)
        with open(disk / "filler", "wb") as filler:
            filler.write(b"\0" * (free - 60 * 1024))
        with Library(db) as library:
            expected = library.similar([str(root / "Pack 0" / "snare 0-0.wav")], k=5)[0]
        assert "cannot write the side files" in caplog.text
        assert not any(".tmp-" in p.name for p in disk.iterdir())
        assert [n.path for n in expected.neighbours]
    with Library(db_source) as library:
        assert [n.path for n in library.similar([str(root / "Pack 0" / "snare 0-0.wav")],
                                                k=5)[0].neighbours] == \
            [n.path for n in expected.neighbours]


def test_a_build_stopped_while_the_vectors_are_written_leaves_no_file(scanned, db,
                                                                     monkeypatch):
    """Ctrl-C part way through the vectors: the old side file (none here) stays as it was and
    no half-written one is left beside the index."""
    from soundalike.engine.index import catalogue as catalogues

    side_files.remove(db)
    before = sorted(p.name for p in db.parent.iterdir())
    monkeypatch.setattr(catalogues, "BLOCK", 4)
    calls = []

    def stopped_on_the_third_block(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return decode(*args, **kwargs)

    decode = catalogues.vector_codec.decode_many_into
    monkeypatch.setattr(catalogues.vector_codec, "decode_many_into", stopped_on_the_third_block)
    with Library(db) as library, pytest.raises(KeyboardInterrupt):
        library.catalogue()
    assert sorted(p.name for p in db.parent.iterdir()) == before


def test_side_files_written_before_the_packs_were_kept_as_arrays_are_read_as_they_are(scanned,
                                                                                      db):
    """The packs' keys moved from the vectors file's header into arrays: a file written by
    the version before (keys in the header) is read, not rebuilt, with the same packs."""
    import base64

    from soundalike.engine.index.catalogue import PathList

    path = side_files.vectors_path(db)
    meta, arrays = side_files.read_arrays(path)
    keys = PathList(arrays["pack_key_blob"], arrays["pack_key_offsets"])
    older = dict(meta, pack_keys=[base64.b64encode(bytes(key)).decode() for key in keys])
    side_files.write_arrays(path, older, {name: np.array(a) for name, a in arrays.items()
                                          if not name.startswith("pack_key_")})
    written = path.stat().st_ino
    with Library(db) as library:
        packs = library.catalogue().pack_keys
    assert path.stat().st_ino == written  # read as it was
    assert packs == {bytes(key): number for number, key in enumerate(keys)} and len(packs) == 3


def _mapped_megabytes() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssFile:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no RssFile in /proc/self/status")


@pytest.mark.skipif(not Path("/proc/self/status").exists(),
                    reason="counts mapped pages in /proc (Linux)")
def test_pages_read_from_a_side_file_leave_the_process_when_let_go(tmp_path):
    """A server lets go of the profile pages its requests and passes read (a million sounds'
    vectors are 1.3 GB), and an exact search of the stored embedding lets go of each block
    it read: what they read no longer counts in the process's memory."""
    from soundalike.engine.index.neighbours import NeighbourIndex

    path = tmp_path / "library.db.vectors"
    rows = 200_000
    rng = np.random.default_rng(5)
    Z = rng.standard_normal((rows, 128)).astype(np.float16)  # 51 MB
    side_files.write_arrays(path, {"build": "x"}, {"Z": Z, "E": Z[:, :64]})  # E: 26 MB
    _, arrays = side_files.read_arrays(path)
    Z, E = arrays["Z"], arrays["E"]
    start = _mapped_megabytes()
    assert float(np.asarray(Z[::7], dtype=np.float32).sum()) != 0.0  # every page of Z read
    assert _mapped_megabytes() - start > 40
    side_files.let_go(Z)
    assert _mapped_megabytes() - start < 5
    # Half of it let go: about half stays.
    np.asarray(Z[::7], dtype=np.float32).sum()
    side_files.let_go(Z, 0, rows // 2)
    assert 15 < _mapped_megabytes() - start < 35
    side_files.let_go(Z)
    # An exact search over the stored embedding (a command's one query, a filter the graph
    # hands over): the same answers, and the 26 MB it read through are not kept.
    e_sq = np.einsum("ij,ij->i", *(np.asarray(E, dtype=np.float32),) * 2)  # as stored beside
    side_files.let_go(E)
    index = NeighbourIndex(Z, E, np.eye(64, 128, dtype=np.float32), {}, approximate=False,
                           e_sq=e_sq)
    few = rng.random(rows) < 0.3  # measured on the rows kept only
    for allowed in (None, few):
        before = _mapped_megabytes()
        found, _ = index.search(np.asarray(Z[3], dtype=np.float32), 10, allowed=allowed)
        assert found[0] == 3 or allowed is not None
        assert allowed is None or allowed[found].all()
        assert _mapped_megabytes() - before < 8
    # Distances to more rows than a block (a pass over many candidates): not kept either.
    before = _mapped_megabytes()
    assert len(index.distances(np.asarray(Z[3], dtype=np.float32), np.arange(0, rows, 3))) \
        == len(range(0, rows, 3))
    assert _mapped_megabytes() - before < 8


def test_a_path_list_gives_many_paths_as_it_gives_each():
    from soundalike.engine.index.catalogue import PathList, paths_of

    paths = [b"/a/kick.wav", b"", "/b/caf\u00e9 snare.wav".encode(), b"/c/\xff.wav"]
    listed = PathList.of(paths)
    rows = np.array([3, 0, 2, 1, 2], dtype=np.int64)
    assert listed.take(rows) == [paths[r] for r in rows] == paths_of(paths, rows)
    assert paths_of(listed, rows[:0]) == []
