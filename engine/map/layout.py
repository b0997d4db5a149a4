"""Placing every sound of the library on a 2-D map where near means similar.

t-SNE (scikit-learn) on the compact embedding of a subsample of at most
:data:`SAMPLE` sounds, then every other sound placed at the weighted average
of its nearest placed neighbours: t-SNE on 50,000 points would take minutes,
this takes seconds and looks the same at the scale of a screen.

Positions are kept in the index; the next map reuses them, placing only new
sounds, so a rescan that changed little leaves the map recognisable. When
most of the library is new, t-SNE runs again, started from the old positions.
"""

from __future__ import annotations

import numpy as np

SAMPLE = 3000
NEIGHBOURS = 5
#: Reuse the stored layout when it already places this share of the library.
REUSE_SHARE = 0.9
BLOCK = 2048


def layout(E: np.ndarray, previous: np.ndarray | None = None, *, seed: int = 0) -> np.ndarray:
    """Positions in [0, 1]^2, shape ``(n, 2)``.

    ``previous`` has one row per sound: its stored position, or NaN where it has none.
    """
    E = np.asarray(E, dtype=np.float32)
    n = len(E)
    if n == 0:
        return np.empty((0, 2), dtype=np.float32)
    if n == 1:
        return np.full((1, 2), 0.5, dtype=np.float32)
    known = np.zeros(n, dtype=bool) if previous is None else np.isfinite(previous).all(axis=1)
    positions = np.full((n, 2), np.nan, dtype=np.float64)
    if known.mean() >= REUSE_SHARE:
        positions[known] = previous[known]
        anchors = np.flatnonzero(known)
    else:
        rng = np.random.default_rng(seed)
        anchors = np.sort(rng.choice(n, min(n, SAMPLE), replace=False))
        init = _initial(E[anchors], None if previous is None else previous[anchors])
        positions[anchors] = _tsne(E[anchors], init, seed)
    rest = np.flatnonzero(~np.isfinite(positions).all(axis=1))
    if len(rest):
        positions[rest] = _interpolate(E, anchors, positions[anchors], rest)
    return _normalise(positions).astype(np.float32)


def _initial(X: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """PCA start, with sounds that had a position starting there (scaled to match)."""
    centred = X - X.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    init = centred @ vt[:2].T
    if previous is not None:
        known = np.isfinite(previous).all(axis=1)
        if known.sum() >= 3:
            scaled = (previous[known] - previous[known].mean(axis=0))
            scaled = scaled / max(float(scaled[:, 0].std()), 1e-9) * float(init[:, 0].std())
            init[known] = scaled
    return init / max(float(init[:, 0].std()), 1e-9) * 1e-4  # the scale t-SNE starts from


def _tsne(X: np.ndarray, init: np.ndarray, seed: int) -> np.ndarray:
    from sklearn.manifold import TSNE  # slow to import: only when a map is drawn

    if len(X) < 5:
        return init
    perplexity = float(min(30.0, (len(X) - 1) / 3.0))
    model = TSNE(n_components=2, perplexity=perplexity, init=init.astype(np.float32),
                 learning_rate="auto", random_state=seed, max_iter=750)
    return model.fit_transform(X)


def _interpolate(E, anchors, anchor_positions, rows) -> np.ndarray:
    """Each row at the inverse-distance weighted mean of its nearest anchors."""
    A = E[anchors]
    a_sq = np.einsum("ij,ij->i", A, A)
    k = min(NEIGHBOURS, len(anchors))
    out = np.empty((len(rows), 2))
    for start in range(0, len(rows), BLOCK):
        block = E[rows[start : start + BLOCK]]
        d2 = np.maximum(a_sq[None, :] - 2.0 * block @ A.T
                        + np.einsum("ij,ij->i", block, block)[:, None], 0.0)
        nearest = np.argpartition(d2, k - 1, axis=1)[:, :k]
        weights = 1.0 / (np.sqrt(np.take_along_axis(d2, nearest, axis=1)) + 1e-3)
        weights /= weights.sum(axis=1, keepdims=True)
        out[start : start + len(block)] = np.einsum("ij,ijk->ik", weights,
                                                    anchor_positions[nearest])
    return out


def _normalise(positions: np.ndarray) -> np.ndarray:
    low = positions.min(axis=0)
    span = np.maximum(positions.max(axis=0) - low, 1e-12)
    return (positions - low) / span.max() + (1.0 - span / span.max()) / 2.0
