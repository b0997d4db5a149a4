"""Keeping the library's clusters up to date: cluster it again, or place new sounds.

After a scan that changed little, new sounds join their nearest cluster and every id and
membership stays as it was; after a bigger change, or when asked, the whole library is
clustered again and ids are kept where groups persist. Labels are made here too, since they
compare a cluster with the rest of its instrument in this library.
"""

from __future__ import annotations

import dataclasses
import os
import time

import numpy as np

from ..errors import EngineError
from ..index.catalogue import Catalogue, paths_of, save_clusters
from ..index.live import LiveCatalogue
from ..index.store import IndexStore
from ..reports import ClusteringReport, ScanProgress, ScanReport
from .clustering import DEFAULT_SIZE, KitClusterer, cluster_rows, match_ids
from .names import cluster_label

#: Below this share of the library changed, a rescan places new files in the existing clusters
#: instead of clustering again (ids and memberships then stay exactly as they were).
INCREMENTAL_CLUSTER_SHARE = 0.05
#: New sounds placed at once: their distances to a million sounds' 62,000 clusters' centres
#: take 64 MB per 128.
PLACED_AT_ONCE = 128
#: Distances within this share of the nearest are measured again one by one (the product's
#: rounding differs from theirs by about 1e-7 of a distance in single precision).
TIE = 1e-4
#: How clusters are made and labelled; a library clustered by an older scheme is clustered
#: again the next time its clusters are used. 2: kit-sized clusters within one instrument
#: category, labels that start with the instrument; 3: the category each sound shows (its
#: label, or ``other`` where the model is unsure), not the most likely one.
CLUSTER_SCHEME = "3"


