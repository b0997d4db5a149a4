"""Grouping the library into clusters of similar sounds, with ids that survive rescans.

The default is *kit-sized* clusters of about 16 members (one 4x4 Drum Rack
page), so "fill a rack with one cluster" gives a usable kit. A plain k-means
with n/16 centres would cost O(n^2) at library scale; instead a coarse k-means
(about sqrt(n/16) groups, fitted on a sample of a big library) is refined inside each
group, and any cluster more than twice the wanted size is split again. The k-means is
numpy's own here (k-means++ seeding, then Lloyd's iterations, as scikit-learn does it):
a library of 100,000 sounds takes a thousand small fits, and scikit-learn's set-up per
fit (checks, thread pools) cost more than the fits themselves. Given groups (the
instrument categories), kit-sized clusters are made inside each group, so a cluster is
mostly one instrument. ``count`` asks for a fixed number of clusters instead (the
original tool's k-means, which keeps families that cross instruments together).
"""

from __future__ import annotations

import math
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np

from ..errors import EngineError

DEFAULT_SIZE = 16
#: From this many sounds, the instrument groups are clustered on several threads at once
#: (two threads, the same clusters: 100,000 sounds 2.3 -> 2.5 s, the small k-means fits
#: hold the interpreter; 200,000 4.5 -> 3.9 s; 400,000 10.3 -> 7.8 s; a million 27.9 -> 18.7).
THREADS_FROM = 150_000
#: Membership overlap (Jaccard) above which a new cluster takes an old cluster's id.
KEEP_ID_OVERLAP = 0.5


