"""Similar sounds and cluster-mates, answered from a catalogue snapshot.

Pure functions of an immutable :class:`~..index.catalogue.Catalogue` (plus, for a file
outside the library, decoding it): no index access, so the OSC bridge can answer
from any thread while a rescan builds the next snapshot.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from ..errors import EngineError, NotInLibraryError
from ..index.catalogue import Catalogue
from ..paths import display_path, path_bytes, real_path, to_bytes
from ..reports import (
    MatesResult,
    Neighbour,
    SimilarResult,
)
from . import copy_groups
from .duplicates import DUPLICATE_DISTANCE, raw_distances

MAX_K = 1000
#: Query expansion. One recording's snare is near other snares, but also near the colour of its
#: own kit; what its few nearest sounds have in common is mostly the instrument. So a search
#: ranks the nearest POOL_FACTOR * k sounds (at least POOL_MIN; :func:`_ranked`) by their
#: distance from the query less EXPAND_WEIGHT times how much nearer than the query they are
#: to the centre of its EXPAND_NEIGHBOURS nearest distinct sounds (:func:`_score`). Chosen on
#: the acoustic training kits the networks never saw (cross-kit P@10 0.821 -> 0.833; flat for
#: 3-5 neighbours, weights 0.5-1 and pools of 2k and more), then measured once on
#: hydrogen-drumkits (docs/model.md, "Query expansion").
EXPAND_NEIGHBOURS = 3
#: At most 1: by the triangle inequality a sound at distance d from the query then scores
#: between (1 - EXPAND_WEIGHT) * d and (1 + EXPAND_WEIGHT) * d, so an identical file still
#: scores 0 and a copy comes before any sound more than three times farther (at 0.5).
EXPAND_WEIGHT = 0.5
POOL_FACTOR, POOL_MIN = 2, 20
#: What ``kind`` may ask: the query's own kind (a loop finds loops, a one-shot finds
#: one-shots), one of them, or any sound.
KINDS = ("same", "one-shot", "loop", "any")


def similar(
    catalogue: Catalogue, file: str | os.PathLike | bytes, k: int = 10, **filters
) -> SimilarResult:
    """The ``k`` sounds of the library most like ``file``, nearest first, as a report
    (each neighbour with its aspects); ``filters`` as :func:`nearest` takes them."""
    found = nearest(catalogue, file, k, **filters)
    return SimilarResult.model_construct(
        query=display_path(found.path),
        in_library=found.row is not None,
        neighbours=neighbours(catalogue, found.z, found.rows, found.distances),
        category=found.category[0],
        category_confidence=found.category[1],
        category_source=(None if found.category[0] is None else
                         catalogue.category_source(found.row) if found.row is not None
                         else "model"),
    )


class Nearest(NamedTuple):
    """What a search found, before any report is made of it: the query's path, standardised
    vector, row (None outside the library) and (category, confidence); the rows found and
    their distances, nearest first."""

    path: bytes
    z: np.ndarray
    row: int | None
    category: tuple[str | None, float | None]
    rows: np.ndarray
    distances: np.ndarray


class Row(NamedTuple):
    """One result as a client that sends it on needs it (the OSC bridge): no aspects."""

    rank: int
    path: str
    path_bytes: str | None
    distance: float
    cluster: int | None
    category: str | None
    category_source: str | None


def nearest(
    catalogue: Catalogue,
    file: str | os.PathLike | bytes,
    k: int = 10,
    *,
    other_folders: bool = False,
    under: str | os.PathLike | None = None,
    min_duration: float | None = None,
    max_duration: float | None = None,
    no_duplicates: bool = False,
    weights: Mapping[str, float] | None = None,
    category: str | None = None,
    kind: str = "same",
) -> Nearest:
    """The ``k`` sounds of the library most like ``file``, nearest first, without a report:
    the OSC bridge sends each row on as it is, and a :class:`~..reports.Neighbour` (its
    aspects measured, a model validated) would cost a request more than reading and
    answering it (:func:`similar` makes the report).

    ``other_folders`` leaves out the query's own pack (its top folder under a
    library root); ``under`` keeps results below a folder; durations bound the
    results' length in seconds; ``no_duplicates`` drops copies of the query and
    of better-ranked results; ``weights`` leans the metric per aspect; ``category``
    keeps only sounds of one instrument category.

    ``kind`` (one of :data:`KINDS`) keeps loops with loops: a drum loop's nearest sounds by
    its first hit are one-shots of that drum, which is not what someone who plays a loop
    asks for, and a kick's search should not end on a loop that starts with a kick. With
    ``same`` (and no ``category``) the query's kind comes first and the other kind fills in
    only where the library holds fewer than ``k`` of its own.

    The nearest sounds are then ranked, and their distances told, with what the query's
    nearest few have in common counted in (see EXPAND_NEIGHBOURS): nearest first.
    """
    if not 1 <= k <= MAX_K:
        raise EngineError(f"k must be between 1 and {MAX_K}")
    if kind not in KINDS:
        raise EngineError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    path, z, row, query_category = query_vector(catalogue, file)
    allowed = np.ones(catalogue.size, dtype=bool)
    if row is not None:
        allowed[row] = False
    if other_folders:
        allowed &= catalogue.packs != catalogue.pack_of(
            path if row is None else catalogue.paths[row])  # the stored path: roots are real
    if under is not None:
        allowed &= catalogue.rows_under(real_path(under))  # roots are real paths
    if min_duration is not None:
        allowed &= catalogue.durations >= min_duration
    if max_duration is not None:
        allowed &= catalogue.durations <= max_duration
    if category is not None:
        allowed &= catalogue.rows_of_category(category)
    loops = catalogue.loops
    expand = _expands(catalogue, weights)
    if kind == "same" and category is None and loops is not None:
        own = loops if query_category[0] == "loop" else ~loops
        rows, distances, centre = _ranked(catalogue, z, k, allowed & own, weights,
                                          no_duplicates, row, expand)
        if len(rows) < k:  # too few of its own kind: the nearest of the other kind follow
            more, further, _ = _ranked(catalogue, z, k - len(rows), allowed & ~own, weights,
                                       no_duplicates, row, expand, centre)
            rows, distances = np.concatenate([rows, more]), np.concatenate([distances, further])
    else:
        if kind in ("one-shot", "loop") and loops is not None:
            allowed &= loops if kind == "loop" else ~loops
        rows, distances, _ = _ranked(catalogue, z, k, allowed, weights, no_duplicates, row,
                                     expand)
    return Nearest(path, z, row, query_category, rows, distances)


def _expands(catalogue: Catalogue, weights: Mapping[str, float] | None) -> bool:
    """Whether a search is expanded: in the default metric of a learned embedding, where it
    was measured (aspect weights, or a hand-made descriptor, rank by distance alone)."""
    index = catalogue.index
    if not index.learned or not EXPAND_NEIGHBOURS:
        return False
    w = index.dimension_weights(weights)
    return w is None or np.array_equal(w, index.base_weights)


def _centre(catalogue: Catalogue, z: np.ndarray, rows: np.ndarray,
            distinct: bool) -> np.ndarray | None:
    """The centre of the query's EXPAND_NEIGHBOURS nearest ``rows`` that are not copies of
    it or of each other (a sound held in ten packs is not the shared instrument, and adding
    copies to a library moves no sound's neighbours), as a query vector: the embedding at
    the length of ``z``'s, ``z``'s hand-made numbers. None without such rows."""
    if not len(rows):
        return None
    taken = rows[:EXPAND_NEIGHBOURS] if distinct else rows[
        _leave_out_copies(catalogue, z, rows, EXPAND_NEIGHBOURS)]
    if not len(taken):
        return None
    width = catalogue.index.learned
    # In double precision, the sum of a few single-precision rows is exact: the same centre
    # whichever copies of them, in whichever order, a search found.
    mean = catalogue.index.rows(taken, width).astype(np.float64).mean(axis=0)
    length = float(np.linalg.norm(mean))
    if length == 0:
        return None
    centre = np.array(z, dtype=np.float32)
    centre[:width] = mean * (float(np.linalg.norm(centre[:width])) / length)
    return centre


def _ranked(catalogue: Catalogue, z: np.ndarray, k: int, allowed: np.ndarray, weights,
            no_duplicates: bool, row: int | None, expand: bool,
            centre: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The ``k`` results among ``allowed``, their distances and the expansion's centre (given,
    or found here: None without expansion).

    Expanded, the candidates are the nearest POOL_FACTOR * k sounds (copies kept: one plain
    search) and, when copies are left out, the ``k`` nearest distinct ones too (found as
    without expansion); they are ranked by :func:`_score` and copies left out of that order.
    So a library's copy groups, which only speed up finding the distinct ones, change no
    answer, and a million-sound server pays one plain search more, not a wider search for
    distinct sounds (docs/scale.md)."""
    if not expand:
        rows, distances = _nearest(catalogue, z, k, allowed, weights, no_duplicates, row)
        return rows, distances, None
    pool = max(POOL_FACTOR * k, POOL_MIN)
    rows, distances = catalogue.index.search(z, pool, allowed=allowed)
    if no_duplicates:
        distinct, near = _nearest(catalogue, z, k, allowed, weights, True, row)
        if centre is None:
            centre = _centre(catalogue, z, distinct, distinct=True)
        rows, first = np.unique(np.concatenate([distinct, rows]), return_index=True)
        distances = np.concatenate([near, distances])[first]
    elif centre is None:
        centre = _centre(catalogue, z, rows, distinct=False)
    if centre is None or not len(rows):
        order = np.argsort(distances, kind="stable")
        rows, distances = rows[order], distances[order]
    else:
        score = _score(catalogue, z, centre, rows, distances)
        order = np.argsort(score, kind="stable")
        rows, distances = rows[order], score[order]
    kept = _leave_out_copies(catalogue, z, rows, k) if no_duplicates else slice(0, k)
    return rows[kept], distances[kept], centre


def _score(catalogue: Catalogue, z: np.ndarray, centre: np.ndarray, rows: np.ndarray,
           distances: np.ndarray) -> np.ndarray:
    """``rows``' distances (from ``z``) less EXPAND_WEIGHT times how much nearer than ``z``
    they are to ``centre``: the distance a result shows, as EXPAND_NEIGHBOURS says."""
    width = catalogue.index.learned  # the default metric: the embedding's RMS distance
    from_query = float(np.sqrt(np.mean((centre[:width] - z[:width]) ** 2)))
    toward = catalogue.index.distances(centre, rows) - from_query
    return np.maximum(distances + EXPAND_WEIGHT * toward, 0.0).astype(np.float32)


def result_rows(catalogue: Catalogue, rows, distances) -> list[Row]:
    """The results of :func:`nearest` as :class:`Row` s, with the same values a
    :class:`~..reports.Neighbour` has (``neighbours``)."""
    return [
        Row(rank, display_path(catalogue.paths[row]), path_bytes(catalogue.paths[row]),
            round(float(d), 4), int(catalogue.clusters[row]) or None,
            catalogue.category_of(row), catalogue.category_source(row))
        for rank, (row, d) in enumerate(zip(rows.tolist(), distances.tolist(), strict=True),
                                        start=1)
    ]


def _nearest(catalogue: Catalogue, z, k, allowed, weights, no_duplicates: bool,
             row: int | None = None):
    if not allowed.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if no_duplicates:
        groups = copy_groups.groups_of(catalogue)
        if groups is not None:
            return _nearest_groups(catalogue, groups, z, k, allowed, weights, row)
        return _nearest_distinct(catalogue, z, k, allowed, weights)
    return catalogue.index.search(z, k, weights=weights, allowed=allowed)


def query_vector(
    catalogue: Catalogue, file: str | os.PathLike | bytes
) -> tuple[bytes, np.ndarray, int | None, tuple[str | None, float | None]]:
    """The standardised descriptor of a query, from the library or profiled now (not added),
    its row (None outside the library) and its category with the confidence."""
    path = to_bytes(file)
    row = catalogue.row_of(path)
    if row is not None:
        category = (catalogue.category_of(row), _confidence(catalogue, row))
        return path, catalogue.index.rows(row), row, category
    if not os.path.exists(path):
        raise EngineError(f"no such file: {display_path(path)}")
    if not os.path.isfile(path):
        raise EngineError(f"not a file: {display_path(path)}")
    from ..sound.profiling import STATUS_OK, profile_file  # decoders: for outside files only

    st = os.stat(path)
    profile = profile_file(path, st.st_size, st.st_mtime_ns, catalogue.descriptor)
    if profile.status != STATUS_OK:
        reason = profile.error or "it is silent"
        raise EngineError(f"cannot use {display_path(path)} as a query: {reason}")
    category = (profile.category, profile.category_confidence)
    return path, catalogue.space.standardize(profile.vector), None, category


def _confidence(catalogue: Catalogue, row: int) -> float | None:
    if catalogue.categories[row] < 0:
        return None
    return round(float(catalogue.category_confidence[row]), 3)


def _nearest_distinct(catalogue: Catalogue, z, k, allowed, weights):
    """Nearest rows, skipping copies of the query and of rows already taken."""
    want = k * 3
    while True:
        rows, distances = catalogue.index.search(z, want, weights=weights, allowed=allowed)
        kept = _leave_out_copies(catalogue, z, rows, k)
        if len(kept) == k or len(rows) < want:
            return rows[kept], distances[kept]
        want *= 4


def _nearest_groups(catalogue: Catalogue, groups: copy_groups.CopyGroups, z, k, allowed,
                    weights, row: int | None):
    """:func:`_nearest_distinct` among one row per group of copies (the nearest to ``z`` of
    those ``allowed`` keeps), the query's own group left out: a sound held hundreds of times
    over costs a request one candidate, not hundreds. The same copies are then left out as
    without groups (a group split in two by the group pass still gives one sound)."""
    index = catalogue.index
    w = index.dimension_weights(weights)
    wanted = groups.allowed_groups(allowed)
    if row is not None:
        wanted[groups.group[row]] = False
    if not wanted.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    want = k * 3
    while True:
        found = groups.search(index, z, want, weights, wanted)
        members, place = groups.members(found, allowed)
        if not len(members):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        distances = index.distances(z, members, w)
        # The nearest member of each group: ordered by group, then by distance (then row).
        order = np.lexsort((distances, place))
        first = order[np.r_[True, place[order][1:] != place[order][:-1]]]
        rows, distances = members[first], distances[first]
        order = np.argsort(distances, kind="stable")
        rows, distances = rows[order], distances[order]
        kept = _leave_out_copies(catalogue, z, rows, k)
        if len(kept) == k or len(found) < want:
            return rows[kept], distances[kept]
        want *= 4


def _leave_out_copies(catalogue: Catalogue, z, rows, k) -> list[int]:
    """Places in ``rows`` (nearest first) of the first ``k`` that are neither a copy of the
    query nor of a row kept before them."""
    scale = catalogue.space.scale_
    # A candidate is left out when it is a copy of the query or of a better candidate
    # kept before it, by :func:`raw_distances`. Which candidates may be copies of each other
    # is screened first, all pairs in one product (:func:`_maybe_copies`); only those are
    # measured, from each kept row to the later candidates it may have copies among. The
    # same distances, the same choices, where measuring every later candidate from every
    # kept row took a millisecond of a request at 100,000 sounds.
    skip = catalogue.index.learned
    hand_made = np.asarray(catalogue.index.Z[rows, skip:], dtype=np.float32)
    copy = raw_distances(hand_made, z[skip:], scale[skip:]) <= DUPLICATE_DISTANCE
    maybe = _maybe_copies(hand_made, scale[skip:])
    kept: list[int] = []
    for i in range(len(copy)):
        if copy[i]:
            continue
        kept.append(i)
        if len(kept) == k:
            break
        later = i + 1 + np.flatnonzero(maybe[i, i + 1 :] & ~copy[i + 1 :])
        if len(later):
            copy[later] = raw_distances(hand_made[later], hand_made[i],
                                        scale[skip:]) <= DUPLICATE_DISTANCE
    return kept


def _maybe_copies(hand_made: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``(n, n)``: which pairs of rows may be within DUPLICATE_DISTANCE of each other, from
    their products: every pair that is, and a few more. The squared distance from products
    is off by at most the rounding of a sum of ``dim`` products in single precision (about
    ``dim * 6e-8`` of the rows' squared lengths), so pairs farther than the threshold by more
    than a margin of that and then some are not copies, whatever :func:`raw_distances` finds."""
    scaled = hand_made * scale
    dim = scaled.shape[1]
    squares = np.einsum("ij,ij->i", scaled, scaled, dtype=np.float64)
    d2 = (squares[:, None] + squares[None, :] - 2.0 * (scaled @ scaled.T)) / dim
    margin = 1e-4 * (squares[:, None] + squares[None, :]) / dim + 1e-6
    return d2 <= DUPLICATE_DISTANCE**2 * 1.01 + margin


def neighbours(catalogue: Catalogue, z: np.ndarray, rows, distances) -> list[Neighbour]:
    names = list(catalogue.index.aspects)
    similarity = np.round(catalogue.index.aspect_similarity(z, np.asarray(rows)), 3).tolist()
    return [
        Neighbour.model_construct(
            rank=rank,
            path=display_path(catalogue.paths[row]),
            path_bytes=path_bytes(catalogue.paths[row]),
            distance=round(float(d), 4),
            duration=round(float(catalogue.durations[row]), 4),
            cluster=int(catalogue.clusters[row]) or None,
            aspects=dict(zip(names, similarity[rank - 1], strict=True)),
            category=catalogue.category_of(row),
            category_confidence=_confidence(catalogue, row),
            category_source=catalogue.category_source(row),
        )
        for rank, (row, d) in enumerate(zip(rows, distances, strict=True), start=1)
    ]


def mates(catalogue: Catalogue, file: str | os.PathLike | bytes) -> MatesResult:
    """The other members of a library file's cluster, most similar to it first."""
    path = to_bytes(file)
    row = catalogue.row_of(path)
    if row is None:
        raise NotInLibraryError(
            f"{display_path(path)} is not in the library (scan its folder first, or ask for "
            "similar sounds, which works for any file)"
        )
    cluster_id = int(catalogue.clusters[row])
    if cluster_id == 0:
        raise EngineError(f"{display_path(path)} has no cluster yet (run `soundalike clusters`)")
    allowed = catalogue.clusters == cluster_id
    allowed[row] = False
    z = catalogue.index.rows(row)
    rows, distances = catalogue.index.search(z, max(1, int(allowed.sum())), allowed=allowed)
    return MatesResult(
        query=display_path(path),
        cluster=cluster_id,
        label=catalogue.cluster_labels.get(cluster_id, ""),
        mates=neighbours(catalogue, z, rows, distances),
    )
