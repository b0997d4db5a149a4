"""Finding near-identical samples: the same hit in several packs, re-encoded, resampled or
at another gain.

The descriptor ignores gain and sample rate and is onset-aligned, so copies of one
hit land almost on the same point. Pairs closer than :data:`DUPLICATE_DISTANCE`
(RMS difference of standardised descriptors) are joined into groups.
"""

from __future__ import annotations

import numpy as np

from .neighbours import NeighbourIndex

#: Copies measured here: gain changes ~0.00, resampled 44.1->48/96 kHz ~0.05-0.10, MP3 at
#: 128 kbit/s ~0.1-0.2; distinct hits of one synthetic family (about as alike as two takes of
#: one drum) start around 0.35. Half way.
DUPLICATE_DISTANCE = 0.25
BLOCK = 256


def duplicate_pairs(
    index: NeighbourIndex, threshold: float = DUPLICATE_DISTANCE
) -> list[tuple[int, int, float]]:
    """Every pair of rows ``(i, j, distance)`` with ``i < j`` closer than ``threshold``.

    The embedding distance never exceeds the full distance (a projection), so a
    blockwise scan of the embedding finds every candidate; each is then measured
    exactly.
    """
    n, dim = index.Z.shape
    if n < 2:
        return []
    limit = threshold * threshold * dim  # squared distance, summed over dimensions
    pairs = []
    for start in range(0, n, BLOCK):
        block = index.E[start : start + BLOCK]
        d2 = (
            index.e_sq[start : start + BLOCK, None]
            + index.e_sq[None, :]
            - 2.0 * (block @ index.E.T)
        )
        rows, cols = np.nonzero(d2 <= limit * 1.0001)
        rows = rows + start
        keep = rows < cols
        for i, j in zip(rows[keep], cols[keep], strict=True):
            distance = float(index.distances(index.Z[i], np.array([j]))[0])
            if distance <= threshold:
                pairs.append((int(i), int(j), distance))
    return pairs


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
