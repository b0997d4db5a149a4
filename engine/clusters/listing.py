"""The clusters as people see them: every cluster with its label, size and main
instrument, and one cluster's members, most typical first.

Pure functions of an immutable :class:`~..index.catalogue.Catalogue`, so the OSC bridge can
answer from any thread while a rescan builds the next snapshot.
"""

from __future__ import annotations

import numpy as np

from ..errors import EngineError
from ..index.catalogue import Catalogue
from ..paths import display_path, path_bytes
from ..reports import ClusterDetail, ClusterMember, ClusterSummary
from ..sound.categories import ALL_CATEGORIES, members


def cluster_summaries(catalogue: Catalogue, category: str | None = None
                      ) -> list[ClusterSummary]:
    """Every cluster with its label, size and commonest category; with ``category``, only
    the clusters mostly of it (or of any category a name for several stands for: ``cymbal``,
    ``drums``), and a clear error for a name that means nothing."""
    wanted = None
    if category is not None:
        catalogue.rows_of_category(category)  # a known category, or a clear error
        wanted = members(category)
    sizes = catalogue.cluster_sizes()
    main = _main_categories(catalogue)
    summaries = [
        ClusterSummary(id=cid, label=label, size=sizes.get(cid, 0),
                       category=main.get(cid, (None, None))[0],
                       category_share=main.get(cid, (None, None))[1])
        for cid, label in sorted(catalogue.cluster_labels.items())
    ]
    return [c for c in summaries if wanted is None or c.category in wanted]


def _main_categories(catalogue: Catalogue) -> dict[int, tuple[str, float]]:
    """Each cluster's commonest category and the share of its members in it."""
    known = (catalogue.clusters > 0) & (catalogue.categories >= 0)
    if not known.any():
        return {}
    codes = catalogue.categories[known].astype(np.int64)
    clusters = catalogue.clusters[known]
    ids, inverse = np.unique(clusters, return_inverse=True)
    table = np.zeros((len(ids), len(ALL_CATEGORIES)), dtype=np.int64)
    np.add.at(table, (inverse, codes), 1)
    sizes = catalogue.cluster_sizes()
    return {
        int(cid): (ALL_CATEGORIES[int(row.argmax())], round(float(row.max()) / sizes[int(cid)], 3))
        for cid, row in zip(ids, table, strict=True)
    }


def cluster_detail(catalogue: Catalogue, cluster_id: int) -> ClusterDetail:
    """One cluster's members, most typical first."""
    if cluster_id not in catalogue.cluster_labels:
        raise EngineError(f"no cluster {cluster_id} (the clusters list shows them)")
    rows = catalogue.cluster_rows(cluster_id)
    members = [
        ClusterMember(
            rank=rank,
            path=display_path(catalogue.paths[row]),
            path_bytes=path_bytes(catalogue.paths[row]),
            duration=round(float(catalogue.durations[row]), 4),
            typicality=round(float(catalogue.typicality[row]), 4),
            category=catalogue.category_of(row),
            category_source=catalogue.category_source(row),
        )
        for rank, row in enumerate(rows, start=1)
    ]
    return ClusterDetail(
        id=cluster_id,
        label=catalogue.cluster_labels[cluster_id],
        size=len(members),
        members=members,
    )
