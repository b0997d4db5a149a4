"""Copies of one file (hard links, byte copies in other packs): grouped once per build of the
side files, so that a search that leaves copies out asks among one row per file instead of
passing over every copy, and gives the answers it gives without them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from soundalike.engine import Library
from soundalike.engine.index import side_files
from soundalike.engine.index.catalogue import SAME_FILES
from soundalike.engine.index.copies import same_files
from soundalike.engine.search import copy_groups
from soundalike.engine.search import similar as search
from soundalike.engine.sound.fingerprint import BLOCK, fingerprint
from tests.conftest import write_sound
from tests.synth import drum

FAMILIES = ("kick", "snare", "hat", "tom", "clap", "bell")
PACKS = 5


def _twin(path: Path, family: str, seed: int) -> Path:
    """A 16-bit WAV whose first and last 16 KiB are silence: files made so with another hit
    in the middle have the same size and ends, so the same fingerprint, and differ."""
    y = np.zeros(44100 * 3, dtype=np.float32)
    hit = drum(family, seed=seed)[:44100]
    start = 3 * BLOCK  # samples, 1.1 s: well past the first 16 KiB of bytes
    y[start : start + len(hit)] = hit
    return write_sound(path, y, 44100, subtype="PCM_16")


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """Six different sounds, each in five packs (the first pack's files, hard links and byte
    copies of them), and two files of one fingerprint holding different hits."""
    root = tmp_path_factory.mktemp("same") / "Samples"
    originals = [write_sound(root / "Pack 0" / f"{family} {i}.wav", drum(family, seed=90 + i),
                             44100) for i, family in enumerate(FAMILIES)]
    for pack in range(1, PACKS):
        for original in originals:
            copy = root / f"Pack {pack}" / original.name
            copy.parent.mkdir(parents=True, exist_ok=True)
            if pack % 2:
                os.link(original, copy)
            else:
                shutil.copyfile(original, copy)
    twins = (_twin(root / "Twins" / "take a.wav", "kick", 7),
             _twin(root / "Twins" / "take b.wav", "hat", 8))
    db = root.parent / "same.db"
    with Library(db) as library:
        library.scan([root], jobs=2)  # copies profiled in different batches and workers
    return root, db, twins


def test_copies_of_one_file_are_one_group_and_files_alike_only_by_their_ends_are_not(packs):
    root, db, twins = packs
    assert fingerprint(os.fsencode(twins[0])) == fingerprint(os.fsencode(twins[1]))
    with Library(db) as library:
        catalogue = library.catalogue()
        group, order, starts = catalogue.same_files
        row = {os.fsdecode(catalogue.paths[r]): r for r in range(catalogue.size)}
        for family in FAMILIES:
            rows = [r for path, r in row.items() if Path(path).name.startswith(family)
                    and "Twins" not in path]
            assert len(rows) == PACKS and len({int(group[r]) for r in rows}) == 1, family
        a, b = (row[str(path)] for path in twins)
        assert group[a] != group[b]  # the same fingerprint, but not copies of each other
        assert len(starts) - 1 == len(FAMILIES) + 2
        for g in range(len(starts) - 1):  # each group's rows ascending, numbered by first row
            members = order[starts[g] : starts[g + 1]]
            assert list(members) == sorted(members) and group[members].tolist() == [g] * len(
                members)
        assert [int(order[starts[g]]) for g in range(len(starts) - 1)] == sorted(
            int(order[starts[g]]) for g in range(len(starts) - 1))


def test_a_search_asks_among_one_row_per_file_and_gives_the_same_answers(packs, monkeypatch):
    root, db, _ = packs
    with Library(db) as library:
        catalogue = library.catalogue()
        groups = copy_groups.groups_of(catalogue)  # a command: no graph, no pass to wait for
        assert groups is not None and groups.count == len(FAMILIES) + 2
        asked = []
        real = groups.stand_ins.search

        def counted(index, z, k, **options):
            asked.append(len(groups.stand_ins))
            return real(index, z, k, **options)

        monkeypatch.setattr(groups.stand_ins, "search", counted)
        queries = [catalogue.paths[r] for r in range(catalogue.size)]
        grouped = {q: search.nearest(catalogue, q, 4, no_duplicates=True) for q in queries}
        assert asked and set(asked) == {len(FAMILIES) + 2}
        # Without the groups (as before them): the same sounds, at the same distances.
        monkeypatch.setattr(copy_groups, "SAME_FILE_SHARE", 0.0)
        fresh = library.live.reload()
        assert copy_groups.groups_of(fresh) is None
        for query, found in grouped.items():
            plain = search.nearest(fresh, query, 4, no_duplicates=True)
            assert np.allclose(found.distances, plain.distances, rtol=0, atol=1e-4), query
            same = catalogue.same_files[0]
            assert same[found.rows].tolist() == same[plain.rows].tolist(), query
            assert len(set(same[found.rows].tolist())) == len(found.rows) == 4


def test_a_library_held_once_gets_no_groups(packs, tmp_path):
    root, _, _ = packs
    db = tmp_path / "once.db"
    with Library(db) as library:
        library.scan([root / "Pack 0", root / "Twins"], jobs=1)
        catalogue = library.catalogue()
        assert len(catalogue.same_files[2]) - 1 == catalogue.size  # every file once
        assert copy_groups.groups_of(catalogue) is None  # copies cost a search nothing here


def test_side_files_written_before_the_groups_still_open(packs, tmp_path):
    root, db, _ = packs
    for path in db.parent.glob(db.name + "*"):  # the index, its log and its side files
        shutil.copy(path, tmp_path / path.name.replace(db.name, "old.db"))
    copy = tmp_path / "old.db"
    with Library(copy) as library:
        queries = [library.catalogue().paths[r] for r in (0, 7, 15)]
        now = [search.nearest(library.catalogue(), q, 4, no_duplicates=True).distances
               for q in queries]
    path = side_files.vectors_path(copy)
    meta, arrays = side_files.read_arrays(path)
    side_files.write_arrays(path, meta, {name: np.array(a) for name, a in arrays.items()
                                         if name not in SAME_FILES})
    with Library(copy) as library:
        catalogue = library.catalogue()
        assert catalogue.same_files is None and copy_groups.groups_of(catalogue) is None
        for query, distances in zip(queries, now, strict=True):
            found = search.nearest(catalogue, query, 4, no_duplicates=True)
            assert np.allclose(found.distances, distances, rtol=0, atol=1e-4)


def test_a_servers_copy_groups_join_the_copies_of_one_file(packs, monkeypatch):
    """The server's pass links each sound to its nearest few: a sound held more times than
    that splits into pieces (here, a pass that links nothing), which the copies of one file
    join again."""
    _, db, _ = packs
    with Library(db) as library:
        catalogue = library.catalogue()
        linked = copy_groups.make_groups(catalogue.index, catalogue.space.scale_)
        monkeypatch.setattr(copy_groups, "NEIGHBOURS", 0)
        alone = copy_groups.make_groups(catalogue.index, catalogue.space.scale_)
        joined = copy_groups.make_groups(catalogue.index, catalogue.space.scale_,
                                         same_files=catalogue.same_files)
        assert alone.count == catalogue.size and joined.count == linked.count == len(
            FAMILIES) + 2
        same = catalogue.same_files[0]
        for g in range(joined.count):  # no file's copies in two groups
            members = joined.order[joined.starts[g] : joined.starts[g + 1]]
            others = np.setdiff1d(np.arange(catalogue.size), members)
            assert not set(same[members].tolist()) & set(same[others].tolist())


def test_same_files_needs_equal_keys_and_copies():
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((6, 8)).astype(np.float16)
    Z[3] = Z[0]  # a copy of row 0
    Z[4] = Z[1] + np.float16(0.001)  # a copy of row 1 (last bits of its numbers)
    keys = np.array([5, 9, 7, 5, 9, 5])  # row 5: row 0's key, other numbers
    group, order, starts = same_files(keys, Z, np.ones(8, np.float32), learned=2)
    assert group.tolist() == [0, 1, 2, 0, 1, 3]
    assert order.tolist() == [0, 3, 1, 4, 2, 5] and starts.tolist() == [0, 2, 4, 5, 6]
    group, order, starts = same_files(np.zeros(0, np.int64), Z[:0], np.ones(8), learned=2)
    assert len(group) == 0 and starts.tolist() == [0]
