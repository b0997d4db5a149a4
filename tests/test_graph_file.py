"""The library's HNSW graph saved beside its side files: the next process that needs it (a
server, a map) loads it instead of building it, and never trusts a stale, damaged or foreign
one."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import numpy as np
import pytest

from soundalike.engine import Library
from soundalike.engine.index import graph_file, neighbours
from soundalike.engine.index.graph_file import SavedGraph
from soundalike.engine.index.neighbours import NeighbourIndex
from soundalike.engine.index.store import set_aside
from tests.conftest import write_drum

pytest.importorskip("voyager", reason="approximate search needs voyager: "
                    "pip install 'soundalike[ann]'")


@pytest.fixture
def saving_every_graph(monkeypatch):
    """Graphs kept from the first row (the product keeps those of 200,000 sounds or more)."""
    monkeypatch.setattr(graph_file, "SAVE_FROM", 0)


def vectors(rows: int = 800, dims: int = 12, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((rows, dims)).astype(np.float32)


def index_of(Z: np.ndarray, saved: SavedGraph | None) -> NeighbourIndex:
    return NeighbourIndex(Z, Z, np.eye(Z.shape[1], dtype=np.float32), {}, approximate=True,
                          saved_graph=saved)


def answers(index: NeighbourIndex, Z: np.ndarray) -> list[list[int]]:
    return [index.search(Z[row], 8)[0].tolist() for row in range(0, len(Z), 40)]


def state(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def test_a_saved_graph_is_loaded_not_built_and_answers_alike(tmp_path, saving_every_graph,
                                                             caplog):
    Z = vectors()
    saved = SavedGraph(tmp_path / "library.db", "build-1", len(Z), Z.shape[1])
    with caplog.at_level(logging.INFO):
        first = index_of(Z, saved)
    graph, note = graph_file.graph_path(saved.db_path), graph_file.note_path(saved.db_path)
    assert graph.exists() and json.loads(note.read_text())["build"] == "build-1"
    before = state(graph)
    with caplog.at_level(logging.INFO):
        second = index_of(Z, saved)
    assert "neighbour graph of 800 sounds ready" in caplog.text
    assert "(built)" in caplog.text and "(kept from an earlier process)" in caplog.text
    # A process that builds a graph saves it (a new file): the same file means it was loaded.
    assert state(graph) == before
    assert second.approximate and answers(second, Z) == answers(first, Z)
    exact = NeighbourIndex(Z, Z, np.eye(Z.shape[1], dtype=np.float32), {}, approximate=False)
    assert answers(second, Z) == answers(exact, Z)


def test_a_graph_of_other_side_files_is_deleted_and_made_again(tmp_path, saving_every_graph):
    Z = vectors()
    db = tmp_path / "library.db"
    index_of(Z, SavedGraph(db, "build-1", len(Z), Z.shape[1]))
    assert SavedGraph(db, "build-2", len(Z), Z.shape[1]).load() is None
    assert not graph_file.graph_path(db).exists() and not graph_file.note_path(db).exists()
    fewer = Z[:700]
    index_of(fewer, SavedGraph(db, "build-2", len(fewer), Z.shape[1]))
    # not these rows; a process that may not write the index leaves the files as they are
    assert SavedGraph(db, "build-2", len(Z), Z.shape[1], writable=False).load() is None
    loaded = SavedGraph(db, "build-2", len(fewer), Z.shape[1]).load()
    assert loaded is not None and loaded.size == 700


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-1000])


def garbage(path: Path) -> None:
    path.write_bytes(b"not a graph at all" * 10)


@pytest.mark.parametrize("damage", [flip_a_byte, cut_short, garbage])
def test_a_damaged_graph_is_built_again_and_saved_over(tmp_path, saving_every_graph, damage,
                                                        caplog):
    Z = vectors()
    saved = SavedGraph(tmp_path / "library.db", "build-1", len(Z), Z.shape[1])
    expected = answers(index_of(Z, saved), Z)
    graph = graph_file.graph_path(saved.db_path)
    damage(graph)
    damaged = state(graph)
    with caplog.at_level(logging.WARNING):
        again = index_of(Z, saved)
    assert "saved neighbour graph" in caplog.text and "building it again" in caplog.text
    assert answers(again, Z) == expected
    assert state(graph) != damaged and saved.load() is not None  # a sound one saved over it


def test_a_graph_whose_checksum_matches_but_voyager_refuses_is_built_again(
        tmp_path, saving_every_graph, caplog):
    """A note that vouches for garbage (written by hand, or by a bug): voyager's refusal is
    the last line of defence, said in the log, never an error."""
    Z = vectors()
    saved = SavedGraph(tmp_path / "library.db", "build-1", len(Z), Z.shape[1])
    index_of(Z, saved)
    graph, note = graph_file.graph_path(saved.db_path), graph_file.note_path(saved.db_path)
    garbage(graph)
    written = json.loads(note.read_text())
    written.update(bytes=graph.stat().st_size, crc=graph_file._crc(graph))
    note.write_text(json.dumps(written))
    with caplog.at_level(logging.WARNING):
        assert saved.load() is None
    assert "cannot load the saved neighbour graph" in caplog.text


@pytest.mark.parametrize("note_text", ["{not json", "[1, 2]", ""])
def test_a_damaged_note_means_no_graph(tmp_path, saving_every_graph, note_text):
    Z = vectors()
    saved = SavedGraph(tmp_path / "library.db", "build-1", len(Z), Z.shape[1])
    index_of(Z, saved)
    graph_file.note_path(saved.db_path).write_text(note_text)
    assert saved.load() is None
    graph_file.note_path(saved.db_path).unlink()
    assert saved.load() is None


def test_small_libraries_and_read_only_indexes_save_no_graph(tmp_path, monkeypatch):
    Z = vectors()
    db = tmp_path / "library.db"
    index_of(Z, SavedGraph(db, "build-1", len(Z), Z.shape[1]))  # under SAVE_FROM
    monkeypatch.setattr(graph_file, "SAVE_FROM", 0)
    index_of(Z, SavedGraph(db, "build-1", len(Z), Z.shape[1], writable=False))
    assert not graph_file.graph_path(db).exists() and not graph_file.note_path(db).exists()
    assert sorted(os.listdir(tmp_path)) == []


def test_a_full_disk_leaves_no_half_written_graph(tmp_path, saving_every_graph, caplog):
    """Saving into a folder that cannot hold it (here: a folder that is gone) is said in the
    log; the graph in memory answers, and no temporary file is left behind."""
    Z = vectors()
    gone = tmp_path / "gone"
    gone.mkdir()
    saved = SavedGraph(gone / "library.db", "build-1", len(Z), Z.shape[1])
    gone.rmdir()
    with caplog.at_level(logging.WARNING):
        index = index_of(Z, saved)
    assert "cannot save the neighbour graph" in caplog.text
    assert index.approximate and len(index.search(Z[0], 5)[0]) == 5
    assert not gone.exists()


def test_a_library_keeps_its_graph_for_its_maps_and_servers(tmp_path, monkeypatch,
                                                             saving_every_graph):
    """Through the product: a map builds the library's graph and keeps it; the next map and a
    catalogue searched as a server searches load it; a rescan that changes the library
    makes a new one; ``scan --rebuild`` sets the old index aside with its graph."""
    monkeypatch.setattr(neighbours, "MAP_GRAPH_FROM", 10)
    root = tmp_path / "samples"
    for n, family in enumerate(("kick", "snare", "hat", "tom", "clap", "bell") * 4):
        write_drum(root / f"Pack {n % 3}" / f"{family} {n}.wav", family, seed=700 + n)
    db = tmp_path / "library.db"
    graph = graph_file.graph_path(db)
    with Library(db) as library:
        library.scan([root], jobs=1)
        first = library.map_data(neighbours=4).neighbours
    assert graph.exists()
    made = state(graph)
    with Library(db) as library:
        assert library.map_data(neighbours=4).neighbours.tolist() == first.tolist()
        catalogue = library.catalogue()
        assert catalogue.index._build_graph(threads=1) is not None
    assert state(graph) == made  # loaded twice, never built again
    write_drum(root / "Pack 0" / "new kick.wav", "kick", seed=999)
    with Library(db) as library:
        library.scan([root], jobs=1)
        library.map_data(neighbours=4)
        build = library.catalogue().side_build
    assert json.loads(graph_file.note_path(db).read_text())["build"] == build
    assert state(graph) != made
    set_aside(db)
    assert not graph.exists() and not graph_file.note_path(db).exists()


def test_closing_an_index_stops_its_graph_mid_build_and_lets_go_of_it(
        tmp_path, monkeypatch, saving_every_graph):
    """A server that stops while its graph is being built: the build ends at its next block
    of rows (it is never finished, so never saved), the thread is gone, and the index
    answers exactly, as a command does."""
    monkeypatch.setattr(neighbours, "APPROXIMATE_FROM", 100)
    monkeypatch.setattr(neighbours, "GRAPH_AFTER", 1)
    monkeypatch.setattr(neighbours, "GRAPH_BLOCK", 500)
    Z = vectors(rows=60_000, dims=16)
    saved = SavedGraph(tmp_path / "library.db", "build-1", len(Z), Z.shape[1])
    index = NeighbourIndex(Z, Z, np.eye(16, dtype=np.float32), {}, saved_graph=saved)
    expected, _ = index.search(Z[0], 5)  # starts the build in the background
    builder = index._building
    assert builder is not None and builder.is_alive()
    index.close()
    assert not builder.is_alive() and index._graph is None and not index.approximate
    assert not graph_file.graph_path(saved.db_path).exists()
    assert index.search(Z[0], 5)[0].tolist() == expected.tolist()


SERVE_WITH_A_GRAPH = """
import sys
from soundalike.engine.index import neighbours
from soundalike.engine.search import copy_groups
neighbours.APPROXIMATE_FROM = 10  # the product: 200,000 sounds
neighbours.GRAPH_AFTER = 2
making = copy_groups.make_groups

