"""An in-memory snapshot of the profiled library, ready to answer queries in milliseconds.

Built from the index in one read (ids, paths, durations, vectors, clusters) and
never changed afterwards: a rescan builds a new catalogue and the caller swaps
the reference, so readers always see one consistent library.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from ..errors import EngineError
from ..paths import aliases, is_under
from ..sound.categories import ALL_CATEGORIES
from ..sound.category_names import coarse
from ..sound.descriptors import Descriptor
from .feature_space import FeatureSpace, needs_refit
from .neighbours import NeighbourIndex
from .store import IndexStore, Root


@dataclass
class Catalogue:
    descriptor: Descriptor
    space: FeatureSpace
    ids: np.ndarray  # (n,) file ids, ascending
    paths: list[bytes]
    durations: np.ndarray  # (n,) seconds
    packs: np.ndarray  # (n,) pack number: files of one pack (top folder under a root) share it
    pack_keys: dict[bytes, int]
    index: NeighbourIndex
    clusters: np.ndarray  # (n,) cluster id, 0 where none
    typicality: np.ndarray  # (n,) distance to the cluster's centre
    cluster_labels: dict[int, str]
    roots: list[Root]
    generation: str
    categories: np.ndarray  # (n,) index into ALL_CATEGORIES, -1 where the descriptor has none
    category_confidence: np.ndarray  # (n,) the model's probability, 0 where none; 1 for a label
    #: Rows a person labelled (``soundalike label``) and the name they gave: ``categories``
    #: holds its category (a finer name such as "crash" counts as its coarser one there).
    labels: dict[int, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def row_of(self, path: bytes) -> int | None:
        """The row of a library file, found by its stored path or through symlinks to it."""
        row = self._rows.get(path)
        if row is None:
            for alias in aliases(path):
                row = self._rows.get(alias)
                if row is not None:
                    break
        return row

    def __post_init__(self):
        self._rows = {path: row for row, path in enumerate(self.paths)}
        self._path_array: np.ndarray | None = None

    def category_of(self, row: int) -> str | None:
        """The row's category: the name a person gave it, else the model's."""
        label = self.labels.get(row)
        if label is not None:
            return label
        code = int(self.categories[row])
        return ALL_CATEGORIES[code] if code >= 0 else None

    def category_source(self, row: int) -> str | None:
        """``you`` for a sound a person labelled, ``model`` for the model's, None for none."""
        if row in self.labels:
            return "you"
        return "model" if self.categories[row] >= 0 else None

    def rows_of_category(self, name: str) -> np.ndarray:
        """Boolean mask of the rows of one category (``other`` included). A finer name than
        the model knows (``crash``) is the rows a person gave that name."""
        from ..sound.category_names import canonical, label_names

        known_name = canonical(name)
        if known_name is None:
            known = ", ".join(label_names())
            raise EngineError(f"unknown category {name!r} (categories: {known})")
        if self.descriptor.categorise is None:
            raise EngineError(
                f"the library is profiled with {self.descriptor.key}, which has no categories: "
                "run `soundalike scan` to bring it up to date"
            )
        if known_name in ALL_CATEGORIES:
            return self.categories == ALL_CATEGORIES.index(known_name)
        mask = np.zeros(self.size, dtype=bool)
        mask[[row for row, label in self.labels.items() if label == known_name]] = True
        return mask

    def cluster_sizes(self) -> dict[int, int]:
        ids, counts = np.unique(self.clusters[self.clusters > 0], return_counts=True)
        return dict(zip(ids.tolist(), counts.tolist(), strict=True))

    def cluster_rows(self, cluster_id: int) -> np.ndarray:
        """Rows of one cluster, most typical first."""
        rows = np.flatnonzero(self.clusters == cluster_id)
        return rows[np.argsort(self.typicality[rows], kind="stable")]

    def rows_under(self, folder: bytes) -> np.ndarray:
        """Boolean mask of the rows whose path lies under ``folder``."""
        if self._path_array is None:
            self._path_array = np.array(self.paths, dtype=np.bytes_)
        prefix = folder.rstrip(b"/") + b"/"
        return np.char.startswith(self._path_array, prefix)

    @classmethod
    def load(
        cls,
        store: IndexStore,
        descriptor: Descriptor,
        *,
        approximate: bool | None = None,
        threads: int = 1,
    ) -> Catalogue:
        generation = store.get_meta("generation", "0") or "0"
        # Row by row into preallocated arrays: a fetchall() of 100,000 vectors would hold
        # them twice (as Python objects and as the matrix).
        n = store.count_profiled(descriptor.key)
        ids = np.empty(n, dtype=np.int64)
        durations = np.empty(n, dtype=np.float32)
        X = np.empty((n, descriptor.dim), dtype=np.float32)
        categories = np.full(n, -1, dtype=np.int8)
        confidence = np.zeros(n, dtype=np.float32)
        codes = {name: code for code, name in enumerate(ALL_CATEGORIES)}
        paths: list[bytes] = []
        corrections: dict[int, str] = {}
        rows = store.search_rows(descriptor.key)
        for i, (file_id, path, duration, vector, category, certainty, label) in enumerate(rows):
            if i >= n:  # a scan added rows meanwhile: the next catalogue will have them
                break
            ids[i], durations[i] = file_id, duration or 0.0
            paths.append(bytes(path))
            X[i] = np.frombuffer(vector, dtype="<f4")
            if category is not None:
                categories[i], confidence[i] = codes.get(category, -1), certainty or 0.0
            if label is not None and descriptor.categorise is not None:
                counted = coarse(label)  # None: a name the model no longer has
                if counted is not None:
                    corrections[i] = label
                    categories[i], confidence[i] = codes[counted], 1.0
        n = len(paths)
        ids, durations, X = ids[:n], durations[:n], X[:n]
        categories, confidence = categories[:n], confidence[:n]
        space = load_or_fit_space(store, descriptor, X)
        Z = space.standardize_in_place(X)  # X is not needed any more: no second copy
        del X
        E = space.embed(Z) if n else np.empty((0, space.components_.shape[0]), np.float32)
        roots = store.roots()
        pack_keys: dict[bytes, int] = {}
        packs = np.fromiter(
            (pack_keys.setdefault(pack_key(p, roots), len(pack_keys)) for p in paths),
            dtype=np.int32,
            count=n,
        )
        membership = store.cluster_membership()
        clusters = np.fromiter(
            (membership.get(int(i), (0, 0.0))[0] for i in ids), dtype=np.int64, count=n
        )
        typicality = np.fromiter(
            (membership.get(int(i), (0, 0.0))[1] for i in ids), dtype=np.float32, count=n
        )
        labels = {cid: label for cid, label, _ in store.cluster_table()}
        index = NeighbourIndex(
            Z, E, space.components_, descriptor.aspects, approximate=approximate, threads=threads,
            learned=descriptor.learned,
        )
        return cls(
            descriptor,
            space,
            ids,
            paths,
            durations,
            packs,
            pack_keys,
            index,
            clusters,
            typicality,
            labels,
            roots,
            generation,
            categories,
            confidence,
            corrections,
        )

    def pack_of(self, path: bytes) -> int:
        """The pack number of any path (-1 for a pack with no sample in the library)."""
        return self.pack_keys.get(pack_key(path, self.roots), -1)


