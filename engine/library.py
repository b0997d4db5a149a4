"""The front door: one object the CLI and the OSC bridge both use.

``Library`` owns the index file and knows the roots; each verb here has the
same name on every layer (``Library.scan`` <-> ``soundalike scan`` <->
``/soundalike/rescan``...). It returns report objects and never prints.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from . import export, search
from .catalogue import Catalogue
from .cluster_names import cluster_label
from .clustering import DEFAULT_SIZE, KitClusterer, import_kmeans, match_ids
from .descriptors import DEFAULT_DESCRIPTOR, DESCRIPTORS, Descriptor, get_descriptor
from .duplicates import (
    duplicate_pairs,
    group_pairs,
)
from .errors import EngineError
from .index_store import IndexStore, Root
from .kits import DEFAULT_PADS, build_kit, category_probabilities
from .paths import default_db_path, display_path, is_under, real_path, to_bytes
from .reports import (
    ClusterDetail,
    ClusteringReport,
    ClusterSummary,
    DuplicateGroup,
    Failure,
    ForgetReport,
    KitResult,
    LibraryStatus,
    MatesResult,
    RootStatus,
    ScanProgress,
    ScanReport,
    SimilarResult,
)
from .scan_lock import ScanLock
from .scanner import ProgressCallback, Scanner
from .storage_faults import DamagedIndexError, damaged_advice

#: Below this share of the library changed, a rescan places new files in the existing clusters
#: instead of clustering again (ids and memberships then stay exactly as they were).
INCREMENTAL_CLUSTER_SHARE = 0.05
#: How clusters are made and labelled; a library clustered by an older scheme is clustered
#: again the next time its clusters are used. 2: kit-sized clusters within one instrument
#: category, labels that start with the instrument.
CLUSTER_SCHEME = "2"


class Library:
    """A sample library: its roots, its index, and the questions it answers."""

    def __init__(self, db_path: str | os.PathLike | None = None):
        self.db_path = Path(db_path) if db_path is not None else default_db_path()
        self.store = IndexStore(self.db_path)
        self._catalogue: Catalogue | None = None
        self._built_for: str | None = None  # the library's descriptor name when it was built
        self._means_key: tuple | None = None  # category means for cluster labels
        self._means: dict[int, np.ndarray] = {}

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- configuration ---

    @property
    def descriptor(self) -> Descriptor:
        """The descriptor this library was last scanned with (the default before any scan)."""
        return get_descriptor(self.store.get_meta("descriptor", DEFAULT_DESCRIPTOR))

    @property
    def search_descriptor(self) -> Descriptor:
        """The descriptor queries use: the library's own, or, until the next scan brings the
        vectors up to its version, the one its vectors were computed with (a library
        profiled with ``soundalike-2`` keeps answering after an upgrade)."""
        chosen = self.descriptor
        keys = self.store.descriptor_keys()
        if keys.get(chosen.key):
            return chosen
        stored = [d for d in DESCRIPTORS.values() if keys.get(d.key)]
        return max(stored, key=lambda d: keys[d.key]) if stored else chosen

    def roots(self) -> list[Root]:
        return self.store.roots()

    # --- scan ---

    def scan(
        self,
        paths: Iterable[str | os.PathLike] | None = None,
        *,
        match: str | None = None,
        jobs: int | None = None,
        descriptor: str | None = None,
        progress: ProgressCallback | None = None,
        locked: bool = False,
    ) -> ScanReport:
        """Profile the audio files under ``paths`` (which become roots), or rescan every root.

        ``match`` keeps only files whose name contains it; it is remembered with
        the roots given here. Only new and changed files are decoded. One scan
        at a time per index (:class:`.scan_lock.ScanLock`); ``locked`` says the
        caller already holds the lock.
        """
        with contextlib.nullcontext() if locked else ScanLock(self.db_path):
            self._refuse_damaged()
            return self._scan(paths, match, jobs, descriptor, progress)

    def _scan(self, paths, match, jobs, descriptor, progress) -> ScanReport:
        chosen = get_descriptor(descriptor) if descriptor else self.descriptor
        if jobs is not None and jobs < 1:
            raise EngineError("--jobs must be at least 1")
        if paths:
            roots = self._add_roots(paths, match)
        else:
            roots = self.store.roots()
            if not roots:
                raise EngineError("the library has no folders yet: run `soundalike scan FOLDER`")
            if match is not None:
                raise EngineError(
                    "--match needs the folders it applies to: `soundalike scan FOLDER --match WORD`"
                )
        return self._scan_roots(roots, chosen, jobs, progress)

    def _scan_roots(self, roots: list[Root], descriptor: Descriptor, jobs: int | None,
                    progress: ProgressCallback | None) -> ScanReport:
        """Scan, then bring the feature space and the clusters up to date if anything changed."""
        report = Scanner(self.store, descriptor, jobs=jobs, progress=progress,
                         while_profiling=import_kmeans).run(roots)
        if report.changed_library or self._clusters_incomplete(descriptor):
            if progress is not None:
                progress(ScanProgress(phase="clustering", done=report.profiled,
                                      total=report.profiled, failed=report.failed,
                                      elapsed=report.elapsed))
            self.refresh(changed=report.new + report.changed + report.removed)
        return report

    def _clusters_incomplete(self, descriptor: Descriptor) -> bool:
        """Profiled sounds in no cluster: a scan was killed while clustering. The next scan
        (or any command that needs clusters) makes them."""
        profiled = self.store.count_profiled(descriptor.key)
        return bool(profiled) and self.store.count_clustered() < profiled

    # --- the index file itself ---

    def check(self, *, quick: bool = False) -> list[str]:
        """SQLite's integrity check of the index: ``[]`` when sound, else what is wrong."""
        pragma = "quick_check" if quick else "integrity_check"
        try:
            rows = [row[0] for row in self.store.db.execute(f"PRAGMA {pragma}(100)")]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [] if rows == ["ok"] else rows

    def _refuse_damaged(self) -> None:
        """A scan on a damaged index could report success over rows it cannot read back."""
        problems = self.check(quick=True)
        if problems:
            raise DamagedIndexError(f"the index {self.db_path} is damaged ({problems[0]}). "
                                    + damaged_advice(self.db_path))

    def rebuild(self, folders: Iterable[str | os.PathLike] | None = None, *,
                jobs: int | None = None, descriptor: str | None = None,
                progress: ProgressCallback | None = None) -> tuple[Path, ScanReport]:
        """A new index from the library's folders (or ``folders``), the old file kept aside.

        For a damaged index: its folder list is read if it still can be. Returns where the
        old file went and the scan's report.
        """
        with ScanLock(self.db_path):
            try:
                old_roots = [(r.path, r.match) for r in self.store.roots()]
            except (sqlite3.DatabaseError, EngineError):
                old_roots = []
            wanted = [(to_bytes(f), None) for f in folders] if folders else old_roots
            if not wanted:
                raise EngineError("the old index's folder list cannot be read: name the folders, "
                                  "`soundalike scan --rebuild FOLDER...`")
            for path, _ in wanted:
                if not os.path.isdir(path):
                    raise EngineError(f"no such folder: {display_path(path)}")
            self.store.close()
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            aside = self.db_path.with_name(f"{self.db_path.name}.old-{stamp}")
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(f"{self.db_path}{suffix}", f"{aside}{suffix}")
            self.store = IndexStore(self.db_path)
            self._catalogue = None
            with self.store.transaction():
                for path, match in wanted:
                    self.store.add_root(path, match)
            chosen = get_descriptor(descriptor) if descriptor else self.descriptor
            return aside, self._scan_roots(self.store.roots(), chosen, jobs, progress)

    def rescan(self, folder: str | os.PathLike | None = None, *, jobs: int | None = None,
               progress: ProgressCallback | None = None, locked: bool = False) -> ScanReport:
        """Rescan every root, or one folder of the library (a root or a folder inside one).

        Unlike :meth:`scan`, never adds a root: a folder outside the library is an error.
        """
        with contextlib.nullcontext() if locked else ScanLock(self.db_path):
            self._refuse_damaged()
            return self._rescan(folder, jobs, progress)

    def _rescan(self, folder, jobs, progress) -> ScanReport:
        roots = self.store.roots()
        if folder is None:
            if not roots:
                raise EngineError("the library has no folders yet: run `soundalike scan FOLDER`")
            chosen = roots
        else:
            path = to_bytes(folder)
            if not any(is_under(path, root.path) for root in roots):
                path = real_path(path)  # reached through a symlink: walk it by its real path
            parent = self.root_of(path)
            if parent is None:
                raise EngineError(f"{display_path(path)} is not in the library's folders")
            if not os.path.isdir(path):
                raise EngineError(f"no such folder: {display_path(path)}")
            chosen = [Root(path, parent.match, parent.added_ns, parent.last_scan_ns)]
        return self._scan_roots(chosen, self.descriptor, jobs, progress)

    def forget(self, folders: Iterable[str | os.PathLike]) -> ForgetReport:
        """Take library folders out of the index: their sounds leave search, clusters and
        exports, and rescans no longer visit them. Nothing on disk is touched; scanning a
        folder again brings it back. For a folder scanned by mistake, or a retired drive.
        """
        roots = {root.path for root in self.store.roots()}
        chosen: list[bytes] = []
        for raw in folders:
            path = to_bytes(raw)
            if path not in roots and real_path(path) in roots:
                path = real_path(path)  # the folder named through a symlink
            if path not in roots:
                parent = self.root_of(path)
                if parent is not None:
                    raise EngineError(
                        f"{display_path(path)} is inside the library folder "
                        f"{display_path(parent.path)}: only whole folders given to `scan` "
                        "can be forgotten"
                    )
                raise EngineError(
                    f"{display_path(path)} is not one of the library's folders "
                    "(`soundalike status` lists them)"
                )
            if path not in chosen:
                chosen.append(path)
        keep = [root for root in roots if root not in chosen]
        with self.store.transaction():
            files = sum(self.store.forget_root(path, keep) for path in chosen)
        if files:
            self.refresh(changed=files)
        return ForgetReport(folders=[display_path(p) for p in chosen], files=files)

    # --- the search catalogue ---

    def catalogue(self) -> Catalogue:
        """The in-memory library for queries, reloaded when the index has changed."""
        generation = self.store.get_meta("generation", "0")
        chosen = self.store.get_meta("descriptor", DEFAULT_DESCRIPTOR)
        current = self._catalogue
        if current is None or current.generation != generation or self._built_for != chosen:
            current = self.reload()
        return current

    def reload(self) -> Catalogue:
        """Build a fresh catalogue and swap it in (one reference assignment: atomic)."""
        # Which descriptor to search with costs a pass over the files table: asked only here,
        # when a catalogue is built, not on every query.
        self._built_for = self.store.get_meta("descriptor", DEFAULT_DESCRIPTOR)
        self._catalogue = Catalogue.load(self.store, self.search_descriptor)
        return self._catalogue

    def _bump_generation(self) -> str:
        generation = str(time.time_ns())
        self.store.set_meta("generation", generation)
        return generation

    def _store_clusters(self, catalogue: Catalogue, clusters, mode: str | None = None) -> None:
        """Write a clustering and swap in a catalogue that knows it.

        The new catalogue shares the old one's vectors and index (only the cluster
        arrays are new): no second copy of the library in memory, no reload.
        """
        row_of = {int(file_id): row for row, file_id in enumerate(catalogue.ids)}
        assigned = np.zeros(catalogue.size, dtype=np.int64)
        typicality = np.zeros(catalogue.size, dtype=np.float32)
        for cid, _, members in clusters:
            for file_id, value in members:
                row = row_of[file_id]
                assigned[row], typicality[row] = cid, value
        with self.store.transaction():
            self.store.replace_clusters(clusters)
            if mode is not None:
                self.store.set_meta("cluster_mode", mode)
                self.store.set_meta("cluster_scheme", CLUSTER_SCHEME)
            generation = self._bump_generation()
        self._catalogue = dataclasses.replace(
            catalogue, clusters=assigned, typicality=typicality,
            cluster_labels={cid: label for cid, label, _ in clusters}, generation=generation)

    def refresh(self, *, changed: int | None = None) -> ClusteringReport | None:
        """After a scan: refit what is stale and bring the clusters up to date."""
        if not self.store.descriptor_keys().get(self.search_descriptor.key):
            with self.store.transaction():  # nothing left to cluster: no clusters either
                self.store.replace_clusters([])
                self._bump_generation()
            self._catalogue = None
            return None
        with self.store.transaction():
            self._bump_generation()
        self._catalogue = None  # let the old catalogue go before the new one is built
        catalogue = self.reload()
        size, count = self._cluster_mode()
        old = self.store.cluster_assignments()
        known = {m for members in old.values() for m in members}
        unplaced = [row for row, file_id in enumerate(catalogue.ids) if int(file_id) not in known]
        touched = len(unplaced) + (changed or 0)
        if old and touched <= INCREMENTAL_CLUSTER_SHARE * catalogue.size and self._scheme_ok():
            return self._place_new(catalogue, old, unplaced)
        return self.recluster(size=size, count=count)

    # --- similar sounds ---

    def similar(
        self, files: Iterable[str | os.PathLike], k: int = 10, **filters
    ) -> list[SimilarResult]:
        """The ``k`` most similar samples in the library for each file (in it or not).

        Filters: ``other_folders``, ``under``, ``min_duration``, ``max_duration``,
        ``no_duplicates``, ``weights``, ``category`` (see :func:`.search.similar`).
        """
        catalogue = self.catalogue()
        return [search.similar(catalogue, file, k, **filters) for file in files]

    # --- kits ---

    def kit(
        self,
        files: Iterable[str | os.PathLike] = (),
        *,
        pads: int = DEFAULT_PADS,
        cluster: int | None = None,
        other_folders: bool = False,
    ) -> KitResult:
        """A playable kit around reference sounds: one sound per role, on General MIDI notes
        (see :mod:`.kits`)."""
        if cluster is not None:
            self._ensure_clusters()
        return build_kit(self.catalogue(), files, pads=pads, cluster=cluster,
                         other_folders=other_folders)

    # --- clusters ---

    def _cluster_mode(self) -> tuple[int | None, int | None]:
        mode = self.store.get_meta("cluster_mode", f"size:{DEFAULT_SIZE}") or ""
        kind, _, value = mode.partition(":")
        return (int(value), None) if kind != "count" else (None, int(value))

    def _cluster_mixed(self) -> bool:
        """Whether kit-sized clusters may mix instruments (``clusters --mixed``)."""
        return (self.store.get_meta("cluster_mode", "") or "").startswith("mixed:")

    def recluster(self, *, size: int | None = None, count: int | None = None,
                  mixed: bool | None = None) -> ClusteringReport:
        """Cluster the whole library again (kit-sized by default); ids kept where groups persist.

        Kit-sized clusters stay inside one instrument category each (the most likely one of
        every sound) unless ``mixed`` (None: as the library was last clustered); ``count``
        clusters are a plain k-means over every sound.
        """
        if mixed is None:
            mixed = self._cluster_mixed()
        started = time.monotonic()
        if size is not None and count is not None:
            raise EngineError("choose --size or --count, not both")
        if size is None and count is None:
            size = DEFAULT_SIZE
        catalogue = self.catalogue()
        # Rows in path order: k-means starts from sampled rows, and the stored order is the
        # order scan workers happened to finish in. The same library gets the same clusters.
        by_path = np.array(sorted(range(catalogue.size), key=catalogue.paths.__getitem__),
                           dtype=np.int64)
        groups = None
        if count is None and not mixed and catalogue.descriptor.categorise is not None:
            groups = category_probabilities(catalogue).argmax(axis=1)[by_path]
        model = KitClusterer(size=size, count=count).fit(catalogue.index.E[by_path], groups)
        groups = [np.flatnonzero(model.labels_ == c) for c in range(model.n_clusters_)]
        old = {cid: set(members) for cid, members in self.store.cluster_assignments().items()}
        ids = match_ids([{int(catalogue.ids[r]) for r in by_path[g]} for g in groups], old)
        clusters = [self._cluster_entry(catalogue, cid, by_path[g], model.typicality_[g])
                    for cid, g in zip(ids, groups, strict=True)]
        mode = f"{'mixed' if mixed else 'size'}:{size}" if size is not None else f"count:{count}"
        self._store_clusters(catalogue, clusters, mode)
        return ClusteringReport(
            clusters=len(clusters),
            files=catalogue.size,
            kept_ids=sum(1 for cid in ids if cid in old),
            mode=mode.replace(":", " "),
            elapsed=time.monotonic() - started,
        )

    def _place_new(
        self, catalogue: Catalogue, old: dict[int, list[int]], unplaced: list[int]
    ) -> ClusteringReport:
        """Put new files into the nearest existing cluster; everything else stays as it was."""
        started = time.monotonic()
        row_of_id = {int(file_id): row for row, file_id in enumerate(catalogue.ids)}
        members = {
            cid: [row_of_id[f] for f in files if f in row_of_id] for cid, files in old.items()
        }
        members = {cid: rows for cid, rows in members.items() if rows}
        E = catalogue.index.E
        cids = list(members)
        centres = np.stack([E[members[c]].mean(axis=0) for c in cids])
        codes = main = None
        size, count = self._cluster_mode()
        if count is None and not self._cluster_mixed() and catalogue.descriptor.categorise:
            # clusters kept within one category: a new sound joins one of its own category
            codes = category_probabilities(catalogue).argmax(axis=1)
            main = np.array([np.bincount(codes[members[c]]).argmax() for c in cids])
        for row in unplaced:
            d2 = ((centres - E[row]) ** 2).sum(axis=1)
            if main is not None and (main == codes[row]).any():
                d2 = np.where(main == codes[row], d2, np.inf)
            nearest = int(np.argmin(d2))
            members[cids[nearest]].append(row)
        clusters = []
        for index, cid in enumerate(cids):
            rows = np.array(members[cid])
            typicality = np.linalg.norm(E[rows] - centres[index], axis=1)
            clusters.append(self._cluster_entry(catalogue, cid, rows, typicality))
        self._store_clusters(catalogue, clusters)
        return ClusteringReport(
            clusters=len(clusters),
            files=catalogue.size,
            kept_ids=len(clusters),
            mode=f"size {size}" if size else f"count {count}",
            incremental=True,
            elapsed=time.monotonic() - started,
        )

    def _cluster_entry(self, catalogue: Catalogue, cid: int, rows: np.ndarray,
                       typicality: np.ndarray) -> tuple[int, str, list[tuple[int, float]]]:
        """``(id, label, [(file id, typicality), ...])`` with the most typical member first."""
        order = np.argsort(typicality, kind="stable")
        rows, typicality = rows[order], typicality[order]
        members = [(int(catalogue.ids[r]), float(t)) for r, t in zip(rows, typicality,
                                                                       strict=True)]
        return cid, self._label(catalogue, rows), members

    def _label(self, catalogue: Catalogue, rows: np.ndarray) -> str:
        """Instruments, then the traits that set the cluster apart from the other sounds of
        its main instrument (from the hand-made part of the vectors), then shared words."""
        names = [os.path.basename(catalogue.paths[r]).decode("utf-8", "replace") for r in rows]
        categories = None
        mean_z = None
        hand = catalogue.index.learned  # the hand-made descriptor follows the learned part
        if catalogue.descriptor.aspects:
            mean_z = catalogue.index.Z[rows, hand:].mean(axis=0)
        if catalogue.descriptor.categorise is not None:
            categories = [catalogue.category_of(r) for r in rows]
            codes = catalogue.categories[rows]
            main = int(np.bincount(codes[codes >= 0] if (codes >= 0).any() else [0]).argmax())
            if mean_z is not None:
                mean_z = mean_z - self._category_mean(catalogue, main)[hand:]
        packs = [int(catalogue.packs[r]) for r in rows]
        return cluster_label(mean_z, names, categories, packs)

    def _category_mean(self, catalogue: Catalogue, code: int) -> np.ndarray:
        """The mean standardised vector of one category's sounds (kept per catalogue)."""
        key = (id(catalogue), catalogue.generation)
        if self._means_key != key:
            self._means_key, self._means = key, {}
        if code not in self._means:
            members = (catalogue.categories == code).astype(np.float32)
            Z = catalogue.index.Z  # a product, not Z[rows]: no copy of a big library's rows
            count = float(members.sum())
            self._means[code] = members @ Z / count if count else np.zeros(Z.shape[1])
        return self._means[code]

    def clusters(self, *, category: str | None = None) -> list[ClusterSummary]:
        """Every cluster with its label and size (clustering the library first if needed);
        with ``category``, only the clusters mostly of that instrument."""
        self._ensure_clusters()
        summaries = search.cluster_summaries(self.catalogue())
        if category is not None:
            self.catalogue().rows_of_category(category)  # a known category, or a clear error
            summaries = [c for c in summaries if c.category == category]
        return summaries

    def cluster(self, cluster_id: int) -> ClusterDetail:
        """One cluster's members, most typical first."""
        self._ensure_clusters()
        return search.cluster_detail(self.catalogue(), cluster_id)

    def mates(self, file: str | os.PathLike) -> MatesResult:
        """The other members of a library file's cluster, most similar to it first."""
        self._ensure_clusters()
        return search.mates(self.catalogue(), file)

    def _scheme_ok(self) -> bool:
        return self.store.get_meta("cluster_scheme", None) == CLUSTER_SCHEME

    def _ensure_clusters(self) -> None:
        if self.store.cluster_table() and not self._scheme_ok():
            size, count = self._cluster_mode()  # clustered by an older version: once again
            self.recluster(size=size, count=count)
        if not self.store.cluster_table():
            if not self.store.descriptor_keys().get(self.search_descriptor.key):
                raise EngineError(
                    "the library has no profiled sounds yet: run `soundalike scan FOLDER`"
                )
            size, count = self._cluster_mode()
            self.recluster(size=size, count=count)

    # --- duplicates ---

    def duplicates(self) -> list[DuplicateGroup]:
        """Groups of near-identical samples, the copy worth keeping first."""
        catalogue = self.catalogue()
        pairs = duplicate_pairs(catalogue.index, catalogue.space.scale_)
        worst: dict[int, float] = {}
        groups = group_pairs(pairs)
        group_of = {row: g for g, rows in enumerate(groups) for row in rows}
        for i, _, d in pairs:
            g = group_of[i]
            worst[g] = max(worst.get(g, 0.0), d)
        facts = self.store.quality_facts([int(catalogue.ids[r]) for g in groups for r in g])
        result = []
        for g, rows in enumerate(groups):
            ranked = sorted(
                rows, key=lambda r: facts.get(int(catalogue.ids[r]), (0, 0, 0)), reverse=True
            )
            result.append(
                DuplicateGroup(
                    paths=[display_path(catalogue.paths[r]) for r in ranked],
                    distance=round(worst[g], 4),
                )
            )
        return result

    # --- the map ---

    def map_data(self, *, neighbours: int = 8, progress=None):
        """Everything the library map shows; positions are kept for the next map.

        ``progress`` (optional) is called with a sentence before each slow step.
        """
        from .map_layout import layout
        from .map_page import MapData
        from .neighbours import all_neighbours

        self._ensure_clusters()
        catalogue = self.catalogue()
        stored = self.store.map_positions()
        previous = np.array([stored.get(int(i), (np.nan, np.nan)) for i in catalogue.ids],
                            dtype=np.float64).reshape(-1, 2)
        if progress is not None:
            new = int((~np.isfinite(previous).all(axis=1)).sum())
            progress(f"placing {catalogue.size:,} sounds on the map ({new:,} new)")
        positions = layout(catalogue.index.E, previous)
        if progress is not None:
            progress("finding each sound's nearest neighbours")
        with self.store.transaction():
            self.store.save_map_positions(
                (int(i), float(x), float(y)) for i, (x, y) in zip(catalogue.ids, positions,
                                                                   strict=True))
        return MapData(
            positions=positions, paths=catalogue.paths, durations=catalogue.durations,
            clusters=catalogue.clusters, labels=dict(catalogue.cluster_labels),
            neighbours=all_neighbours(catalogue.index.E, neighbours),
            categories=(catalogue.categories if catalogue.descriptor.categorise is not None
                        else None),
        )

    # --- export ---

    def export_links(self, outdir: str | os.PathLike) -> int:
        """One folder per cluster of symbolic links to the originals. Returns the link count."""
        self._ensure_clusters()
        target = to_bytes(outdir)
        self._refuse_inside_roots(target)
        clusters = [
            (cid, label, [path for _, path, _, _ in self.store.cluster_members(cid)])
            for cid, label, _ in self.store.cluster_table()
        ]
        return export.write_links(target, clusters)

    def export_table(self, file: str | os.PathLike, fmt: str) -> int:
        """The whole index with cluster ids as CSV or JSON. Returns the row count."""
        self._ensure_clusters()
        target = b"-" if os.fspath(file) in ("-", b"-") else to_bytes(file)
        self._refuse_inside_roots(target)
        return export.write_table(target, fmt, self.store.export_rows())

    def _refuse_inside_roots(self, target: bytes) -> None:
        for root in self.store.roots():
            if is_under(target, root.path):
                raise EngineError(
                    "the export must go outside your sample folders "
                    "(soundalike never writes inside them)"
                )

    def _add_roots(self, paths: Iterable[str | os.PathLike], match: str | None) -> list[Root]:
        wanted = []
        for raw in paths:
            given = to_bytes(raw)
            if not os.path.exists(given):
                raise EngineError(f"no such folder: {display_path(given)}")
            if not os.path.isdir(given):
                raise EngineError(f"not a folder: {display_path(given)} (scan takes folders)")
            wanted.append(real_path(given))  # a symlinked folder and its target: one root
        stored = [root.path for root in self.store.roots()]
        with self.store.transaction():
            for path in wanted:
                # A root an older soundalike stored by a symlink's path gives way to the
                # real one (its files come back under the real path in this scan).
                for old in stored:
                    if old != path and real_path(old) == path:
                        self.store.forget_root(old, [p for p in stored if p != old])
                self.store.add_root(path, match or None)
        by_path = {root.path: root for root in self.store.roots()}
        return [by_path[path] for path in wanted]

    def root_of(self, path: bytes) -> Root | None:
        """The library root a path lies under (directly or through symlinks), if any."""
        roots = self.store.roots()
        for candidate in (path, real_path(path)):
            for root in roots:
                if is_under(candidate, root.path):
                    return root
        return None

    # --- status ---

    def status(self, *, failures: int | None = 50) -> LibraryStatus:
        counts = self.store.counts()
        keys = self.store.descriptor_keys()
        descriptor = self.descriptor
        last = self.store.last_scan()
        last_report = last_finished = None
        if last is not None and last[2] is not None:
            last_report = ScanReport.model_validate(last[2])
            last_finished = _iso(last[1])
        return LibraryStatus(
            db=str(self.db_path),
            db_bytes=_db_bytes(self.db_path),
            schema_version=self.store.schema_version(),
            descriptor=descriptor.key,
            roots=[
                RootStatus(
                    path=display_path(r.path),
                    match=r.match,
                    last_scan=_iso(r.last_scan_ns),
                    online=os.path.isdir(r.path),
                )
                for r in self.store.roots()
            ],
            files=counts["total"],
            profiled=keys.get(descriptor.key, 0),
            silent=counts["silent"],
            failed=counts["failed"],
            long=counts["long"],
            stale=sum(n for key, n in keys.items() if key != descriptor.key),
            categories=self.store.category_counts(descriptor.key),
            last_scan=last_report,
            last_scan_finished=last_finished,
            failures=[
                Failure(path=display_path(p), reason=r)
                for p, r in self.store.failures(limit=failures)
            ],
        )


def _iso(ns: int | None) -> str | None:
    if ns is None:
        return None
    return dt.datetime.fromtimestamp(ns / 1e9).astimezone().isoformat(timespec="seconds")


def _db_bytes(path: Path) -> int:
    total = 0
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            total += os.path.getsize(str(path) + suffix)
    return total
