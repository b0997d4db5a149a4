"""Copies of every sound, grouped once per catalogue snapshot, so that a search that leaves
copies out asks among one sound per group instead of passing over every copy.

Without groups, leaving copies out (:func:`.similar._nearest_distinct`) asks the search for a
few candidates per result and drops the copies among them; a sound held hundreds of times
over (a vendor's catalogue, the same pack unpacked several times) makes one request read
thousands of candidates, and a server's memory fill with their profiles. With groups, a
request searches among one stand-in per group (the group's first row), then gives each group
it found the copy nearest the query among the first MEMBERS_READ of it that the filters keep:
a few dozen candidates, whatever the number of copies.

Copies are grouped as ``soundalike duplicates`` groups them (:mod:`.duplicates`): each row's
nearest few in the embedding, measured on the raw hand-made descriptor, joined into
connected groups, the copies of one file joined whatever their neighbours. A server makes
the groups in the background once its HNSW graph is built (which finds each row's neighbours
cheaply: an exact pass at a million sounds would not be). Until then, and in a command's one
search, the groups of copies of one file, kept in the side files (:mod:`..index.copies`),
stand in where most of the library is such copies; elsewhere copies are left out as before
(a few candidates more per result). Groups belong to the
:class:`~..index.neighbours.NeighbourIndex` they were made from: a rescan's new snapshot
gets its own.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..index.catalogue import Catalogue
from ..index.neighbours import IndexClosed, NeighbourIndex, RowSubset, ann_available
from .duplicates import DUPLICATE_DISTANCE, near_pairs

#: Neighbours per row the group pass measures (``soundalike duplicates`` measures 10): copies
#: are each other's nearest, and a group split in two only costs a search a few candidates
#: (it still leaves out what is within DUPLICATE_DISTANCE of a sound kept).
NEIGHBOURS = 5
#: Rows per block of the group pass.
BLOCK = 2048
#: Copies of one group whose distance to the query a request measures (those it may return,
#: in row order): all of them in a library that holds a few copies per sound, so its answers
#: are those of the search without groups.
MEMBERS_READ = 32
#: From this many groups, their stand-ins get an HNSW graph of their own (built in the
#: group pass); fewer are scanned, in a millisecond or two.
STAND_IN_GRAPH_FROM = 50_000
#: Copies of one file are searched by group where there are at most this many groups per row.
SAME_FILE_SHARE = 0.5


@dataclass(frozen=True)
class CopyGroups:
    """Groups of copies of one index's rows: group ``g`` holds ``order[starts[g]:starts[g+1]]``
    (ascending rows); its first row stands for it in :attr:`stand_ins`."""

    group: np.ndarray  # (n,) the group of every row
    order: np.ndarray  # (n,) rows by group, ascending within a group
    starts: np.ndarray  # (groups + 1,)
    #: Where the stand-ins are searched (the first row of each group, in group order).
    stand_ins: RowSubset

    @property
    def count(self) -> int:
        return len(self.starts) - 1

    @cached_property
    def sizes(self) -> np.ndarray:
        return np.diff(self.starts)

    def allowed_groups(self, allowed: np.ndarray) -> np.ndarray:
        """Which groups hold a row ``allowed`` keeps, ``(groups,)``: when it leaves out few
        rows (the query, a few loops), counted from those few."""
        left_out = np.flatnonzero(~allowed) if np.count_nonzero(allowed) * 8 >= 7 * len(
            allowed) else None
        if left_out is None:
            return np.logical_or.reduceat(allowed[self.order], self.starts[:-1])
        if len(left_out) * 64 < self.count:
            # Only the query left out (a plain request): its groups alone are looked at,
            # not a count for every group (0.9 ms a request at a million sounds).
            groups, lost = np.unique(self.group[left_out], return_counts=True)
            wanted = np.ones(self.count, dtype=bool)
            wanted[groups[lost >= self.sizes[groups]]] = False
            return wanted
        lost = np.bincount(self.group[left_out], minlength=self.count)
        return lost < self.sizes

    def search(self, index: NeighbourIndex, z: np.ndarray, want: int, weights,
               wanted: np.ndarray) -> np.ndarray:
        """The ``want`` groups (of those ``wanted``) whose stand-ins are nearest ``z``."""
        found, _ = self.stand_ins.search(index, z, want, weights=weights, allowed=wanted)
        return self.group[found]

    def members(self, groups: np.ndarray, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The first MEMBERS_READ rows ``allowed`` keeps of each of ``groups`` and, for each
        row, its place in ``groups``."""
        begin, sizes = self.starts[groups], self.starts[groups + 1] - self.starts[groups]
        # The first MEMBERS_READ of each group first: a group of thousands of copies is not
        # read through where the filters keep its first rows (nearly always); a group whose
        # first rows a filter left out is read through for the rows it keeps.
        first = np.minimum(sizes, MEMBERS_READ)
        rows, place = self._spans(begin, first)
        keep = allowed[rows]
        short = np.bincount(place[keep], minlength=len(groups)) < first
        if (short & (sizes > first)).any():
            rows, place = self._spans(begin, sizes)
            keep = allowed[rows]
        rows, place = rows[keep], place[keep]
        rank = np.arange(len(place)) - np.searchsorted(place, place)  # place is ascending
        return rows[rank < MEMBERS_READ], place[rank < MEMBERS_READ]

    def _spans(self, begin: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows ``order[begin[i] : begin[i] + sizes[i]]`` of every ``i``, one after the
        other, and for each row its ``i``."""
        place = np.repeat(np.arange(len(begin)), sizes)
        offset = np.arange(len(place)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return self.order[np.repeat(begin, sizes) + offset], place


def make_groups(index: NeighbourIndex, scale: np.ndarray, *, graph: bool = False,
                threads: int = 1, same_files: tuple | None = None) -> CopyGroups:
    """The copy groups of ``index``'s rows (``graph``: neighbours from its HNSW graph), the
    copies of one file (``same_files``: :func:`..index.copies.same_files`' groups)
    in one group whatever their neighbours: a sound held thousands of times over has only
    copies among its nearest few, which link it in hundreds of pieces, not one (a million
    hard links of 600 files: 212,219 groups, a request then passing over hundreds of them
    per sound)."""
    n = len(index)
    first, second, _ = near_pairs(index, scale, DUPLICATE_DISTANCE, candidates=NEIGHBOURS,
                                  graph=graph, threads=threads, block=BLOCK)
    if same_files is not None:  # each row linked to the first row of its file's group
        group, order, starts = same_files
        first, second = np.r_[first, order[starts[group]]], np.r_[second, np.arange(n)]
    group, order, starts = linked_groups(first, second, n)
    firsts = order[starts[:-1]]
    stand_ins = RowSubset(index, firsts, threads=threads,
                          graph=len(firsts) >= STAND_IN_GRAPH_FROM and ann_available())
    return CopyGroups(group, order, starts, stand_ins)


def linked_groups(first: np.ndarray, second: np.ndarray, n: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(group, order, starts)`` (as :class:`CopyGroups` holds them) of ``n`` rows linked in
    pairs ``first[i]``-``second[i]``: the connected groups, numbered by their first row."""
    # Imported here: a command's one search makes no groups, and scipy.sparse costs it
    # memory and time to import.
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    links = coo_matrix((np.ones(len(first), dtype=np.int8), (first, second)), shape=(n, n))
    _, group = connected_components(links, directed=False)
    group = group.astype(np.int32)
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(group.max(initial=-1) + 2))
    return group, order, starts


log = logging.getLogger(__name__)

GROUPS = "copy groups"  # the key in NeighbourIndex.derived
_PASS = "copy groups pass"
_SAME_FILES = "copies of one file"
_lock = threading.Lock()


def groups_of(catalogue: Catalogue) -> CopyGroups | None:
    """The catalogue's copy groups when made; once its index has an HNSW graph (a server, a
    large library), the first call starts making them in the background. Until then (and
    in a command, which makes none), the groups of copies of one file where most of the
    library is such copies (:func:`same_file_groups`)."""
    index = catalogue.index
    found = index.derived.get(GROUPS)
    if found is None and index.approximate:
        with _lock:
            if _PASS not in index.derived:
                thread = threading.Thread(target=_make_in_background,
                                          args=(index, catalogue.space.scale_,
                                                catalogue.same_files),
                                          name="copy groups", daemon=True)
                index.derived[_PASS] = thread
                thread.start()
    return found if found is not None else same_file_groups(catalogue)


def same_file_groups(catalogue: Catalogue) -> CopyGroups | None:
    """Groups of the catalogue's copies of one file (:func:`..index.copies.same_files`, kept
    in its side files: nothing to make), when there are at most SAME_FILE_SHARE groups per
    row and fewer than STAND_IN_GRAPH_FROM: a search that leaves copies out then asks among
    a few thousand stand-ins instead of passing over every copy. Where most files are held
    once, leaving copies out costs a search a few candidates more: no groups."""
    index = catalogue.index
    if _SAME_FILES not in index.derived:  # two threads may both make them: the same groups
        index.derived[_SAME_FILES] = _same_file_groups(catalogue)
    return index.derived[_SAME_FILES]


def _same_file_groups(catalogue: Catalogue) -> CopyGroups | None:
    if catalogue.same_files is None:
        return None
    group, order, starts = catalogue.same_files
    count = len(starts) - 1
    if count > SAME_FILE_SHARE * len(group) or count >= STAND_IN_GRAPH_FROM:
        return None
    return CopyGroups(group, order, starts, RowSubset(catalogue.index, order[starts[:-1]]))


def prepare(catalogue: Catalogue) -> CopyGroups:
    """Make the catalogue's copy groups now (where waiting is fine: tests, a benchmark)."""
    index = catalogue.index
    found = index.derived.get(GROUPS)
    if found is None:
        found = make_groups(index, catalogue.space.scale_, graph=index.approximate,
                            same_files=catalogue.same_files)
        index.derived[GROUPS] = found
    return found


def making(catalogue: Catalogue) -> threading.Thread | None:
    """The background thread making the catalogue's groups, if one was started."""
    return catalogue.index.derived.get(_PASS)


def _make_in_background(index: NeighbourIndex, scale: np.ndarray,
                        same_files: tuple | None) -> None:
    # One thread: the request threads keep the other core. Groups kept by an earlier start
    # of a server are read instead (imported here: that module builds on this one).
    from . import kept_groups

    started = time.perf_counter()
    try:
        made = kept_groups.load(index, scale, same_files)
        kept = made is not None
        if made is None:
            made = make_groups(index, scale, graph=True, threads=1, same_files=same_files)
            kept_groups.save(index, made)
    except IndexClosed:  # the server is stopping
        return
    except Exception as exc:  # memory, most likely: searches leave copies out as before
        log.warning("cannot group the copies of %s sounds (%s): searches that leave copies "
                    "out read every copy, as before", f"{len(index):,}", exc)
        return
    index.derived[GROUPS] = made  # one assignment: requests see the groups whole
    log.info("copy groups made in %.1f s%s: %s sounds in %s groups (searches that leave "
             "copies out now ask among one sound per group)", time.perf_counter() - started,
             " (kept by an earlier start)" if kept else "", f"{len(index):,}",
             f"{made.count:,}")
