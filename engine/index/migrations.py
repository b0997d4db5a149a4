"""The index's schema, as the migrations that build it: one function per version.

``MIGRATIONS[i]`` turns a schema of version ``i`` into version ``i + 1``; a new file runs them
all. A change to the schema is a new function at the end, never an edit of an old one (files
written by every earlier version must keep upgrading), as beets does
(``beets/library/migrations.py``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import numpy as np


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
            vector BLOB,                  -- float32 little-endian (float16 from schema 5)
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


def _migrate_to_2(db: sqlite3.Connection) -> None:
    """Search and clusters: the fitted feature space, and clusters with their members."""
    _run_script(
        db,
        """
        CREATE TABLE feature_space (
            descriptor TEXT PRIMARY KEY,  -- descriptor name-version the space was fitted on
            fitted_ns INTEGER NOT NULL,
            n_fit INTEGER NOT NULL,       -- library size when fitted (refit when it drifts far)
            params BLOB NOT NULL          -- numpy .npz: mean, scale, components
        );
        CREATE TABLE clusters (
            id INTEGER PRIMARY KEY,       -- stable across rescans when membership barely changes
            label TEXT NOT NULL,
            size INTEGER NOT NULL
        );
        CREATE TABLE cluster_members (
            file_id INTEGER PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
            cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
            rank INTEGER NOT NULL,        -- 0 = the most typical member
            typicality REAL NOT NULL      -- distance to the centre (smaller: more typical)
        );
        CREATE INDEX cluster_members_cluster ON cluster_members (cluster_id, rank)
        """,
    )


def _migrate_to_3(db: sqlite3.Connection) -> None:
    """The library map: each sound's place, kept so the next map looks the same."""
    _run_script(
        db,
        """
        CREATE TABLE map_positions (
            file_id INTEGER PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
            x REAL NOT NULL,
            y REAL NOT NULL
        )
        """,
    )


def _migrate_to_4(db: sqlite3.Connection) -> None:
    """Instrument categories: what each sound is (kick, snare, ... or other, from the learned
    model) and the model's probability for it. (No comments inside: SQLite keeps the
    column definition's text in the schema, and a trailing comment there breaks it.)"""
    _run_script(
        db,
        """
        ALTER TABLE files ADD COLUMN category TEXT;
        ALTER TABLE files ADD COLUMN category_confidence REAL
        """,
    )


def _migrate_to_5(db: sqlite3.Connection) -> None:
    """Failures that can pass: ``retry`` = 1 when the next scan should try the file again (it
    vanished, could not be read, a worker died on it), 0 when its content is broken (tried
    again only once it changes). ``error`` on a row that still holds a profile is a failed
    re-profile: the earlier profile is kept. Failures recorded before are classified by their
    reason."""
    _run_script(
        db,
        """
        ALTER TABLE files ADD COLUMN retry INTEGER NOT NULL DEFAULT 0;
        UPDATE files SET retry = 1 WHERE status = 'failed' AND (
            error LIKE 'file vanished%' OR error = 'permission denied' OR error = 'file not found'
            OR error LIKE 'cannot read%' OR error LIKE 'the audio decoder crashed%'
            OR error LIKE 'folder not readable%' OR error LIKE 'symbolic link cannot%'
            OR error LIKE 'broken symbolic link%')
        """,
    )


def _migrate_to_6(db: sqlite3.Connection) -> None:
    """Descriptor switches that keep every sound searchable: a sound reprofiled with a new
    descriptor keeps the profile that searches use (``prev_*``) until the whole library has
    the new one; ``meta.search_descriptor`` names the descriptor searches use (here: the one
    most sounds were profiled with)."""
    _run_script(
        db,
        """
        ALTER TABLE files ADD COLUMN prev_descriptor TEXT;
        ALTER TABLE files ADD COLUMN prev_vector BLOB;
        ALTER TABLE files ADD COLUMN prev_category TEXT;
        ALTER TABLE files ADD COLUMN prev_category_confidence REAL;
        INSERT OR IGNORE INTO meta (key, value)
            SELECT 'search_descriptor', descriptor FROM files WHERE status = 'ok'
            GROUP BY descriptor ORDER BY COUNT(*) DESC, descriptor LIMIT 1
        """,
    )


