"""Writing the library out: cluster folders of symbolic links, or the whole index as CSV/JSON.

Links, not copies: nothing is duplicated and the originals are never touched.
Link targets are absolute, link names unique (rank-prefixed, shortened to what the disk
allows), and no shell is involved, so any file name is safe. Every output follows
:mod:`.output`: never inside the library, whole or not at all.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import sys
import tempfile

from .errors import EngineError
from .index.store import IndexStore
from .output import (
    PART_PREFIX,
    OutputError,
    check_file_target,
    explain_os_error,
    refuse_inside,
    write_text,
)
from .paths import display_path, path_bytes, to_bytes


def write_cluster_links(store: IndexStore, outdir: str | os.PathLike) -> int:
    """One folder per cluster of symbolic links to the originals. Returns the link count."""
    roots = [root.path for root in store.roots()]
    given = to_bytes(outdir)
    real = refuse_inside(given, roots, what="the export", index=store.path)
    clusters = [
        (cid, label, [path for _, path, _, _ in store.cluster_members(cid)])
        for cid, label, _ in store.cluster_table()
    ]
    return write_links(real, clusters, shown=given)


def write_index_table(store: IndexStore, file: str | os.PathLike, fmt: str) -> int:
    """The whole index with cluster ids as CSV or JSON (``-``: standard output). Returns the
    row count."""
    if fmt not in ("csv", "json"):
        raise EngineError(f"unknown export format {fmt!r} (csv, json or links)")
    if os.fspath(file) in ("-", b"-"):
        return write_table(b"-", fmt, store.export_rows(), roots=[])
    roots = [root.path for root in store.roots()]
    target = to_bytes(file)
    check_file_target(target, roots, what="the export", index=store.path)  # before reading
    return write_table(target, fmt, store.export_rows(), roots=roots, index=store.path)


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


def _cut(name: bytes, limit: int) -> bytes:
    """``name`` in at most ``limit`` bytes, never cutting a UTF-8 character in two."""
    if len(name) <= limit:
        return name
    cut = name[:limit]
    start = len(cut)
    while start > 0 and len(cut) - start < 3 and cut[start - 1] & 0xC0 == 0x80:
        start -= 1  # back over continuation bytes to the character's first byte
    if start > 0 and cut[start - 1] >= 0xC0:
        lead = cut[start - 1]
        needs = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
        if len(cut) - (start - 1) < needs:
            return cut[: start - 1]
    return cut


def _safe_name(text: str, limit: int = 80) -> bytes:
    cleaned = re.sub(r"[\x00-\x1f/\\:*?\"<>|]+", " ", text).strip(" .") or "cluster"
    return _cut(os.fsencode(cleaned), limit)


def link_name(rank: int, target: bytes, limit: int = 255) -> bytes:
    """``RR name`` for the link to ``target``, shortened to ``limit`` bytes (the file
    system's longest name) with its extension kept. The rank prefix keeps names unique
    within a cluster folder however they are shortened."""
    prefix = b"%02d " % rank
    name = os.path.basename(target)
    if len(prefix) + len(name) <= limit:
        return prefix + name
    stem, extension = os.path.splitext(name)
    if len(extension) > 16:
        stem, extension = name, b""
    return prefix + _cut(stem, limit - len(prefix) - len(extension) - 1) + b"~" + extension


def write_links(outdir: bytes, clusters: list[tuple[int, str, list[bytes]]], *,
                shown: bytes | None = None) -> int:
    """``outdir/NNNN label/RR name`` -> original, for every cluster member. Returns link count.

    The links are made in a temporary folder beside ``outdir`` that then takes its place:
    a full disk or an error leaves an earlier export as it was.
    """
    shown = shown or outdir
    old = _check_earlier_export(outdir, shown)
    parent = os.path.dirname(outdir)
    try:
        os.makedirs(parent, exist_ok=True)
        building = tempfile.mkdtemp(prefix=PART_PREFIX, dir=parent)
    except OSError as exc:
        raise OutputError(explain_os_error(exc, shown, "make the folder")) from exc
    try:
        limit = _name_max(building)
        with open(os.path.join(building, MARKER), "w") as f:
            f.write("made by `soundalike export links`; safe to delete\n")
        links = 0
        for cluster_id, label, paths in clusters:
            folder = os.path.join(building, b"%04d " % cluster_id + _safe_name(label))
            os.mkdir(folder)
            for rank, target in enumerate(paths, start=1):
                os.symlink(os.path.abspath(target),
                           os.path.join(folder, link_name(rank, target, limit)))
                links += 1
        if old:
            aside = tempfile.mkdtemp(prefix=PART_PREFIX, dir=parent)
            os.rename(outdir, os.path.join(aside, b"old"))
            os.rename(building, outdir)
            _remove_export(os.path.join(aside, b"old"))
            os.rmdir(aside)
        else:
            os.replace(building, outdir)  # over an empty folder, or where there was none
    except OSError as exc:
        _remove_export(building)
        raise OutputError(explain_os_error(exc, shown, "write the links into")) from exc
    except BaseException:
        _remove_export(building)
        raise
    return links


def _name_max(folder: bytes) -> int:
    try:
        return min(255, os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return 255


def _check_earlier_export(outdir: bytes, shown: bytes) -> bool:
    """Whether ``outdir`` holds an earlier export (to replace). Refuses anything else that is
    not an empty folder or nothing at all: we only ever remove links and our own folders."""
    if not os.path.lexists(outdir):
        return False
    if not os.path.isdir(outdir):
        raise OutputError(f"{display_path(shown)} exists and is not a folder")
    entries = [e for e in os.listdir(outdir) if e != MARKER]
    marked = os.path.exists(os.path.join(outdir, MARKER))
    if entries and not marked:
        raise OutputError(f"{display_path(shown)} is not empty; choose an empty or new folder")
    for entry in entries:
        folder = os.path.join(outdir, entry)
        if not os.path.isdir(folder) or os.path.islink(folder):
            raise OutputError(
                f"unexpected file {display_path(folder)} in an earlier export; "
                "remove it or choose another folder"
            )
        for name in os.listdir(folder):
            link = os.path.join(folder, name)
            if not os.path.islink(link):
                raise OutputError(f"{display_path(link)} is not a link: not clearing this export")
    return marked


def _remove_export(folder: bytes) -> None:
    """Remove a folder of our making: links, our marker and cluster folders of links only."""
    with contextlib.suppress(OSError):
        for entry in os.listdir(folder):
            path = os.path.join(folder, entry)
            if os.path.islink(path) or entry == MARKER:
                os.unlink(path)
            elif os.path.isdir(path):
                for name in os.listdir(path):
                    if os.path.islink(os.path.join(path, name)):
                        os.unlink(os.path.join(path, name))
                os.rmdir(path)
        os.rmdir(folder)


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


def write_table(file: bytes, fmt: str, rows: list[tuple], *, roots: list[bytes],
                index: str | os.PathLike | None = None) -> int:
    """The index as ``csv`` or ``json`` into ``file`` (``-``: standard output), never inside
    ``roots`` (see :mod:`.output`)."""
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
        write_text(file, text, roots, what="the export", index=index)
    return len(records)
