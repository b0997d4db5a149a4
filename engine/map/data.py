"""What the library map shows, gathered from the catalogue: positions (kept in the index,
so a rescan that changed little leaves the map as it was), clusters, categories and each
sound's nearest neighbours."""

from __future__ import annotations

import numpy as np

from ..index.catalogue import Catalogue
from ..index.store import IndexStore
from .layout import layout
from .page import MapData


def map_data(store: IndexStore, catalogue: Catalogue, *, neighbours: int = 8,
             progress=None) -> MapData:
    """Lay the library out (starting from the stored positions) and save the new positions.

    ``progress`` (optional) is called with a sentence before each slow step.
    """
    stored = store.map_positions()
    previous = np.array([stored.get(int(i), (np.nan, np.nan)) for i in catalogue.ids],
                        dtype=np.float64).reshape(-1, 2)
    if progress is not None:
        new = int((~np.isfinite(previous).all(axis=1)).sum())
        progress(f"placing {catalogue.size:,} sounds on the map ({new:,} new)")
    positions = layout(catalogue.index.E, previous)
    if progress is not None:
        progress("finding each sound's nearest neighbours")
    with store.transaction():
        store.save_map_positions(
            (int(i), float(x), float(y)) for i, (x, y) in zip(catalogue.ids, positions,
                                                               strict=True))
    return MapData(
        positions=positions, paths=catalogue.paths, durations=catalogue.durations,
        clusters=catalogue.clusters, labels=dict(catalogue.cluster_labels),
        neighbours=catalogue.index.every_neighbour(neighbours),
        categories=(catalogue.categories if catalogue.descriptor.categorise is not None
                    else None),
    )