def _migrate_to_7(db: sqlite3.Connection) -> None:
    """Corrections: the category a person gave a sound (``soundalike label``), kept by content
    fingerprint so it survives rescans, moves and renames, and holds for every copy. ``path``
    is where the sound was when labelled, for people reading an export of the corrections."""
    _run_script(
        db,
        """
        CREATE TABLE labels (
            fingerprint TEXT PRIMARY KEY,
            category TEXT NOT NULL,
            path BLOB,
            labelled_ns INTEGER NOT NULL
        )
        """,
    )

def _half_precision(blob: bytes | None) -> bytes | None:
    if blob is None:
        return None
    return np.frombuffer(blob, dtype="<f4").astype("<f2").tobytes()


def _migrate_to_8(db: sqlite3.Connection) -> None:
    """Vectors in half precision (float16 little-endian): half the index, and a search
    re-ranks with them exactly as from the side files. The file shrinks at the next
    ``VACUUM`` (:meth:`.store.IndexStore._migrate` runs one after this migration). And an
    index that answers ``status`` and "which descriptor" without reading every row."""
    db.create_function("half_precision", 1, _half_precision, deterministic=True)
    db.execute("UPDATE files SET vector = half_precision(vector) WHERE vector IS NOT NULL")
    db.execute("UPDATE files SET prev_vector = half_precision(prev_vector) "
               "WHERE prev_vector IS NOT NULL")
    # What status, the descriptor to search with and the category counts read, without
    # reading the rows (vectors included) of the whole table: a covering index, of which
    # the old index on status alone is the first column.
    db.execute("CREATE INDEX files_summary ON files (status, descriptor, category, is_long)")
    db.execute("DROP INDEX files_status")


def _migrate_to_9(db: sqlite3.Connection) -> None:
    """Rescans that read no vector. What a rescan compares every file with (size, time,
    descriptor, retry, status), by path, in an index of its own: a rescan read every row of
    the table for it (vectors included: 185 MB from disk at 100,000 sounds when the page
    cache is cold), now about 10 MB. And the sounds holding a profile kept aside during a
    descriptor switch, indexed (a partial index: empty but during a switch): the end of
    every scan clears them, which read the whole table to find none."""
    db.execute("CREATE INDEX files_walk ON files (path, size, mtime_ns, descriptor, retry, "
               "status)")
    db.execute("CREATE INDEX files_switching ON files (prev_descriptor) "
               "WHERE prev_descriptor IS NOT NULL")


def _migrate_to_10(db: sqlite3.Connection) -> None:
    """The hand-made numbers of a profile in one byte each between their bounds, the learned
    embedding still in half precision (:mod:`.vector_codec`): 1,338 bytes of a
    ``soundalike-3`` vector become 1,053, and the index drops from about 1,960 to about 1,580
    bytes per sound (rows of 16 KB pages also fit better). Vectors of a descriptor without
    bounds (``seed``) stay as they are. The file shrinks at the ``VACUUM`` after this
    migration; the side files are rebuilt from the new numbers (a new generation)."""
    import time

    from .vector_codec import recode

    db.create_function("recode", 2, recode, deterministic=True)
    db.execute("UPDATE files SET vector = recode(vector, descriptor) WHERE vector IS NOT NULL")
    db.execute("UPDATE files SET prev_vector = recode(prev_vector, prev_descriptor) "
               "WHERE prev_vector IS NOT NULL")
    db.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (str(time.time_ns()),))


#: Migrations after which the file is compacted (``VACUUM``: it cannot run in a transaction).
VACUUM_AFTER = {_migrate_to_8, _migrate_to_10}

#: ``MIGRATIONS[i]`` turns a schema of version ``i`` into version ``i + 1``.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_to_1, _migrate_to_2,
                                                          _migrate_to_3, _migrate_to_4,
                                                          _migrate_to_5, _migrate_to_6,
                                                          _migrate_to_7, _migrate_to_8,
                                                          _migrate_to_9, _migrate_to_10]
SCHEMA_VERSION = len(MIGRATIONS)
