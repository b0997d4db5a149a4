"""The library index: one SQLite file holding roots, files, descriptors and scans.

Why SQLite: an embedded file, nothing to install, readers never block the
writer in WAL mode (the OSC bridge keeps answering while a scan writes), and a
process killed at any instant leaves the last committed transaction intact.

Every write goes through :meth:`IndexStore.transaction`. The schema carries a
version in ``meta``; :data:`MIGRATIONS` brings older files forward, and a file
written by a newer soundalike is refused rather than damaged.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import IndexStoreError
from .paths import under_prefix_bounds

# --- schema ----------------------------------------------------------------------------------


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: ``executescript`` would commit the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _migrate_to_1(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE roots (
            path BLOB PRIMARY KEY,        -- absolute path, raw bytes
            match TEXT,                   -- keep only file names containing this (case-insensitive)
            added_ns INTEGER NOT NULL,
            last_scan_ns INTEGER
        );
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            path BLOB NOT NULL UNIQUE,    -- absolute path, raw bytes (names need not be UTF-8)
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ok', 'silent', 'failed')),
            error TEXT,                   -- why it failed, for people
            fingerprint TEXT,             -- size + head + tail hash, to recognise moves
            duration REAL,                -- true seconds, even when profiled on a window
            sample_rate INTEGER,
            channels INTEGER,
            format TEXT,
            is_long INTEGER NOT NULL DEFAULT 0,
            descriptor TEXT NOT NULL,     -- descriptor name-version the row was profiled with
            vector BLOB,                  -- float32 little-endian, only when status = 'ok'
            scanned_ns INTEGER NOT NULL
        );
        CREATE INDEX files_fingerprint ON files (fingerprint);
        CREATE INDEX files_status ON files (status);
        CREATE TABLE scans (
            id INTEGER PRIMARY KEY,
            started_ns INTEGER NOT NULL,
            finished_ns INTEGER,
            report TEXT                   -- the scan's summary as JSON, once finished
        );
        """,
    )


#: ``MIGRATIONS[i]`` turns a schema of version ``i`` into version ``i + 1``.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_to_1]
SCHEMA_VERSION = len(MIGRATIONS)


# --- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Root:
    path: bytes
    match: str | None
    added_ns: int
    last_scan_ns: int | None


@dataclass(frozen=True)
class FileState:
    """What the index remembers of a file, enough to decide whether to profile it again."""

    path: bytes
    size: int
    mtime_ns: int
    status: str
    descriptor: str
    fingerprint: str | None


@dataclass(frozen=True)
class FileRecord:
    """One profiled file, as search, clusters and the CLI see it."""

    id: int
    path: bytes
    status: str
    duration: float | None
    sample_rate: int | None
    channels: int | None
    format: str | None
    is_long: bool
    error: str | None


FILE_RECORD_COLUMNS = "id, path, status, duration, sample_rate, channels, format, is_long, error"


class IndexStore:
    """A connection to one index file. Not shared between threads: open one per thread.

    Methods that write must be called inside ``with store.transaction():``.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise IndexStoreError(f"no library index at {self.path} (run `soundalike scan FOLDER`)")
        try:
            self.db = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self.db.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise IndexStoreError(f"{self.path} is not a usable soundalike index: {exc}") from exc

    def close(self) -> None:
        self.db.close()

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

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

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

    def file_states_under(self, root: bytes) -> dict[bytes, FileState]:
        low, high = under_prefix_bounds(root)
        rows = self.db.execute(
            "SELECT path, size, mtime_ns, status, descriptor, fingerprint FROM files "
            "WHERE path >= ? AND path < ?",
            (low, high),
        )
        return {row[0]: FileState(*row) for row in rows}

    def states_with_fingerprints(self, fingerprints: Iterable[str]) -> dict[str, list[bytes]]:
        found: dict[str, list[bytes]] = {}
        for fp in set(fingerprints):
            for (path,) in self.db.execute("SELECT path FROM files WHERE fingerprint = ?", (fp,)):
                found.setdefault(fp, []).append(path)
        return found

    def write_profiles(self, profiles: Iterable, descriptor_key: str) -> None:
        """Insert or replace the rows of freshly profiled files (:class:`~.profiling.Profile`)."""
        now = time.time_ns()
        self.db.executemany(
            """
            INSERT INTO files (path, size, mtime_ns, status, error, fingerprint, duration,
                sample_rate, channels, format, is_long, descriptor, vector, scanned_ns)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (path) DO UPDATE SET
                size = excluded.size, mtime_ns = excluded.mtime_ns, status = excluded.status,
                error = excluded.error, fingerprint = excluded.fingerprint,
                duration = excluded.duration, sample_rate = excluded.sample_rate,
                channels = excluded.channels, format = excluded.format,
                is_long = excluded.is_long, descriptor = excluded.descriptor,
                vector = excluded.vector, scanned_ns = excluded.scanned_ns
            """,
            (
                (
                    p.path,
                    p.size,
                    p.mtime_ns,
                    p.status,
                    p.error,
                    p.fingerprint,
                    p.duration,
                    p.sample_rate,
                    p.channels,
                    p.format,
                    int(p.is_long),
                    descriptor_key,
                    None if p.vector is None else np.asarray(p.vector, "<f4").tobytes(),
                    now,
                )
                for p in profiles
            ),
        )

    def move_file(self, old: bytes, new: bytes, size: int, mtime_ns: int):
        """Point an existing row at its new path (content unchanged: no new profile)."""
        self.db.execute("DELETE FROM files WHERE path = ?", (new,))
        self.db.execute(
            "UPDATE files SET path = ?, size = ?, mtime_ns = ? WHERE path = ?",
            (new, size, mtime_ns, old),
        )

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

    def failures(self, limit: int | None = None) -> list[tuple[bytes, str]]:
        sql = "SELECT path, error FROM files WHERE status = 'failed' ORDER BY path"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [(path, error or "unknown") for path, error in self.db.execute(sql)]

    def descriptor_keys(self) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT descriptor, COUNT(*) FROM files WHERE status = 'ok' GROUP BY descriptor"
        )
        return dict(rows.fetchall())

    def file_record(self, path: bytes) -> FileRecord | None:
        row = self.db.execute(
            f"SELECT {FILE_RECORD_COLUMNS} FROM files WHERE path = ?", (path,)
        ).fetchone()
        return None if row is None else FileRecord(*row[:7], bool(row[7]), row[8])

    def vectors(self, descriptor_key: str, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """Ids and vectors of every profiled file, shape ``(n,)`` and ``(n, dim)``."""
        rows = self.db.execute(
            "SELECT id, vector FROM files WHERE status = 'ok' AND descriptor = ? ORDER BY id",
            (descriptor_key,),
        ).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        matrix = np.empty((len(rows), dim), dtype=np.float32)
        for i, (_, blob) in enumerate(rows):
            matrix[i] = np.frombuffer(blob, dtype="<f4")
        return ids, matrix
