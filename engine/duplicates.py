"""Finding near-identical samples: the same hit in several packs, re-encoded, resampled or
at another gain.

The descriptor ignores gain and sample rate and is onset-aligned, so copies of one
hit land almost on the same vector. Closeness is judged on the *raw* descriptor
(dB, octaves, log-seconds: units that mean the same in every library), not on
the library-standardised one, whose scale depends on what else is in the library.
"""

from __future__ import annotations

import numpy as np

from .neighbours import NeighbourIndex

#: RMS difference of raw descriptors. Measured on generated hits (tests/synth.py): copies at
#: another gain 0.00, resampled 44.1->48/22.05 kHz <= 0.18, MP3 128 kbit/s <= 0.22; the
#: nearest *different* hit of the same family >= 0.81. Roughly half way.
DUPLICATE_DISTANCE = 0.45
CANDIDATES = 10
BLOCK = 512


def raw_distances_to(
    index: NeighbourIndex, scale: np.ndarray, z: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """RMS difference of the hand-made descriptors (after a learned embedding, if any)."""
    skip = index.learned
    diff = (index.Z[rows, skip:] - z[skip:]) * scale[skip:]
    return np.sqrt(np.mean(diff * diff, axis=1))


def duplicate_pairs(
    index: NeighbourIndex, scale: np.ndarray, threshold: float = DUPLICATE_DISTANCE
) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, distance)``, ``i < j``, of near-identical sounds.

    Copies are each other's nearest neighbours in any space, so each row's
    nearest few in the embedding (an exact blockwise scan) are the candidates,
    then measured on the raw descriptor.
    """
    n = len(index.Z)
    if n < 2:
        return []
    k = min(CANDIDATES, n - 1)
    pairs = {}
    for start in range(0, n, BLOCK):
        block = index.E[start : start + BLOCK]
        d2 = index.e_sq[None, :] - 2.0 * (block @ index.E.T)
        d2[np.arange(len(block)), np.arange(start, start + len(block))] = np.inf
        nearest = np.argpartition(d2, k - 1, axis=1)[:, :k]
        for offset, candidates in enumerate(nearest):
            i = start + offset
            distances = raw_distances_to(index, scale, index.Z[i], candidates)
            for j, d in zip(
                candidates[distances <= threshold], distances[distances <= threshold], strict=True
            ):
                pairs[(min(i, int(j)), max(i, int(j)))] = float(d)
    return [(i, j, d) for (i, j), d in sorted(pairs.items())]


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
