"""Clusters a musician can read: kit-sized clusters stay within one instrument, their labels
start with it, ``clusters --category`` lists one instrument's clusters, ``--mixed`` mixes."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from soundalike.engine import EngineError, Library
from soundalike.engine.cli import main
from soundalike.engine.clusters.keeper import CLUSTER_SCHEME
from soundalike.engine.clusters.names import category_words, name_words
from tests.conftest import traced, write_sound
from tests.synth import drum

FAMILIES = {"kick": "kick", "snare": "snare", "hat": "closed hat", "tom": "tom",
            "bell": "metal percussion"}


def write_packs(root: Path, members: int, seed: int) -> None:
    """Two packs of ``members`` sounds of each family."""
    for p in range(2):
        for f, family in enumerate(FAMILIES):
            for m in range(members):
                write_sound(root / f"Pack {p}" / f"{family} {p}-{m}.wav",
                            drum(family, seed=seed + 100 * p + 10 * m + f), 44100)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """40 sounds: 5 families x 2 packs x 4 members."""
    base = tmp_path_factory.mktemp("labels")
    root = base / "samples"
    write_packs(root, 4, seed=300)
    path = base / "labels.db"
    with Library(path) as library:
        library.scan([root], jobs=1)
    return path


def test_category_words():
    assert category_words(["kick"] * 10) == "kicks"
    assert category_words(["clap"] * 9 + ["rim"]) == "claps and snaps"
    assert category_words(["kick"] * 6 + ["tom"] * 4) == "kicks and toms"
    assert category_words(["snare"] * 7 + ["rim", "tom", "other"]) == "snares 70%"
    assert category_words(["tom"] * 6 + ["other"] * 4) == "toms 60%"
    assert category_words(["kick", "snare", "tom", "rim", "clap"]) == "mixed percussion"
    assert category_words([None, None]) is None


def test_name_words_need_two_packs():
    names = ["beats_01-12.flac", "beats_01-13.flac", "beats_02-10.flac", "Snare 2.wav"]
    assert name_words(names) == ["beats"]
    assert name_words(names, packs=[1, 1, 1, 2]) == []
    assert name_words(names, packs=[1, 2, 1, 2]) == ["beats"]


def test_name_words_read_capitals_as_word_breaks_and_keep_the_most_common():
    names = ["KickDeep 1.wav", "kickDeep 2.wav", "Kick deep 3.WAV", "deep Tom.wav", "Tom 2.wav"]
    assert name_words(names) == ["deep", "kick"]
    assert name_words(names, most=1) == ["deep"]
    assert name_words(names, packs=[1, 1, 1, 2, 2]) == ["deep"]  # "kick": one pack's
    assert name_words(["Wet KICK_A.wav", "wetKick b.wav"]) == ["kick"]  # filler words left out


def test_clusters_stay_within_an_instrument_and_say_which(db):
    with Library(db) as library:
        clusters = library.clusters()
        catalogue = library.catalogue()
        for cluster in clusters:
            rows = catalogue.cluster_rows(cluster.id)
            main_categories = Counter(catalogue.category_of(r) for r in rows)
            top, count = main_categories.most_common(1)[0]
            assert cluster.category == top
            assert cluster.category_share == pytest.approx(count / len(rows), abs=1e-3)
            first = cluster.label.split(" · ")[0]
            assert first.startswith(category_words([catalogue.category_of(r) for r in rows]))
        # Each cluster is one instrument (as the model hears it; unsure sounds are "other").
        assert all(c.category_share >= 0.75 for c in clusters), [c.label for c in clusters]
        kicks = library.clusters(category="kick")
        assert kicks and all(c.category == "kick" for c in kicks)
        assert any(c.label.startswith("kicks") for c in kicks)
        with pytest.raises(EngineError, match="unknown category"):
            library.clusters(category="tuba")


def test_mixed_clusters_are_remembered_and_may_cross_instruments(db, tmp_path, capsys):
    copy = tmp_path / "mixed.db"
    copy.write_bytes(db.read_bytes())
    assert main(["--db", str(copy), "clusters", "--mixed", "--size", "30", "--json"]) == 0
    mixed = json.loads(capsys.readouterr().out)
    with Library(copy) as library:
        assert library.store.get_meta("cluster_mode") == "mixed:30"
    # Clusters of about 30 in a library of 40 sounds of 5 instruments must mix them.
    assert any(c["category_share"] < 0.9 for c in mixed)
    assert main(["--db", str(copy), "clusters", "--size", "30", "--json"]) == 0
    grouped = json.loads(capsys.readouterr().out)
    with Library(copy) as library:
        assert library.store.get_meta("cluster_mode") == "size:30"
    assert len(grouped) > len(mixed)
    assert main(["--db", str(copy), "clusters", "--category", "snare"]) == 0
    text = capsys.readouterr().out
    assert "snares" in text and "kicks" not in text
    assert main(["--db", str(copy), "clusters", "--mixed", "--count", "3"]) == 1
    assert "--mixed goes with --size" in capsys.readouterr().err


def test_a_new_sound_joins_a_cluster_of_its_own_instrument(tmp_path):
    root = tmp_path / "samples"
    write_packs(root, 5, seed=700)
    with Library(tmp_path / "grow.db") as library:
        library.scan([root], jobs=1)
        before = {c.id: c.size for c in library.clusters()}
        for family in ("kick", "snare"):  # 2 new sounds in 50: placed, not reclustered
            write_sound(root / "Pack 0" / f"new {family}.wav", drum(family, seed=999), 44100)
        report = library.scan(jobs=1)
        assert report.new == 2
        catalogue = library.catalogue()
        assert set(catalogue.cluster_labels) == set(before)  # the same clusters, two grown
        for family in ("kick", "snare"):  # each joined a cluster of the category it shows
            row = catalogue.row_of(os.fsencode(root / "Pack 0" / f"new {family}.wav"))
            mates = catalogue.cluster_rows(int(catalogue.clusters[row]))
            kinds = Counter(catalogue.categories[mates].tolist())
            assert kinds.most_common(1)[0][0] == catalogue.categories[row]
            assert len(kinds) == 1, kinds  # nothing else in it


def test_a_library_clustered_by_an_older_version_is_clustered_again_once(db, tmp_path):
    copy = tmp_path / "old.db"
    copy.write_bytes(db.read_bytes())
    with Library(copy) as library:
        ids = [int(i) for i in library.catalogue().ids]
        with library.store.transaction():  # as an older soundalike left it: one big cluster
            library.store.replace_clusters([(1, "dark boomy tonal", [(i, 0.0) for i in ids])])
            library.store.set_meta("cluster_scheme", "1")
    with Library(copy) as library:
        clusters = library.clusters()
        assert len(clusters) > 1 and all(c.category_share >= 0.75 for c in clusters)
        assert library.store.get_meta("cluster_scheme") == CLUSTER_SCHEME
        again = library.clusters()
    assert [c.model_dump() for c in again] == [c.model_dump() for c in clusters]


def test_labels_from_one_pass_over_the_vectors_are_those_read_cluster_by_cluster(db,
                                                                                monkeypatch):
    """A whole clustering reads every sound's vectors for its labels (each cluster's mean
    hand-made numbers, each category's mean) in one pass in the order they are stored, a
    block at a time (a million sounds' read cluster by cluster came from the disk a page per
    row): the same means, so the same labels."""
    import dataclasses

    import numpy as np

    from soundalike.engine.index import neighbours

    with Library(db) as library:
        library.recluster()
        # Side files written before the categories' sums were kept with them: the pass
        # reads those means too.
        catalogue = dataclasses.replace(library.catalogue(), category_sums=None)
        keeper = library.keeper
        ids = sorted(catalogue.cluster_sizes())
        labels = np.searchsorted(ids, catalogue.clusters)
        hand = catalogue.index.learned
        for block in (7, neighbours.BLOCK):  # blocks that cut clusters, and one block
            monkeypatch.setattr(neighbours, "BLOCK", block)
            keeper._means_key = None  # the categories' means read in the same pass
            means = keeper._hand_made_means(catalogue, labels, len(ids))
            for code in np.unique(catalogue.categories):
                rows = np.flatnonzero(catalogue.categories == code)
                assert np.allclose(keeper._category_mean(catalogue, int(code)),
                                   catalogue.index.rows(rows)[:, hand:].mean(axis=0), atol=1e-5)
            for c, cid in enumerate(ids):
                rows = catalogue.cluster_rows(cid)
                read = catalogue.index.rows(rows)[:, hand:].mean(axis=0)
                assert np.allclose(means[c], read, atol=1e-5), cid
                assert keeper._label(catalogue, rows, means[c]) == \
                    keeper._label(catalogue, rows) == catalogue.cluster_labels[cid]


def _scanned_then_changed(tmp_path: Path, seed: int, change: str) -> tuple[Path, Path]:
    """``(sample folder, index)`` of 5 scanned packs, the index then changed by hand with the
    SQL ``change`` (what no clustering would store: kept only where nothing rewrites it)."""
    import sqlite3

    root = tmp_path / "samples"
    write_packs(root, 5, seed=seed)
    db = tmp_path / "grow.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    with sqlite3.connect(db) as connection:
        connection.execute(change)
    connection.close()
    return root, db


def test_a_rescan_that_places_new_sounds_names_again_only_the_clusters_they_join(tmp_path):
    """At a million sounds naming every cluster took 27 s of a scan that added 500 files:
    clusters whose members did not change keep their names (here: names written into the
    index by hand, which no naming would give), the one that grew is named anew."""
    root, db = _scanned_then_changed(tmp_path, 800,
                                     "UPDATE clusters SET label = 'as it was named ' || id")
    with Library(db) as library:
        write_sound(root / "Pack 0" / "new kick.wav", drum("kick", seed=998), 44100)
        assert library.scan(jobs=1).new == 1
        catalogue = library.catalogue()
        joined = int(catalogue.clusters[catalogue.row_of(os.fsencode(root / "Pack 0" /
                                                                     "new kick.wav"))])
        labels = catalogue.cluster_labels
    assert labels[joined] != f"as it was named {joined}" and labels[joined].startswith("kick")
    assert all(label == f"as it was named {cid}" for cid, label in labels.items()
               if cid != joined)


def _stored_clusters(db: Path) -> tuple[dict, dict]:
    """``({cluster id: (label, size)}, {file id: (cluster id, rank, typicality)})`` as stored."""
    import sqlite3

    with sqlite3.connect(db) as connection:
        clusters = {cid: (label, size) for cid, label, size in
                    connection.execute("SELECT id, label, size FROM clusters")}
        members = {f: (cid, rank, t) for f, cid, rank, t in connection.execute(
            "SELECT file_id, cluster_id, rank, typicality FROM cluster_members")}
    connection.close()
    return clusters, members


def test_a_rescan_that_places_new_sounds_stores_only_the_clusters_they_join(tmp_path):
    """Storing every cluster's members again took 5.6 of the 37 s a scan of 500 new files
    spent at a million sounds: the clusters a new sound joins (or a labelled one leaves or
    joins) are stored anew, every other stays as it is in the index (here: typicalities
    changed by hand, which no clustering would give, stay so), and the index and the
    catalogue still agree on every file's cluster."""
    import numpy as np

    root, db = _scanned_then_changed(tmp_path, 820,
                                     "UPDATE cluster_members SET typicality = typicality + 1000")
    _, before = _stored_clusters(db)
    with Library(db) as library:
        write_sound(root / "Pack 0" / "new kick.wav", drum("kick", seed=997), 44100)
        statements = traced(library)
        assert library.scan(jobs=1).new == 1
        catalogue = library.catalogue()
        new_row = catalogue.row_of(os.fsencode(root / "Pack 0" / "new kick.wav"))
        joined = int(catalogue.clusters[new_row])
        stored = [sql for sql in statements if "INTO cluster_members" in sql]
        assert len(stored) == np.count_nonzero(catalogue.clusters == joined) < catalogue.size / 2
        snare = next(r for r in range(catalogue.size) if catalogue.category_of(r) == "snare"
                     and int(catalogue.clusters[r]) != joined)
        left = int(catalogue.clusters[snare])
        library.label([catalogue.paths[snare]], "kick")  # leaves its cluster for a kick's
        catalogue = library.catalogue()
        arrived = int(catalogue.clusters[snare])
        sizes = Counter(catalogue.clusters.tolist())
        emptied = min((cid for cid in sizes if cid not in (joined, left, arrived)),
                      key=sizes.__getitem__)
        rows = np.flatnonzero(catalogue.clusters == emptied)
        other = "shaker" if catalogue.category_of(int(rows[0])) != "shaker" else "tom"
        library.label([catalogue.paths[r] for r in rows], other)  # all leave: it is gone
        catalogue = library.catalogue()
        taken = {int(catalogue.clusters[r]) for r in rows}
        in_catalogue = {int(catalogue.ids[r]): (int(catalogue.clusters[r]),
                                                float(catalogue.typicality[r]))
                        for r in range(catalogue.size)}
    clusters, after = _stored_clusters(db)
    assert arrived != left and emptied not in clusters and emptied not in taken
    assert set(after) == set(in_catalogue)  # every sound in one cluster, as the catalogue says
    assert all(after[f][0] == cid and np.isclose(after[f][2], t, rtol=1e-6)
               for f, (cid, t) in in_catalogue.items())
    written = {joined, left, arrived, *taken}
    for cid, (_, size) in clusters.items():
        ranks = sorted(rank for c, rank, _ in after.values() if c == cid)
        assert ranks == list(range(size))  # sizes and ranks as a whole clustering's
    for file_id, (cid, rank, typicality) in after.items():
        if cid in written:
            assert typicality < 1000  # measured anew
        else:
            assert (cid, rank, typicality) == before[file_id]  # not written again


