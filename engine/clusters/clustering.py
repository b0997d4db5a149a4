"""Grouping the library into clusters of similar sounds, with ids that survive rescans.

The default is *kit-sized* clusters of about 16 members (one 4x4 Drum Rack
page), so "fill a rack with one cluster" gives a usable kit. A plain k-means
with n/16 centres would cost O(n^2) at library scale; instead a coarse k-means
(about sqrt(n/16) groups) is refined inside each group, and any cluster more
than twice the wanted size is split again. Given groups (the instrument categories),
kit-sized clusters are made inside each group, so a cluster is mostly one instrument.
``count`` asks for a fixed number of clusters instead (the original tool's k-means, which
keeps families that cross instruments together).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..errors import EngineError

DEFAULT_SIZE = 16
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
        n = len(E)
        if n == 0:
            raise EngineError("the library has no profiled sounds to cluster yet")
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
        self.labels_ = _relabel(labels)
        self.n_clusters_ = int(self.labels_.max()) + 1
        self.centres_ = np.stack(
            [E[self.labels_ == c].mean(axis=0) for c in range(self.n_clusters_)]
        )
        self.typicality_ = np.linalg.norm(E - self.centres_[self.labels_], axis=1)
        return self

    def _grouped(self, E: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
        labels = np.empty(len(E), dtype=np.int64)
        offset = 0
        for group in np.unique(groups):
            rows = np.flatnonzero(groups == group)
            sub = self._kit_sized(E[rows], size)
            labels[rows] = sub + offset
            offset += int(sub.max()) + 1
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


def import_kmeans() -> None:
    """Import scikit-learn's k-means: about a second (mostly scipy), which a scan spends
    while its workers profile (see ``Scanner.while_profiling``) instead of after them."""
    import sklearn.cluster  # noqa: F401


def _kmeans(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    k = max(1, min(k, len(X)))
    if k == 1:
        return np.zeros(len(X), dtype=np.int64)
    from sklearn.cluster import KMeans, MiniBatchKMeans  # slow to import: only when clustering

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate points: fewer distinct clusters is fine
        if len(X) > 20_000 and k > 8:
            model = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
        else:
            model = KMeans(n_clusters=k, random_state=seed, n_init=1)
        return model.fit_predict(X).astype(np.int64)


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
