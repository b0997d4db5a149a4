"""One default everywhere: copies of a sound are left out of similar-sound answers (the CLI,
OSC; the Pd and Max clients send no option and get the server's default)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import weakref
from pathlib import Path

import numpy as np
import pytest

from soundalike.engine import Library
from tests.conftest import write_sound
from tests.synth import drum
from tests.test_bridge import serving

COMMAND = str(Path(sys.executable).parent / "soundalike")


@pytest.fixture(scope="module")
def with_copies(tmp_path_factory):
    """A kick, an exact copy of it in another pack, and other sounds."""
    root = tmp_path_factory.mktemp("copies") / "Samples"
    kick = write_sound(root / "A" / "kick.wav", drum("kick", seed=1), 44100)
    (root / "B").mkdir()
    shutil.copy(kick, root / "B" / "kick copy.wav")
    for i, family in enumerate(("kick", "snare", "hat", "tom")):
        write_sound(root / "C" / f"{family} {i}.wav", drum(family, seed=20 + i), 44100)
    db = root.parent / "copies.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    return root, db


def test_the_command_line_leaves_copies_out_unless_asked(with_copies):
    root, db = with_copies
    query = str(root / "A" / "kick.wav")

    def paths(*options):
        out = subprocess.run([COMMAND, "--db", str(db), "similar", "--json", "-k", "3", query,
                              *options], capture_output=True, text=True, check=True, timeout=120)
        return [n["path"] for n in json.loads(out.stdout)["neighbours"]]

    copy = str(root / "B" / "kick copy.wav")
    assert copy not in paths() and copy not in paths("--no-duplicates")
    assert paths("--duplicates")[0] == copy


def test_osc_leaves_copies_out_unless_asked(with_copies):
    root, db = with_copies
    query = str(root / "A" / "kick.wav")
    copy = str(root / "B" / "kick copy.wav")
    with serving(db) as (server, client, sender):
        sender.send_message("/soundalike/similar", [1, query, 3])
        assert copy not in [m.args[2] for m in client.receive("done")[:-1]]
        sender.send_message("/soundalike/similar", [2, query, 3, "no_duplicates", 0])
        assert client.receive("done")[0].args[2] == copy


def _one_by_one(catalogue, z, k, allowed):
    """The rule as first written: each candidate, in order, against the query and against
    every candidate kept before it."""

    from soundalike.engine.search.duplicates import DUPLICATE_DISTANCE, raw_distances_to

    scale, want = catalogue.space.scale_, k * 3
    while True:
        rows, distances = catalogue.index.search(z, want, allowed=allowed)
        to_query = raw_distances_to(catalogue.index, scale, z, rows)
        kept: list[int] = []
        for i, row in enumerate(rows):
            if to_query[i] <= DUPLICATE_DISTANCE or (kept and raw_distances_to(
                    catalogue.index, scale, catalogue.index.rows(row),
                    rows[kept]).min() <= DUPLICATE_DISTANCE):
                continue
            kept.append(i)
            if len(kept) == k:
                break
        if len(kept) == k or len(rows) < want:
            return rows[kept], distances[kept]
        want *= 4


def test_a_sound_in_many_packs_is_left_out_as_one_by_one(tmp_path):
    """A library holding each sound many times over (the same hits in many packs, resampled
    or at another gain): the answers leave out the same copies as checking every candidate
    one by one against the ones kept, and hold no two copies."""
    import numpy as np

    from soundalike.engine.search import similar as search
    from soundalike.engine.search.duplicates import DUPLICATE_DISTANCE, raw_distances_to
    from tests.synth import resample

    root = tmp_path / "Samples"
    for i, family in enumerate(("kick", "snare", "hat", "tom", "clap", "bell") * 2):
        y = drum(family, seed=40 + i)
        for pack in range(8):
            gain = 0.5 + 0.06 * pack
            if pack % 2:
                write_sound(root / f"Pack {pack}" / f"{family} {i}.wav",
                            gain * resample(y, 44100, 48000), 48000)
            else:
                write_sound(root / f"Pack {pack}" / f"{family} {i}.wav", gain * y, 44100)
    with Library(tmp_path / "many.db") as library:
        library.scan([root], jobs=1)
        catalogue = library.catalogue()
        scale = catalogue.space.scale_
        skipped = 0
        for row in range(0, catalogue.size, 3):
            path, z, row, _ = search.query_vector(catalogue, catalogue.paths[row])
            allowed = np.ones(catalogue.size, dtype=bool)
            allowed[row] = False
            for k in (3, 8):
                rows, distances = search._nearest_distinct(catalogue, z, k, allowed, None)
                expected = _one_by_one(catalogue, z, k, allowed)
                assert rows.tolist() == expected[0].tolist()
                assert distances.tolist() == expected[1].tolist()
                assert (raw_distances_to(catalogue.index, scale, z, rows)
                        > DUPLICATE_DISTANCE).all()
                for i in range(1, len(rows)):
                    assert raw_distances_to(catalogue.index, scale, catalogue.index.rows(
                        rows[i]), rows[:i]).min() > DUPLICATE_DISTANCE
                plain, _ = catalogue.index.search(z, k, allowed=allowed)
                skipped += len(set(plain.tolist()) - set(rows.tolist()))
        assert skipped > 50  # copies were there to leave out


@pytest.fixture(scope="module")
def many_copies(tmp_path_factory):
    """Twelve different sounds, each in six packs (at another gain, resampled to 48 kHz, as
    FLAC), one of them in forty more: a sound that fills much of its library."""
    from tests.synth import resample

    root = tmp_path_factory.mktemp("many") / "Samples"
    for i, family in enumerate(("kick", "snare", "hat", "tom", "clap", "bell") * 2):
        y = drum(family, seed=70 + i)
        for pack in range(6):
            gain = 0.5 + 0.07 * pack
            name = root / f"Pack {pack}" / f"{family} {i}"
            if pack % 3 == 1:
                write_sound(name.with_suffix(".wav"), gain * resample(y, 44100, 48000), 48000)
            elif pack % 3 == 2:
                write_sound(name.with_suffix(".flac"), gain * y, 44100, fmt="FLAC")
            else:
                write_sound(name.with_suffix(".wav"), gain * y, 44100)
    y = drum("kick", seed=70)
    for copy in range(40):
        write_sound(root / "Vendor" / f"kick copy {copy}.wav", (0.3 + 0.01 * copy) * y, 44100)
    db = root.parent / "many.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    return root, db


FILTERS = ({}, {"other_folders": True}, {"under": "Pack 2"}, {"kind": "any"},
           {"category": "kick"}, {"min_duration": 0.3}, {"max_duration": 0.5},
           {"weights": {"attack": 2.0}})


def _answers(catalogue, root, queries):
    from soundalike.engine.search import similar as search

    answers = {}
    for query in queries:
        for n, filters in enumerate(FILTERS):
            if "under" in filters:
                filters = {"under": str(root / filters["under"])}
            for k in (3, 8, 14):
                found = search.nearest(catalogue, query, k, no_duplicates=True, **filters)
                answers[query, n, k] = found.rows.tolist(), found.distances.tolist()
    return answers


@pytest.mark.parametrize("stand_in_graph", [False, True])
def test_copy_groups_give_the_answers_without_groups(many_copies, monkeypatch, stand_in_graph):
    """With copy groups made, leaving copies out gives the same sounds at the same distances,
    in the same order, as without them, whatever the filters; a query among forty copies of
    itself still gets as many distinct sounds as it asks for."""
    from soundalike.engine.search import copy_groups
    from soundalike.engine.search.duplicates import (
        DUPLICATE_DISTANCE,
        duplicate_pairs,
        group_pairs,
        raw_distances_to,
    )

    if stand_in_graph:  # the stand-ins searched in an HNSW graph of their own, as at 1M
        pytest.importorskip("voyager", reason="approximate search needs voyager: "
                            "pip install 'soundalike[ann]'")
        monkeypatch.setattr(copy_groups, "STAND_IN_GRAPH_FROM", 1)
    root, db = many_copies
    with Library(db) as library:
        catalogue = library.catalogue()
        assert copy_groups.groups_of(catalogue) is None  # no graph: no groups made unasked
        queries = [catalogue.paths[row] for row in range(0, catalogue.size, 5)]
        queries.append(os.fsencode(root / "Vendor" / "kick copy 7.wav"))
        before = _answers(catalogue, root, queries)
        groups = copy_groups.prepare(catalogue)
        assert (groups.stand_ins._graph is not None) == stand_in_graph
        assert copy_groups.groups_of(catalogue) is groups
        # The groups `soundalike duplicates` finds (its hats resampled to 48 kHz are not
        # copies by its measure), the kick's 46 copies in one.
        pairs = duplicate_pairs(catalogue.index, catalogue.space.scale_)
        made = [groups.order[a:b].tolist()
                for a, b in zip(groups.starts[:-1], groups.starts[1:], strict=True)]
        assert sorted(g for g in made if len(g) > 1) == sorted(group_pairs(pairs))
        assert max(map(len, made)) == 46 and len(made) == 14
        # A group of at most MEMBERS_READ copies gives the nearest of them: the same answers.
        monkeypatch.setattr(copy_groups, "MEMBERS_READ", 46)
        after = _answers(catalogue, root, queries)
        assert after.keys() == before.keys()
        tied = 0
        for key, (rows, distances) in after.items():
            # The same distances (to the 4 decimals results show), in the same order: copies
            # at another gain may differ in the last bit of a number, which their distances
            # to the query's neighbours (query expansion) keep.
            assert np.allclose(distances, before[key][1], rtol=0, atol=1e-4), key
            for row, was in zip(rows, before[key][0], strict=True):
                # The same row, or one of its copies exactly as near (copies at another gain:
                # the same numbers), which the search without groups picked in no set order.
                if row != was:
                    assert groups.group[row] == groups.group[was], key
                    tied += 1
        assert tied < 0.05 * sum(len(rows) for rows, _ in after.values())
        # A larger group gives the nearest of its first MEMBERS_READ: a copy of the same
        # sound, as near within what sets copies apart.
        monkeypatch.setattr(copy_groups, "MEMBERS_READ", 32)
        capped = _answers(catalogue, root, queries)
        other = 0
        for key, (rows, distances) in capped.items():
            assert np.allclose(distances, before[key][1], rtol=0, atol=1e-3), key
            assert [groups.group[r] for r in rows] == [groups.group[r] for r in before[key][0]]
            other += sum(d != was for d, was in zip(distances, before[key][1], strict=True))
        assert other > 0  # the kick's 46 copies: some answers came from beyond the first 32
        # The kick among its forty copies: 8 sounds asked, 8 different ones found.
        found = library.similar([root / "Vendor" / "kick copy 7.wav"], k=8,
                               no_duplicates=True)[0].neighbours
        assert len(found) == 8
        rows = np.array([catalogue.row_of(os.fsencode(n.path)) for n in found])
        scale = catalogue.space.scale_
        for i in range(len(rows)):
            others = np.delete(rows, i)
            assert raw_distances_to(catalogue.index, scale, catalogue.index.rows(rows[i]),
                                    others).min() > DUPLICATE_DISTANCE
        assert len({groups.group[r] for r in rows}) == 8


def test_a_groups_members_are_its_first_rows_the_filters_keep():
    """A request reads, of each group it found, the first MEMBERS_READ rows the filters keep:
    of a group of thousands of copies only its first rows where the filters keep them, and
    further where a filter (another folder, a duration) left some of them out."""
    from soundalike.engine.search.copy_groups import MEMBERS_READ, CopyGroups, linked_groups

    rng = np.random.default_rng(3)
    n = 3000
    # Groups of 1 to 2,000 rows, their rows spread over the library.
    sizes = [2000, MEMBERS_READ + 1, MEMBERS_READ, 5, *([1] * 20)]
    rows = rng.permutation(n)[: sum(sizes)]
    bounds = np.cumsum([0, *sizes])
    first = np.concatenate([rows[a:b - 1] for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
    second = np.concatenate([rows[a + 1:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)])
    group, order, starts = linked_groups(first, second, n)
    groups = CopyGroups(group, order, starts, stand_ins=None)
    asked = np.unique(group[rows[bounds[:-1]]])  # every group of several rows, and some alone
    rng.shuffle(asked)
    masks = {"every row": np.ones(n, dtype=bool),
             "some rows left out": rng.random(n) > 0.3,
             "the first rows of every group left out": np.ones(n, dtype=bool)}
    for g in asked:
        masks["the first rows of every group left out"][order[starts[g]:starts[g] + 10]] = False
    for name, allowed in masks.items():
        members, place = groups.members(asked, allowed)
        expected = [r for i, g in enumerate(asked)
                    for r in [r for r in order[starts[g]:starts[g + 1]] if allowed[r]]
                    [:MEMBERS_READ]]
        assert members.tolist() == expected, name
        assert (group[members] == asked[place]).all(), name
        assert (np.diff(place) >= 0).all(), name


def test_the_groups_a_filter_keeps_are_those_with_a_row_it_keeps():
    """Whichever way they are counted (a request's own row left out, a few rows, many):
    a group is wanted exactly when the filter keeps one of its rows."""
    from soundalike.engine.search.copy_groups import CopyGroups, linked_groups

    rng = np.random.default_rng(4)
    n = 20_000
    first = rng.integers(0, n, 6000)
    second = rng.integers(0, n, 6000)
    group, order, starts = linked_groups(first, second, n)
    groups = CopyGroups(group, order, starts, stand_ins=None)
    alone = order[starts[np.flatnonzero(np.diff(starts) == 1)[0]]]  # a group of one row
    for left_out in ([alone], [alone, order[0]], rng.choice(n, 40, replace=False),
                     rng.choice(n, 2000, replace=False), rng.choice(n, 12_000, replace=False),
                     order[starts[3]:starts[4]]):
        allowed = np.ones(n, dtype=bool)
        allowed[left_out] = False
        expected = np.array([allowed[order[a:b]].any()
                             for a, b in zip(starts[:-1], starts[1:], strict=True)])
        wanted = groups.allowed_groups(allowed)
        np.testing.assert_array_equal(wanted, expected)
        wanted[:] = False  # the caller's to change: the next answer is whole again


def test_the_screen_for_copies_misses_none_at_the_threshold():
    """Which candidates may be copies of each other is screened from their products before
    any distance is measured: every pair raw_distances finds within DUPLICATE_DISTANCE
    passes the screen, at the threshold itself and for long vectors, and pairs well apart
    do not."""
    from soundalike.engine.index.copies import DUPLICATE_DISTANCE, raw_distances
    from soundalike.engine.search.similar import _maybe_copies

    rng = np.random.default_rng(11)
    dim = 600
    for offset in (0.0, 30.0):  # short and long vectors (rounding grows with their length)
        base = (rng.standard_normal((40, dim)) + offset).astype(np.float32)
        scale = rng.uniform(0.5, 2.0, dim).astype(np.float32)
        # each base row's partner at an RMS distance within 1% of the threshold
        step = rng.standard_normal((40, dim)).astype(np.float32)
        step *= (DUPLICATE_DISTANCE * rng.uniform(0.99, 1.01, 40)[:, None]
                 / np.sqrt(np.mean((step * scale) ** 2, axis=1))[:, None])
        rows = np.concatenate([base, base + step])
        maybe = _maybe_copies(rows, scale)
        copies = np.array([raw_distances(rows, rows[i], scale) <= DUPLICATE_DISTANCE
                           for i in range(len(rows))])
        assert copies.sum() > len(rows) + 10  # pairs on both sides of the threshold
        assert not (copies & ~maybe).any()
        far = np.array([raw_distances(rows, rows[i], scale) > 2 * DUPLICATE_DISTANCE
                        for i in range(len(rows))])
        assert not (far & maybe).any()


def test_the_reference_answers_hold_copies_to_leave_out(many_copies):
    """The comparison above is not empty: the library's plain answers hold copies."""
    root, db = many_copies
    with Library(db) as library:
        plain = library.similar([root / "Vendor" / "kick copy 7.wav"], k=8, no_duplicates=False)
        assert sum("kick copy" in n.path for n in plain[0].neighbours) == 8


def test_a_server_makes_its_copy_groups_once_its_graph_is_built(many_copies, monkeypatch,
                                                                 tmp_path):
    """An index that keeps answering builds its HNSW graph in the background, then its copy
    groups from the graph's neighbours (forced here for a small library): its answers stay
    those of the exact search without groups. A rescan's new snapshot gets groups of its own,
    which know the copies it added."""
    pytest.importorskip("voyager", reason="approximate search needs voyager: "
                        "pip install 'soundalike[ann]'")
    from soundalike.engine.index import neighbours
    from soundalike.engine.search import copy_groups

    root, db = many_copies
    queries = [root / "Vendor" / "kick copy 3.wav", root / "Pack 0" / "hat 2.wav",
               root / "Pack 4" / "bell 5.wav", root / "Pack 1" / "tom 9.wav"]
    with Library(db) as library:
        expected = [[n.path for n in r.neighbours]
                    for r in library.similar(queries, k=8, no_duplicates=True)]
    monkeypatch.setattr(neighbours, "APPROXIMATE_FROM", 50)
    monkeypatch.setattr(neighbours, "GRAPH_AFTER", 2)
    monkeypatch.setattr(copy_groups, "MEMBERS_READ", 46)  # the nearest of every copy

    def serve_until_grouped(library):
        catalogue = library.catalogue()
        library.similar(queries[:2], k=8, no_duplicates=True)
        # (Copies are left out as without groups until the graph is built: the graph may
        # be built during these requests, and its groups started.)
        catalogue.index._building.join(timeout=60)
        assert catalogue.index.approximate
        # Starts the group pass (unless a search of the requests before did, once the graph
        # was built).
        library.similar(queries[:1], k=8, no_duplicates=True)
        copy_groups.making(catalogue).join(timeout=60)
        groups = copy_groups.groups_of(catalogue)
        assert groups is not None
        return catalogue, groups

    with Library(db) as library:
        catalogue, groups = serve_until_grouped(library)
        exact = copy_groups.make_groups(catalogue.index, catalogue.space.scale_)
        assert groups.group.tolist() == exact.group.tolist()  # the graph's neighbours: the same
        found = [[n.path for n in r.neighbours]
                 for r in library.similar(queries, k=8, no_duplicates=True)]
        assert found == expected

    copy = tmp_path / "Samples"
    shutil.copytree(root, copy)
    with Library(tmp_path / "copy.db") as library:
        library.scan([copy], jobs=1)
        old, old_groups = serve_until_grouped(library)
        bell = copy / "Pack 4" / "bell 5.wav"
        shutil.copy(bell, copy / "Vendor" / "bell 5 again.wav")
        library.scan(jobs=1)
        new = library.catalogue()
        assert new.index is not old.index and copy_groups.groups_of(new) is None
        new, new_groups = serve_until_grouped(library)
        assert copy_groups.groups_of(old) is old_groups
        again = new.row_of(os.fsencode(copy / "Vendor" / "bell 5 again.wav"))
        assert new_groups.group[again] == new_groups.group[new.row_of(os.fsencode(bell))]
        assert new_groups.count == old_groups.count  # one more copy, no more sounds
        # The old snapshot goes, with its graph and its groups, once nothing holds it.
        gone = weakref.ref(old.index)
        del old, old_groups
        assert gone() is None
        def names(no_duplicates):
            found = library.similar([bell], k=8, no_duplicates=no_duplicates)[0].neighbours
            return {os.path.basename(n.path) for n in found}

        assert "bell 5 again.wav" in names(False) and "bell 5 again.wav" not in names(True)


def test_osc_answers_from_copy_groups_as_without_them(many_copies, monkeypatch):
    """Over real OSC: once the server's graph and copy groups are made (forced here for a small
    library), the default request (copies left out) gets the answers it got without them."""
    pytest.importorskip("voyager", reason="approximate search needs voyager: "
                        "pip install 'soundalike[ann]'")
    import time

    from soundalike.engine.index import neighbours
    from soundalike.engine.search import copy_groups

    root, db = many_copies
    queries = [str(root / "Vendor" / "kick copy 11.wav"), str(root / "Pack 3" / "snare 1.wav"),
               str(root / "Pack 2" / "clap 4.flac")]

    def answers(sender, client, first_id):
        found = []
        for i, query in enumerate(queries):
            sender.send_message("/soundalike/similar", [first_id + i, query, 8])
            found.append([m.args[2] for m in client.receive("done")[:-1]])
        return found

    with serving(db) as (server, client, sender):
        expected = answers(sender, client, 1)  # exact, no graph: copies left out as always
    monkeypatch.setattr(neighbours, "APPROXIMATE_FROM", 50)
    monkeypatch.setattr(neighbours, "GRAPH_AFTER", 2)
    monkeypatch.setattr(copy_groups, "MEMBERS_READ", 46)
    with serving(db) as (server, client, sender):
        deadline, request = time.monotonic() + 60, 100
        while copy_groups.groups_of(server.service.snapshot) is None:
            assert time.monotonic() < deadline, "no copy groups after 60 s"
            answers(sender, client, request)
            request += 10
        assert answers(sender, client, 1000) == expected
        assert all(len(paths) == 8 for paths in expected)


@pytest.fixture
def kept_everything(many_copies, monkeypatch, tmp_path):
    """A copy of ``many_copies``' index (``(root, db)``) that keeps its graph and copy groups
    as a library of 200,000 sounds would, its stand-ins with a graph of their own."""
    pytest.importorskip("voyager", reason="approximate search needs voyager: "
                        "pip install 'soundalike[ann]'")
    from soundalike.engine.index import graph_file, neighbours
    from soundalike.engine.search import copy_groups, kept_groups

    root, source = many_copies
    for path in source.parent.glob(source.name + "*"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(neighbours, "APPROXIMATE_FROM", 50)
    monkeypatch.setattr(neighbours, "GRAPH_AFTER", 2)
    monkeypatch.setattr(graph_file, "SAVE_FROM", 0)
    for module in (copy_groups, kept_groups):
        monkeypatch.setattr(module, "STAND_IN_GRAPH_FROM", 5)
    return root, tmp_path / source.name


def test_a_servers_copy_groups_are_kept_for_its_next_start(kept_everything, tmp_path, caplog):
    """Groups made by a server are kept beside the index with the stand-ins' graph: the next
    start reads them (the same groups, the same answers) instead of a pass over the library;
    damaged, they are made again; a scan that changes the library makes them stale."""
    from soundalike.engine.index import graph_file
    from soundalike.engine.search import copy_groups, kept_groups

    root, db = kept_everything
    queries = [root / "Vendor" / "kick copy 3.wav", root / "Pack 0" / "hat 2.wav",
               root / "Pack 4" / "bell 5.wav"]

    def start(library):
        """What a server's first requests do: its graph, then its copy groups."""
        catalogue = library.catalogue()
        library.similar(queries[:2], k=8, no_duplicates=True)
        catalogue.index._building.join(timeout=60)
        library.similar(queries[:1], k=8, no_duplicates=True)
        copy_groups.making(catalogue).join(timeout=60)
        groups = copy_groups.groups_of(catalogue)
        answers = [[n.path for n in r.neighbours]
                   for r in library.similar(queries, k=8, no_duplicates=True)]
        return groups, answers

    kept = graph_file.graph_path(db, kept_groups.GROUPS)
    stand_ins = graph_file.graph_path(db, graph_file.STAND_INS)
    with caplog.at_level(logging.INFO), Library(db) as library:
        made, expected = start(library)
    assert made.stand_ins._graph is not None and "kept by an earlier start" not in caplog.text
    assert kept.exists() and stand_ins.exists()
    written = (kept.stat().st_ino, stand_ins.stat().st_ino)
    caplog.clear()
    with caplog.at_level(logging.INFO), Library(db) as library:
        read, answers = start(library)
    assert "kept by an earlier start" in caplog.text
    assert (kept.stat().st_ino, stand_ins.stat().st_ino) == written  # read, not made again
    assert read.group.tolist() == made.group.tolist() and answers == expected
    assert read.stand_ins._graph is not None

    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0xFF  # inside the arrays
    kept.write_bytes(bytes(data))
    caplog.clear()
    with caplog.at_level(logging.INFO), Library(db) as library:
        again, answers = start(library)
        assert kept_groups.load(library.catalogue().index) is not None  # made again, kept
    assert "kept copy groups are damaged" in caplog.text
    assert "kept by an earlier start" not in caplog.text and answers == expected
    assert again.group.tolist() == made.group.tolist()

    (tmp_path / "More").mkdir()
    shutil.copy(root / "Pack 4" / "bell 5.wav", tmp_path / "More" / "bell 5 again.wav")
    with Library(db) as library:
        library.scan([tmp_path / "More"], jobs=1)
        fresh = library.catalogue().index
        assert kept_groups.load(fresh) is None  # another build: stale, and deleted
    assert not kept.exists() and not stand_ins.exists()


def test_kept_copy_groups_are_brought_up_to_date_after_a_scan(kept_everything, tmp_path,
                                                             caplog):
    """A scan adds a copy of a sound at another gain, a byte copy of another and a sound of
    its own: the next start brings the kept graph and groups up to date (no pass over the
    library) and finds the groups a pass would make, the new copies in their sounds' groups."""
    from soundalike.engine.search import copy_groups

    root, db = kept_everything
    query = root / "Pack 0" / "hat 2.wav"

    def start(library):
        catalogue = library.catalogue()
        library.similar([query] * 2, k=8, no_duplicates=True)
        catalogue.index._building.join(timeout=60)
        library.similar([query], k=8, no_duplicates=True)
        copy_groups.making(catalogue).join(timeout=60)
        return catalogue, copy_groups.groups_of(catalogue)

    with Library(db) as library:
        start(library)
    more = tmp_path / "More"
    write_sound(more / "bell again.wav", 0.8 * drum("bell", seed=70 + 5), 44100)
    shutil.copy(root / "Pack 0" / "hat 2.wav", more / "hat 2 again.wav")
    write_sound(more / "a tom of its own.wav", drum("tom", seed=4242), 44100)
    with Library(db) as library:
        library.scan([more], jobs=1)
    caplog.clear()
    with caplog.at_level(logging.INFO), Library(db) as library:
        catalogue, groups = start(library)
        made = copy_groups.make_groups(catalogue.index, catalogue.space.scale_,
                                       same_files=catalogue.same_files)
    assert "(kept, brought up to date)" in caplog.text
    assert "kept copy groups brought up to date: 3 sounds new or changed" in caplog.text

    def firsts(g):  # each row's group, named by its first row
        return g.order[g.starts[:-1]][g.group]

    assert firsts(groups).tolist() == firsts(made).tolist()
    row = catalogue.row_of
    assert groups.group[row(os.fsencode(more / "bell again.wav"))] == \
        groups.group[row(os.fsencode(root / "Pack 0" / "bell 5.wav"))]
    assert groups.group[row(os.fsencode(more / "hat 2 again.wav"))] == \
        groups.group[row(os.fsencode(query))]
    assert groups.stand_ins._graph is not None and groups.stand_ins._graph.refreshed is not None