def test_the_categories_means_are_kept_with_the_vectors_and_count_peoples_labels(tmp_path,
                                                                                  monkeypatch):
    """The categories' means that name clusters (of the hand-made part) are kept in the side
    files (a pass over every profile took 5-19 s of a rescan at a million sounds): the same
    means as that pass gives, with a sound people labelled counted in its new category, and
    a rescan that places a new sound names its cluster without reading every profile."""
    import numpy as np

    from soundalike.engine.index import side_files
    from soundalike.engine.index.neighbours import NeighbourIndex

    root = tmp_path / "samples"
    write_packs(root, 4, seed=810)
    db = tmp_path / "means.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
        catalogue = library.catalogue()
        kick = next(r for r in range(catalogue.size) if catalogue.category_of(r) == "kick")
        library.label([catalogue.paths[kick]], "snare")
    for fresh in (False, True):  # opened from the side files, or built from the index
        if fresh:
            side_files.remove(db)
        with Library(db) as library:
            catalogue = library.catalogue()
            assert catalogue.category_of(kick) == "snare"
            codes, which = np.unique(catalogue.categories, return_inverse=True)
            [passed] = catalogue.index.means_by((which, len(codes), catalogue.index.learned))
            counts = catalogue.category_counts
            assert counts.sum() == catalogue.size
            assert sorted(np.flatnonzero(counts) - 1) == codes.tolist()
            for code, mean in zip(codes, passed, strict=True):
                assert counts[code + 1] == np.count_nonzero(catalogue.categories == code)
                assert np.allclose(catalogue.category_sums[code + 1] / counts[code + 1], mean,
                                   rtol=0, atol=1e-9)

    def no_pass(self, *groupings):
        raise AssertionError("a pass over every profile")

    with Library(db) as library:
        write_sound(root / "Pack 0" / "new snare.wav", drum("snare", seed=997), 44100)
        monkeypatch.setattr(NeighbourIndex, "means_by", no_pass)
        assert library.scan(jobs=1).new == 1
        monkeypatch.undo()
        catalogue = library.catalogue()
        row = catalogue.row_of(os.fsencode(root / "Pack 0" / "new snare.wav"))
        assert catalogue.cluster_labels[int(catalogue.clusters[row])]
