"""What ``soundalike status`` tells: the index file, its folders, counts and failures."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from ..paths import display_path
from ..reports import Failure, LibraryStatus, RootStatus, ScanReport
from ..sound.descriptors import Descriptor
from .store import IndexStore


def library_status(store: IndexStore, db_path: Path, descriptor: Descriptor, *,
                   failures: int | None = 50) -> LibraryStatus:
    """The library at a glance; ``failures`` caps the failures listed (None: all)."""
    counts = store.counts()
    keys = store.descriptor_keys()
    last = store.last_scan()
    last_report = last_finished = None
    if last is not None and last[2] is not None:
        last_report = ScanReport.model_validate(last[2])
        last_finished = iso_time(last[1])
    return LibraryStatus(
        db=str(db_path),
        db_bytes=_db_bytes(db_path),
        schema_version=store.schema_version(),
        descriptor=descriptor.key,
        roots=[
            RootStatus(
                path=display_path(r.path),
                match=r.match,
                last_scan=iso_time(r.last_scan_ns),
                online=os.path.isdir(r.path),
            )
            for r in store.roots()
        ],
        files=counts["total"],
        profiled=keys.get(descriptor.key, 0),
        silent=counts["silent"],
        failed=counts["failed"],
        retrying=store.count_retrying(),
        long=counts["long"],
        stale=sum(n for key, n in keys.items() if key != descriptor.key),
        search_descriptor=store.search_key(),
        categories=store.category_counts(descriptor.key),
        last_scan=last_report,
        last_scan_finished=last_finished,
        failures=[
            Failure(path=display_path(p), reason=r, retry=retry, kept_profile=kept)
            for p, r, retry, kept in store.failures(limit=failures)
        ],
    )


def iso_time(ns: int | None) -> str | None:
    if ns is None:
        return None
    return dt.datetime.fromtimestamp(ns / 1e9).astimezone().isoformat(timespec="seconds")


def _db_bytes(path: Path) -> int:
    """The index's size on disk, with its write-ahead log."""
    total = 0
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            total += os.path.getsize(str(path) + suffix)
    return total
