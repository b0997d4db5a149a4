"""Writing the library out: cluster folders of symbolic links, or the whole index as CSV/JSON.

Links, not copies: nothing is duplicated and the originals are never touched.
Link targets are absolute, link names unique (rank-prefixed), and no shell is
involved, so any file name is safe.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys

from .errors import EngineError
from .index.store import IndexStore
from .paths import display_path, is_under, path_bytes, to_bytes


def write_cluster_links(store: IndexStore, outdir: str | os.PathLike) -> int:
    """One folder per cluster of symbolic links to the originals. Returns the link count."""
    target = to_bytes(outdir)
    refuse_inside_roots(target, store)
    clusters = [
        (cid, label, [path for _, path, _, _ in store.cluster_members(cid)])
        for cid, label, _ in store.cluster_table()
    ]
    return write_links(target, clusters)


def write_index_table(store: IndexStore, file: str | os.PathLike, fmt: str) -> int:
    """The whole index with cluster ids as CSV or JSON (``-``: standard output). Returns the
    row count."""
    target = b"-" if os.fspath(file) in ("-", b"-") else to_bytes(file)
    refuse_inside_roots(target, store)
    return write_table(target, fmt, store.export_rows())


def refuse_inside_roots(target: bytes, store: IndexStore) -> None:
    """soundalike never writes inside the user's sample folders."""
    for root in store.roots():
        if is_under(target, root.path):
            raise EngineError(
                "the export must go outside your sample folders "
                "(soundalike never writes inside them)"
            )


MARKER = b".soundalike-export"
COLUMNS = [
    "path",
    "status",
    "error",
    "duration",
    "sample_rate",
    "channels",
    "format",
    "is_long",
    "cluster",
    "cluster_label",
    "category",
    "category_confidence",
    "category_source",
    "path_bytes",  # base64 of the exact name, only where it is not UTF-8 (path then shows escapes)
]


def _safe_name(text: str, limit: int = 80) -> bytes:
    cleaned = re.sub(r"[\x00-\x1f/\\:*?\"<>|]+", " ", text).strip(" .") or "cluster"
    return os.fsencode(cleaned[:limit])


def write_links(outdir: bytes, clusters: list[tuple[int, str, list[bytes]]]) -> int:
    """``outdir/NNNN label/RR name`` -> original, for every cluster member. Returns link count."""
    _prepare(outdir)
    links = 0
    for cluster_id, label, paths in clusters:
        folder = os.path.join(outdir, b"%04d " % cluster_id + _safe_name(label))
        os.makedirs(folder, exist_ok=True)
        for rank, target in enumerate(paths, start=1):
            name = b"%02d " % rank + os.path.basename(target)
            os.symlink(os.path.abspath(target), os.path.join(folder, name))
            links += 1
    return links


def _prepare(outdir: bytes) -> None:
    """An empty folder, or one of our earlier exports (cleared: only links and our folders)."""
    if os.path.lexists(outdir) and not os.path.isdir(outdir):
        raise EngineError(f"{display_path(outdir)} exists and is not a folder")
    os.makedirs(outdir, exist_ok=True)
    entries = [e for e in os.listdir(outdir) if e != MARKER]
    if entries and not os.path.exists(os.path.join(outdir, MARKER)):
        raise EngineError(f"{display_path(outdir)} is not empty; choose an empty or new folder")
    for entry in entries:
        folder = os.path.join(outdir, entry)
        if not os.path.isdir(folder) or os.path.islink(folder):
            raise EngineError(
                f"unexpected file {display_path(folder)} in an earlier export; "
                "remove it or choose another folder"
            )
        for name in os.listdir(folder):
            link = os.path.join(folder, name)
            if not os.path.islink(link):
                raise EngineError(f"{display_path(link)} is not a link: not clearing this export")
            os.unlink(link)
        os.rmdir(folder)
    with open(os.path.join(outdir, MARKER), "w") as f:
        f.write("made by `soundalike export links`; safe to delete\n")


def table_records(rows: list[tuple]) -> list[dict]:
    records = []
    for (path, status, error, duration, rate, channels, fmt, is_long, cluster, label, category,
         confidence, source) in rows:
        records.append(
            {
                "path": display_path(path),
                "status": status,
                "error": error,
                "duration": duration,
                "sample_rate": rate,
                "channels": channels,
                "format": fmt,
                "is_long": bool(is_long),
                "cluster": cluster,
                "cluster_label": label,
                "category": category,
                "category_confidence": confidence,
                "category_source": source,
                "path_bytes": path_bytes(path),
            }
        )
    return records


def write_table(file: bytes, fmt: str, rows: list[tuple]) -> int:
    """The index as ``csv`` or ``json`` into ``file`` (``-``: standard output)."""
    if fmt not in ("csv", "json"):
        raise EngineError(f"unknown export format {fmt!r} (csv, json or links)")
    records = table_records(rows)
    if fmt == "json":
        text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        text = buffer.getvalue()
    if file == b"-" or file.endswith(b"/-"):
        sys.stdout.write(text)
    else:
        with open(file, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    return len(records)
