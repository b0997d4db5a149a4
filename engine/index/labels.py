"""Corrections: the instrument category a person gives a sound, kept in the index.

``soundalike label FILE... --category snare`` says "the model is wrong: this is a snare".
A correction is keyed by the sound's content fingerprint (the one the scanner uses to
recognise moves), so it survives rescans, moves and renames, and holds for every copy of
the sound. Everything that reads categories (search filters, kits, clusters, the map)
takes it from the catalogue, where a label has confidence 1.0 and the source ``you``.

A library's corrections travel as CSV (``--export`` / ``--import``): ``fingerprint``,
``category`` and ``path``; on import a row is matched by fingerprint, else by path.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterable

from ..errors import EngineError
from ..output import write_text
from ..paths import aliases, display_path, real_path, to_bytes
from ..reports import LabelReport
from ..sound.category_names import canonical, label_names
from .store import IndexStore

CSV_COLUMNS = ("fingerprint", "category", "path")


def category_name(name: str) -> str:
    """The stored form of a category a person typed, or a clear error."""
    known = canonical(name)
    if known is None:
        raise EngineError(f"unknown category {name!r} (categories: {', '.join(label_names())})")
    return known


def _fingerprint(store: IndexStore, file: str | os.PathLike | bytes) -> tuple[bytes, str]:
    """The stored path and fingerprint of a library file, or a clear error."""
    path = to_bytes(file)
    for candidate in (path, real_path(path), *aliases(path)):
        fingerprint = store.fingerprint_of(candidate)
        if fingerprint is not None:
            return candidate, fingerprint
    if not os.path.exists(path):
        raise EngineError(f"no such file: {display_path(path)}")
    raise EngineError(f"{display_path(path)} is not in the library (scan its folder first: "
                      "only sounds of the library can be labelled)")


def label_files(store: IndexStore, files: Iterable[str | os.PathLike | bytes],
                category: str | None) -> LabelReport:
    """Give ``files`` the ``category`` (None: clear their labels, back to the model's).
    Call inside a transaction."""
    files = list(files)
    if not files:
        raise EngineError("name at least one FILE to label")
    name = None if category is None else category_name(category)
    found = [_fingerprint(store, f) for f in files]  # every file checked before any write
    changed = 0
    for path, fingerprint in found:
        if name is None:
            changed += store.clear_label(fingerprint)
        else:
            store.set_label(fingerprint, name, path)
            changed += 1
    return LabelReport(files=[display_path(p) for p, _ in found], category=name,
                       changed=changed)


def write_labels_csv(store: IndexStore, target: str | bytes | os.PathLike) -> int:
    """Every correction as CSV into ``target`` (``-``: standard output), by the rule for every
    output (:mod:`..output`: never inside the library, whole or not at all). Returns the
    count."""
    rows = store.labels()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for fingerprint, category, path in rows:
        writer.writerow((fingerprint, category, "" if path is None else display_path(path)))
    if os.fspath(target) in ("-", b"-"):
        sys.stdout.write(buffer.getvalue())
    else:
        write_text(target, buffer.getvalue(), [root.path for root in store.roots()],
                   what="the corrections", index=store.path)
    return len(rows)


def read_labels_csv(store: IndexStore, source: bytes) -> tuple[int, list[str]]:
    """Corrections from a CSV written by :func:`write_labels_csv` (or by hand: ``path`` and
    ``category`` columns suffice). Returns how many were stored and what was skipped, why.
    Call inside a transaction."""
    try:
        with open(source, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError as exc:
        raise EngineError(f"no such file: {display_path(source)}") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise EngineError(f"cannot read {display_path(source)} as CSV: {exc}") from exc
    if rows and "category" not in rows[0]:
        raise EngineError(f"{display_path(source)} has no category column (columns: "
                          f"{', '.join(CSV_COLUMNS)})")
    stored, skipped = 0, []
    for line, row in enumerate(rows, start=2):
        name = canonical(row.get("category") or "")
        if name is None:
            skipped.append(f"line {line}: unknown category {row.get('category')!r}")
            continue
        fingerprint = (row.get("fingerprint") or "").strip()
        path = (row.get("path") or "").strip()
        if not fingerprint and path:
            try:
                _, fingerprint = _fingerprint(store, path)
            except EngineError as exc:
                skipped.append(f"line {line}: {exc}")
                continue
        if not fingerprint:
            skipped.append(f"line {line}: neither a fingerprint nor a path")
            continue
        store.set_label(fingerprint, name, os.fsencode(path) if path else None)
        stored += 1
    return stored, skipped