class KitClusterer:
    """Cluster an embedding into kit-sized groups (``size``) or ``count`` groups.

    After ``fit``: ``labels_`` (cluster index per row, 0..n_clusters_-1),
    ``typicality_`` (distance of each row to its cluster's centre) and
    ``centres_``.
    """

    def __init__(
        self, size: int | None = DEFAULT_SIZE, count: int | None = None, random_state: int = 0
    ):
        self.size = size
        self.count = count
        self.random_state = random_state

    def fit(self, E: np.ndarray, groups: np.ndarray | None = None) -> KitClusterer:
        """``groups`` (one code per row, e.g. the instrument category) keeps kit-sized
        clusters inside one group each; ``count`` clusters ignore it."""
        E = np.asarray(E, dtype=np.float32)
        if len(E) == 0:
            raise EngineError("the library has no profiled sounds to cluster yet")
        from threadpoolctl import threadpool_limits  # installed with scikit-learn

        # Thousands of small products: one BLAS thread each is fastest (several threads
        # spin against each other, and against a busy machine).
        with threadpool_limits(1, user_api="blas"):
            return self._fit(E, groups)

    def _fit(self, E: np.ndarray, groups: np.ndarray | None) -> KitClusterer:
        n = len(E)
        if self.count is not None:
            if self.count < 1:
                raise EngineError("--count must be at least 1")
            labels = _kmeans(E, min(self.count, n), self.random_state)
        else:
            size = self.size or DEFAULT_SIZE
            if size < 2:
                raise EngineError("--size must be at least 2")
            labels = self._kit_sized(E, size) if groups is None else self._grouped(E, groups,
                                                                                 size)
            labels = _polish(E, _relabel(labels), groups, 2 * size)
        self.labels_ = _relabel(labels)
        self.n_clusters_ = int(self.labels_.max()) + 1
        self.centres_ = cluster_means(E, self.labels_, self.n_clusters_)
        self.typicality_ = np.linalg.norm(E - self.centres_[self.labels_], axis=1)
        return self

    def _grouped(self, E: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
        """Kit-sized clusters inside each group; the groups' clusterings are independent (each
        k-means seeded alike), so a large library's run on several threads, largest first:
        numpy leaves the interpreter for its products, and the same labels come out."""
        members = [np.flatnonzero(groups == group) for group in np.unique(groups)]
        parts: dict[int, np.ndarray] = {}

        def cluster(i: int) -> None:
            parts[i] = self._kit_sized(E[members[i]], size)

        _on_threads(cluster, sorted(range(len(members)), key=lambda i: -len(members[i])),
                    len(E))
        labels = np.empty(len(E), dtype=np.int64)
        offset = 0
        for i, rows in enumerate(members):
            labels[rows] = parts[i] + offset
            offset += int(parts[i].max()) + 1
        return labels

    def _kit_sized(self, E: np.ndarray, size: int) -> np.ndarray:
        n = len(E)
        coarse = max(1, round(math.sqrt(n / size)))
        labels = _kmeans(E, coarse, self.random_state)
        final = np.empty(n, dtype=np.int64)
        next_label = 0
        pending = [np.flatnonzero(labels == c) for c in range(coarse)]
        while pending:
            rows = pending.pop()
            if len(rows) == 0:
                continue
            parts = max(1, round(len(rows) / size))
            if parts == 1 and len(rows) <= 2 * size:
                final[rows] = next_label
                next_label += 1
                continue
            sub = _kmeans(E[rows], max(parts, 2), self.random_state)
            groups = [rows[sub == c] for c in range(sub.max() + 1)]
            if max(len(g) for g in groups) == len(rows):  # identical points: cut evenly
                groups = np.array_split(rows, max(parts, 2))
            for group in groups:
                if len(group) > 2 * size:
                    pending.append(group)
                elif len(group):
                    final[group] = next_label
                    next_label += 1
        return final


#: Lloyd's iterations at most, and the relative tolerance on the centres' movement
#: (scikit-learn's default tolerance).
MAX_ITER = 100
TOL = 1e-4
#: A k-means over more rows than this is fitted on a sample this large (at least
#: ``SAMPLE_PER_CENTRE`` rows per centre), then every row joins its nearest centre.
SAMPLE = 20_000
SAMPLE_PER_CENTRE = 64


def _kmeans(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Labels of a k-means of ``X``'s rows into at most ``k`` clusters (deterministic)."""
    X = np.asarray(X, dtype=np.float32)
    n = len(X)
    k = max(1, min(k, n))
    if k == 1:
        return np.zeros(n, dtype=np.int64)
    rng = np.random.default_rng(seed)
    sample = max(SAMPLE, SAMPLE_PER_CENTRE * k)
    if n > sample:  # fitted on a sample; every row then joins its nearest centre
        return _nearest(X, _lloyd(X[np.sort(rng.choice(n, sample, replace=False))], k, rng))
    return _nearest(X, _lloyd(X, k, rng))


def _lloyd(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Centres ``(k, d)`` of ``X`` (float32) after k-means++ seeding and Lloyd's iterations."""
    squares = np.einsum("ij,ij->i", X, X)
    centres = _plus_plus(X, squares, k, rng)
    tol = TOL * float(np.mean(np.var(X, axis=0, dtype=np.float64)))
    previous = None
    # the centres after each of the last iterations
    history: deque[np.ndarray] = deque(maxlen=REPEATS_SEEN)
    for iteration in range(MAX_ITER):
        labels = _nearest(X, centres)
        counts = np.bincount(labels, minlength=k)
        filled = np.flatnonzero(counts)
        moved = centres.astype(np.float64)
        moved[filled] = _sums(X, labels, k)[filled] / counts[filled, None]
        empty = np.flatnonzero(counts == 0)
        relocated = 0
        if len(empty):  # an empty cluster restarts at a row far from its centre, if any is
            gap = X - centres[labels]
            distance = np.einsum("ij,ij->i", gap, gap)
            far = np.argsort(-distance, kind="stable")[: len(empty)]
            far = far[distance[far] > max(tol, 1e-9)]  # copies of a centre cannot start one
            relocated = len(far)
            moved[empty[:relocated]] = X[far]
        moved = moved.astype(np.float32)
        shift = float(((moved - centres).astype(np.float64) ** 2).sum())
        centres = moved
        if not relocated and (shift <= tol or np.array_equal(labels, previous)):
            break
        previous = labels
        history.append(centres)
        if relocated:  # (what else goes round in circles: looked at where this does)
            last = _repeats(history, MAX_ITER - 1 - iteration)
            if last is not None:
                return last
    return centres


#: Iterations a fit remembers, to see that it goes round in circles (:func:`_repeats`).
REPEATS_SEEN = 10


def _repeats(history: deque[np.ndarray], left: int) -> np.ndarray | None:
    """The centres Lloyd's iterations would end on, ``left`` iterations from now, where the
    last ones (``history``: the centres after each) go round a circle; else None.

    An iteration is a function of the centres it starts from, and whether it ends the fit
    depends on those and the ones before. Over few distinct sounds (copies in a pack, one
    sample profiled twice a last bit apart) k-means puts empty clusters back on copies of
    rows a centre keeps (ties go to the first), round and round: 300 of 1,121 fits at
    100,000 sounds ran all their iterations, 90% of the clustering's. Where the centres of
    the last two iterations are those of ``period`` iterations before each, every iteration
    from now on repeats one already made, from the same centres after the same centres,
    which did not end the fit: where it would end is known now, the same centres bit for
    bit."""
    for period in range(1, len(history) - 1):
        if (np.array_equal(history[-1], history[-1 - period])
                and np.array_equal(history[-2], history[-2 - period])):
            return history[-1 - (period - left % period) % period]
    return None


def _sums(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Per label ``0..k-1``, the sum of its rows (float64)."""
    if k * len(X) <= 1 << 22:  # a product with the membership matrix: fastest when small
        membership = np.zeros((k, len(X)), dtype=np.float32)
        membership[labels, np.arange(len(X))] = 1.0
        return (membership @ X).astype(np.float64)
    sums = np.zeros((k, X.shape[1]))
    order = np.argsort(labels, kind="stable")
    counts = np.bincount(labels, minlength=k)
    filled = np.flatnonzero(counts)
    starts = np.concatenate([[0], np.cumsum(counts[filled])[:-1]])
    sums[filled] = np.add.reduceat(X[order].astype(np.float64), starts, axis=0)
    return sums


def _plus_plus(X: np.ndarray, squares: np.ndarray, k: int,
               rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++ seeding (several candidates per centre, the best kept), as
    scikit-learn seeds its k-means."""
    n = len(X)
    trials = 2 + int(np.log(k))
    centres = np.empty((k, X.shape[1]), dtype=np.float32)
    centres[0] = X[rng.integers(n)]
    closest = np.maximum(squares - 2.0 * (X @ centres[0]) + centres[0] @ centres[0], 0.0)
    potential = float(closest.sum(dtype=np.float64))
    for c in range(1, k):
        if potential <= 0:  # every row sits on a centre: the rest are copies
            centres[c:] = centres[0]
            break
        picks = np.searchsorted(np.cumsum(closest, dtype=np.float64),
                                rng.random(trials) * potential)
        candidates = X[np.minimum(picks, n - 1)]
        d2 = squares[None, :] - 2.0 * (candidates @ X.T)
        d2 += np.einsum("ij,ij->i", candidates, candidates)[:, None]
        np.maximum(d2, 0.0, out=d2)
        np.minimum(closest[None, :], d2, out=d2)
        totals = d2.sum(axis=1, dtype=np.float64)
        best = int(np.argmin(totals))
        centres[c], closest, potential = candidates[best], d2[best], float(totals[best])
    return centres


def _nearest(X: np.ndarray, centres: np.ndarray, block: int = 65536) -> np.ndarray:
    """Each row's nearest centre, a block of rows at a time."""
    centres = centres.astype(np.float32)
    c_sq = np.einsum("ij,ij->i", centres, centres)
    labels = np.empty(len(X), dtype=np.int64)
    for start in range(0, len(X), block):
        chunk = X[start : start + block]
        labels[start : start + len(chunk)] = (c_sq[None, :] - 2.0 * (chunk @ centres.T)).argmin(
            axis=1)
    return labels


#: Rounds of polishing after the two-level k-means, and the neighbouring clusters a sound
#: may move to in each. Groups of more clusters than POLISH_MAX are not polished (finding
#: every cluster's neighbours costs the square of their number).
POLISH_ROUNDS = 3
POLISH_NEAR = 8
POLISH_MAX = 20_000
POLISH_BLOCK = 8192


def _polish(E: np.ndarray, labels: np.ndarray, groups: np.ndarray | None,
            largest: int) -> np.ndarray:
    """Move each sound to the nearest centre among its cluster's nearest clusters (of its
    group), a few rounds: the two-level k-means leaves sounds near the edge of a coarse
    group in the wrong fine cluster. No cluster grows beyond ``largest`` by it."""
    count = int(labels.max()) + 1
    group_of = np.zeros(count, dtype=np.int64)
    if groups is not None:
        group_of[labels] = groups
    centres = cluster_means(E, labels, count)
    # Each cluster's nearest clusters of its group (itself first; itself only in a group
    # too small or too big to polish).
    near = np.repeat(np.arange(count)[:, None], POLISH_NEAR, axis=1)
    polished = [members for members in (np.flatnonzero(group_of == group)
                                        for group in np.unique(group_of))
                if 2 <= len(members) <= POLISH_MAX]

    def nearest_of(members: np.ndarray) -> None:
        k = min(POLISH_NEAR, len(members))
        near[members, :k] = members[_nearest_centres(centres[members], k)]
        near[members, k:] = members[:, None]

    _on_threads(nearest_of, polished, len(E))
    for _ in range(POLISH_ROUNDS):
        sizes = np.bincount(labels, minlength=count)
        moved = labels.copy()
        _on_threads(partial(_move_block, E=E, labels=labels, near=near, centres=centres,
                            sizes=sizes, largest=largest, moved=moved),
                    range(0, len(E), POLISH_BLOCK), len(E))
        moved = _undo_overflow(labels, moved, largest)
        if np.array_equal(moved, labels):
            break
        labels = moved
        sizes = np.bincount(labels, minlength=count)
        filled = sizes > 0
        centres[filled] = cluster_means(E, labels, count, sizes)[filled]
    return labels


def _move_block(start: int, *, E, labels, near, centres, sizes, largest, moved) -> None:
    """One round of :func:`_polish` for the rows ``start`` to ``start + POLISH_BLOCK``
    (bounded temporary memory): where each would move, written into ``moved``."""
    rows = np.arange(start, min(start + POLISH_BLOCK, len(E)))
    candidates = near[labels[rows]]  # (rows, near) cluster numbers, own included
    x = E[rows]
    gap = x[:, None, :] - centres[candidates]
    d2 = np.einsum("ijk,ijk->ij", gap, gap)
    d2[(sizes[candidates] >= largest) | (sizes[candidates] == 0)] = np.inf  # full
    gap = x - centres[labels[rows]]
    stay = np.einsum("ij,ij->i", gap, gap)
    d2 = np.where(candidates == labels[rows][:, None], stay[:, None], d2)
    best = candidates[np.arange(len(rows)), d2.argmin(axis=1)]
    better = d2.min(axis=1) < stay * (1 - 1e-5) - 1e-6  # copies stay put
    moved[rows[better]] = best[better]


def _on_threads(function, items, rows: int) -> None:
    """``function(item)`` for every item (each writing its own part of a result), on a
    thread per core from THREADS_FROM rows: numpy leaves the interpreter for its products."""
    items = list(items)
    threads = min(len(items), os.cpu_count() or 1)
    if rows < THREADS_FROM or threads < 2:
        for item in items:
            function(item)
        return
    with ThreadPoolExecutor(threads, thread_name_prefix="clusters") as pool:
        for _ in pool.map(function, items):  # raises what a thread raised
            pass


def _nearest_centres(centres: np.ndarray, k: int, block: int = 1024) -> np.ndarray:
    """Each centre's ``k`` nearest centres (itself first), shape ``(m, k)``."""
    squares = np.einsum("ij,ij->i", centres, centres)
    out = np.empty((len(centres), k), dtype=np.int64)
    for start in range(0, len(centres), block):
        chunk = centres[start : start + block]
        d2 = squares[None, :] - 2.0 * (chunk @ centres.T)
        d2[np.arange(len(chunk)), np.arange(start, start + len(chunk))] = -np.inf
        out[start : start + len(chunk)] = np.argpartition(d2, k - 1, axis=1)[:, :k]
    return out


def _undo_overflow(before: np.ndarray, after: np.ndarray, largest: int) -> np.ndarray:
    """``after``, with the moves into any cluster grown beyond ``largest`` taken back (until
    none is: at worst every move, and ``before`` kept its clusters within ``largest``)."""
    after = after.copy()
    while True:
        sizes = np.bincount(after)
        over = np.flatnonzero(sizes > largest)
        if not len(over):
            return after
        back = np.isin(after, over) & (after != before)
        if not back.any():
            return after
        after[back] = before[back]


def cluster_means(E: np.ndarray, labels: np.ndarray, count: int,
                  sizes: np.ndarray | None = None) -> np.ndarray:
    """The mean row of each cluster ``0..count-1`` (rows of empty clusters are undefined)."""
    sizes = np.bincount(labels, minlength=count) if sizes is None else sizes
    order = np.argsort(labels, kind="stable")
    starts = np.minimum(np.searchsorted(labels[order], np.arange(count)), len(E) - 1)
    sums = np.add.reduceat(E[order].astype(np.float64), starts, axis=0)
    return (sums / np.maximum(sizes, 1)[:, None]).astype(E.dtype)


def cluster_rows(labels: np.ndarray, count: int) -> list[np.ndarray]:
    """The rows of each cluster ``0..count-1``, ascending (one sort, not ``count`` scans)."""
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.cumsum(np.bincount(labels, minlength=count))[:-1])


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Consecutive labels 0..m-1 (empty clusters dropped)."""
    _, inverse = np.unique(labels, return_inverse=True)
    return inverse.astype(np.int64)


def match_ids(new_groups: list[set[int]], old_groups: dict[int, set[int]]) -> list[int]:
    """A stable id for each new group: an old id when memberships overlap enough.

    Greedy on the largest overlaps first; each old id is used at most once;
    new groups that match nothing get ids above every id used before.
    """
    member_to_old = {m: cid for cid, members in old_groups.items() for m in members}
    pairs = []
    for index, group in enumerate(new_groups):
        counts: dict[int, int] = {}
        for member in group:
            old = member_to_old.get(member)
            if old is not None:
                counts[old] = counts.get(old, 0) + 1
        for old, shared in counts.items():
            jaccard = shared / (len(group) + len(old_groups[old]) - shared)
            if jaccard >= KEEP_ID_OVERLAP:
                pairs.append((jaccard, index, old))
    ids: list[int | None] = [None] * len(new_groups)
    used: set[int] = set()
    for _, index, old in sorted(pairs, reverse=True):
        if ids[index] is None and old not in used:
            ids[index] = old
            used.add(old)
    next_id = max(old_groups, default=0) + 1
    for index in range(len(ids)):
        if ids[index] is None:
            ids[index] = next_id
            next_id += 1
    return ids  # type: ignore[return-value]