class ClusterKeeper:
    """The clusters of one index, kept in step with its catalogue."""

    def __init__(self, store: IndexStore, live: LiveCatalogue):
        self.store = store
        self.live = live
        self._means_key: tuple | None = None  # category means for cluster labels
        self._means: dict[int, np.ndarray] = {}

    # --- when to cluster ---

    def incomplete(self, descriptor_key: str) -> bool:
        """Profiled sounds in no cluster: a scan was killed while clustering. The next scan
        (or any command that needs clusters) makes them."""
        profiled = self.store.count_profiled(descriptor_key)
        return bool(profiled) and self.store.count_clustered() < profiled

    def ensure(self) -> None:
        """Clusters exist and are of the current scheme (clustering now if not)."""
        if self.store.cluster_table() and not self._scheme_ok():
            size, count = self._mode()  # clustered by an older version: once again
            self.recluster(size=size, count=count)
        if not self.store.cluster_table():
            if not self.store.count_profiled(self.live.search_descriptor.key):
                raise EngineError(
                    "the library has no profiled sounds yet: run `soundalike scan FOLDER`"
                )
            size, count = self._mode()
            self.recluster(size=size, count=count)

    def after_scan(self, report: ScanReport, progress=None) -> None:
        """Bring the clusters up to date after a scan that changed the library (or was
        killed while clustering); ``progress`` hears that clustering started."""
        if not (report.changed_library or self.incomplete(self.live.search_descriptor.key)):
            return
        if progress is not None:
            progress(ScanProgress(phase="clustering", done=report.profiled,
                                  total=report.profiled, failed=report.failed,
                                  elapsed=report.elapsed))
        changed = report.new + report.changed + report.removed + report.recovered
        if report.descriptor_switched:  # a new space: every sound moved
            changed += self.store.counts()["total"]
        self.refresh(changed=changed)

    def refresh(self, *, changed: int | None = None) -> ClusteringReport | None:
        """After a scan: refit what is stale and bring the clusters up to date.

        With one BLAS thread: the products here are small (a 384-wide covariance and its
        eigenvectors, a few thousand rows at a time), and threads spin against each other and
        against a busy machine. Measured on 5,766 real sounds on a shared 2-core machine: 0.46 s
        of CPU with one thread, 1.6-3.2 s with two (the feature space fit alone 0.06 s against
        1-2.5 s).
        """
        from threadpoolctl import threadpool_limits  # installed with scikit-learn

        with threadpool_limits(1, user_api="blas"):
            return self._refresh(changed)

    def _refresh(self, changed: int | None) -> ClusteringReport | None:
        if not self.store.count_profiled(self.live.search_descriptor.key):
            with self.store.transaction():  # nothing left to cluster: no clusters either
                self.store.replace_clusters([])
                self.live.bump_generation()
            self.live.swap(None)
            return None
        with self.store.transaction():
            self.live.bump_generation()
        self.live.swap(None)  # let the old catalogue go before the new one is built
        catalogue = self.live.reload()
        size, count = self._mode()
        old = self.store.cluster_assignments()
        known = np.fromiter((m for members in old.values() for m in members), dtype=np.int64)
        unplaced = np.flatnonzero(~np.isin(catalogue.ids, known)).tolist()
        touched = len(unplaced) + (changed or 0)
        if old and touched <= INCREMENTAL_CLUSTER_SHARE * catalogue.size and self._scheme_ok():
            return self._place_new(catalogue, old, unplaced)
        return self.recluster(size=size, count=count)

    def regroup(self, paths: list[bytes]) -> ClusteringReport | None:
        """After corrections: sounds whose category a person changed (``paths``, and every
        labelled sound) join the nearest cluster of their category, and cluster names are
        made again; everything else stays where it was."""
        old = self.store.cluster_assignments()
        if not old:
            return None
        catalogue = self.live.get()
        rows = set(catalogue.labels)
        rows |= {r for r in (catalogue.row_of(p) for p in paths) if r is not None}
        moving = {int(catalogue.ids[r]) for r in rows}
        if all(f in moving for files in old.values() for f in files):
            return None
        return self._place_new(catalogue, old, sorted(rows), leaving=moving)

    # --- clustering ---

    def _mode(self) -> tuple[int | None, int | None]:
        mode = self.store.get_meta("cluster_mode", f"size:{DEFAULT_SIZE}") or ""
        kind, _, value = mode.partition(":")
        return (int(value), None) if kind != "count" else (None, int(value))

    def _mixed(self) -> bool:
        """Whether kit-sized clusters may mix instruments (``clusters --mixed``)."""
        return (self.store.get_meta("cluster_mode", "") or "").startswith("mixed:")

    def _scheme_ok(self) -> bool:
        return self.store.get_meta("cluster_scheme", None) == CLUSTER_SCHEME

    def recluster(self, *, size: int | None = None, count: int | None = None,
                  mixed: bool | None = None) -> ClusteringReport:
        """Cluster the whole library again (kit-sized by default); ids kept where groups persist.

        Kit-sized clusters stay inside one instrument category each (the one every sound
        shows: yours where you labelled it, ``other`` where the model is unsure or the sound
        is far from everything it knows, so a cluster's name is true of its members) unless
        ``mixed`` (None: as the library was last clustered); ``count`` clusters are a plain
        k-means over every sound.
        """
        if mixed is None:
            mixed = self._mixed()
        started = time.monotonic()
        if size is not None and count is not None:
            raise EngineError("choose --size or --count, not both")
        if size is None and count is None:
            size = DEFAULT_SIZE
        catalogue = self.live.get()
        # Rows in path order: k-means starts from sampled rows, and the stored order is the
        # order scan workers happened to finish in. The same library gets the same clusters.
        by_path = catalogue.by_path
        groups = None
        if count is None and not mixed and catalogue.descriptor.categorise is not None:
            groups = catalogue.categories[by_path]
        model = KitClusterer(size=size, count=count).fit(catalogue.index.E[by_path], groups)
        groups = cluster_rows(model.labels_, model.n_clusters_)
        old = {cid: set(members) for cid, members in self.store.cluster_assignments().items()}
        ids = match_ids([{int(catalogue.ids[r]) for r in by_path[g]} for g in groups], old)
        labels = np.empty(catalogue.size, dtype=np.int64)
        labels[by_path] = model.labels_
        means = self._hand_made_means(catalogue, labels, model.n_clusters_)
        clusters = [self._entry(catalogue, cid, by_path[g], model.typicality_[g],
                                None if means is None else means[c])
                    for c, (cid, g) in enumerate(zip(ids, groups, strict=True))]
        mode = f"{'mixed' if mixed else 'size'}:{size}" if size is not None else f"count:{count}"
        self._store(catalogue, clusters, mode)
        return ClusteringReport(
            clusters=len(clusters),
            files=catalogue.size,
            kept_ids=sum(1 for cid in ids if cid in old),
            mode=mode.replace(":", " "),
            elapsed=time.monotonic() - started,
        )

    def _place_new(
        self, catalogue: Catalogue, old: dict[int, list[int]], unplaced: list[int],
        leaving: set[int] = frozenset(),
    ) -> ClusteringReport:
        """Put new files (rows ``unplaced``) into the nearest existing cluster, the files
        ``leaving`` taken out of theirs first (``old``: the stored clusters' files, most
        typical first); everything else stays as it was, and is not written again."""
        started = time.monotonic()
        row_of_id = {int(file_id): row for row, file_id in enumerate(catalogue.ids)}
        members = {
            cid: [row_of_id[f] for f in files if f in row_of_id and f not in leaving]
            for cid, files in old.items()
        }
        members = {cid: rows for cid, rows in members.items() if rows}
        # Only clusters whose members changed are named and stored again: at a million
        # sounds naming every cluster took 27 of the 73 s a scan of 500 new files spent
        # after profiling, and storing every cluster's members 5.6 of 37.
        renamed = {cid for cid, rows in members.items() if len(rows) != len(old[cid])}
        E = catalogue.index.E
        cids = list(members)
        centres = np.stack([E[members[c]].mean(axis=0) for c in cids])
        codes = main = None
        size, count = self._mode()
        if count is None and not self._mixed() and catalogue.descriptor.categorise:
            # clusters kept within one category: a new sound joins one of its own category
            codes = catalogue.categories
            main = np.array([np.bincount(codes[members[c]] + 1).argmax() - 1 for c in cids])
        for row, nearest in zip(unplaced, self._nearest_clusters(E, unplaced, centres, codes,
                                                                 main), strict=True):
            members[cids[nearest]].append(row)
            renamed.add(cids[nearest])
        clusters = []
        for index, cid in enumerate(cids):
            rows = np.array(members[cid])
            label = catalogue.cluster_labels.get(cid)
            if cid in renamed or label is None:  # named (and measured) anew
                typicality = np.linalg.norm(E[rows] - centres[index], axis=1)
                clusters.append(self._entry(catalogue, cid, rows, typicality))
                renamed.add(cid)
            else:  # as stored: its members in their order, their typicality
                clusters.append((cid, label, list(zip(catalogue.ids[rows].tolist(),
                                                      catalogue.typicality[rows].tolist(),
                                                      strict=True))))
        self._store(catalogue, clusters, changed=(renamed, set(old) - set(members)))
        return ClusteringReport(
            clusters=len(clusters),
            files=catalogue.size,
            kept_ids=len(clusters),
            mode=f"size {size}" if size else f"count {count}",
            incremental=True,
            elapsed=time.monotonic() - started,
        )

    @staticmethod
    def _nearest_clusters(E: np.ndarray, rows: list[int], centres: np.ndarray,
                         codes: np.ndarray | None, main: np.ndarray | None) -> list[int]:
        """Each of ``rows``' nearest of ``centres`` (among the clusters of its own category
        ``main``, where it has any; the first of equals). The distances of a block of rows
        come from one product (a pass over every centre per row took 4.5 ms at a million
        sounds' 62,000 clusters); those within rounding of the nearest are measured again
        one by one, as each was, so that a tie goes where it always went."""
        nearest: list[int] = []
        squares = np.einsum("ij,ij->i", centres, centres, dtype=np.float64)
        for start in range(0, len(rows), PLACED_AT_ONCE):
            block = rows[start : start + PLACED_AT_ONCE]
            x = np.asarray(E[block], dtype=np.float64)
            d2 = squares - 2.0 * (x @ centres.T) + np.einsum("ij,ij->i", x, x)[:, None]
            if main is not None:
                own = main[None, :] == codes[block][:, None]
                d2[own.any(axis=1)[:, None] & ~own] = np.inf
            best = d2.min(axis=1, keepdims=True)
            for row, near in zip(block, d2 <= best * (1 + TIE) + TIE, strict=True):
                candidates = np.flatnonzero(near)
                if len(candidates) > 1:
                    candidates = candidates[[np.argmin(((centres[candidates] - E[row]) ** 2
                                                        ).sum(axis=1))]]
                nearest.append(int(candidates[0]))
        return nearest

    def _store(self, catalogue: Catalogue, clusters, mode: str | None = None,
               changed: tuple[set[int], set[int]] | None = None) -> None:
        """Write a clustering and swap in a catalogue that knows it (``changed``: the ids of
        the clusters that differ from the stored ones and of those gone, the only ones
        written; None: every cluster written anew).

        The new catalogue shares the old one's vectors and index (only the cluster
        arrays are new): no second copy of the library in memory, no reload.
        """
        assigned = np.zeros(catalogue.size, dtype=np.int64)
        typicality = np.zeros(catalogue.size, dtype=np.float32)
        # every member is a row of the catalogue, whose ids ascend
        rows = np.searchsorted(catalogue.ids, np.array(
            [file_id for _, _, members in clusters for file_id, _ in members], dtype=np.int64))
        assigned[rows] = np.repeat(np.array([cid for cid, _, _ in clusters], dtype=np.int64),
                                   [len(members) for _, _, members in clusters])
        typicality[rows] = [value for _, _, members in clusters for _, value in members]
        with self.store.transaction():
            # Only the clusters change here, unless another process changed the index since
            # the catalogue was made: then its side files are not carried over.
            current = self.store.get_meta("generation", "0") == catalogue.generation
            if changed is None:
                self.store.replace_clusters(clusters)
            else:
                written, gone = changed
                self.store.update_clusters([c for c in clusters if c[0] in written], gone)
            if mode is not None:
                self.store.set_meta("cluster_mode", mode)
                self.store.set_meta("cluster_scheme", CLUSTER_SCHEME)
            generation = self.live.bump_generation()
        updated = dataclasses.replace(
            catalogue, clusters=assigned, typicality=typicality,
            cluster_labels={cid: label for cid, label, _ in clusters}, generation=generation,
            side_build=catalogue.side_build if current else None)
        save_clusters(self.store, updated)
        self.live.swap(updated)

    # --- labels ---

    def _entry(self, catalogue: Catalogue, cid: int, rows: np.ndarray, typicality: np.ndarray,
               hand_made: np.ndarray | None = None, label: str | None = None,
               ) -> tuple[int, str, list[tuple[int, float]]]:
        """``(id, label, [(file id, typicality), ...])`` with the most typical member first
        (``hand_made``: the members' mean hand-made numbers, when known; ``label``: the
        cluster's name as it stands, when its members are those it was named for)."""
        order = np.argsort(typicality, kind="stable")
        rows, typicality = rows[order], typicality[order]
        members = list(zip(catalogue.ids[rows].tolist(), typicality.tolist(), strict=True))
        return cid, label or self._label(catalogue, rows, hand_made), members

    def _label(self, catalogue: Catalogue, rows: np.ndarray,
               hand_made: np.ndarray | None = None) -> str:
        """Instruments, then the traits that set the cluster apart from the other sounds of
        its main instrument (from the hand-made part of the vectors: their mean
        ``hand_made``, or read), then shared words."""
        names = [os.path.basename(path).decode("utf-8", "replace")
                 for path in paths_of(catalogue.paths, rows)]
        categories = None
        mean_z = None
        hand = catalogue.index.learned  # the hand-made descriptor follows the learned part
        if catalogue.descriptor.aspects:
            mean_z = (catalogue.index.rows(rows)[:, hand:].mean(axis=0) if hand_made is None
                      else hand_made)
        if catalogue.descriptor.categorise is not None:
            categories = catalogue.categories_of(rows)
            codes = catalogue.categories[rows]
            main = int(np.bincount(codes[codes >= 0] if (codes >= 0).any() else [0]).argmax())
            if mean_z is not None:
                mean_z = mean_z - self._category_mean(catalogue, main)
        packs = catalogue.packs[rows].tolist()
        return cluster_label(mean_z, names, categories, packs)

    def _category_mean(self, catalogue: Catalogue, code: int) -> np.ndarray:
        """The mean hand-made part of the standardised vectors of one category's sounds (kept
        per catalogue)."""
        self._means_with(catalogue)
        index = catalogue.index
        return self._means.get(code, np.zeros(index.Z.shape[1] - index.learned))

    def _hand_made_means(self, catalogue: Catalogue, labels: np.ndarray,
                         count: int) -> np.ndarray | None:
        """The mean hand-made numbers of each cluster ``0..count-1`` (``labels``: each row's),
        read in the pass that also gives the categories' means when they are not known yet:
        the labels need both."""
        if not catalogue.descriptor.aspects:
            return None
        [means] = self._means_with(catalogue, (labels, count, catalogue.index.learned))
        return means.astype(np.float32)

    def _means_with(self, catalogue: Catalogue, *groupings) -> list[np.ndarray]:
        """The means of ``groupings`` (:meth:`..index.neighbours.NeighbourIndex.means_by`),
        and every category's hand-made part (kept per catalogue: from the sums the side files
        keep, else in the same pass over the vectors)."""
        key = (id(catalogue), catalogue.generation)
        if not (self._means_key == key and self._means) and catalogue.category_sums is not None:
            counts = catalogue.category_counts  # kept with the vectors: no pass for them
            self._means_key = key
            self._means = {int(i) - 1: catalogue.category_sums[i] / counts[i]
                           for i in np.flatnonzero(counts)}
        if self._means_key == key and self._means:
            return catalogue.index.means_by(*groupings) if groupings else []
        codes, which = np.unique(catalogue.categories, return_inverse=True)
        categories, *found = catalogue.index.means_by(
            (which, len(codes), catalogue.index.learned), *groupings)
        self._means_key = key
        self._means = {int(c): categories[i] for i, c in enumerate(codes)}
        return found
