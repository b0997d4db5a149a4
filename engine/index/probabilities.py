"""Every sound's probability of each instrument category, and its distance to each
category's centre.

The index stores only each sound's most likely category; kits and category clusters need
"how much of a snare is this" for sounds whose best guess is something else, and how typical
a sound is of a category. Both are computed once, when a catalogue is built from the index
(from the learned part of the vectors: a linear layer, and one pass per category), and kept
in its side files (:mod:`.side_files`), so a kit reads them instead of recomputing them.
A catalogue without them (built in a process that could not keep them) has them computed
here, once, with a place for values derived from them.
"""

from __future__ import annotations

import weakref

import numpy as np

from ..errors import EngineError
from .side_files import let_go

#: A sound is "sure" to be of a category from this probability: the category's centre is
#: the mean of its sure sounds (kits also call a pack's sound of this confidence sure).
SURE = 0.8
BLOCK = 8192


def probabilities_of(Z: np.ndarray, space, learned: int) -> np.ndarray:
    """Every row's probability of each category in :data:`..sound.categories.CATEGORIES`
    order, from standardised vectors ``Z`` (any float type), shape ``(n, categories)``."""
    from ..sound.embedding import sound_model

    model = sound_model()
    if learned != model.dim:
        raise EngineError("the library's vectors do not match the learned model: rescan it")
    scale = space.scale_[:learned].astype(np.float32)
    mean = space.mean_[:learned].astype(np.float32)
    probabilities = np.empty((len(Z), len(model.class_intercept)), dtype=np.float32)
    for start in range(0, len(Z), BLOCK):  # in slices: no copy of a big library's embeddings
        stop = start + BLOCK
        learned_part = np.asarray(Z[start:stop, :learned], dtype=np.float32)
        probabilities[start:stop] = model.category_scores(learned_part * scale + mean)
    return probabilities


def centre_distances_of(Z: np.ndarray, probabilities: np.ndarray, learned: int) -> np.ndarray:
    """Every row's learned distance (RMS per number, as ``similar`` measures) to the mean of
    the sounds at least :data:`SURE` to be of each category (0 where a category has none),
    shape ``(n, categories)``, float32."""
    n, count = probabilities.shape
    width = learned or Z.shape[1]
    centres = np.zeros((count, width))
    known = np.zeros(count, dtype=bool)
    for code in range(count):
        sure = np.flatnonzero(probabilities[:, code] >= SURE)
        if len(sure):
            known[code] = True
            for start in range(0, len(sure), BLOCK):
                rows = sure[start : start + BLOCK]
                centres[code] += np.asarray(Z[rows, :width], dtype=np.float64).sum(axis=0)
                let_go(Z)  # a mapped file's pages read: see side_files.let_go
            centres[code] /= len(sure)
    centres = centres.astype(np.float32)
    out = np.zeros((n, count), dtype=np.float32)
    for start in range(0, n, BLOCK):
        block = np.asarray(Z[start : start + BLOCK, :width], dtype=np.float32)
        let_go(Z, start, start + len(block))
        for code in np.flatnonzero(known):
            diff = block - centres[code]
            out[start : start + len(block), code] = np.sqrt(
                np.einsum("ij,ij->i", diff, diff) / width)
    return out


def category_probabilities(catalogue) -> np.ndarray:
    """The catalogue's probabilities (:func:`probabilities_of`): kept with it, or computed
    once for the catalogue at hand."""
    cached = _PROBABILITIES.get("key")
    if cached is not None and cached[0]() is catalogue:
        return cached[1]
    probabilities = catalogue.probabilities
    if probabilities is None:
        probabilities = probabilities_of(catalogue.index.Z, catalogue.space,
                                         catalogue.index.learned)
    if catalogue.labels:  # the stored ones are a read-only map: labels go on a copy
        probabilities = np.array(probabilities)
        _apply_labels(catalogue, probabilities)
    # A weak reference: an old catalogue (a whole library in memory) must not outlive its use.
    _PROBABILITIES["key"] = (weakref.ref(catalogue), probabilities, {})
    return probabilities


def _apply_labels(catalogue, probabilities: np.ndarray) -> None:
    """A sound a person labelled is surely of that category and of no other (``other``:
    of none)."""
    from ..sound.categories import ALL_CATEGORIES, CATEGORIES

    for row in catalogue.labels:
        code = int(catalogue.categories[row])
        probabilities[row] = 0.0
        if 0 <= code < len(CATEGORIES) and ALL_CATEGORIES[code] in CATEGORIES:
            probabilities[row, CATEGORIES.index(ALL_CATEGORIES[code])] = 1.0


def category_centre_distances(catalogue) -> np.ndarray:
    """The catalogue's distances to each category's centre (:func:`centre_distances_of`)."""
    if catalogue.centre_distances is not None:
        return catalogue.centre_distances
    probabilities = category_probabilities(catalogue)
    store = derived_values(catalogue)
    if "centre_distances" not in store:
        store["centre_distances"] = centre_distances_of(catalogue.index.Z, probabilities,
                                                        catalogue.index.learned)
    return store["centre_distances"]


def derived_values(catalogue) -> dict[str, np.ndarray]:
    """A store for values derived from ``catalogue``'s probabilities, kept as long as they
    are."""
    category_probabilities(catalogue)
    return _PROBABILITIES["key"][2]


#: The last catalogue's probabilities and the values derived from them.
_PROBABILITIES: dict[str, tuple[weakref.ref, np.ndarray, dict[str, np.ndarray]]] = {}
