"""The front door: one object the CLI and the OSC bridge both use.

``Library`` owns the index file and knows the roots; each verb here has the
same name on every layer (``Library.scan`` <-> ``soundalike scan`` <->
``/soundalike/rescan``...). It returns report objects and never prints. The work itself
is done by the stages (``scan/``, ``index/``, ``search/``, ``clusters/``, ``kits/``,
``map/``; see docs/architecture.md), the scanner, kits and exports imported by the verbs
that use them: every command pays for its imports at every start.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from . import reports
from .clusters.corrections import Corrections
from .clusters.keeper import ClusterKeeper
from .clusters.listing import cluster_detail, cluster_summaries
from .index import side_files
from .index.catalogue import BUILD_THREADS, Catalogue
from .index.category_refresh import mark_current
from .index.live import LiveCatalogue
from .index.status import library_status
from .index.store import IndexStore, Root, set_aside
from .kits.roles import DEFAULT_PADS
from .paths import default_db_path, display_path
from .reports import ProgressCallback
from .scan import roots as library_roots
from .scan.lock import ScanLock
from .search import similar as search
from .sound.descriptors import Descriptor, get_descriptor


class Library:
    """A sample library: its roots, its index, and the questions it answers."""

    def __init__(self, db_path: str | os.PathLike | None = None, *, serving: bool = False):
        """``serving``: this process answers requests meanwhile (``serve``), so what the
        library builds (after a scan, or when its side files are missing) leaves the other
        cores to them."""
        self.db_path = Path(db_path) if db_path is not None else default_db_path()
        self.serving = serving
        self._open(IndexStore(self.db_path))

    def _open(self, store: IndexStore) -> None:
        self.store = store
        self.live = LiveCatalogue(store, build_threads=0 if self.serving else BUILD_THREADS)
        self.keeper = ClusterKeeper(store, self.live)
        self.corrections = Corrections(store, self.live, self.keeper)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def descriptor(self) -> Descriptor:
        """The descriptor this library was last scanned with (the default before any scan)."""
        return self.live.descriptor

    def roots(self) -> list[Root]:
        return self.store.roots()

    def root_of(self, path: bytes) -> Root | None:
        """The library root a path lies under (directly or through symlinks), if any."""
        return library_roots.root_of(self.store, path)

    # --- scan ---

    def scan(self, paths: Iterable[str | os.PathLike] | None = None, *, match: str | None = None,
             jobs: int | None = None, descriptor: str | None = None, dask: str | None = None,
             progress: ProgressCallback | None = None, locked: bool = False) -> reports.ScanReport:
        """Profile the audio files under ``paths`` (which become roots, with ``match``: only
        names containing it), or rescan every root; only new and changed files are decoded.
        ``dask``: a Dask scheduler's address, whose workers profile instead of local processes.
        One scan at a time per index; ``locked``: the caller holds the :class:`ScanLock`."""
        with contextlib.nullcontext() if locked else ScanLock(self.db_path):
            self.store.refuse_damaged()
            chosen = get_descriptor(descriptor) if descriptor else self.descriptor
            from .scan.scanner import check_options
            check_options(jobs, dask)
            roots = library_roots.roots_to_scan(self.store, paths, match)
            return self._scan_roots(roots, chosen, jobs, progress, dask)

    def rescan(self, folder: str | os.PathLike | None = None, *, jobs: int | None = None,
               progress: ProgressCallback | None = None,
               locked: bool = False) -> reports.ScanReport:
        """Rescan every root, or one folder of the library (a root or a folder inside one);
        unlike :meth:`scan`, never adds a root: a folder outside the library is an error."""
        with contextlib.nullcontext() if locked else ScanLock(self.db_path):
            self.store.refuse_damaged()
            roots = library_roots.roots_to_rescan(self.store, folder)
            return self._scan_roots(roots, self.descriptor, jobs, progress, None)

    def _scan_roots(self, roots: list[Root], descriptor: Descriptor, jobs: int | None,
                    progress: ProgressCallback | None, dask: str | None) -> reports.ScanReport:
        """Scan, then bring the feature space and the clusters up to date if anything changed."""
        from .scan.loop_recount import recount_loops
        from .scan.scanner import Scanner
        report = Scanner(self.store, descriptor, jobs=jobs, progress=progress, dask=dask).run(roots)
        mark_current(self.store, descriptor)  # every sound now named by the current head
        recount = recount_loops(self.store, descriptor, progress)  # once, after an upgrade
        report.loops_found, report.loops_placed = recount.named, recount.placed
        report.loops_unnamed = recount.unnamed
        with side_files.cached_until_done():  # the clusters read back what was just written
            self.keeper.after_scan(report, progress)
            if recount.paths:  # renamed or moved loops join the nearest cluster of loops
                self.keeper.regroup(recount.paths)
        return report

    def rebuild(self, folders: Iterable[str | os.PathLike] | None = None, *,
                jobs: int | None = None, descriptor: str | None = None, dask: str | None = None,
                progress: ProgressCallback | None = None) -> tuple[Path, reports.ScanReport]:
        """A new index from the library's folders (or ``folders``), the old file kept aside;
        for a damaged index, its folder list is read if it still can be. Returns where the old
        file went and the scan's report."""
        from .scan.scanner import check_options
        check_options(jobs, dask)
        with ScanLock(self.db_path):
            wanted = library_roots.folders_to_rebuild(self.store, folders)
            self.store.close()
            aside = set_aside(self.db_path)
            self._open(IndexStore(self.db_path))
            with self.store.transaction():
                for path, match in wanted:
                    self.store.add_root(path, match)
            chosen = get_descriptor(descriptor) if descriptor else self.descriptor
            return aside, self._scan_roots(self.store.roots(), chosen, jobs, progress, dask)

    def forget(self, folders: Iterable[str | os.PathLike]) -> reports.ForgetReport:
        """Take library folders out of the index (search, clusters, exports, rescans); nothing
        on disk is touched, and scanning a folder again brings it back."""
        chosen, files = library_roots.forget_roots(self.store, folders)
        if files:
            self.refresh(changed=files)
        return reports.ForgetReport(folders=[display_path(p) for p in chosen], files=files)

    # --- the index file itself ---

    def check(self, *, quick: bool = False) -> list[str]:
        """SQLite's integrity check of the index: ``[]`` when sound, else what is wrong."""
        return self.store.check(quick=quick)

    def status(self, *, failures: int | None = 50) -> reports.LibraryStatus:
        return library_status(self.store, self.db_path, self.descriptor, failures=failures)

    # --- questions ---

    def catalogue(self) -> Catalogue:
        """The in-memory library for queries, reloaded when the index has changed."""
        return self.live.get()

    def similar(self, files: Iterable[str | os.PathLike], k: int = 10,
                **filters) -> list[reports.SimilarResult]:
        """The ``k`` most similar samples in the library for each file (in it or not).

        Filters: ``other_folders``, ``under``, ``min_duration``, ``max_duration``,
        ``no_duplicates``, ``weights``, ``category``, ``kind`` (see
        :func:`.search.similar.nearest`).
        """
        catalogue = self.catalogue()
        return [search.similar(catalogue, file, k, **filters) for file in files]

    def kit(self, files: Iterable[str | os.PathLike] = (), *, pads: int = DEFAULT_PADS,
            cluster: int | None = None, other_folders: bool = False, variation: int = 0,
            keep: dict | None = None) -> reports.KitResult:
        """A playable kit around reference sounds: one sound per role, on General MIDI notes
        (see :mod:`.kits.build`); ``variation`` N gives the N-th next kit, ``keep`` locks
        pads (``{note: file}``)."""
        from .kits.build import build_kit
        if cluster is not None:
            self.keeper.ensure()
        return build_kit(self.catalogue(), files, pads=pads, cluster=cluster,
                         other_folders=other_folders, variation=variation, keep=keep)

    # --- corrections ---

    def label(self, files: Iterable[str | os.PathLike],
              category: str | None) -> reports.LabelReport:
        """Say what ``files`` are (``category``), or with None forget what was said (see
        :class:`.clusters.corrections.Corrections`)."""
        return self.corrections.label(files, category)

    def export_labels(self, file: str | os.PathLike) -> int:
        """The library's corrections as CSV (``-``: standard output). Returns the count."""
        from .index.labels import write_labels_csv
        return write_labels_csv(self.store, file)

    def import_labels(self, file: str | os.PathLike) -> tuple[int, list[str]]:
        """Corrections from a CSV: how many were stored, and the rows skipped with why."""
        return self.corrections.import_csv(file)

    def save_kit(self, kit: reports.KitResult, fmt: str,
                 folder: str | os.PathLike) -> reports.SavedKit:
        """Write a kit as an instrument file (``hydrogen``, ``drumgizmo``, ``sfz``), its samples
        copied beside it (see :mod:`.kits.instrument_files`)."""
        from .kits.instrument_files import save_kit

        return save_kit(kit, fmt, folder, self.store)

    def duplicates(self) -> list[reports.DuplicateGroup]:
        """Groups of near-identical samples, the copy worth keeping first."""
        from .search.duplicates import duplicate_groups
        return duplicate_groups(self.catalogue(), self.store)

    # --- clusters ---

    def refresh(self, *, changed: int | None = None) -> reports.ClusteringReport | None:
        """After a scan: refit what is stale and bring the clusters up to date."""
        return self.keeper.refresh(changed=changed)

    def recluster(self, *, size: int | None = None, count: int | None = None,
                  mixed: bool | None = None) -> reports.ClusteringReport:
        """Cluster the whole library again (see :class:`.clusters.keeper.ClusterKeeper`)."""
        return self.keeper.recluster(size=size, count=count, mixed=mixed)

    def clusters(self, *, category: str | None = None) -> list[reports.ClusterSummary]:
        """Every cluster with its label and size (clustering the library first if needed);
        with ``category``, only the clusters mostly of that instrument."""
        self.keeper.ensure()
        return cluster_summaries(self.catalogue(), category)

    def cluster(self, cluster_id: int) -> reports.ClusterDetail:
        """One cluster's members, most typical first."""
        self.keeper.ensure()
        return cluster_detail(self.catalogue(), cluster_id)

    def mates(self, file: str | os.PathLike) -> reports.MatesResult:
        """The other members of a library file's cluster, most similar to it first."""
        self.keeper.ensure()
        return search.mates(self.catalogue(), file)

    # --- output ---

    def map_data(self, *, neighbours: int = 8, progress=None):
        """Everything the library map shows; positions are kept for the next map.

        ``progress`` (optional) is called with a sentence before each slow step.
        """
        from .map.data import map_data
        self.keeper.ensure()
        return map_data(self.store, self.catalogue(), neighbours=neighbours, progress=progress)

    def export_links(self, outdir: str | os.PathLike) -> int:
        """One folder per cluster of symbolic links to the originals. Returns the link count."""
        from .export import write_cluster_links
        self.keeper.ensure()
        return write_cluster_links(self.store, outdir)

    def export_table(self, file: str | os.PathLike, fmt: str) -> int:
        """The whole index with cluster ids as CSV or JSON. Returns the row count."""
        from .export import write_index_table
        self.keeper.ensure()
        return write_index_table(self.store, file, fmt)
