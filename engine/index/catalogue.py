"""An in-memory snapshot of the profiled library, ready to answer queries in milliseconds.

Opened from the side files beside the index (:mod:`.side_files`: memory-mapped, so a
query reads only what it needs), or built from the index in one read (ids, paths,
durations, vectors, clusters) when they are missing, stale or damaged, and then written
for the next process. Never changed afterwards: a rescan builds a new catalogue and the
caller swaps the reference, so readers always see one consistent library.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import uuid
import zlib
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..errors import EngineError
from ..paths import aliases, is_under
from ..sound.categories import ALL_CATEGORIES, members
from ..sound.category_names import coarse
from ..sound.descriptors import Descriptor
from . import side_files, vector_codec
from .copies import same_files
from .feature_space import FeatureSpace, needs_refit
from .graph_file import SavedGraph
from .neighbours import NeighbourIndex, squared_norms
from .probabilities import centre_distances_of, probabilities_of
from .store import IndexStore, Root

log = logging.getLogger(__name__)

#: The side-file arrays of :func:`.copies.same_files` (optional: files written before them
#: open without them).
SAME_FILES = ("same_file", "same_file_order", "same_file_starts")
#: Threads a build makes its blocks on (and, after them, what reads every vector again)
#: beside the one reading the index: at a million sounds 22-24 s became 13-16 s with two. A
#: process answering requests (``serve``) builds on one thread: requests share the cores,
#: and with two more threads their latency doubled while a build ran (in one process at a
#: million sounds: p50 35-47 -> 65-97 ms, p99 73-96 -> 130-227 ms).
BUILD_THREADS = 2


class PathList(Sequence):
    """The library's paths (bytes) as one buffer and offsets: no Python object per path
    until one is asked for."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray):
        self._blob, self._offsets = blob, offsets

    @classmethod
    def of(cls, paths: list[bytes]) -> PathList:
        offsets = np.zeros(len(paths) + 1, dtype=np.int64)
        np.cumsum([len(p) for p in paths], out=offsets[1:])
        return cls(np.frombuffer(b"".join(paths), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        start, stop = self._offsets[row], self._offsets[row + 1]
        return self._blob[start:stop].tobytes()

    def take(self, rows: np.ndarray) -> list[bytes]:
        """The paths of ``rows``, as ``[self[r] for r in rows]`` without numpy's cost per
        item (a first scan of 100,000 files names its clusters from every file's name)."""
        view = memoryview(self._blob)
        return [view[start:stop].tobytes() for start, stop in
                zip(self._offsets[rows].tolist(), self._offsets[rows + 1].tolist(), strict=True)]


def paths_of(paths: Sequence[bytes], rows: np.ndarray) -> list[bytes]:
    """``[paths[r] for r in rows]``, fast where ``paths`` is a :class:`PathList`."""
    if isinstance(paths, PathList):
        return paths.take(rows)
    return [paths[r] for r in rows.tolist()]


@dataclass
class Catalogue:
    descriptor: Descriptor
    space: FeatureSpace
    ids: np.ndarray  # (n,) file ids, ascending
    paths: Sequence[bytes]
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
    #: Rows in the order of their paths (bytes order): finds a path by bisection.
    by_path: np.ndarray | None = None
    #: (n, categories) every category's probability, and every row's distance to the centre
    #: of the sounds sure to be of each category (None without categories).
    probabilities: np.ndarray | None = None
    centre_distances: np.ndarray | None = None
    #: Which ``.vectors`` side file the catalogue was opened from or written to (None: none).
    side_build: str | None = None
    #: Rows a person labelled (``soundalike label``) and the name they gave: ``categories``
    #: holds its category (a finer name such as "crash" counts as its coarser one there).
    labels: dict[int, str] = field(default_factory=dict)
    #: Rows of the same file content, as ``(group, order, starts)`` (:func:`.copies.same_files`);
    #: None from side files written before they were kept.
    same_files: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    #: ``(categories + 1, dim - learned)`` the sums, in double precision, of the hand-made
    #: part of the stored vectors of each category's sounds (row ``code + 1``: row 0 sums the
    #: sounds of no category), people's labels counted: with :attr:`category_counts`, the
    #: categories' means that name clusters, without a pass over every profile (5-19 s at a
    #: million sounds). None from side files written before they were kept.
    category_sums: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.ids)

    def row_of(self, path: bytes) -> int | None:
        """The row of a library file, found by its stored path or through symlinks to it."""
        row = self._find(path)
        if row is None:
            for alias in aliases(path):
                row = self._find(alias)
                if row is not None:
                    break
        return row

    def __post_init__(self):
        if self.by_path is None:
            self.by_path = np.array(sorted(range(len(self.paths)), key=self.paths.__getitem__),
                                    dtype=np.int64)

    def _first_at_or_after(self, path: bytes) -> int:
        """Position in :attr:`by_path` of the first path >= ``path``."""
        low, high = 0, len(self.by_path)
        while low < high:
            middle = (low + high) // 2
            if self.paths[self.by_path[middle]] < path:
                low = middle + 1
            else:
                high = middle
        return low

    def _find(self, path: bytes) -> int | None:
        at = self._first_at_or_after(path)
        if at < len(self.by_path) and self.paths[self.by_path[at]] == path:
            return int(self.by_path[at])
        return None

    def category_of(self, row: int) -> str | None:
        """The row's category: the name a person gave it, else the model's."""
        label = self.labels.get(row)
        if label is not None:
            return label
        code = int(self.categories[row])
        return ALL_CATEGORIES[code] if code >= 0 else None

    def categories_of(self, rows: np.ndarray) -> list[str | None]:
        """:meth:`category_of` of each of ``rows``: a cluster's members are named together, at
        100,000 sounds 6,000 clusters after every first scan."""
        names = [ALL_CATEGORIES[code] if code >= 0 else None
                 for code in self.categories[rows].tolist()]
        if self.labels:
            for i, row in enumerate(rows.tolist()):
                label = self.labels.get(row)
                if label is not None:
                    names[i] = label
        return names

    def category_source(self, row: int) -> str | None:
        """``you`` for a sound a person labelled, ``model`` for the model's, None for none."""
        if row in self.labels:
            return "you"
        return "model" if self.categories[row] >= 0 else None

    def rows_of_category(self, name: str) -> np.ndarray:
        """Boolean mask of the rows of one category (``other`` included), or of every
        category a name for several stands for (``cymbal``: crash, ride and other cymbals to
        a fine model; ``drums``). A finer name than the model knows (``crash`` to
        ``soundalike-3``) is the rows a person gave that name."""
        from ..sound.category_names import canonical, finer_than_model, query_names

        known_name = canonical(name) or name.strip().lower()
        wanted = members(known_name)
        finer = finer_than_model(known_name)
        if not wanted and not finer:
            known = ", ".join(query_names())
            raise EngineError(f"unknown category {name!r} (categories: {known})")
        if self.descriptor.categorise is None:
            raise EngineError(
                f"the library is profiled with {self.descriptor.key}, which has no categories: "
                "run `soundalike scan` to bring it up to date"
            )
        if finer:
            mask = np.zeros(self.size, dtype=bool)
            mask[[row for row, label in self.labels.items() if label == known_name]] = True
            return mask
        return np.isin(self.categories, [ALL_CATEGORIES.index(c) for c in wanted])

    @cached_property
    def category_counts(self) -> np.ndarray | None:
        """How many sounds each row of :attr:`category_sums` sums (None where it is None)."""
        if self.category_sums is None:
            return None
        return np.bincount(self.categories + 1, minlength=len(self.category_sums))

    @cached_property
    def loops(self) -> np.ndarray | None:
        """Boolean mask of the rows named ``loop`` (by the engine's hit count or a person),
        once per snapshot: every search keeps loops with loops. None without categories."""
        if self.descriptor.categorise is None:
            return None
        return self.rows_of_category("loop")

    def cluster_sizes(self) -> dict[int, int]:
        ids, counts = np.unique(self.clusters[self.clusters > 0], return_counts=True)
        return dict(zip(ids.tolist(), counts.tolist(), strict=True))

    def cluster_rows(self, cluster_id: int) -> np.ndarray:
        """Rows of one cluster, most typical first."""
        rows = np.flatnonzero(self.clusters == cluster_id)
        return rows[np.argsort(self.typicality[rows], kind="stable")]

    def rows_under(self, folder: bytes) -> np.ndarray:
        """Boolean mask of the rows whose path lies under ``folder``: one run of paths in
        bytes order, found by bisection."""
        prefix = folder.rstrip(b"/") + b"/"
        after = prefix[:-1] + b"0"  # the byte after "/": the first path past the folder
        mask = np.zeros(self.size, dtype=bool)
        mask[self.by_path[self._first_at_or_after(prefix) : self._first_at_or_after(after)]] = True
        return mask

    @classmethod
    def load(
        cls,
        store: IndexStore,
        descriptor: Descriptor,
        *,
        approximate: bool | None = None,
        threads: int = 1,
        build_threads: int = BUILD_THREADS,
    ) -> Catalogue:
        """The catalogue of the index as it is: from its side files when they are current,
        else built from SQLite (and the side files written for the next process) with
        ``build_threads`` beside this one (0: on this thread alone, as a process answering
        requests builds: see :data:`BUILD_THREADS`)."""
        generation = store.get_meta("generation", "0") or "0"
        roots = store.roots()
        stored = store.load_space(descriptor.key)
        found = None
        if stored is not None:
            expected = _side_key(descriptor, generation, stored[1], roots)
            found = _open_side_files(store, expected)
            if found is not None and needs_refit(stored[0], len(found[4]["ids"])):
                found = None
        if found is None:
            found = _build(store, descriptor, generation, roots, threads=build_threads)
        space, manifest, side, vectors_meta, vectors = found
        E = vectors["E"]
        side_build = manifest["build"] if manifest.get("written") else None
        index = NeighbourIndex(
            vectors["Z"], E, space.components_, descriptor.aspects, approximate=approximate,
            threads=threads, learned=descriptor.learned, e_sq=vectors["e_sq"],
            # the graph of these side files is kept beside them (no side files: none kept)
            saved_graph=None if side_build is None else SavedGraph(
                store.path, side_build, len(E), E.shape[1], writable=not store.read_only,
                space=int(manifest.get("space", 0)),
                file_ids=vectors["ids"]),
        )
        if "pack_key_blob" in vectors:
            pack_keys = {bytes(key): number for number, key in enumerate(
                PathList(vectors["pack_key_blob"], vectors["pack_key_offsets"]))}
        else:  # side files written before the packs were kept as arrays
            pack_keys = {base64.b64decode(key): number
                         for number, key in enumerate(vectors_meta["pack_keys"])}
        categories, confidence, corrections = _apply_labels(
            store, descriptor, vectors["ids"], vectors["categories"], vectors["confidence"])
        sums = vectors.get("category_sums")
        if sums is not None and corrections:
            sums = _labels_counted(sums, vectors["categories"], categories, list(corrections),
                                   vectors["Z"])
        return cls(
            descriptor,
            space,
            vectors["ids"],
            PathList(vectors["path_blob"], vectors["path_offsets"]),
            vectors["durations"],
            vectors["packs"],
            pack_keys,
            index,
            side["clusters"],
            side["typicality"],
            {int(cid): label for cid, label in manifest["labels"].items()},
            roots,
            generation,
            categories,
            confidence,
            labels=corrections,
            by_path=vectors["by_path"],
            probabilities=vectors.get("probabilities"),
            centre_distances=vectors.get("centre_distances"),
            side_build=side_build,
            same_files=(tuple(vectors[name] for name in SAME_FILES)
                        if SAME_FILES[0] in vectors else None),
            category_sums=sums,
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


def stored_space(store: IndexStore, descriptor: Descriptor, n: int) -> FeatureSpace | None:
    """The stored feature space when it is current for ``n`` profiled sounds, else None."""
    stored = store.load_space(descriptor.key)
    if stored is not None and not needs_refit(stored[0], n):
        space = FeatureSpace.from_bytes(stored[1])
        if space.mean_.shape[0] == descriptor.dim and space.learned == descriptor.learned:
            return space
    return None


def load_or_fit_space(store: IndexStore, descriptor: Descriptor, n: int) -> FeatureSpace:
    """The stored feature space, refitted (and stored) when missing or stale for ``n``
    profiled sounds: on the few thousand of them a fit reads, the rest not read (at a
    million sounds, all of them in single precision would take 2.7 GB)."""
    space = stored_space(store, descriptor, n) if n else None
    if space is not None:
        return space
    if n == 0:
        raise EngineError("the library has no profiled sounds yet: run `soundalike scan FOLDER`")
    space = FeatureSpace(learned=descriptor.learned)
    sample = store.search_vectors_at(descriptor.key, space.sample_rows(n).tolist())
    X = vector_codec.decode_many_into(
        sample, descriptor, np.empty((len(sample), descriptor.dim), dtype=np.float32))
    space.fit(X, sample_of=n)
    with store.transaction():
        store.save_space(descriptor.key, n, space.to_bytes())
    return space


# --- side files ------------------------------------------------------------------------------


def _side_key(descriptor: Descriptor, generation: str, space: bytes,
              roots: list[Root]) -> dict:
    """What side files must have been made from to be current."""
    return {
        "generation": generation,
        "descriptor": descriptor.key,
        "space": zlib.crc32(space),
        "roots": zlib.crc32(b"\0".join(r.path for r in roots)),
    }


def _open_side_files(store: IndexStore, expected: dict):
    """``(space, manifest, cluster arrays, vectors meta, vectors)`` from current side files,
    or None when they are missing, stale or damaged."""
    try:
        manifest, side = side_files.read_arrays(side_files.manifest_path(store.path))
        if any(manifest.get(key) != value for key, value in expected.items()):
            return None
        vectors_meta, vectors = side_files.read_arrays(side_files.vectors_path(store.path))
        if vectors_meta.get("build") != manifest.get("build"):
            return None
        stored = store.load_space(expected["descriptor"])
        space = FeatureSpace.from_bytes(stored[1])
    except FileNotFoundError:
        return None
    except (side_files.DamagedSideFile, OSError, ValueError, TypeError) as exc:
        log.warning("rebuilding the side files of %s: %s", store.path, exc)
        return None
    manifest["written"] = True
    return space, manifest, side, vectors_meta, vectors


def _apply_labels(store: IndexStore, descriptor: Descriptor, ids: np.ndarray,
                  categories: np.ndarray, confidence: np.ndarray):
    """The categories people gave (``soundalike label``) over the model's: ``(categories,
    confidence, {row: name})``, the arrays copied only when there is a label to apply (the
    side files' arrays are read-only maps). A finer name than the model knows counts as its
    coarser category; a name the model no longer has is left out."""
    if descriptor.categorise is None:
        return categories, confidence, {}
    found = store.label_ids()
    if not found:
        return categories, confidence, {}
    codes = {name: code for code, name in enumerate(ALL_CATEGORIES)}
    wanted = np.array([file_id for file_id, _ in found], dtype=np.int64)
    rows = np.searchsorted(ids, wanted)  # ids ascend
    corrections: dict[int, str] = {}
    categories, confidence = np.array(categories), np.array(confidence)
    for (file_id, label), row in zip(found, rows, strict=True):
        counted = coarse(label)
        if row < len(ids) and ids[row] == file_id and counted is not None:
            corrections[int(row)] = label
            categories[row], confidence[row] = codes[counted], 1.0
    return categories, confidence, corrections


def _labels_counted(sums: np.ndarray, model: np.ndarray, labelled: np.ndarray,
                    rows: list[int], Z: np.ndarray) -> np.ndarray:
    """The categories' sums (as the side files keep them, by the model's categories
    ``model``) with the labelled ``rows`` moved to the category people gave them
    (``labelled``): a few rows read, not every profile."""
    rows = np.sort([row for row in rows if model[row] != labelled[row]])
    if not len(rows):
        return sums
    sums = np.array(sums)  # the side files' arrays are read-only
    vectors = np.asarray(Z[rows, Z.shape[1] - sums.shape[1] :], dtype=np.float64)
    for row, vector in zip(rows.tolist(), vectors, strict=True):
        sums[model[row] + 1] -= vector
        sums[labelled[row] + 1] += vector
    return sums


def _build(store: IndexStore, descriptor: Descriptor, generation: str, roots: list[Root],
           *, write: bool = True, threads: int = BUILD_THREADS):
    """Everything a catalogue holds, read from SQLite; written to side files when the index
    may be written to (and ``write``)."""
    n = store.count_profiled(descriptor.key)
    out = None
    if write and not store.read_only and n:
        # The vectors go straight into the side file as they are made (1.3 GB at a million
        # sounds that this process would otherwise hold until it wrote them).
        try:
            out = side_files.StreamedFile(side_files.vectors_path(store.path), "Z",
                                          np.float16, descriptor.dim)
        except OSError as exc:
            log.warning("cannot write the side files of %s: %s", store.path, exc)
    try:
        return _build_into(store, descriptor, generation, roots, n, out, threads)
    finally:
        if out is not None:
            out.abandon()  # nothing once written; else (a stopped build) no file left behind


def _build_into(store: IndexStore, descriptor: Descriptor, generation: str, roots: list[Root],
                n: int, out: side_files.StreamedFile | None, threads: int = BUILD_THREADS):
    """:func:`_build` of ``n`` profiled sounds, with ``out`` the vectors' side file being
    written (None: none), on ``threads`` more threads."""
    # Row by row into preallocated arrays: a fetchall() of 100,000 vectors would hold
    # them twice (as Python objects and as the matrix).
    ids = np.empty(n, dtype=np.int64)
    durations = np.empty(n, dtype=np.float32)
    categories = np.full(n, -1, dtype=np.int8)
    confidence = np.zeros(n, dtype=np.float32)
    codes = {name: code for code, name in enumerate(ALL_CATEGORIES)}
    paths: list[bytes] = []
    contents = np.empty(n, dtype=np.int64)  # a number from each file's content fingerprint
    # Each block of rows is standardised as it is read and kept in half precision only: a
    # million sounds' single-precision vectors (2.7 GB) are never all in memory at once.
    space = load_or_fit_space(store, descriptor, n)
    streamed = _Streamed(space, descriptor, n, out, categories, makers=threads)
    try:
        try:
            for i, (file_id, path, duration, vector, category, certainty, _label,
                    fingerprint) in enumerate(store.search_rows(descriptor.key)):
                if i >= n:  # a scan added rows meanwhile: the next catalogue will have them
                    break
                ids[i], durations[i] = file_id, duration or 0.0
                contents[i] = hash(fingerprint or i)
                paths.append(bytes(path))
                if category is not None:  # before its vector: a block's categories are summed
                    categories[i], confidence[i] = codes.get(category, -1), certainty or 0.0
                streamed.add(vector)
            n = len(paths)
            Z, E, probabilities = streamed.finish(n)
        finally:
            streamed.close()  # a stopped build: no block is still being written
    except OSError as exc:  # a full disk while the vectors were written: held in memory
        if out is None:
            raise
        out.abandon()
        log.warning("cannot write the side files of %s: %s", store.path, exc)
        return _build_into(store, descriptor, generation, roots, n, None, threads)
    ids, durations, contents = ids[:n], durations[:n], contents[:n]
    categories, confidence = categories[:n], confidence[:n]
    # What reads every row's vectors again is numpy, which leaves the interpreter: made on
    # threads while this one does what is Python (packs, clusters, the paths' order).
    helpers = _Helpers(threads)
    try:
        copies = helpers.submit(same_files, contents, Z, space.scale_, descriptor.learned)
        distances = (None if probabilities is None else helpers.submit(
            centre_distances_of, Z, probabilities, descriptor.learned))
        vectors, labels, clusters, typicality = _arrays_of_rows(
            store, roots, ids, paths, durations, categories, confidence, E)
        if streamed.category_sums is not None:
            vectors["category_sums"] = streamed.category_sums
        if probabilities is not None:
            vectors["probabilities"] = probabilities
            vectors["centre_distances"] = distances.result()
        vectors.update(zip(SAME_FILES, copies.result(), strict=True))
    finally:
        helpers.shutdown()
    space_bytes = store.load_space(descriptor.key)[1]  # as stored: what readers compare
    vectors_meta = {"build": uuid.uuid4().hex, "descriptor": descriptor.key}
    manifest = dict(_side_key(descriptor, generation, space_bytes, roots),
                    build=vectors_meta["build"], labels=labels)
    side = {"clusters": clusters, "typicality": typicality}
    if out is not None:
        try:
            out.finish(vectors_meta, vectors)
            side_files.write_arrays(side_files.manifest_path(store.path), manifest, side)
        except OSError as exc:  # a full disk: this process answers from memory
            log.warning("cannot write the side files of %s: %s", store.path, exc)
        else:
            found = _open_side_files(store, {k: manifest[k] for k in
                                             ("generation", "descriptor", "space", "roots")})
            if found is not None:  # answer from the mapped files, as every other process
                return found
    # Half precision (as _Streamed keeps them): the vectors are read a few rows at a time,
    # distances re-ranked from them differ from single precision's by about 1e-4 (the
    # learned part is of unit length). Streamed, they are the written file's, mapped (it
    # stays readable once deleted, for as long as this process maps it).
    vectors["Z"] = Z
    return space, manifest, side, vectors_meta, vectors


def _arrays_of_rows(store: IndexStore, roots: list[Root], ids: np.ndarray, paths: list[bytes],
                    durations: np.ndarray, categories: np.ndarray, confidence: np.ndarray,
                    E: np.ndarray):
    """The side files' arrays of the rows read (but those made from their vectors again),
    with the clusters' labels, each row's cluster and typicality."""
    n = len(ids)
    pack_keys: dict[bytes, int] = {}
    by_folder: dict[bytes, int] = {}  # the pack of a file is its folder's: found once each

    def pack_number(path: bytes) -> int:
        folder = path[: path.rfind(b"/") + 1]
        number = by_folder.get(folder)
        if number is None:
            number = by_folder[folder] = pack_keys.setdefault(pack_key(path, roots),
                                                              len(pack_keys))
        return number

    packs = np.fromiter((pack_number(p) for p in paths), dtype=np.int32, count=n)
    membership = store.cluster_membership()
    clusters = np.fromiter(
        (membership.get(int(i), (0, 0.0))[0] for i in ids), dtype=np.int64, count=n
    )
    typicality = np.fromiter(
        (membership.get(int(i), (0, 0.0))[1] for i in ids), dtype=np.float32, count=n
    )
    labels = {str(cid): label for cid, label, _ in store.cluster_table()}
    path_list = PathList.of(paths)
    key_list = PathList.of(list(pack_keys))
    # Half precision: the compact embedding only picks the candidates a search re-ranks
    # exactly (RERANK_FACTOR times as many as it returns), and a one-query command reads
    # all of it: 96 MB at a million sounds instead of 192.
    E = E.astype(np.float16, copy=False)
    vectors = {
        "ids": ids, "durations": durations, "categories": categories,
        "confidence": confidence, "packs": packs,
        "by_path": np.array(sorted(range(n), key=paths.__getitem__), dtype=np.int64),
        "path_offsets": path_list._offsets, "path_blob": path_list._blob,
        "pack_key_offsets": key_list._offsets, "pack_key_blob": key_list._blob,
        "E": E, "e_sq": squared_norms(E),
    }
    return vectors, labels, clusters, typicality


#: Rows standardised at once when a catalogue is built block by block.
BLOCK = 8192
#: Blocks handed to the threads making them at most (each holds about 40 MB while made).
BLOCKS_AHEAD = 3


class _Helpers:
    """``threads`` threads to hand work to, or none (0): each task is then done as it is
    handed over, on the caller's thread."""

    def __init__(self, threads: int):
        self.pool = (ThreadPoolExecutor(threads, thread_name_prefix="side-files")
                     if threads > 0 else None)

    def submit(self, function, *args) -> Future:
        if self.pool is not None:
            return self.pool.submit(function, *args)
        done: Future = Future()
        done.set_result(function(*args))
        return done

    def shutdown(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)


class _Streamed:
    """A catalogue's vectors built block by block as the index is read: each block of
    :data:`BLOCK` rows is standardised, embedded and categorised, then kept in half
    precision (what the side files store anyway).

    The blocks are made on other threads (:data:`BUILD_THREADS`) while this one reads the
    next rows from SQLite, and kept in their order: the reading is Python and SQLite, the
    making is numpy, which leaves the interpreter for its work, so they share a machine's
    cores (at a million sounds the build took 22-24 s, 12 s of it making blocks one after
    the other)."""

    def __init__(self, space: FeatureSpace, descriptor: Descriptor, n: int,
                 out: side_files.StreamedFile | None = None, categories: np.ndarray | None = None,
                 makers: int = BUILD_THREADS):
        """``categories``: each row's category code, set before its vector is added: the
        stored vectors of each category are then summed (``category_sums``); ``makers``:
        threads making blocks (0: each made on this thread once read)."""
        self.space, self.descriptor, self.learned = space, descriptor, descriptor.learned
        self.categories = categories if descriptor.categorise is not None else None
        self.category_sums = (None if self.categories is None else np.zeros(
            (len(ALL_CATEGORIES) + 1, descriptor.dim - descriptor.learned)))
        #: Where the half-precision vectors go, block by block (None: kept here, in ``Z``).
        self.out = out
        self.Z = np.empty((0 if out else n, descriptor.dim), dtype=np.float16)
        self.E = np.empty((n, space.components_.shape[0]), dtype=np.float16)
        self.probabilities = None
        if descriptor.categorise is not None:
            from ..sound.embedding import sound_model  # as probabilities_of: loaded once

            count = len(sound_model().class_intercept)
            self.probabilities = np.empty((n, count), dtype=np.float32)
        self.blobs: list[bytes] = []  # the stored vectors of the block being read
        self.start = 0  # the first row of the block being read
        self.makers = _Helpers(makers)
        #: Blocks handed over and not yet kept, oldest first: ``(first row, future)``.
        self.pending: deque[tuple[int, Future]] = deque()

    def add(self, blob: bytes) -> None:
        """The next row's stored vector (rows come in order)."""
        self.blobs.append(blob)
        if len(self.blobs) == BLOCK:
            self._hand_over()

    def _hand_over(self) -> None:
        """The block read so far to the makers, once fewer than :data:`BLOCKS_AHEAD` wait."""
        while len(self.pending) >= BLOCKS_AHEAD:
            self._keep_oldest()
        blobs, start = self.blobs, self.start
        self.blobs, self.start = [], start + len(blobs)
        self.pending.append((start, self.makers.submit(self._make, blobs, start)))

    def _make(self, blobs: list[bytes], start: int):
        """One block's rows: its embedding and probabilities written in place (rows of its
        own), its stored vectors and their sums by category returned to be kept in order."""
        count = len(blobs)
        stop = start + count
        Z = vector_codec.decode_many_into(
            blobs, self.descriptor, np.empty((count, self.descriptor.dim), dtype=np.float32))
        self.space.standardize_in_place(Z)
        self.E[start:stop] = self.space.embed(Z)
        if self.probabilities is not None:
            self.probabilities[start:stop] = probabilities_of(Z, self.space, self.learned)
        stored = np.clip(Z, -60000, 60000).astype(np.float16)
        sums = None
        if self.category_sums is not None:  # the numbers stored, as a pass would read them
            # One product with the block's category matrix (a few dozen categories): a
            # fifth of the time of sorting the rows by category and summing them.
            which = np.zeros((len(self.category_sums), count))
            which[self.categories[start:stop] + 1, np.arange(count)] = 1.0
            sums = which @ stored[:, self.learned :].astype(np.float64)
        return stored, sums

    def _keep_oldest(self) -> None:
        """The oldest block handed over, once made, into the file (or ``Z``) and the sums;
        what its making raised is raised here."""
        start, future = self.pending.popleft()
        stored, sums = future.result()
        if self.out is not None:
            self.out.append(stored)
        else:
            self.Z[start : start + len(stored)] = stored
        if sums is not None:
            self.category_sums += sums

    def finish(self, n: int):
        """``(Z in half precision, E, probabilities or None)`` of the ``n`` rows read."""
        if n > self.start:
            self._hand_over()
        while self.pending:
            self._keep_oldest()
        probabilities = None if self.probabilities is None else self.probabilities[:n]
        Z = self.out.view() if self.out is not None else self.Z[:n]
        return Z, self.E[:n], probabilities

    def close(self) -> None:
        """Let the makers go once the blocks handed to them are made: a build stopped by an
        error writes nothing more into a file it abandons."""
        for _, future in self.pending:
            future.cancel()
        self.pending.clear()
        self.makers.shutdown()


def save_clusters(store: IndexStore, catalogue: Catalogue) -> None:
    """After a clustering: side files for the catalogue's new generation, with its clusters
    and the vectors file it was opened from (nothing else changed)."""
    if catalogue.side_build is None or store.read_only:
        return
    stored = store.load_space(catalogue.descriptor.key)
    if stored is None:
        return
    manifest = dict(_side_key(catalogue.descriptor, catalogue.generation, stored[1],
                              catalogue.roots),
                    build=catalogue.side_build,
                    labels={str(cid): label for cid, label in catalogue.cluster_labels.items()})
    with contextlib.suppress(OSError):  # the next process rebuilds them
        side_files.write_arrays(side_files.manifest_path(store.path), manifest, {
            "clusters": np.asarray(catalogue.clusters, dtype=np.int64),
            "typicality": np.asarray(catalogue.typicality, dtype=np.float32),
        })
