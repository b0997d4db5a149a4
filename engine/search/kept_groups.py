"""A server's copy groups, kept beside the index for its next start.

Grouping the copies of a million sounds (:mod:`.copy_groups`) costs one core 35-50 s at
every start of a server: a pass over every sound's neighbours in the library's graph, then
an HNSW graph of the groups' stand-ins. Searches that leave copies out pass over every copy
until it is done, and a laptop in a DAW session spends the core on it each time the DAW
starts the server. The groups depend only on one build of the side files (their rows, their
profiles, the library's graph, kept under the same build: :mod:`..index.graph_file`) and on
the grouping rule (:data:`RULE`), so they are kept under that build: ``library.db.groups``
(the group arrays, a side file with its checksums) and ``library.db.groups.graph`` (the
stand-ins' graph, with its note). Made again when missing, stale (deleted), damaged or made
by another rule; kept only where the library's graph is
(:data:`..index.graph_file.SAVE_FROM` sounds or more, an index this process may write).
"""

from __future__ import annotations

import logging

import numpy as np

from ..index import graph_file, side_files
from ..index.graph_file import STAND_INS, SavedGraph
from ..index.neighbours import NeighbourIndex, RowSubset, ann_available
from .copy_groups import DUPLICATE_DISTANCE, NEIGHBOURS, STAND_IN_GRAPH_FROM, CopyGroups

log = logging.getLogger(__name__)

#: What made the groups: kept groups made by another rule are made again.
RULE = f"distance {DUPLICATE_DISTANCE} neighbours {NEIGHBOURS} graph from {STAND_IN_GRAPH_FROM}"
GROUPS = "groups"


def _where(index: NeighbourIndex):
    """``(the library's kept graph, the groups' side file)``, or None where nothing is kept."""
    library = index.saved_graph
    if library is None or len(index) < graph_file.SAVE_FROM:
        return None
    return library, graph_file.graph_path(library.db_path, GROUPS)


def _stand_ins_graph(library: SavedGraph, rows: int) -> SavedGraph:
    return SavedGraph(library.db_path, library.build, rows, library.dims,
                      writable=library.writable, name=STAND_INS)


def load(index: NeighbourIndex) -> CopyGroups | None:
    """The copy groups kept for ``index``'s build, or None (none kept, stale: deleted, or
    damaged: said in the log)."""
    where = _where(index)
    if where is None:
        return None
    library, path = where
    try:
        meta, arrays = side_files.read_arrays(path)
    except FileNotFoundError:
        return None
    except (side_files.DamagedSideFile, OSError) as exc:
        log.warning("the kept copy groups are damaged (%s): making them again", exc)
        return None
    if meta != {"build": library.build, "rows": len(index), "rule": RULE}:
        if library.writable:
            graph_file.remove(library.db_path, (GROUPS, STAND_INS))
        return None
    group, order, starts = arrays["group"], arrays["order"], arrays["starts"]
    if len(group) != len(index) or len(order) != len(index) or not len(starts):
        log.warning("the kept copy groups do not fit the library: making them again")
        return None
    firsts = np.asarray(order[starts[:-1]], dtype=np.int64)
    graph = None
    if len(firsts) >= STAND_IN_GRAPH_FROM and ann_available():
        graph = _stand_ins_graph(library, len(firsts)).load()
        if graph is None:
            return None
    return CopyGroups(group, order, starts, RowSubset(index, firsts, built=graph))


def save(index: NeighbourIndex, groups: CopyGroups) -> None:
    """Keep ``groups`` (made from ``index``) for the next start; a disk that cannot take them
    is said in the log."""
    where = _where(index)
    if where is None or not where[0].writable:
        return
    library, path = where
    try:
        side_files.write_arrays(path, {"build": library.build, "rows": len(index), "rule": RULE},
                                {"group": groups.group, "order": groups.order,
                                 "starts": groups.starts})
    except OSError as exc:
        log.warning("cannot keep the copy groups in %s: %s", path, exc)
        return
    graph = groups.stand_ins._graph
    if graph is not None:
        _stand_ins_graph(library, len(groups.stand_ins)).save(graph)
