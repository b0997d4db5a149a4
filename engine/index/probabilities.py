"""Every sound's probability of each instrument category, for the catalogue at hand.

The index stores only each sound's most likely category; kits and category clusters need
"how much of a snare is this" for sounds whose best guess is something else. Recomputed from
the learned part of the vectors (a linear layer: milliseconds) and kept for the one catalogue
it was computed for, with a place for values derived from it (a kit's distances to each
category's centre).
"""

from __future__ import annotations

import weakref

import numpy as np

from ..errors import EngineError
from .catalogue import Catalogue


def category_probabilities(catalogue: Catalogue) -> np.ndarray:
    """Every row's probability of each category in :data:`..sound.categories.CATEGORIES`
    order, shape ``(n, categories)``, float32."""
    cached = _PROBABILITIES.get("key")
    if cached is not None and cached[0]() is catalogue:
        return cached[1]
    from ..sound.embedding import sound_model

    model = sound_model()
    learned = catalogue.index.learned
    if learned != model.dim:
        raise EngineError("the library's vectors do not match the learned model: rescan it")
    scale = catalogue.space.scale_[:learned].astype(np.float32)
    mean = catalogue.space.mean_[:learned].astype(np.float32)
    Z = catalogue.index.Z
    probabilities = np.empty((len(Z), len(model.class_intercept)), dtype=np.float32)
    for start in range(0, len(Z), 8192):  # in slices: no copy of a big library's embeddings
        stop = start + 8192
        probabilities[start:stop] = model.category_scores(Z[start:stop, :learned] * scale + mean)
    _apply_labels(catalogue, probabilities)
    # A weak reference: an old catalogue (a whole library in memory) must not outlive its use.
    _PROBABILITIES["key"] = (weakref.ref(catalogue), probabilities, {})
    return probabilities


def _apply_labels(catalogue: Catalogue, probabilities: np.ndarray) -> None:
    """A sound a person labelled is surely of that category and of no other (``other``:
    of none)."""
    from ..sound.categories import ALL_CATEGORIES, CATEGORIES

    for row in catalogue.labels:
        code = int(catalogue.categories[row])
        probabilities[row] = 0.0
        if 0 <= code < len(CATEGORIES) and ALL_CATEGORIES[code] in CATEGORIES:
            probabilities[row, CATEGORIES.index(ALL_CATEGORIES[code])] = 1.0


def derived_values(catalogue: Catalogue) -> dict[str, np.ndarray]:
    """A store for values derived from ``catalogue``'s probabilities, kept as long as they
    are (a fresh, unkept dict for any other catalogue)."""
    cached = _PROBABILITIES.get("key")
    return cached[2] if cached is not None and cached[0]() is catalogue else {}


#: The last catalogue's probabilities and the values derived from them.
_PROBABILITIES: dict[str, tuple[weakref.ref, np.ndarray, dict[str, np.ndarray]]] = {}