def lasting(index, *args, **kwargs):
    # the copy groups' pass over the library, which takes a minute at a million sounds: still
    # under way when the server is stopped (at this library's size it would take a moment)
    print("copy groups pass started", file=sys.stderr, flush=True)
    index.closing.wait(120)
    return making(index, *args, **kwargs)

copy_groups.make_groups = lasting
from soundalike.engine.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_server_with_a_graph_stops_without_a_word_on_stderr_but_its_own(tmp_path):
    """Ctrl-C on a server whose library has an HNSW graph, while its copy groups are being
    made: the pass stops, and nothing but the server's own log reaches stderr (which a DAW
    shows line by line). A voyager graph still alive when Python exits (held by a background
    pass) made nanobind print a leak report of 20 lines."""
    import signal
    import subprocess
    import sys

    from pythonosc.udp_client import SimpleUDPClient

    from tests.test_bridge import Client

    root = tmp_path / "samples"
    for n, family in enumerate(("kick", "snare", "hat", "tom", "clap", "bell") * 3):
        write_drum(root / f"Pack {n % 2}" / f"{family} {n}.wav", family, seed=300 + n)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    listener = Client()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE_WITH_A_GRAPH, "--db", str(db), "serve", "--port", "0",
         "--reply-port", str(listener.port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        while not any("soundalike serving" in line for line in lines):
            lines.append(server.stderr.readline())
            assert lines[-1], "the server ended before listening: " + "".join(lines)
        port = int(lines[-1].split(" on ")[1].split()[0].rsplit(":", 1)[1])
        sender = SimpleUDPClient("127.0.0.1", port)
        query = str(root / "Pack 0" / "kick 0.wav")
        for request in range(20):  # the graph, then the copy groups' pass, started
            sender.send_message("/soundalike/similar", [request, query, 5])
            assert listener.receive(until="/done", timeout=10)
        deadline = time.monotonic() + 60
        while not any("copy groups pass started" in line for line in lines):
            assert time.monotonic() < deadline, "no copy groups: " + "".join(lines)
            lines.append(server.stderr.readline())
    finally:
        server.send_signal(signal.SIGINT)
        rest = server.communicate(timeout=60)[1]
        listener.close()
    assert server.returncode == 0, rest
    assert "nanobind" not in rest and "leaked" not in rest, rest
    assert "stopping (SIGINT)" in rest


def test_a_kept_graph_is_brought_up_to_date_after_a_scan(tmp_path, saving_every_graph, caplog):
    """A scan that changed a few files (new side files, the same feature space): the kept
    graph is updated (files gone and changed marked deleted, new and changed ones added)
    where building it anew would take minutes at a million sounds; it answers as a fresh
    graph does, every row reachable, never a row that is gone, and is kept for the next."""
    rng = np.random.default_rng(5)
    Z = vectors(1000, 12, seed=5)
    ids = 3 * np.arange(1, 1001)
    db = tmp_path / "library.db"
    index_of(Z, SavedGraph(db, "build-1", len(Z), 12, space=7, file_ids=ids))
    kept = np.ones(len(Z), dtype=bool)
    kept[rng.choice(len(Z), 50, replace=False)] = False
    after, after_ids = Z[kept].copy(), ids[kept]
    changed = rng.choice(len(after), 20, replace=False)
    after[changed] = rng.standard_normal((20, 12))
    after = np.concatenate([after, rng.standard_normal((80, 12)).astype(np.float32)])
    after_ids = np.concatenate([after_ids, 5000 + np.arange(80)])
    saved = SavedGraph(db, "build-2", len(after), 12, space=7, file_ids=after_ids)
    with caplog.at_level(logging.INFO):
        index = index_of(after, saved)
    assert "brought up to date: 50 sounds gone, 20 changed, 80 new" in caplog.text
    exact = NeighbourIndex(after, after, np.eye(12, dtype=np.float32), {}, approximate=False)
    recalls = [len(set(index.search(after[q], 10)[0]) & set(exact.search(after[q], 10)[0])) / 10
               for q in range(0, len(after), 7)]
    assert np.mean(recalls) >= 0.95
    for row in [*changed.tolist(), *range(len(after) - 80, len(after))]:
        assert index._graph.query(after[row], k=1, ef=50)[0] == row  # reachable, where it is
    found = index._graph.query(after, k=10, ef=50)
    assert found.min() >= 0 and found.max() < len(after)
    again = saved.load()  # kept under the new build: read as it is
    assert again is not None and (again.to_row == index._graph.to_row).all()
    assert again.query(after[:50], k=5, ef=50).tolist() == found[:50, :5].tolist()


def test_a_kept_graph_of_another_space_or_mostly_changed_is_built_anew(tmp_path,
                                                                      saving_every_graph,
                                                                      caplog):
    Z = vectors(600, 8, seed=6)
    ids = np.arange(600)
    db = tmp_path / "library.db"
    index_of(Z, SavedGraph(db, "build-1", 600, 8, space=7, file_ids=ids))
    moved = Z + 0.5  # every embedding moved (a refitted feature space)
    with caplog.at_level(logging.INFO):
        index_of(moved, SavedGraph(db, "build-2", 600, 8, space=8, file_ids=ids))
        index_of(Z, SavedGraph(db, "build-3", 600, 8, space=8, file_ids=ids))
    assert "brought up to date" not in caplog.text  # other space; then most of it changed
    note = json.loads(graph_file.note_path(db).read_text())
    assert note["build"] == "build-3" and not note["ids"]
