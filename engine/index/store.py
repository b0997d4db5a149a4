"""The library index: one SQLite file holding roots, files, descriptors and scans.

Why SQLite: an embedded file, nothing to install, readers never block the
writer in WAL mode (the OSC bridge keeps answering while a scan writes), and a
process killed at any instant leaves the last committed transaction intact.

Every write goes through :meth:`IndexStore.transaction`. The schema carries a
version in ``meta``; :data:`.migrations.MIGRATIONS` brings older files forward, and a file
written by a newer soundalike is refused rather than damaged.

Over 450 lines on purpose: every SQL statement of the index lives in this one class, grouped
by table (roots, files, scans, spaces, clusters, labels, map), so the schema
(:mod:`.migrations`) and the queries that read it change together and are reviewed together.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..errors import IndexStoreError
from ..paths import is_under, under_prefix_bounds
from ..sound.descriptors import descriptor_of_key
from . import graph_file, side_files, vector_codec
from .migrations import MIGRATIONS, SCHEMA_VERSION, VACUUM_AFTER
from .storage_faults import explain, forget_checked, integrity_problems, refuse_damaged, vouch

#: Page size of a new index: a row with its vector (about 1.5 KB) fills 4 KB pages only two
#: at a time; 16 KB pages hold ten (the index is a fifth smaller).
PAGE_SIZE = 16384

# --- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Root:
    path: bytes
    match: str | None
    added_ns: int
    last_scan_ns: int | None


class FileState(NamedTuple):
    """What the index remembers of a file, enough to decide whether to profile it again.
    (A named tuple: a rescan makes one per file, and a frozen dataclass costs five times as
    much to make.)"""

    path: bytes
    size: int
    mtime_ns: int
    status: str
    descriptor: str
    fingerprint: str | None
    retry: bool = False  # its last attempt failed for a cause that can pass: try it again


class IndexStore:
    """A connection to one index file. Not shared between threads: open one per thread.

    Methods that write must be called inside ``with store.transaction():``.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexStoreError(f"cannot create the folder of {self.path}: {exc.strerror}"
                                  ) from exc
        self.read_only = False
        #: This process found the file sound (:meth:`refuse_damaged`): closing vouches for it.
        self.found_sound = False
        try:
            self.db = self._connect()
        except sqlite3.DatabaseError as exc:
            if not _read_only_folder(self.path):
                raise explain(exc, self.path) from exc
            # A read-only folder: SQLite cannot create the WAL's shared-memory file beside
            # the index, so open the file as immutable. Reading commands then work.
            try:
                self.db = self._connect(read_only=True)
            except sqlite3.DatabaseError as again:
                raise explain(again, self.path) from again
            self.read_only = True

    def _connect(self, *, read_only: bool = False) -> sqlite3.Connection:
        if read_only:
            db = sqlite3.connect(self.path.absolute().as_uri() + "?mode=ro&immutable=1",
                                 uri=True, isolation_level=None, check_same_thread=False)
        else:
            new = not self.path.exists() or self.path.stat().st_size == 0
            db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None,
                                 check_same_thread=False)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            if not read_only:
                if new:  # before the first table: a file's page size is fixed when made
                    db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            self.db = db
            self._migrate()
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        """Close the file; one this process found sound is vouched for as it is left (its
        writes went through SQLite), so the next command need not check it again."""
        self.db.close()
        if self.found_sound and not self.read_only:
            vouch(self.path)

    def refuse_damaged(self) -> None:
        """Raise :class:`.storage_faults.DamagedIndexError` for a damaged file (SQLite's
        quick check, once per change of the file: :func:`.storage_faults.refuse_damaged`)."""
        refuse_damaged(self.db, self.path)
        self.found_sound = True

    def check(self, *, quick: bool = False) -> list[str]:
        """SQLite's integrity check: ``[]`` when sound (the file is then vouched for), else
        what is wrong."""
        problems = integrity_problems(self.db, quick=quick)
        if problems:
            forget_checked(self.path)
            self.found_sound = False
        else:
            vouch(self.path)
        return problems

    def __enter__(self) -> IndexStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- transactions and schema ---

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back on any exception."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def schema_version(self) -> int:
        row = self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if row is None:
            return 0
        value = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(value[0]) if value else 0

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise IndexStoreError(
                f"{self.path} was written by a newer soundalike (schema {version}, "
                f"this one knows {SCHEMA_VERSION}); upgrade soundalike to use it"
            )
        if version == SCHEMA_VERSION:
            return
        with self.transaction() as db:
            version = self.schema_version()  # another process may have migrated meanwhile
            for migrate in MIGRATIONS[version:]:
                migrate(db)
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
        if version and VACUUM_AFTER & set(MIGRATIONS[version:]):
            self._compact()

    def _compact(self) -> None:
        """Give freed pages back to the disk, in pages of :data:`PAGE_SIZE` (a page size can
        change only outside WAL mode). Not possible while another process reads the file:
        the freed pages are then reused by later scans instead."""
        with suppress(sqlite3.OperationalError):
            if self.db.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete":
                self.db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            self.db.execute("VACUUM")
        with suppress(sqlite3.OperationalError):
            self.db.execute("PRAGMA journal_mode = WAL")

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def bump_generation(self) -> str:
        """Mark the index changed (inside a transaction): every reader's catalogue, and the
        side files made for the old generation, are made anew. Returns the new generation."""
        generation = str(time.time_ns())
        self.set_meta("generation", generation)
        return generation

    # --- roots ---

    def roots(self) -> list[Root]:
        rows = self.db.execute(
            "SELECT path, match, added_ns, last_scan_ns FROM roots ORDER BY path"
        )
        return [Root(*row) for row in rows]

    def add_root(self, path: bytes, match: str | None) -> None:
        self.db.execute(
            "INSERT INTO roots (path, match, added_ns) VALUES (?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET match = excluded.match",
            (path, match, time.time_ns()),
        )

    def mark_root_scanned(self, path: bytes, when_ns: int) -> None:
        self.db.execute("UPDATE roots SET last_scan_ns = ? WHERE path = ?", (when_ns, path))

    # --- incremental scan support ---

    def file_marks_under(self, root: bytes, descriptor_key: str) -> dict[bytes, tuple]:
        """What a rescan compares every file under ``root`` with: ``{path: (path, size,
        mtime_ns, current, retry, failed)}``, ``current`` when it was profiled with
        ``descriptor_key``, ``retry`` when its last attempt failed for a cause that can pass,
        ``failed`` for a failure's row. The rows as SQLite gives them, no object made per
        file (100,000 :class:`FileState` cost a rescan half a second);
        :meth:`file_states` gives the whole state of the few files that need it."""
        low, high = under_prefix_bounds(root)
        rows = self.db.execute(
            "SELECT path, size, mtime_ns, descriptor = ?, retry, status = 'failed' FROM files "
            "WHERE path >= ? AND path < ?",
            (descriptor_key, low, high),
        )
        return {row[0]: row for row in rows}

    def file_states(self, paths: Iterable[bytes]) -> dict[bytes, FileState]:
        """What the index remembers of each of ``paths`` (those it holds, in that order)."""
        paths, states = list(paths), {}
        for chunk in _chunks(paths, 500):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                "SELECT path, size, mtime_ns, status, descriptor, fingerprint, retry FROM files "
                f"WHERE path IN ({marks})", chunk,
            ):
                states[row[0]] = FileState(*row[:6], bool(row[6]))
        return {path: states[path] for path in paths if path in states}

    def has_files_under(self, root: bytes) -> bool:
        low, high = under_prefix_bounds(root)
        row = self.db.execute(
            "SELECT 1 FROM files WHERE path >= ? AND path < ? LIMIT 1", (low, high)
        ).fetchone()
        return row is not None

    def write_profiles(self, profiles: Iterable, descriptor_key: str) -> None:
        """Insert or replace the rows of freshly profiled files
        (:class:`~..sound.profiling.Profile`).

        A failure never replaces a profile: a file that held one keeps it (still searchable)
        and the failure is recorded beside it (``error``, ``retry``). For a failure whose
        cause can pass the row keeps its size and mtime; for broken content it takes the
        file's new ones, so the file is not decoded again until it changes.
        """
        now = time.time_ns()
        profiles = list(profiles)
        kept = set()
        failed = [p for p in profiles if p.status == "failed"]
        holding = self._holding_profiles([p.path for p in failed]) if failed else set()
        for p in failed:
            if p.path not in holding:
                continue
            keep_state = int(p.retry)
            cursor = self.db.execute(
                "UPDATE files SET error = ?, retry = ?, scanned_ns = ?, "
                "size = CASE WHEN ? THEN size ELSE ? END, "
                "mtime_ns = CASE WHEN ? THEN mtime_ns ELSE ? END "
                "WHERE path = ? AND status != 'failed'",
                (p.error, int(p.retry), now, keep_state, p.size, keep_state, p.mtime_ns, p.path),
            )
            if cursor.rowcount:
                kept.add(p.path)
        # A profile made with another descriptor than the one searches use keeps the searched
        # one's vector, category and confidence aside until the whole library is switched.
        search = self.get_meta("search_descriptor")
        written = [p for p in profiles if p.path not in kept]
        blobs = vector_codec.encode_many([p.vector for p in written],
                                         descriptor_of_key(descriptor_key))
        self.db.executemany(
            """
            INSERT INTO files (path, size, mtime_ns, status, error, fingerprint, duration,
                sample_rate, channels, format, is_long, descriptor, vector, scanned_ns,
                category, category_confidence, retry)
            VALUES (:path, :size, :mtime_ns, :status, :error, :fingerprint, :duration,
                :sample_rate, :channels, :format, :is_long, :descriptor, :vector, :scanned_ns,
                :category, :category_confidence, :retry)
            ON CONFLICT (path) DO UPDATE SET
                prev_descriptor = CASE WHEN excluded.descriptor IS :search THEN NULL
                    WHEN files.descriptor IS :search AND files.status = 'ok'
                    THEN files.descriptor ELSE files.prev_descriptor END,
                prev_vector = CASE WHEN excluded.descriptor IS :search THEN NULL
                    WHEN files.descriptor IS :search AND files.status = 'ok'
                    THEN files.vector ELSE files.prev_vector END,
                prev_category = CASE WHEN excluded.descriptor IS :search THEN NULL
                    WHEN files.descriptor IS :search AND files.status = 'ok'
                    THEN files.category ELSE files.prev_category END,
                prev_category_confidence = CASE WHEN excluded.descriptor IS :search THEN NULL
                    WHEN files.descriptor IS :search AND files.status = 'ok'
                    THEN files.category_confidence ELSE files.prev_category_confidence END,
                size = excluded.size, mtime_ns = excluded.mtime_ns, status = excluded.status,
                error = excluded.error, fingerprint = excluded.fingerprint,
                duration = excluded.duration, sample_rate = excluded.sample_rate,
                channels = excluded.channels, format = excluded.format,
                is_long = excluded.is_long, descriptor = excluded.descriptor,
                vector = excluded.vector, scanned_ns = excluded.scanned_ns,
                category = excluded.category, category_confidence = excluded.category_confidence,
                retry = excluded.retry
            """,
            (
                {
                    "path": p.path,
                    "size": p.size,
                    "mtime_ns": p.mtime_ns,
                    "status": p.status,
                    "error": p.error,
                    "fingerprint": p.fingerprint,
                    "duration": p.duration,
                    "sample_rate": p.sample_rate,
                    "channels": p.channels,
                    "format": p.format,
                    "is_long": int(p.is_long),
                    "descriptor": descriptor_key,
                    "vector": blob,
                    "scanned_ns": now,
                    "category": p.category,
                    "category_confidence": p.category_confidence,
                    "retry": int(getattr(p, "retry", False)),
                    "search": search,
                }
                for p, blob in zip(written, blobs, strict=True)
            ),
        )

    def _holding_profiles(self, paths: list[bytes]) -> set[bytes]:
        """Which of ``paths`` have a row holding a profile (ok or silent)."""
        holding: set[bytes] = set()
        for chunk in _chunks(paths, 500):
            marks = ",".join("?" * len(chunk))
            holding.update(row[0] for row in self.db.execute(
                f"SELECT path FROM files WHERE status != 'failed' AND path IN ({marks})", chunk))
        return holding

    # --- descriptor switches ---

    def search_key(self) -> str | None:
        """The descriptor key searches use (see :meth:`finish_switch`)."""
        return self.get_meta("search_descriptor")

    def switch_pending(self, target_key: str) -> int:
        """Sounds still to reprofile before searches can switch to ``target_key`` (a sound
        whose content failed to reprofile does not hold the switch up)."""
        # The sounds of another descriptor found in the covering index first: a condition on
        # a column outside it would load every sound's row (vectors included) to test it.
        return self.db.execute(
            "SELECT COUNT(*) FROM files WHERE id IN (SELECT id FROM files WHERE status = 'ok' "
            "AND descriptor != ?) AND NOT (error IS NOT NULL AND NOT retry)", (target_key,)
        ).fetchone()[0]

    def finish_switch(self, target_key: str) -> bool:
        """Make ``target_key`` the descriptor searches use, once no sound waits for it (inside
        a transaction). The profiles kept aside are dropped; a sound that could not be
        reprofiled (broken content) becomes a failure, its old profile meaning nothing in the
        new space. Returns True when the search descriptor changed."""
        if self.switch_pending(target_key):
            return False
        self.db.execute(
            "UPDATE files SET status = 'failed', vector = NULL, category = NULL, "
            "category_confidence = NULL, descriptor = ? WHERE id IN (SELECT id FROM files "
            "WHERE status = 'ok' AND descriptor != ?)", (target_key, target_key))
        self.db.execute(
            "UPDATE files SET prev_descriptor = NULL, prev_vector = NULL, prev_category = NULL, "
            "prev_category_confidence = NULL WHERE prev_descriptor IS NOT NULL")
        changed = self.search_key() != target_key
        self.set_meta("search_descriptor", target_key)
        return changed

    def move_file(self, old: bytes, new: bytes, size: int, mtime_ns: int):
        """Point an existing row at its new path (content unchanged: no new profile)."""
        self.db.execute("DELETE FROM files WHERE path = ?", (new,))
        self.db.execute(
            "UPDATE files SET path = ?, size = ?, mtime_ns = ? WHERE path = ?",
            (new, size, mtime_ns, old),
        )

    def forget_root(self, root: bytes, keep: list[bytes]) -> int:
        """Drop a root and the rows of its files, except files under a root in ``keep``
        (a folder scanned on its own inside the forgotten one). Returns the rows dropped."""
        low, high = under_prefix_bounds(root)
        paths = [row[0] for row in self.db.execute(
            "SELECT path FROM files WHERE path >= ? AND path < ?", (low, high))]
        dropped = self.delete_files(p for p in paths if not any(is_under(p, k) for k in keep))
        self.db.execute("DELETE FROM roots WHERE path = ?", (root,))
        return dropped

    def delete_files(self, paths: Iterable[bytes]) -> int:
        cursor = self.db.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in paths))
        return cursor.rowcount

    # --- scans ---

    def begin_scan(self) -> int:
        with self.transaction() as db:
            cursor = db.execute("INSERT INTO scans (started_ns) VALUES (?)", (time.time_ns(),))
            return int(cursor.lastrowid)

    def finish_scan(self, scan_id: int, report: dict) -> None:
        self.db.execute(
            "UPDATE scans SET finished_ns = ?, report = ? WHERE id = ?",
            (time.time_ns(), json.dumps(report), scan_id),
        )

    def last_scan(self) -> tuple[int, int | None, dict | None] | None:
        row = self.db.execute(
            "SELECT started_ns, finished_ns, report FROM scans ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return row[0], row[1], json.loads(row[2]) if row[2] else None

    # --- reading the library ---

    def counts(self) -> dict[str, int]:
        counts = {"ok": 0, "silent": 0, "failed": 0}
        for status, n in self.db.execute("SELECT status, COUNT(*) FROM files GROUP BY status"):
            counts[status] = n
        counts["long"] = self.db.execute("SELECT COUNT(*) FROM files WHERE is_long").fetchone()[0]
        counts["total"] = counts["ok"] + counts["silent"] + counts["failed"]
        return counts

    def failures(self, limit: int | None = None) -> list[tuple[bytes, str, bool, bool]]:
        """``(path, reason, retry, kept)``: failed files, then files whose last re-profile
        failed (``kept``: their earlier profile still answers); ``retry``: the next scan tries
        the file again."""
        sql = ("SELECT path, error, retry, status != 'failed' FROM files WHERE "
               "status = 'failed' OR error IS NOT NULL ORDER BY status != 'failed', path")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [(path, error or "unknown", bool(retry), bool(kept))
                for path, error, retry, kept in self.db.execute(sql)]

    def count_retrying(self) -> int:
        """Failures whose cause can pass: the next scan tries these files again."""
        return self.db.execute(
            "SELECT COUNT(*) FROM files WHERE retry AND (status = 'failed' OR error IS NOT NULL)"
        ).fetchone()[0]

    def category_counts(self, descriptor_key: str) -> dict[str, int]:
        """Profiled sounds per instrument category (descriptors that have categories)."""
        rows = self.db.execute(
            "SELECT category, COUNT(*) FROM files WHERE status = 'ok' AND descriptor = ? "
            "AND category IS NOT NULL GROUP BY category ORDER BY COUNT(*) DESC, category",
            (descriptor_key,),
        )
        return dict(rows.fetchall())

    def descriptor_keys(self) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT descriptor, COUNT(*) FROM files WHERE status = 'ok' GROUP BY descriptor"
        )
        return dict(rows.fetchall())

    def search_rows(
        self, descriptor_key: str
    ) -> Iterator[tuple[int, bytes, float, bytes, str | None, float | None, str | None, str]]:
        """``(id, path, duration, vector, category, category_confidence, label, fingerprint)``
        of every file with a profile of ``descriptor_key`` (its own, or one kept aside during a
        switch); ``label`` is the category a person gave it."""
        return self.db.execute(
            "SELECT f.id, f.path, f.duration, "
            "CASE WHEN f.descriptor = :key THEN f.vector ELSE f.prev_vector END, "
            "CASE WHEN f.descriptor = :key THEN f.category ELSE f.prev_category END, "
            "CASE WHEN f.descriptor = :key THEN f.category_confidence "
            "ELSE f.prev_category_confidence END, l.category, f.fingerprint "
            "FROM files f LEFT JOIN labels l ON l.fingerprint = f.fingerprint "
            "WHERE +f.status = 'ok' AND (f.descriptor = :key OR f.prev_descriptor = :key) "
            "ORDER BY f.id",
            {"key": descriptor_key},
        )

    def search_vectors_at(self, descriptor_key: str, positions: list[int]) -> list[bytes]:
        """The vectors of :meth:`search_rows` at ``positions`` (ascending) of its order: a
        sample of the library read without the rest (a feature space's fit)."""
        ids = [file_id for (file_id,) in self.db.execute(
            "SELECT f.id FROM files f WHERE +f.status = 'ok' AND (f.descriptor = :key OR "
            "f.prev_descriptor = :key) ORDER BY f.id", {"key": descriptor_key})]
        wanted = [ids[p] for p in positions if p < len(ids)]
        found: dict[int, bytes] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found.update(self.db.execute(
                "SELECT id, CASE WHEN descriptor = ? THEN vector ELSE prev_vector END FROM files "
                f"WHERE id IN ({','.join('?' * len(chunk))})", (descriptor_key, *chunk)))
        return [found[file_id] for file_id in wanted if found.get(file_id) is not None]

    # --- corrections (labels a person gave) ---

    def fingerprint_of(self, path: bytes) -> str | None:
        """The content fingerprint of a profiled library file (None: not in the index)."""
        row = self.db.execute("SELECT fingerprint FROM files WHERE path = ? AND status = 'ok'",
                              (path,)).fetchone()
        return None if row is None else row[0]

    def set_label(self, fingerprint: str, category: str, path: bytes | None) -> None:
        self.db.execute(
            "INSERT INTO labels (fingerprint, category, path, labelled_ns) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (fingerprint) DO UPDATE SET category = excluded.category, "
            "path = excluded.path, labelled_ns = excluded.labelled_ns",
            (fingerprint, category, path, time.time_ns()),
        )

    def clear_label(self, fingerprint: str) -> bool:
        cursor = self.db.execute("DELETE FROM labels WHERE fingerprint = ?", (fingerprint,))
        return cursor.rowcount > 0

    def label_ids(self) -> list[tuple[int, str]]:
        """``(file id, category)`` of every profiled file a person labelled, by file id.

        Read from the few labels to the files they name (``CROSS JOIN`` fixes that order):
        left to itself, SQLite walked every file in id order to skip a sort, reading the
        whole table (vectors included: 175 MB at 100,000 sounds) in every command."""
        return self.db.execute(
            "SELECT f.id, l.category FROM labels l CROSS JOIN files f "
            "ON f.fingerprint = l.fingerprint WHERE f.status = 'ok' ORDER BY f.id"
        ).fetchall()

    def labels(self) -> list[tuple[str, str, bytes | None]]:
        """``(fingerprint, category, path)`` of every correction, the path where the sound is
        now when it is still in the index (else where it was when labelled)."""
        return self.db.execute(
            "SELECT l.fingerprint, l.category, COALESCE("
            "(SELECT f.path FROM files f WHERE f.fingerprint = l.fingerprint ORDER BY f.path "
            "LIMIT 1), l.path) FROM labels l ORDER BY 3, 1"
        ).fetchall()

    def count_profiled(self, descriptor_key: str) -> int:
        """Files with a profile of ``descriptor_key`` (their own, or one kept aside). Two
        counts, each from an index (the one kept aside: from the index of a switch's sounds)."""
        return self.db.execute(
            "SELECT (SELECT COUNT(*) FROM files WHERE status = 'ok' AND descriptor = :key) + "
            "(SELECT COUNT(*) FROM files WHERE prev_descriptor = :key AND status = 'ok' "
            "AND descriptor != :key)", {"key": descriptor_key}
        ).fetchone()[0]

    def load_space(self, descriptor_key: str) -> tuple[int, bytes] | None:
        row = self.db.execute(
            "SELECT n_fit, params FROM feature_space WHERE descriptor = ?", (descriptor_key,)
        ).fetchone()
        return None if row is None else (int(row[0]), bytes(row[1]))

    def save_space(self, descriptor_key: str, n_fit: int, params: bytes) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO feature_space (descriptor, fitted_ns, n_fit, params) "
            "VALUES (?, ?, ?, ?)",
            (descriptor_key, time.time_ns(), n_fit, params),
        )

    # --- clusters ---

    def cluster_assignments(self) -> dict[int, list[int]]:
        """``{cluster id: [file ids, most typical first]}``."""
        clusters: dict[int, list[int]] = {}
        rows = self.db.execute(
            "SELECT cluster_id, file_id FROM cluster_members ORDER BY cluster_id, rank"
        )
        for cluster_id, file_id in rows:
            clusters.setdefault(cluster_id, []).append(file_id)
        return clusters

    def replace_clusters(self, clusters: list[tuple[int, str, list[tuple[int, float]]]]) -> None:
        """Store a whole clustering: ``(id, label, [(file id, typicality), ...])``, in order."""
        self.db.execute("DELETE FROM cluster_members")
        self.db.execute("DELETE FROM clusters")
        self._insert_clusters(clusters)

    def update_clusters(self, clusters: list[tuple[int, str, list[tuple[int, float]]]],
                        gone: set[int]) -> None:
        """Store some clusters anew (as :meth:`replace_clusters` stores each) and delete the
        clusters ``gone``; the others stay as they are. A file of ``clusters`` must not be in
        any of the others (SQLite refuses it)."""
        dropped = [*gone, *(cid for cid, _, _ in clusters)]
        for chunk in _chunks(dropped, 500):
            marks = ",".join("?" * len(chunk))
            self.db.execute(f"DELETE FROM cluster_members WHERE cluster_id IN ({marks})", chunk)
            self.db.execute(f"DELETE FROM clusters WHERE id IN ({marks})", chunk)
        self._insert_clusters(clusters)

    def _insert_clusters(self, clusters: list[tuple[int, str, list[tuple[int, float]]]]) -> None:
        self.db.executemany(
            "INSERT INTO clusters (id, label, size) VALUES (?, ?, ?)",
            ((cid, label, len(members)) for cid, label, members in clusters),
        )
        self.db.executemany(
            "INSERT INTO cluster_members (file_id, cluster_id, rank, typicality) "
            "VALUES (?, ?, ?, ?)",
            (
                (file_id, cid, rank, float(typicality))
                for cid, _, members in clusters
                for rank, (file_id, typicality) in enumerate(members)
            ),
        )

    def cluster_membership(self) -> dict[int, tuple[int, float]]:
        """``{file id: (cluster id, typicality)}``."""
        rows = self.db.execute("SELECT file_id, cluster_id, typicality FROM cluster_members")
        return {file_id: (cid, typicality) for file_id, cid, typicality in rows}

    def count_clustered(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM cluster_members").fetchone()[0]

    def cluster_table(self) -> list[tuple[int, str, int]]:
        return self.db.execute("SELECT id, label, size FROM clusters ORDER BY id").fetchall()

    def cluster_members(self, cluster_id: int) -> list[tuple[int, bytes, float | None, float]]:
        """``(file id, path, duration, typicality)`` of one cluster, most typical first."""
        return self.db.execute(
            "SELECT f.id, f.path, f.duration, m.typicality FROM cluster_members m "
            "JOIN files f ON f.id = m.file_id WHERE m.cluster_id = ? ORDER BY m.rank",
            (cluster_id,),
        ).fetchall()

    def quality_facts(self, ids: list[int]) -> dict[int, tuple[int, int, int]]:
        """Per file id, what makes a copy worth keeping: (lossless, sample rate, size)."""
        facts = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for file_id, fmt, rate, size in self.db.execute(
                f"SELECT id, format, sample_rate, size FROM files WHERE id IN ({marks})", chunk
            ):
                lossless = int((fmt or "").upper() not in {"MP3", "OGG", "MPEG"})
                facts[file_id] = (lossless, rate or 0, size or 0)
        return facts

    def map_positions(self) -> dict[int, tuple[float, float]]:
        return {fid: (x, y) for fid, x, y in
                self.db.execute("SELECT file_id, x, y FROM map_positions")}

    def save_map_positions(self, positions: Iterable[tuple[int, float, float]]) -> None:
        self.db.execute("DELETE FROM map_positions")
        self.db.executemany("INSERT INTO map_positions (file_id, x, y) VALUES (?, ?, ?)",
                            positions)

    def export_rows(self) -> list[tuple]:
        """Every file with its facts and cluster, for ``soundalike export csv|json``."""
        return self.db.execute(
            "SELECT f.path, f.status, f.error, f.duration, f.sample_rate, f.channels, f.format, "
            "f.is_long, m.cluster_id, c.label, COALESCE(l.category, f.category), "
            "CASE WHEN l.category IS NOT NULL THEN 1.0 ELSE f.category_confidence END, "
            "CASE WHEN l.category IS NOT NULL THEN 'you' WHEN f.category IS NOT NULL "
            "THEN 'model' END FROM files f "
            "LEFT JOIN labels l ON l.fingerprint = f.fingerprint AND f.status = 'ok' "
            "LEFT JOIN cluster_members m ON m.file_id = f.id "
            "LEFT JOIN clusters c ON c.id = m.cluster_id ORDER BY f.path"
        ).fetchall()


def vector_bytes(vector, descriptor_key: str) -> bytes:
    """A vector of the descriptor stored as ``descriptor_key``, as the index stores it
    (:mod:`.vector_codec`)."""
    return vector_codec.encode(vector, descriptor_of_key(descriptor_key))


def vector_of(blob: bytes, descriptor_key: str) -> np.ndarray:
    """A stored vector of the descriptor stored as ``descriptor_key``, float32."""
    return vector_codec.decode(blob, descriptor_of_key(descriptor_key))


def _read_only_folder(path: Path) -> bool:
    """An index that exists in a folder this user may not write to."""
    return path.exists() and not os.access(path.parent, os.W_OK)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def set_aside(db_path: Path) -> Path:
    """Move an index file (and its write-ahead log) aside as ``NAME.old-YYYYmmdd-HHMMSS``,
    for ``scan --rebuild``: a damaged index is kept, never deleted. Returns where it went."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.old-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        with suppress(FileNotFoundError):
            os.replace(f"{db_path}{suffix}", f"{aside}{suffix}")
    side_files.remove(db_path)  # made from the old file: the new one makes its own
    graph_file.remove(db_path)
    forget_checked(db_path)
    return aside
