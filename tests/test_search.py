"""Similar sounds, cluster-mates, clusters, duplicates and export on libraries whose answers are
known by construction: families of synthetic drums spread over several packs."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from soundalike.engine import EngineError, Library, NotInLibraryError
from soundalike.engine.index.neighbours import NeighbourIndex
from soundalike.engine.sound.categories import ALL_CATEGORIES
from tests.conftest import write_sound
from tests.synth import FAMILIES, drum, resample

PACKS = ("Pack One", "Pack Two", "Pack Three")
PER_PACK = 4  # members of each family in each pack


def family_of(path: str) -> str:
    return os.path.basename(path).split(" ")[0]


@pytest.fixture(scope="module")
def families(tmp_path_factory) -> tuple[Path, Path]:
    """72 sounds: 6 families x 3 packs x 4 members; returns (library root, index file)."""
    base = tmp_path_factory.mktemp("families")
    root = base / "samples"
    for p, pack in enumerate(PACKS):
        for family in FAMILIES:
            for m in range(PER_PACK):
                seed = 1000 * p + 10 * m + FAMILIES.index(family)
                write_sound(root / pack / f"{family} {p}-{m}.wav", drum(family, seed=seed), 44100)
    db = base / "families.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    return root, db


@pytest.fixture
def library(families):
    with Library(families[1]) as lib:
        yield lib


def test_neighbours_come_from_the_same_family(families, library):
    root, _ = families
    queries = sorted(str(p) for p in root.rglob("*.wav"))
    results = library.similar(queries, k=5)
    hits = [family_of(n.path) == family_of(r.query) for r in results for n in r.neighbours]
    assert np.mean(hits) >= 0.95
    for result in results:
        assert result.in_library
        assert [n.rank for n in result.neighbours] == [1, 2, 3, 4, 5]
        distances = [n.distance for n in result.neighbours]
        assert distances == sorted(distances)
        assert result.query not in {n.path for n in result.neighbours}
        for n in result.neighbours:
            assert set(n.aspects) == {
                "sound", "attack", "body", "tail", "envelope", "brightness", "pitch"
            }
            assert n.category in ALL_CATEGORIES
            assert all(0 < v <= 1 for v in n.aspects.values())
            assert n.cluster is not None


def test_other_folders_and_filters(families, library):
    root, _ = families
    query = root / "Pack One" / "snare 0-1.wav"
    result = library.similar([query], k=8, other_folders=True)[0]
    assert all("/Pack One/" not in n.path for n in result.neighbours)
    assert sum(family_of(n.path) == "snare" for n in result.neighbours) == 8
    under = library.similar([query], k=5, under=root / "Pack Three")[0]
    assert all("/Pack Three/" in n.path for n in under.neighbours)
    short = library.similar([query], k=50, max_duration=0.2)[0]
    assert short.neighbours and all(n.duration <= 0.2 for n in short.neighbours)
    long = library.similar([query], k=50, min_duration=1.0)[0]
    assert long.neighbours and all(n.duration >= 1.0 for n in long.neighbours)
    assert {family_of(n.path) for n in long.neighbours} == {"bell"}


def test_a_file_outside_the_library_is_profiled_not_added(tmp_path, library):
    outside = write_sound(tmp_path / "my new kick.flac", drum("kick", seed=4242), 48000, fmt="FLAC")
    files_before = library.status().files
    result = library.similar([outside], k=6)[0]
    assert not result.in_library
    assert all(family_of(n.path) == "kick" for n in result.neighbours)
    assert library.status().files == files_before


def test_bad_queries_are_clear_errors(tmp_path, library):
    with pytest.raises(EngineError, match="no such file"):
        library.similar([tmp_path / "missing.wav"])
    (tmp_path / "text.wav").write_text("not audio")
    with pytest.raises(EngineError, match="cannot use .* as a query"):
        library.similar([tmp_path / "text.wav"])
    silent = write_sound(tmp_path / "silence.wav", np.zeros(4410, np.float32), 44100)
    with pytest.raises(EngineError, match="silent"):
        library.similar([silent])
    with pytest.raises(EngineError, match="k must be"):
        library.similar([silent], k=0)
    with pytest.raises(EngineError, match="unknown aspect 'loudness'"):
        library.similar(
            [tmp_path / "missing.wav"] * 0 + [next(iter(_any_sample(library)))],
            weights={"loudness": 2},
        )


def _any_sample(library):
    return [library.catalogue().paths[0].decode()]


def test_weights_lean_the_search(families, library):
    root, _ = families
    query = root / "Pack Two" / "tom 1-0.wav"
    plain = library.similar([query], k=10)[0]
    pitch_only = library.similar(
        [query],
        k=10,
        weights={"sound": 0, "attack": 0, "body": 0, "tail": 0, "envelope": 0, "brightness": 0,
                 "pitch": 1},
    )[0]
    assert [n.path for n in plain.neighbours] != [n.path for n in pitch_only.neighbours]
    # With only the pitch aspect weighted, results are ordered by pitch closeness.
    pitch = [n.aspects["pitch"] for n in pitch_only.neighbours]
    assert pitch == sorted(pitch, reverse=True)
    # The default metric is the learned one ("sound" 1, hand-made aspects 0).
    same = library.similar([query], k=10, weights={"sound": 1})[0]
    assert [n.path for n in same.neighbours] == [n.path for n in plain.neighbours]
    # A hand-made aspect given a weight joins the learned distance and moves the ranking.
    attack = library.similar([query], k=10, weights={"attack": 3})[0]
    assert [n.distance for n in attack.neighbours] != [n.distance for n in plain.neighbours]


def _agree(reference, other, n: int, slack: float) -> None:
    """``other``'s first ``n`` neighbours are ``reference``'s, up to sounds whose distances
    differ by less than ``slack`` (which may swap places or cross the cut-off)."""
    ref = {x.path: x.distance for x in reference}
    got = {x.path: x.distance for x in other}
    for path in set(ref) & set(got):
        assert abs(ref[path] - got[path]) <= slack / 2 + 1e-4, (path, ref[path], got[path])
    cut = reference[n - 1].distance
    clearly_in = {x.path for x in reference[:n] if x.distance < cut - slack}
    assert clearly_in <= {x.path for x in other[:n]}
    order = [x.path for x in other if x.path in ref]
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            assert ref[a] <= ref[b] + slack, (a, b)  # a before b only if not clearly farther


def test_similar_ranks_with_what_the_nearest_share(families, library):
    """Query expansion as docs/descriptor.md states it, computed here from the index's own
    vectors: the nearest 2k (at least 20) by distance, ranked by that distance less half of how
    much nearer than the query they are to the centre of its three nearest; the score is the
    distance shown, between half and one and a half times the plain one. With aspect weights,
    the plain weighted ranking."""
    from soundalike.engine.search import similar

    root, _ = families
    catalogue = library.catalogue()
    index = catalogue.index
    width = index.learned
    assert width and similar.EXPAND_WEIGHT == 0.5 and similar.EXPAND_NEIGHBOURS == 3
    reordered = 0
    for query in sorted(root.rglob("*.wav"))[::7]:
        row = catalogue.row_of(os.fsencode(query))
        z = index.rows(row, width).astype(np.float64)
        others = np.delete(np.arange(catalogue.size), row)
        plain = np.sqrt(((index.rows(others, width) - z) ** 2).mean(axis=1))
        pool = others[np.argsort(plain, kind="stable")[:20]]
        d = np.sqrt(((index.rows(pool, width) - z) ** 2).mean(axis=1))
        centre = index.rows(pool[:3], width).astype(np.float64).mean(axis=0)
        centre *= np.linalg.norm(z) / np.linalg.norm(centre)
        toward = (np.sqrt(((index.rows(pool, width) - centre) ** 2).mean(axis=1))
                  - np.sqrt(((z - centre) ** 2).mean()))
        score = d + 0.5 * toward
        expected = pool[np.argsort(score, kind="stable")[:10]]
        found = similar.nearest(catalogue, query, 10, kind="any")
        assert found.rows.tolist() == expected.tolist()
        assert np.allclose(found.distances, np.sort(score)[:10], atol=1e-5)
        shown = dict(zip(pool.tolist(), d.tolist(), strict=True))
        for r, distance in zip(found.rows.tolist(), found.distances.tolist(), strict=True):
            assert 0.5 * shown[r] - 1e-5 <= distance <= 1.5 * shown[r] + 1e-5
        reordered += found.rows.tolist() != pool[:10].tolist()
        # Leaning the metric ranks by the weighted distance alone.
        weighted = similar.nearest(catalogue, query, 10, kind="any", weights={"attack": 1.0})
        assert weighted.rows.tolist() == index.search(
            index.rows(row), 10, weights={"attack": 1.0},
            allowed=np.arange(catalogue.size) != row)[0].tolist()
    assert reordered  # the expansion changes some answers (else this tests nothing)


def test_duplicates_are_found_and_do_not_change_neighbours(tmp_path):
    root = tmp_path / "lib"
    for p, pack in enumerate(PACKS):
        for family in FAMILIES:
            for m in range(2):
                write_sound(
                    root / pack / f"{family} {p}-{m}.wav", drum(family, seed=100 * p + m + 7), 44100
                )
    original = root / "Pack One" / "snare 0-0.wav"
    with Library(tmp_path / "dup.db") as library:
        library.scan([root], jobs=1)
        before = library.similar([original], k=12)[0].neighbours
        assert library.duplicates() == []

        y, sr = sf.read(original, dtype="float32")
        copies = [
            write_sound(root / "Copies" / "snare quieter.wav", y * 10 ** (-12 / 20), sr),
            write_sound(root / "Copies" / "snare 48k.wav", resample(y, sr, 48000), 48000),
            write_sound(root / "Copies" / "snare.mp3", y, sr, fmt="MP3", subtype="MPEG_LAYER_III"),
        ]
        library.scan(jobs=1)
        groups = library.duplicates()
        assert len(groups) == 1
        assert sorted(groups[0].paths) == sorted(str(p) for p in [original, *copies])
        assert groups[0].paths[-1].endswith(".mp3")  # the lossy copy is the one to drop
        copy_paths = {str(p) for p in copies}
        found = library.similar([original], k=15)[0].neighbours
        assert {n.path for n in found[:3]} == copy_paths  # the copies come first
        # Adding copies moves no other sound: the same neighbours at the same distances.
        _agree(before, [n for n in found if n.path not in copy_paths], 8, slack=1e-3)
        # The quiet copy's neighbours are the original's: by the triangle inequality its
        # distance to any sound differs from the original's by at most their own distance, so
        # only sounds nearer to each other than that may swap places.
        from_quiet = library.similar([copies[0]], k=15)[0].neighbours
        gap = next(n.distance for n in from_quiet if n.path == str(original))
        _agree(before, [n for n in from_quiet if n.path not in copy_paths | {str(original)}],
               5, slack=2 * gap)
        unique = library.similar([original], k=5, no_duplicates=True)[0]
        assert not {n.path for n in unique.neighbours} & copy_paths


def test_kit_sized_clusters(tmp_path):
    root = tmp_path / "big"
    for family in FAMILIES:
        for m in range(32):
            write_sound(
                root / f"Pack {m % 4}" / f"{family} {m}.wav", drum(family, seed=m * 31 + 5), 44100
            )
    with Library(tmp_path / "c.db") as library:
        library.scan([root], jobs=2)
        clusters = library.clusters()
        sizes = [c.size for c in clusters]
        assert sum(sizes) == 6 * 32
        assert max(sizes) <= 32
        assert 8 <= len(clusters) <= 20  # about 192 / 16
        pure = 0
        for summary in clusters:
            detail = library.cluster(summary.id)
            names = {family_of(m.path) for m in detail.members}
            pure += len(names) == 1
            typicality = [m.typicality for m in detail.members]
            assert typicality == sorted(typicality)
            if len(names) == 1 and detail.size >= 4:
                assert names.pop() in detail.label  # named from its members' file names
        assert pure >= 0.8 * len(clusters)

        counted = library.recluster(count=6)
        assert counted.clusters == 6 and len(library.clusters()) == 6
        again = library.recluster(count=6)
        assert again.kept_ids == 6  # same library, same clusters, same ids
        with pytest.raises(EngineError):
            library.cluster(999)


def test_clusters_follow_rescans_and_keep_their_ids(tmp_path):
    root = tmp_path / "lib"
    for family in FAMILIES:
        for m in range(20):
            write_sound(root / f"{family} {m}.wav", drum(family, seed=m + 50), 44100)
    with Library(tmp_path / "ids.db") as library:
        library.scan([root], jobs=1)
        before = {c.id: library.cluster(c.id).members for c in library.clusters()}
        write_sound(root / "hat extra.wav", drum("hat", seed=999), 44100)
        (root / "bell 3.wav").unlink()
        report = library.scan(jobs=1)
        assert (report.new, report.removed) == (1, 1)
        after = library.clusters()
        assert {c.id for c in after} == set(before)  # a small change keeps every id
        mates = library.mates(root / "hat extra.wav")
        # its cluster is of hats (a calibrated model calls some generated hats "other", whose
        # clusters may then hold another unsure sound)
        hats = [family_of(n.path) == "hat" for n in mates.mates]
        assert mates.mates and sum(hats) >= 0.75 * len(hats), [n.path for n in mates.mates]
        distances = [n.distance for n in mates.mates]
        assert distances == sorted(distances)
        assert str(root / "hat extra.wav") not in {n.path for n in mates.mates}
        assert all(
            str(root / "bell 3.wav") not in [m.path for m in library.cluster(c.id).members]
            for c in after
        )
        with pytest.raises(NotInLibraryError):
            library.mates(tmp_path / "elsewhere.wav")

        # A big change clusters again; clusters that barely changed keep their ids.
        for m in range(20, 24):
            write_sound(root / f"snare {m}.wav", drum("snare", seed=m + 50), 44100)
        library.scan(jobs=1)
        kept = {c.id for c in library.clusters()} & set(before)
        assert len(kept) >= 0.5 * len(before)


def test_the_same_library_gets_the_same_clusters_whatever_its_scan_order(tmp_path):
    """Rows are stored in the order workers finish; clusters must not depend on it."""
    root = tmp_path / "lib"
    for family in FAMILIES:
        for m in range(24):
            write_sound(root / f"Pack {m % 2}" / f"{family} {m}.wav", drum(family, seed=m), 44100)
    memberships = []
    for name, packs in (("forward", ("Pack 0", "Pack 1")), ("backward", ("Pack 1", "Pack 0"))):
        with Library(tmp_path / f"{name}.db") as library:
            for pack in packs:  # one pack, then the other: rows land in opposite orders
                library.scan([root / pack], jobs=1)
            library.scan([root], jobs=1)  # both packs again, as one root: the space is refitted
            library.recluster()
            memberships.append(
                sorted(sorted(m.path for m in library.cluster(c.id).members)
                       for c in library.clusters())
            )
    assert memberships[0] == memberships[1]


def test_feature_space_is_stored_and_reused(tmp_path, families):
    root, db = families
    with sqlite3.connect(db) as conn:
        (n_fit,) = conn.execute("SELECT n_fit FROM feature_space").fetchone()
    assert n_fit == 72


def test_export_links_and_tables(tmp_path, families, library):
    root, _ = families
    out = tmp_path / "by cluster"
    links = library.export_links(out)
    assert links == 72
    made = [p for p in out.rglob("*") if p.is_symlink()]
    assert len(made) == 72
    for link in made:
        target = os.readlink(link)
        assert os.path.isabs(target) and Path(target).exists()
        assert link.name.split(" ", 1)[1] == Path(target).name
    assert library.export_links(out) == 72  # an earlier export is replaced
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "mine.txt").write_text("keep me")
    with pytest.raises(EngineError, match="not empty"):
        library.export_links(tmp_path / "busy")
    with pytest.raises(EngineError, match="outside your sample folders"):
        library.export_links(root / "exports")

    assert library.export_table(tmp_path / "index.csv", "csv") == 72
    with open(tmp_path / "index.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 72 and all(r["cluster"] for r in rows)
    library.export_table(tmp_path / "index.json", "json")
    records = json.loads((tmp_path / "index.json").read_text())
    assert {r["path"] for r in records} == {r["path"] for r in rows}


def cli(db, *args, check=True):
    return subprocess.run([sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), *args],
                          capture_output=True, text=True, check=check)


def test_cli_similar_json_and_text(families):
    root, db = families
    query = root / "Pack One" / "hat 0-0.wav"
    kick = root / "Pack Two" / "kick 1-0.wav"
    out = cli(db, "similar", str(query), str(kick), "-k", "3", "--json", "--weight", "attack=2")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [line["query"] for line in lines] == [str(query), str(kick)]
    assert all(len(line["neighbours"]) == 3 for line in lines)
    assert lines[0]["neighbours"][0]["distance"] <= lines[0]["neighbours"][1]["distance"]
    assert "clusters (soundalike cluster ID lists one)" in cli(db, "clusters").stdout
    bad = cli(db, "similar", str(query), "--weight", "attack", check=False)
    assert bad.returncode == 1 and "ASPECT=NUMBER" in bad.stderr


def test_approximate_search_recall():
    pytest.importorskip(
        "voyager", reason="approximate search needs voyager: pip install 'soundalike[ann]'"
    )
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((20_000, 40)).astype(np.float32)
    components = np.eye(16, 40, dtype=np.float32)
    E = Z @ components.T
    exact = NeighbourIndex(Z[:, :16], E, np.eye(16, dtype=np.float32), {}, approximate=False)
    approx = NeighbourIndex(Z[:, :16], E, np.eye(16, dtype=np.float32), {}, approximate=True)
    assert approx.approximate and not exact.approximate
    recalls = []
    for q in rng.choice(len(Z), 50, replace=False):
        a, _ = exact.search(Z[q, :16], 16)
        b, _ = approx.search(Z[q, :16], 16)
        recalls.append(len(set(a) & set(b)) / 16)
    assert np.mean(recalls) >= 0.95


@pytest.mark.parametrize("precision", [np.float16, np.float32])
def test_a_filter_that_keeps_few_sounds_gets_their_nearest(precision):
    """A filter keeping few rows (a loop's search among the loops, a category, a folder):
    the exact search measures only those, and finds the nearest of them, as a search of
    every row with the filter would; the embedding as a side file holds it (half
    precision) or in single precision."""
    from soundalike.engine.index.neighbours import FEW_ALLOWED

    rng = np.random.default_rng(11)
    Z = rng.standard_normal((30_000, 12)).astype(np.float32)
    E = Z.astype(precision)  # the compact embedding: every dimension (candidates as distances)
    index = NeighbourIndex(Z, E, np.eye(12, dtype=np.float32), {}, approximate=False)
    for share in (0.01, 0.2, FEW_ALLOWED * 0.99, 0.8):
        allowed = rng.random(len(Z)) < share
        for q in rng.choice(len(Z), 5, replace=False):
            rows, distances = index.search(Z[q], 20, allowed=allowed)
            kept = np.flatnonzero(allowed)
            true = np.sqrt(np.mean((Z[kept] - Z[q]) ** 2, axis=1))
            expected = kept[np.argsort(true, kind="stable")[:20]]
            assert allowed[rows].all()
            assert rows.tolist() == expected.tolist(), share
            assert np.allclose(distances, np.sort(true)[:20], atol=1e-5)


def test_the_graph_hands_over_to_an_exact_scan(monkeypatch):
    """More candidates than the graph can reach (a sound in thousands of identical copies:
    voyager's RecallError) or than it is worth asking it for: the exact scan answers, with
    the exact answers, never an error."""
    pytest.importorskip(
        "voyager", reason="approximate search needs voyager: pip install 'soundalike[ann]'"
    )
    from soundalike.engine.index import neighbours

    rng = np.random.default_rng(0)
    E = np.concatenate([np.repeat(rng.standard_normal((1, 8)), 3000, axis=0),
                        rng.standard_normal((3000, 8))]).astype(np.float32)
    graph = neighbours.HnswGraph(E, ef_construction=40, threads=1)
    assert len(graph.nearest(E[-1], k=4000, ef=4000)) == 4000
    assert graph.nearest(E[-1], k=neighbours.GRAPH_MOST + 1, ef=96) is None  # not worth it
    monkeypatch.setattr(neighbours, "GRAPH_MOST", 10**6)
    with pytest.raises(Exception, match="Fewer than expected"):
        graph.query(E[-1], k=5000, ef=5000)
    assert graph.nearest(E[-1], k=5000, ef=5000) is None  # beyond its reach
    # Through a search: what the graph hands over, the exact scan answers.
    exact = NeighbourIndex(E, E, np.eye(8, dtype=np.float32), {}, approximate=False)
    approx = NeighbourIndex(E, E, np.eye(8, dtype=np.float32), {}, approximate=True)
    monkeypatch.setattr(neighbours, "GRAPH_MOST", 20)
    for q in (0, 3500, 5999):
        rows, distances = approx.search(E[q], 16)  # wants 128 candidates: the scan answers
        expected, expected_distances = exact.search(E[q], 16)
        assert np.allclose(distances, expected_distances)
        assert set(rows) == set(expected) or q < 3000  # the copies tie: any 16 of them


def test_every_sounds_neighbours_for_the_map():
    """The map's neighbours of every sound (an HNSW graph from 5,000 sounds, an exact scan
    below): nearest first, never the sound itself, even among identical copies."""
    pytest.importorskip(
        "voyager", reason="approximate search needs voyager: pip install 'soundalike[ann]'"
    )
    from soundalike.engine.index.neighbours import all_neighbours

    rng = np.random.default_rng(4)
    E = rng.standard_normal((6000, 8)).astype(np.float32)
    E[100:140] = E[100]  # forty identical copies
    found = all_neighbours(E, 8)
    exact = all_neighbours(E[:4000], 8)  # the exact scan, on the first 4,000
    assert found.shape == (6000, 8) and (found >= 0).all()
    assert not (found == np.arange(6000)[:, None]).any()
    assert set(found[100]) <= set(range(100, 140))
    d = ((E[:, None, :] - E[found]) ** 2).sum(axis=2)
    assert (np.diff(d, axis=1) >= -1e-4).mean() > 0.99  # nearest first
    squares = (E[:4000] ** 2).sum(axis=1)
    for row in range(0, 4000, 37):
        d2 = squares - 2 * E[:4000] @ E[row] + squares[row]
        d2[row] = np.inf
        assert set(exact[row]) == set(np.argsort(d2)[:8]) or row in range(100, 140)
    graph_recall = []
    for row in range(2000, 6000, 53):
        d2 = ((E - E[row]) ** 2).sum(axis=1)
        d2[row] = np.inf
        graph_recall.append(len(set(found[row]) & set(np.argsort(d2)[:8])) / 8)
    assert np.mean(graph_recall) >= 0.95


def test_the_graph_is_built_a_block_at_a_time_as_if_all_at_once(monkeypatch):
    """An HNSW graph is given its rows a block at a time (voyager copies what it is given):
    with one thread, the very graph that adding them all at once builds."""
    pytest.importorskip(
        "voyager", reason="approximate search needs voyager: pip install 'soundalike[ann]'"
    )
    from voyager import Index, Space, StorageDataType

    from soundalike.engine.index import neighbours

    rng = np.random.default_rng(6)
    E = rng.standard_normal((3000, 8)).astype(np.float32)
    whole = Index(Space.Euclidean, num_dimensions=8, M=16, ef_construction=40, random_seed=0,
                  max_elements=3000, storage_data_type=StorageDataType.Float32)
    whole.add_items(E, ids=np.arange(3000), num_threads=1)
    monkeypatch.setattr(neighbours, "GRAPH_BLOCK", 700)
    added = []
    real = Index.add_items

    def counted(self, vectors, *args, **kwargs):
        added.append(len(vectors))
        return real(self, vectors, *args, **kwargs)

    monkeypatch.setattr(Index, "add_items", counted)
    graph = neighbours.HnswGraph(E, ef_construction=40, threads=1)
    assert added == [700, 700, 700, 700, 200]
    queries = np.ascontiguousarray(E[::7])  # voyager reads an array's memory as contiguous
    expected, _ = whole.query(queries, k=10, num_threads=1, query_ef=40)
    assert np.array_equal(graph.query(queries, k=10, ef=40, threads=1), expected)


def test_a_second_search_with_the_same_vector_reuses_the_pass_over_every_row(monkeypatch):
    """similar's expansion searches twice with one vector (its pool, its distinct sounds):
    the second reads no row again, answers as a fresh index does, and another vector or
    another thread makes its own pass."""
    import threading

    from soundalike.engine.index.neighbours import NeighbourIndex

    rng = np.random.default_rng(5)
    Z = rng.standard_normal((5000, 16)).astype(np.float32)

    def index():
        return NeighbourIndex(Z, Z, np.eye(16, dtype=np.float32), {}, approximate=False)

    searched = index()
    passes = []
    real = NeighbourIndex._products
    monkeypatch.setattr(NeighbourIndex, "_products",
                        lambda self, *a, **k: passes.append(1) or real(self, *a, **k))
    z, other = Z[3] + 0.01, Z[7] + 0.01
    allowed = rng.random(len(Z)) > 0.1
    for k, mask in ((64, None), (10, allowed), (200, allowed)):
        rows, distances = searched.search(z, k, allowed=mask)
        fresh_rows, fresh_distances = index().search(z, k, allowed=mask)
        np.testing.assert_array_equal(rows, fresh_rows)
        np.testing.assert_array_equal(distances, fresh_distances)
    assert len(passes) == 1 + 3  # the three fresh indexes made theirs
    searched.search(other, 10)
    assert len(passes) == 5
    elsewhere = threading.Thread(target=searched.search, args=(other, 10))
    elsewhere.start()
    elsewhere.join()
    assert len(passes) == 6
