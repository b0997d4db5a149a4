"""Finding near-identical samples: the same hit in several packs, re-encoded, resampled or
at another gain (what makes two sounds copies: :mod:`..index.copies`), for ``soundalike
duplicates`` and a server's copy groups.
"""

from __future__ import annotations

import numpy as np

from ..index.catalogue import Catalogue
from ..index.copies import DUPLICATE_DISTANCE, raw_distances
from ..index.neighbours import IndexClosed, NeighbourIndex
from ..index.side_files import let_go
from ..index.store import IndexStore
from ..paths import display_path
from ..reports import DuplicateGroup

CANDIDATES = 10
BLOCK = 512


def raw_distances_to(
    index: NeighbourIndex, scale: np.ndarray, z: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """RMS difference of the hand-made descriptors (after a learned embedding, if any)."""
    skip = index.learned
    return raw_distances(index.rows(rows)[:, skip:], z[skip:], scale[skip:])


def duplicate_pairs(
    index: NeighbourIndex, scale: np.ndarray, threshold: float = DUPLICATE_DISTANCE
) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, distance)``, ``i < j``, of near-identical sounds.

    Copies are each other's nearest neighbours in any space, so each row's
    nearest few in the embedding (an exact blockwise scan) are the candidates,
    then measured on the raw descriptor.
    """
    first, second, distance = near_pairs(index, scale, threshold)
    return list(zip(first.tolist(), second.tolist(), distance.tolist(), strict=True))


def near_pairs(
    index: NeighbourIndex,
    scale: np.ndarray,
    threshold: float = DUPLICATE_DISTANCE,
    *,
    candidates: int = CANDIDATES,
    graph: bool = False,
    threads: int = 1,
    block: int = BLOCK,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`duplicate_pairs` as three arrays (first rows, second rows, distances), each pair
    once, in order; ``graph`` finds each row's ``candidates`` in the HNSW graph when it is
    built (a server: see :meth:`~..index.neighbours.NeighbourIndex.neighbours_of`).

    Arrays, not a list of tuples: at a million sounds held many times over, millions of
    pairs."""
    n = len(index)
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    found = []
    for start in range(0, n, block):
        if index.closing.is_set():  # a server stopping: see NeighbourIndex.close
            raise IndexClosed
        stop = min(n, start + block)
        nearest = index.neighbours_of(start, stop, candidates, graph=graph, threads=threads)
        found.append(close_pairs(index, scale, np.arange(start, stop), nearest, threshold))
        if graph:  # neighbours read at random over the whole library: see let_go
            let_go(index.Z)
    first = np.concatenate([f for f, _, _ in found])
    second = np.concatenate([s for _, s, _ in found])
    distance = np.concatenate([d for _, _, d in found])
    keys, at = np.unique(first * n + second, return_index=True)
    return keys // n, keys % n, distance[at]


def close_pairs(index: NeighbourIndex, scale: np.ndarray, rows: np.ndarray,
                nearest: np.ndarray, threshold: float = DUPLICATE_DISTANCE,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of each of ``rows`` and its ``nearest`` (a row of candidates each), the pairs within
    ``threshold`` by the raw hand-made descriptor: ``(smaller rows, larger rows, distances)``."""
    rows = np.repeat(np.asarray(rows, dtype=np.int64), nearest.shape[1])
    others = nearest.ravel().astype(np.int64)
    skip = index.learned
    distances = raw_distances(index.rows(others)[:, skip:], index.rows(rows)[:, skip:],
                              scale[skip:])
    near = distances <= threshold
    return np.minimum(rows, others)[near], np.maximum(rows, others)[near], distances[near]


def group_pairs(pairs: list[tuple[int, int, float]]) -> list[list[int]]:
    """Connected groups of rows (union-find), each sorted, largest groups first."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in pairs:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def duplicate_groups(catalogue: Catalogue, store: IndexStore) -> list[DuplicateGroup]:
    """Groups of near-identical samples, the copy worth keeping first (lossless, highest
    sample rate, largest file: the index's quality facts)."""
    pairs = duplicate_pairs(catalogue.index, catalogue.space.scale_)
    worst: dict[int, float] = {}
    groups = group_pairs(pairs)
    group_of = {row: g for g, rows in enumerate(groups) for row in rows}
    for i, _, d in pairs:
        g = group_of[i]
        worst[g] = max(worst.get(g, 0.0), d)
    facts = store.quality_facts([int(catalogue.ids[r]) for g in groups for r in g])
    result = []
    for g, rows in enumerate(groups):
        ranked = sorted(
            rows, key=lambda r: facts.get(int(catalogue.ids[r]), (0, 0, 0)), reverse=True
        )
        result.append(
            DuplicateGroup(
                paths=[display_path(catalogue.paths[r]) for r in ranked],
                distance=round(worst[g], 4),
            )
        )
    return result
