"""A person's corrections of sounds' categories ("that's a snare"): stored in the index by
content (:mod:`..index.labels`), then the clusters follow: the corrected sounds join the
nearest cluster of their category and cluster names are made again."""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..index.labels import label_files, read_labels_csv
from ..index.live import LiveCatalogue
from ..index.store import IndexStore
from ..paths import to_bytes
from ..reports import LabelReport
from .keeper import ClusterKeeper


class Corrections:
    """Labels of one index, applied to its catalogue and clusters."""

    def __init__(self, store: IndexStore, live: LiveCatalogue, keeper: ClusterKeeper):
        self.store = store
        self.live = live
        self.keeper = keeper

    def label(self, files: Iterable[str | os.PathLike], category: str | None) -> LabelReport:
        """Say what ``files`` are (``category``), or with None forget what was said: every
        search filter, kit, cluster and map takes the correction from now on."""
        files = list(files)
        with self.store.transaction():
            report = label_files(self.store, files, category)
            self.live.bump_generation()
        self.live.swap(None)
        self.keeper.regroup([to_bytes(f) for f in files])
        return report

    def import_csv(self, file: str | os.PathLike) -> tuple[int, list[str]]:
        """Corrections from a CSV (another library's, or an earlier export): how many were
        stored, and the rows skipped with why."""
        with self.store.transaction():
            stored, skipped = read_labels_csv(self.store, to_bytes(file))
            self.live.bump_generation()
        self.live.swap(None)
        if stored:
            self.keeper.regroup([])
        return stored, skipped
