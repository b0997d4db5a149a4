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
from ..index.graph_file import STAND_INS, UPDATE_MOST, SavedGraph, rows_of
from ..index.neighbours import NeighbourIndex, RowSubset, ann_available
from .copy_groups import (
    DUPLICATE_DISTANCE,
    NEIGHBOURS,
    STAND_IN_GRAPH_FROM,
    CopyGroups,
    linked_groups,
)
from .duplicates import close_pairs

log = logging.getLogger(__name__)

#: What made the groups: kept groups made by another rule are made again.
RULE = (f"distance {DUPLICATE_DISTANCE} neighbours {NEIGHBOURS} graph from "
        f"{STAND_IN_GRAPH_FROM}, file ids kept")
GROUPS = "groups"


def _where(index: NeighbourIndex):
    """``(the library's kept graph, the groups' side file)``, or None where nothing is kept."""
    library = index.saved_graph
    if library is None or len(index) < graph_file.SAVE_FROM:
        return None
    return library, graph_file.graph_path(library.db_path, GROUPS)


def _stand_ins_graph(library: SavedGraph, firsts: np.ndarray) -> SavedGraph:
    """Where the graph of the stand-ins ``firsts`` (ascending rows) is kept: mapped by their
    files, as the library's graph is, so that it too is brought up to date."""
    return SavedGraph(library.db_path, library.build, len(firsts), library.dims,
                      writable=library.writable, name=STAND_INS, space=library.space,
                      file_ids=library.file_ids[firsts])


def _expected(index: NeighbourIndex, library: SavedGraph) -> dict:
    return {"build": library.build, "rows": len(index), "rule": RULE, "space": library.space}


def load(index: NeighbourIndex, scale: np.ndarray | None = None,
         same_files: tuple | None = None) -> CopyGroups | None:
    """The copy groups kept for ``index``'s build; or those kept for the build before, brought
    up to date where this process brought the library's graph up to date (``scale``, and
    ``same_files``: the catalogue's copies of one file, to place the new sounds); or None
    (none kept, stale: deleted, or damaged: said in the log)."""
    where = _where(index)
    if where is None or index.saved_graph.file_ids is None:
        return None
    library, path = where
    try:
        meta, arrays = side_files.read_arrays(path)
    except FileNotFoundError:
        return None
    except (side_files.DamagedSideFile, OSError) as exc:
        log.warning("the kept copy groups are damaged (%s): making them again", exc)
        return None
    expected = _expected(index, library)
    if meta != expected:
        refreshed = getattr(index._graph, "refreshed", None)
        updated = None
        if (refreshed is not None and scale is not None and "file_ids" in arrays
                and all(meta.get(k) == expected[k] for k in ("rule", "space"))):
            updated = _update(index, library, arrays, refreshed, scale, same_files)
        if updated is None and library.writable:
            graph_file.remove(library.db_path, (GROUPS, STAND_INS))
        elif updated is not None:
            save(index, updated)
        return updated
    group, order, starts = arrays["group"], arrays["order"], arrays["starts"]
    if len(group) != len(index) or len(order) != len(index) or not len(starts):
        log.warning("the kept copy groups do not fit the library: making them again")
        return None
    firsts = np.asarray(order[starts[:-1]], dtype=np.int64)
    graph = None
    if len(firsts) >= STAND_IN_GRAPH_FROM and ann_available():
        graph = _stand_ins_graph(library, firsts).load()
        if graph is None:
            return None
    return CopyGroups(group, order, starts, RowSubset(index, firsts, built=graph))


def _update(index: NeighbourIndex, library: SavedGraph, arrays: dict, refreshed: np.ndarray,
            scale: np.ndarray, same_files: tuple | None) -> CopyGroups | None:
    """The groups kept for the build before, for this one: sounds gone leave their groups,
    sounds new or changed (``refreshed``) join the groups of their near copies among their
    neighbours in the graph (and of their copies of one file), or make groups of their own;
    the stand-ins' graph is brought up to date as the library's was. None (make them anew)
    where more than :data:`UPDATE_MOST` of the library is new or changed."""
    n = len(index)
    if len(refreshed) > UPDATE_MOST * n:
        return None
    now = rows_of(np.asarray(arrays["file_ids"]), library.file_ids)  # old row -> row
    kept = now >= 0
    group = np.full(n, -1, dtype=np.int64)
    group[now[kept]] = np.asarray(arrays["group"])[kept]
    group[refreshed] = -1  # a changed sound leaves its group; a new one has none yet
    grouped = np.flatnonzero(group >= 0)
    first_of_group = np.full(int(group.max(initial=-1)) + 1, n, dtype=np.int64)
    np.minimum.at(first_of_group, group[grouped], grouped)
    # every grouped sound linked to its group's first; the refreshed to their near copies
    links = [(grouped, first_of_group[group[grouped]])]
    if len(refreshed):
        nearest = index.graph_neighbours(refreshed, NEIGHBOURS)
        near_first, near_second, _ = close_pairs(index, scale, refreshed, nearest,
                                                 DUPLICATE_DISTANCE)
        links.append((near_first, near_second))
        if same_files is not None:
            file_group, file_order, file_starts = same_files
            links.append((refreshed, file_order[file_starts[file_group[refreshed]]]))
    group, order, starts = linked_groups(np.concatenate([a for a, _ in links]),
                                         np.concatenate([b for _, b in links]), n)
    firsts = order[starts[:-1]]
    built = None
    if len(firsts) >= STAND_IN_GRAPH_FROM and ann_available():
        built = _stand_ins_graph(library, firsts).load(index._E_given[firsts])
    log.info("the kept copy groups brought up to date: %s sounds new or changed",
             f"{len(refreshed):,}")
    return CopyGroups(group, order, starts,
                      RowSubset(index, firsts, built=built, threads=1,
                                graph=len(firsts) >= STAND_IN_GRAPH_FROM and ann_available()))


def save(index: NeighbourIndex, groups: CopyGroups) -> None:
    """Keep ``groups`` (made from ``index``) for the next start; a disk that cannot take them
    is said in the log."""
    where = _where(index)
    if where is None or not where[0].writable:
        return
    library, path = where
    if library.file_ids is None:
        return
    try:
        side_files.write_arrays(path, _expected(index, library),
                                {"group": groups.group, "order": groups.order,
                                 "starts": groups.starts, "file_ids": library.file_ids})
    except OSError as exc:
        log.warning("cannot keep the copy groups in %s: %s", path, exc)
        return
    graph = groups.stand_ins._graph
    if graph is not None and graph.origin == "built":  # (brought up to date: saved then)
        _stand_ins_graph(library, groups.stand_ins.rows).save(graph)
