"""Nearest-neighbour search over the library, exact or approximate, with aspect weights.

Distances are measured on standardised descriptors ``Z`` and reported as the
root-mean-square difference per dimension (0 = identical; two unrelated
sounds are typically 1-1.5 apart). Candidates are found in the compact
embedding ``E`` (exactly with one matrix product, or with an HNSW graph from
the optional ``voyager`` package for very large libraries) and then re-ranked
exactly in ``Z``, so both paths report the same distances.

Aspect weights lean the metric: ``{"attack": 2}`` counts differences in the
attack twice. Weighted searches run exactly on ``Z``, with a matrix product
that needs no per-query copy of the library.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping

import numpy as np

from ..errors import EngineError
from .side_files import let_go, will_read

log = logging.getLogger(__name__)

#: Libraries at least this large use the approximate index when voyager is installed, once
#: an index has answered GRAPH_AFTER queries (a server: see :class:`NeighbourIndex`).
APPROXIMATE_FROM = 200_000
GRAPH_AFTER = 16
#: The search breadth while a library's HNSW graph is built.
GRAPH_EF_CONSTRUCTION = 120
#: The map's neighbours come from a graph from this many sounds (with voyager).
MAP_GRAPH_FROM = 5000
#: Rows added to an HNSW graph at a time.
GRAPH_BLOCK = 65_536
#: Rows converted to single precision at a time, when a search reads the whole library.
BLOCK = 16384
#: Candidates re-ranked exactly per result asked for.
RERANK_FACTOR = 4
RERANK_MIN = 64
#: Candidates the HNSW graph is asked for at most in one search; beyond, an exact scan
#: answers (:meth:`HnswGraph.nearest`). A graph search costs about its candidates' count:
#: at a million rows of 32 numbers, one thread, 1,024 took 3 ms, 4,096 11 ms and 8,192
#: 21 ms, where the exact scan took 15-16 ms whatever the count.
GRAPH_MOST = 4096
#: Below this share of the rows kept by a filter, an exact search reads only the rows kept.
FEW_ALLOWED = 0.5


class IndexClosed(Exception):
    """The index was closed (:meth:`NeighbourIndex.close`) while something was being made
    from it in the background: a graph, or its copy groups."""


def ann_available() -> bool:
    """Whether the optional HNSW library (``pip install 'soundalike[ann]'``) is installed."""
    try:
        import voyager  # noqa: F401
    except ImportError:
        return False
    return True


def squared_norms(E: np.ndarray) -> np.ndarray:
    """``|E[i]|^2`` of every row of an embedding as stored (any float type), a block at a
    time (as :meth:`NeighbourIndex._products` reads it)."""
    out = np.empty(len(E), dtype=np.float32)
    for start in range(0, len(E), BLOCK):
        block = np.asarray(E[start : start + BLOCK], dtype=np.float32)
        out[start : start + len(block)] = np.einsum("ij,ij->i", block, block)
    return out


class NeighbourIndex:
    """Search over ``n`` sounds: standardised vectors ``Z``, their embedding ``E = Z @ P.T``.

    ``components`` is ``P``, to embed query vectors the same way.
    """

    def __init__(
        self,
        Z: np.ndarray,
        E: np.ndarray,
        components: np.ndarray,
        aspects: Mapping[str, list[int]],
        *,
        approximate: bool | None = None,
        threads: int = 1,
        learned: int = 0,
        e_sq: np.ndarray | None = None,
        saved_graph=None,
    ):
        # Half precision stays as it is (a memory-mapped side file: rows are read, and made
        # single precision, only when a search needs them).
        self.Z = Z if Z.dtype == np.float16 else np.ascontiguousarray(Z, dtype=np.float32)
        #: Leading dimensions that are a learned embedding: distances are measured there
        #: unless aspect weights lean them (the hand-made dimensions then join in).
        self.learned = learned
        self.base_weights: np.ndarray | None = None
        if learned:
            self.base_weights = np.zeros(self.Z.shape[1], dtype=np.float32)
            self.base_weights[:learned] = 1.0
        # The embedding as given (half precision in a memory-mapped side file): a command's
        # one query reads it a block at a time; a single-precision copy (4 bytes a number:
        # 192 MB at a million sounds) is made for an index that keeps answering (a server,
        # from its GRAPH_AFTER-th query) or for whatever reads the whole of ``E``.
        self._E_given = E
        self._E32 = (E if E.dtype == np.float32 and E.flags.c_contiguous
                     and E.flags.writeable else None)
        self.components = np.ascontiguousarray(components, dtype=np.float32)  # (k, dim)
        #: What the stages above compute from these rows once (a server's copy groups: see
        #: :mod:`..search.copy_groups`): it lives as long as this index, the snapshot of the
        #: library it was computed on. Held here, not in a table keyed by the index, so a
        #: rescan's old snapshot goes with everything made from it.
        self.derived: dict[str, object] = {}
        self.aspects = {name: np.asarray(idx, dtype=np.int64) for name, idx in aspects.items()}
        self.e_sq = squared_norms(E) if e_sq is None else e_sq
        self._aspect_sq = None  # (n, aspects) squared norms, built for the first weighted search
        self._aspect_mean = None  # (dim, aspects) averaging matrix
        n = len(self.Z)
        #: Where this library's graph is kept between processes (a
        #: :class:`.graph_file.SavedGraph`; None: built by every process that needs it).
        self.saved_graph = saved_graph
        self._graph: HnswGraph | None = None
        #: Set by :meth:`close`: what is made from this index in the background stops.
        self.closing = threading.Event()
        #: Each thread's last pass over every row (see :meth:`_to_every_row`).
        self._last_pass = threading.local()
        self._threads = threads
        self._queries = 0
        self._building: threading.Thread | None = None
        #: None: a graph is built, in the background, once this index has answered
        #: GRAPH_AFTER queries (a server), never for a command's one query (exact search
        #: answers it in milliseconds, where building the graph would take minutes at 1M).
        self._auto = approximate is None and n >= APPROXIMATE_FROM and ann_available()
        if approximate and n > 0:
            self._graph = self._build_graph(threads)

    def __len__(self) -> int:
        return len(self.Z)

    @property
    def E(self) -> np.ndarray:
        """The compact embedding in single precision, ``(n, k)`` (made on first use; once
        the HNSW graph is built, made again for each caller, not kept)."""
        E32 = self._E32
        if E32 is None:
            E32 = np.ascontiguousarray(self._E_given, dtype=np.float32)
            if self._graph is None:  # kept for the exact searches to come (see _products)
                self._E32 = E32
        return E32

    def _products(self, e: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """``E @ e`` for every row (or for ``rows``, increasing): from the single-precision
        copy once there is one, else from the embedding as given, a block of rows at a time
        (no copy of it all), whose pages leave the process once read (a side file's: 96 MB at
        a million sounds that a server's exact searches would otherwise hold, at its peak,
        beside the graph being built)."""
        E32 = self._E32
        given = self._E_given
        if rows is not None:
            if E32 is not None:
                return E32[rows] @ e
            out = np.empty(len(rows), dtype=np.float32)
            for start in range(0, len(rows), BLOCK):
                chunk = rows[start : start + BLOCK]
                block = np.asarray(given[chunk], dtype=np.float32)
                out[start : start + len(block)] = block @ e
                let_go(given, int(chunk[0]), int(chunk[-1]) + 1)
            return out
        if E32 is not None:
            return E32 @ e
        if self._graph is None and self._queries > GRAPH_AFTER:
            return self.E @ e
        out = np.empty(len(given), dtype=np.float32)
        will_read(given)
        for start in range(0, len(given), BLOCK):
            block = np.asarray(given[start : start + BLOCK], dtype=np.float32)
            out[start : start + len(block)] = block @ e
            let_go(given, start, start + len(block))
        return out

    @property
    def approximate(self) -> bool:
        return self._graph is not None

    def _build_graph(self, threads: int) -> HnswGraph:
        """The library's graph: the one saved by an earlier process when there is one for
        these rows (a fraction of a second), else built here (minutes at a million sounds)
        and saved for the next."""
        if not ann_available():
            raise EngineError("approximate search needs voyager: pip install 'soundalike[ann]'")
        started = time.perf_counter()
        graph = (self.saved_graph.load(self._E_given, threads=threads)
                 if self.saved_graph is not None else None)
        if graph is None:
            graph = HnswGraph(self.E, ef_construction=GRAPH_EF_CONSTRUCTION, threads=threads,
                              stop=self.closing)
            if self.saved_graph is not None:
                self.saved_graph.save(graph)
        log.info("neighbour graph of %s sounds ready in %.1f s (%s)", f"{len(self.Z):,}",
                 time.perf_counter() - started, graph.origin)
        return graph

    def every_neighbour(self, k: int, *, threads: int = -1) -> np.ndarray:
        """:func:`all_neighbours` of the library's embedding (the map's): from the library's
        graph, kept or made on ``threads`` threads, where :func:`all_neighbours` would build
        one (from :data:`MAP_GRAPH_FROM` sounds, with voyager)."""
        if len(self.Z) > MAP_GRAPH_FROM and ann_available():
            # not kept on the index: a map needs it once (340 MB at a million sounds)
            graph = self._graph or self._build_graph(threads)
            return all_neighbours(self._E_given, k, graph=graph)
        return all_neighbours(self.E, k)

    # --- weights ---

    def dimension_weights(self, weights: Mapping[str, float] | None) -> np.ndarray | None:
        """Per-dimension weights from aspect weights (``None`` for the default metric).

        With a learned embedding, the default metric is the embedding's distance alone (the
        ``sound`` aspect, weight 1) and the hand-made aspects weigh 0: ``{"attack": 2}``
        adds their attack difference, twice as much per number as the embedding's, and
        ``{"sound": 0, "attack": 1}`` compares attacks alone.
        """
        if not weights or (self.base_weights is None and all(w == 1 for w in weights.values())):
            return None
        unknown = set(weights) - set(self.aspects)
        if unknown:
            known = ", ".join(self.aspects) or "none for this descriptor"
            raise EngineError(f"unknown aspect {sorted(unknown)[0]!r} (aspects: {known})")
        if any(w < 0 for w in weights.values()):
            raise EngineError("aspect weights cannot be negative")
        if self.base_weights is not None:
            w = self.base_weights.copy()
        else:
            w = np.ones(self.Z.shape[1], dtype=np.float32)
        for name, value in weights.items():
            w[self.aspects[name]] = value
        if w.sum() <= 0:
            raise EngineError("at least one aspect needs a weight above 0")
        return w

    # --- search ---

    def search(
        self,
        z: np.ndarray,
        k: int,
        *,
        weights: Mapping[str, float] | None = None,
        allowed: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the ``k`` nearest sounds to ``z`` and their distances, nearest first.

        ``allowed`` is a boolean mask of rows that may be returned.
        """
        n = len(self.Z)
        if n == 0 or k <= 0:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        z = np.asarray(z, dtype=np.float32)
        w = self.dimension_weights(weights)
        if allowed is not None and not allowed.any():
            return np.empty(0, np.int64), np.empty(0, np.float32)
        if w is not None:
            candidates = self._weighted_candidates(z, w, k, allowed)
        else:
            candidates = self._candidates(z, max(k * RERANK_FACTOR, RERANK_MIN), allowed)
        distances = self.distances(z, candidates, w)
        order = np.argsort(distances, kind="stable")[:k]
        return candidates[order], distances[order]

    def _count_query(self) -> None:
        self._queries += 1
        if self._auto and self._building is None and self._queries >= GRAPH_AFTER:
            self._building = threading.Thread(target=self._build_in_background,
                                              name="HNSW graph", daemon=True)
            self._building.start()

    def close(self, timeout: float = 30.0) -> None:
        """Stop what is being made from this index in the background (its graph, its copy
        groups: between two blocks of rows), wait for it, and let go of its graphs; it then
        answers exactly, as a command does. For a server that stops: a voyager graph still
        alive when Python exits makes nanobind print a leak report on stderr, which a DAW
        shows its user line by line."""
        self.closing.set()
        workers = [self._building, *(v for v in self.derived.values()
                                     if isinstance(v, threading.Thread))]
        for worker in workers:
            if worker is not None and worker is not threading.current_thread():
                worker.join(timeout)
        self._graph = None
        self.derived.clear()

    def _build_in_background(self) -> None:
        try:
            graph = self._build_graph(self._threads)
        except IndexClosed:
            return
        self._graph = graph  # one assignment: queries see it whole
        if self._E32 is not self._E_given:
            # The graph holds its own copy of the embedding: the single-precision one made for
            # the exact searches while it was built goes (192 MB at a million sounds). What the
            # graph cannot answer (a filter keeping few sounds) reads the stored embedding a
            # block at a time, as a command's one query does.
            self._E32 = None

    def _candidates(self, z: np.ndarray, m: int, allowed: np.ndarray | None) -> np.ndarray:
        self._count_query()
        e = self.components @ z
        if self._graph is not None:
            found = self._graph.candidates(e, m, allowed)
            if found is not None:
                return found
        if allowed is not None and _share(allowed) < FEW_ALLOWED:
            # A filter that keeps few rows (a loop's search keeps the loops; a category, a
            # folder): only those are read, not every row of the library (a million sounds'
            # embedding converted a block at a time: 90 ms a request).
            rows = np.flatnonzero(allowed)
            d2 = self.e_sq[rows] - 2.0 * self._products(e, rows)
            return rows[_smallest(d2, m, None)]
        return _smallest(self._to_every_row(e), m, allowed)

    def _to_every_row(self, e: np.ndarray) -> np.ndarray:
        """Every row's squared distance to ``e`` in the embedding, less ``|e|^2`` (the same
        for every row). A thread's last one is kept: a request that ranks by its neighbours
        (similar's expansion) asks twice with the same vector, for its pool and for its
        distinct sounds, and each pass reads every row (0.4 of a request's 2.8 ms of CPU in
        a library of 30,000 sounds without copy groups, more in a larger one)."""
        key = e.tobytes()
        last = getattr(self._last_pass, "value", None)
        if last is not None and last[0] == key:
            return last[1]
        d2 = self.e_sq - 2.0 * self._products(e)
        self._last_pass.value = (key, d2)
        return d2

    def neighbours_of(self, start: int, stop: int, k: int, *, graph: bool = False,
                      threads: int = 1) -> np.ndarray:
        """The ``k`` nearest other rows, in the embedding, of each of the rows ``start`` to
        ``stop``, shape ``(stop - start, k)``, in no particular order.

        Exact (one product with the whole embedding); with ``graph`` and the HNSW graph built,
        from the graph (``threads`` at a time), which costs little per row where the exact
        pass over a million rows would cost a product of a million by a million."""
        k = min(k, len(self.Z) - 1)
        rows = np.arange(start, stop)
        if graph and self._graph is not None:
            return self.graph_neighbours(rows, k, threads=threads)
        block = self.E[start:stop]
        d2 = self.e_sq[None, :] - 2.0 * (block @ self.E.T)
        d2[np.arange(len(rows)), rows] = np.inf
        return np.argpartition(d2, k - 1, axis=1)[:, :k]

    def graph_neighbours(self, rows: np.ndarray, k: int, *, threads: int = 1) -> np.ndarray:
        """The ``k`` nearest other rows of each of ``rows`` (any rows), from the HNSW graph
        (built), shape ``(len(rows), k)``."""
        k = min(k, len(self.Z) - 1)
        rows = np.asarray(rows, dtype=np.int64)
        block = np.asarray(self._E_given[rows], dtype=np.float32)
        found = self._graph.query(block, k=k + 1, ef=max(32, 2 * k + 1),
                                  threads=threads).reshape(len(rows), k + 1)
        return _others(found, rows, k)

    def distances(self, z: np.ndarray, rows: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
        """Exact RMS distances from ``z`` to ``rows`` in the standardised space."""
        z = np.asarray(z, dtype=np.float32)
        rows = np.asarray(rows)
        if len(rows) > BLOCK:  # a block at a time: no single-precision copy of the library
            first, last = int(rows.min()), int(rows.max()) + 1
            will_read(self.Z, first, last)
            found = np.concatenate([self.distances(z, rows[start : start + BLOCK], w)
                                    for start in range(0, len(rows), BLOCK)])
            let_go(self.Z, first, last)  # so many profiles' pages: not kept until the next
            return found
        if w is None and self.learned:
            diff = self.rows(rows, self.learned) - z[: self.learned]
            return np.sqrt(np.einsum("ij,ij->i", diff, diff) / self.learned)
        diff = self.rows(rows) - z
        if w is None:
            return np.sqrt(np.einsum("ij,ij->i", diff, diff) / self.Z.shape[1])
        return np.sqrt((diff * diff) @ w / w.sum())

    def distances_to_all(self, queries: np.ndarray) -> np.ndarray:
        """The default metric's distances (as :meth:`distances` measures them) from each of
        ``queries`` (``(q, dim)``) to every row, shape ``(q, n)``.

        One pass over the library in slices (a few thousand rows, made single precision
        once for every query): no gather of every row's copy as ``distances(z, all rows)``
        would make, once per query. Each slice's pages leave the process once read
        (:meth:`blocks`)."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        width = self.learned or self.Z.shape[1]
        out = np.empty((len(queries), len(self.Z)), dtype=np.float32)
        for start, block in self.blocks(width):
            for i, z in enumerate(queries):
                diff = block - z[:width]
                out[i, start : start + len(block)] = np.sqrt(
                    np.einsum("ij,ij->i", diff, diff) / width)
        return out

    def let_go(self) -> None:
        """The pages of the profiles read so far leave this process (:func:`let_go`): for a
        server, whose requests read candidates' profiles all over the file."""
        let_go(self.Z)

    def rows(self, rows, width: int | None = None) -> np.ndarray:
        """Standardised vectors of ``rows`` (their first ``width`` numbers), single precision."""
        block = self.Z[rows] if width is None else self.Z[rows, :width]
        return np.asarray(block, dtype=np.float32)

    def means_by(self, *groupings: tuple[np.ndarray, int, int]) -> list[np.ndarray]:
        """Mean vectors of groups of rows, for each ``(group of every row, groups, first
        column)`` asked: ``(groups, columns from the first)`` in double precision, the rows
        of each group ``0..groups-1`` averaged. One pass
        over the vectors in the order they are stored, a block at a time, whatever the
        groups: read group by group, a million sounds' vectors come from the disk a page per
        row, and a block's pages leave this process once summed."""
        dim = self.Z.shape[1]
        sums = [np.zeros((count, dim - first)) for _, count, first in groupings]
        read = min((first for _, _, first in groupings), default=0)  # none before: not summed
        for start in range(0, len(self.Z), BLOCK):
            stop = min(len(self.Z), start + BLOCK)
            will_read(self.Z, start, stop)
            block = np.asarray(self.Z[start:stop, read:], dtype=np.float64)
            for total, (group, _, first) in zip(sums, groupings, strict=True):
                owners = group[start:stop]
                order = np.argsort(owners, kind="stable")
                present, at = np.unique(owners[order], return_index=True)
                total[present] += np.add.reduceat(block[order, first - read :], at, axis=0)
            let_go(self.Z, start, stop)
        return [total / np.maximum(np.bincount(group, minlength=count), 1)[:, None]
                for total, (group, count, _) in zip(sums, groupings, strict=True)]

    def blocks(self, width: int | None = None):
        """``(start, Z[start:stop, :width])`` in single precision, a few thousand rows at a
        time: a pass over every profile (a kit's distances, a weighted search). Each block is
        a copy, and the pages it came from leave the process once it is made (:func:`let_go`):
        the profiles sit row by row, so even a pass over the embedding alone reads every page
        of the file (1.3 GB at a million sounds), which would otherwise stay counted in the
        memory of the command that read it."""
        will_read(self.Z)
        for start in range(0, len(self.Z), BLOCK):
            stop = min(len(self.Z), start + BLOCK)
            block = np.array(self.Z[start:stop, :width], dtype=np.float32)
            let_go(self.Z, start, stop)
            yield start, block

    def aspect_similarity(self, z: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Per row and aspect, how alike to ``z``: 1 = identical, about 0.3 = unrelated.

        Shape ``(len(rows), len(aspects))``, aspects in declaration order.
        """
        if not self.aspects:
            return np.empty((len(rows), 0), np.float32)
        if self._aspect_mean is None:
            mean = np.zeros((self.Z.shape[1], len(self.aspects)), dtype=np.float32)
            for column, idx in enumerate(self.aspects.values()):
                mean[idx, column] = 1.0 / len(idx)
            self._aspect_mean = mean
        diff = self.rows(rows) - np.asarray(z, dtype=np.float32)
        return np.exp(-np.sqrt((diff * diff) @ self._aspect_mean))

    def _weighted_candidates(self, z, w, k, allowed) -> np.ndarray:
        """Candidates by the weighted distance ``sum_a w_a |x_a - z_a|^2``, with the rows'
        squared norms per aspect (kept for the next weighted search) and their products with
        ``w * z`` made in one pass over the profiles, each block's squares summed per aspect
        by one matrix product (a column gather per aspect cost four times the whole pass)."""
        aspect_sq = self._aspect_sq
        make = aspect_sq is None
        if make:
            aspect_sq = np.empty((len(self.Z), len(self.aspects)), dtype=np.float32)
            members = np.zeros((self.Z.shape[1], len(self.aspects)), dtype=np.float32)
            for column, idx in enumerate(self.aspects.values()):
                members[idx, column] = 1.0
        aspect_w = np.array([w[idx[0]] for idx in self.aspects.values()], dtype=np.float32)
        wz = (w * z).astype(np.float32)
        products = np.empty(len(self.Z), dtype=np.float32)
        for start, block in self.blocks():
            stop = start + len(block)
            products[start:stop] = block @ wz
            if make:
                np.square(block, out=block)
                aspect_sq[start:stop] = block @ members
        self._aspect_sq = aspect_sq
        d2 = aspect_sq @ aspect_w - 2.0 * products + float(wz @ z)
        return _smallest(d2, k * RERANK_FACTOR, allowed)


class RowSubset:
    """A search among a fixed part of an index's rows (one sound per group of copies), in
    :meth:`NeighbourIndex.search`'s metric: candidates from those rows' embedding alone (with
    an HNSW graph of their own when ``graph``), re-ranked exactly in the index.

    A filter on the index's own graph would not do: near a sound held hundreds of times over,
    the graph's nearest rows are all its copies, which the filter then removes."""

    def __init__(self, index: NeighbourIndex, rows: np.ndarray, *, graph: bool = False,
                 threads: int = 1, built: HnswGraph | None = None):
        """``graph``: build the rows an HNSW graph of their own; ``built``: theirs, already
        made (kept from an earlier process)."""
        # The index is not kept: it keeps this (see NeighbourIndex.derived).
        self.rows = np.asarray(rows, dtype=np.int64)
        self._graph = built
        if built is None and graph and len(self.rows):
            # As stored (half precision: 64 MB for 662,000 stand-ins where single precision
            # took 127 MB beside the graph being built); the graph takes a block at a time.
            self._graph = HnswGraph(index._E_given[self.rows],
                                    ef_construction=GRAPH_EF_CONSTRUCTION, threads=threads,
                                    stop=index.closing)
        E = None if self._graph is not None else np.asarray(index._E_given[self.rows],
                                                             dtype=np.float32)
        # The graph holds its own copy of the vectors; without one, they are scanned.
        self._E = E
        self._e_sq = None if self._E is None else np.einsum("ij,ij->i", E, E)

    def __len__(self) -> int:
        return len(self.rows)

    def search(self, index: NeighbourIndex, z: np.ndarray, k: int, *,
               weights: Mapping[str, float] | None = None,
               allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``index``'s rows (among these) of the ``k`` nearest sounds to ``z`` and their
        distances, nearest first; ``allowed`` is a mask over these rows."""
        if not len(self.rows) or k <= 0 or (allowed is not None and not allowed.any()):
            return np.empty(0, np.int64), np.empty(0, np.float32)
        z = np.asarray(z, dtype=np.float32)
        found = None
        if index.dimension_weights(weights) is None:
            found = self._candidates(index.components @ z,
                                     max(k * RERANK_FACTOR, RERANK_MIN), allowed)
        if found is None:  # aspect weights, or a filter too selective for the graph
            mask = np.zeros(len(index), dtype=bool)
            mask[self.rows if allowed is None else self.rows[allowed]] = True
            return index.search(z, k, weights=weights, allowed=mask)
        rows = self.rows[found]
        distances = index.distances(z, rows)
        order = np.argsort(distances, kind="stable")[:k]
        return rows[order], distances[order]

    def _candidates(self, e: np.ndarray, m: int, allowed: np.ndarray | None):
        if self._graph is None:
            return _smallest(self._e_sq - 2.0 * (self._E @ e), m, allowed)
        return self._graph.candidates(e, m, allowed)


class HnswGraph:
    """An HNSW graph over the rows of ``E`` (ids are row numbers), built with Spotify's
    ``voyager``: wheels for every platform (no compiler needed, unlike hnswlib), and at 1M
    sounds as fast and exact as hnswlib was (``benchmarks/bench_search.py``). The search
    breadth ``ef`` is passed per query, so request threads share the graph safely."""

    def __init__(self, E: np.ndarray, *, ef_construction: int, threads: int = -1,
                 stop: threading.Event | None = None):
        """``stop``: once set, the build ends at the next block of rows with
        :class:`IndexClosed`."""
        from voyager import Index, Space, StorageDataType

        self._index = Index(Space.Euclidean, num_dimensions=E.shape[1], M=16,
                            ef_construction=ef_construction, random_seed=0,
                            max_elements=len(E), storage_data_type=StorageDataType.Float32)
        # A block of rows at a time, in order (one thread: the same graph as all at once):
        # voyager copies what it is given while it adds it, which for a million rows at
        # once was 250 MB more at the peak of a server's memory.
        for start in range(0, len(E), GRAPH_BLOCK):
            if stop is not None and stop.is_set():
                raise IndexClosed
            end = min(len(E), start + GRAPH_BLOCK)
            self._index.add_items(_writable(E[start:end]), ids=np.arange(start, end),
                                  num_threads=threads)
        self.size = len(E)
        #: The row of each id, where ids are not rows (see :meth:`of`); None: they are.
        self.to_row: np.ndarray | None = None
        #: How this process came by the graph, for the log.
        self.origin = "built"
        #: The rows an update in this process added (new files, and files whose embedding
        #: changed); None: it was not brought up to date here.
        self.refreshed: np.ndarray | None = None

    @classmethod
    def of(cls, index, size: int, to_row: np.ndarray | None = None) -> HnswGraph:
        """A graph around a voyager ``index`` already made (loaded: :mod:`.graph_file`) over
        ``size`` rows; ``to_row``: the row of each of its ids (-1: deleted), where they are
        not the rows themselves (a graph brought up to date after a scan)."""
        graph = cls.__new__(cls)
        graph._index, graph.size, graph.to_row = index, size, to_row
        graph.origin, graph.refreshed = "kept from an earlier process", None
        return graph

    @property
    def elements(self) -> int:
        """The ids the graph holds, deleted ones included."""
        return self._index.num_elements

    def save(self, path) -> None:
        """Write the graph to ``path`` (voyager's own format, written without the GIL)."""
        self._index.save(str(path))

    def query(self, vectors: np.ndarray, *, k: int, ef: int, threads: int = -1) -> np.ndarray:
        """Row numbers of the ``k`` nearest rows, per query (1-D in, 1-D out; 2-D: 2-D);
        several queries on ``threads`` threads (-1: one per core)."""
        ids, _ = self._index.query(_writable(vectors), k=k, num_threads=threads,
                                   query_ef=max(ef, k))
        ids = np.asarray(ids, dtype=np.int64)
        return ids if self.to_row is None else self.to_row[ids]

    def candidates(self, e: np.ndarray, m: int, allowed: np.ndarray | None) -> np.ndarray | None:
        """The ``m`` nearest rows to ``e`` that ``allowed`` (a mask over the graph's rows)
        keeps, or None where an exact scan should answer: a filter keeping under a fifth of
        the rows (scanning those few is faster and complete), one the graph's nearest rows do
        not fill, or a search :meth:`nearest` hands over."""
        share = 1.0 if allowed is None else _share(allowed)
        if share < 0.2:
            return None
        want = min(self.size, int(np.ceil(m / share)) * 2)
        rows = self.nearest(e, k=want, ef=max(96, want))
        if rows is None:
            return None
        if allowed is not None:
            rows = rows[allowed[rows]]
            if len(rows) < min(m, np.count_nonzero(allowed)):
                return None  # the filter removed too many
        return rows[:m]

    def nearest(self, vector: np.ndarray, *, k: int, ef: int) -> np.ndarray | None:
        """:meth:`query` for one search's candidates, or None where an exact scan should
        answer: more than :data:`GRAPH_MOST` asked for (a search that far through the graph
        costs more than reading every row), or more than the graph can reach (voyager's
        ``RecallError``: a sound held in thousands of near copies, whose neighbours are all
        alike)."""
        if k > GRAPH_MOST:
            return None
        from voyager import RecallError

        try:
            return self.query(vector, k=k, ef=ef)
        except RecallError:
            return None


def _share(mask: np.ndarray) -> float:
    """The share of a boolean mask that is true (``mask.mean()`` costs half a millisecond at
    a million rows; counting, a twentieth)."""
    return np.count_nonzero(mask) / max(len(mask), 1)


def _writable(vectors: np.ndarray) -> np.ndarray:
    """Contiguous float32 that voyager accepts: it refuses a read-only array (a memory map
    of the side files), which is then copied."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    return vectors if vectors.flags.writeable else vectors.copy()


def _others(found: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` of each row's ``found`` neighbours (a graph's answers, ``(rows, >k)``)
    that are not the row itself: its own id goes last, where the graph found it, and is cut
    off (among identical copies the graph may return the others before the row itself)."""
    last = np.argsort(found == rows[:, None], axis=1, kind="stable")
    return np.take_along_axis(found, last, axis=1)[:, :k]


def _smallest(values: np.ndarray, m: int, allowed: np.ndarray | None) -> np.ndarray:
    """Indices of the ``m`` smallest values among the allowed rows (unordered)."""
    if allowed is not None:
        values = np.where(allowed, values, np.inf)
        m = min(m, np.count_nonzero(allowed))
    m = min(m, len(values))
    if m <= 0:
        return np.empty(0, np.int64)
    if m >= len(values):
        rows = np.arange(len(values))
    else:
        rows = np.argpartition(values, m - 1)[:m]
    return rows[np.isfinite(values[rows])].astype(np.int64)


def all_neighbours(E: np.ndarray, k: int, *, block: int = 1024,
                   graph: HnswGraph | None = None) -> np.ndarray:
    """The ``k`` nearest other rows of every row of ``E``, nearest first, shape ``(n, k)``.

    From ``graph`` (an HNSW graph of ``E``) when given; else with voyager, a graph built here
    (seconds for 50,000 rows) from :data:`MAP_GRAPH_FROM` rows; else an exact blockwise scan.
    Missing neighbours (tiny libraries) are -1.
    """
    n = len(E)
    out = np.full((n, k), -1, dtype=np.int64)
    if n < 2 or k < 1:
        return out
    k_eff = min(k, n - 1)
    if graph is None and n > MAP_GRAPH_FROM and ann_available():
        E = np.ascontiguousarray(E, dtype=np.float32)
        graph = HnswGraph(E, ef_construction=GRAPH_EF_CONSTRUCTION)
    if graph is not None:
        for start in range(0, n, GRAPH_BLOCK):  # queries a block at a time, as rows are added
            stop = min(n, start + GRAPH_BLOCK)
            labels = graph.query(np.asarray(E[start:stop], dtype=np.float32), k=k_eff + 1,
                                 ef=max(64, 2 * k_eff + 1))
            out[start:stop, :k_eff] = _others(labels, np.arange(start, stop), k_eff)
        return out
    E = np.ascontiguousarray(E, dtype=np.float32)
    squares = np.einsum("ij,ij->i", E, E)
    for start in range(0, n, block):
        chunk = E[start : start + block]
        d2 = squares[None, :] - 2.0 * chunk @ E.T
        d2[np.arange(len(chunk)), np.arange(start, start + len(chunk))] = np.inf
        nearest = np.argpartition(d2, k_eff - 1, axis=1)[:, :k_eff]
        order = np.argsort(np.take_along_axis(d2, nearest, axis=1), axis=1)
        out[start : start + len(chunk), :k_eff] = np.take_along_axis(nearest, order, axis=1)
    return out