def pack_key(path: bytes, roots: list[Root]) -> bytes:
    """The folder a sample "comes from": the top folder under its library root.

    A sample pack is usually one folder under the user's sample root, with
    subfolders per instrument; "other folders" means other packs. A file
    directly in a root belongs to the root; a file outside the library to its
    own folder.
    """
    for root in sorted(roots, key=lambda r: len(r.path), reverse=True):
        if is_under(path, root.path) and path != root.path:
            rest = path[len(root.path.rstrip(b"/")) + 1 :]
            top, sep, _ = rest.partition(b"/")
            return root.path.rstrip(b"/") + b"/" + top if sep else root.path
    return os.path.dirname(path)


def load_or_fit_space(store: IndexStore, descriptor: Descriptor, X: np.ndarray) -> FeatureSpace:
    """The stored feature space, refitted (and stored) when missing or stale."""
    stored = store.load_space(descriptor.key)
    if stored is not None and not needs_refit(stored[0], len(X)):
        space = FeatureSpace.from_bytes(stored[1])
        if space.mean_.shape[0] == descriptor.dim and space.learned == descriptor.learned:
            return space
    if len(X) == 0:
        raise EngineError("the library has no profiled sounds yet: run `soundalike scan FOLDER`")
    space = FeatureSpace(learned=descriptor.learned).fit(X)
    with store.transaction():
        store.save_space(descriptor.key, len(X), space.to_bytes())
    return space
