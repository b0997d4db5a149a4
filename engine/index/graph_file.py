"""The library's nearest-neighbour graph, saved beside its side files.

Building the HNSW graph of a large library takes minutes (43 s for a million sounds on two
cores, about 20 minutes at ten million), and every server start and every map built it anew:
a server answered by the slower exact scan all that time, and a map of a million sounds
spent most of its minute on it. The graph depends only on the compact embedding, which one
build of the side files fixes (:mod:`.side_files`, their ``build`` id). Saved once under that
id, it loads in a fraction of a second (0.3 s and 340 MB at a million sounds).

Saved for libraries of :data:`SAVE_FROM` sounds or more, where a graph is what answers (see
:data:`.neighbours.APPROXIMATE_FROM`); smaller ones build theirs in seconds. Never trusted
blindly: a graph is loaded only when its note names the current build, its size and
checksum match, and voyager reads it whole; otherwise it is built again and saved over (a
damaged one is said in the log). After a scan (new side files) the kept graph is brought up
to date while the feature space is the same (:meth:`SavedGraph.update`: seconds, where
building it takes minutes), else deleted by the next process that looks for a graph. The
graph of a server's copy groups' stand-ins is kept the same way, for one build only
(:data:`STAND_INS`, :mod:`..search.kept_groups`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import side_files
from .neighbours import APPROXIMATE_FROM, HnswGraph

log = logging.getLogger(__name__)

#: Libraries at least this large keep their graph.
SAVE_FROM = APPROXIMATE_FROM
#: Bump when what is saved changes meaning (a new graph recipe): older graphs are rebuilt.
FORMAT = 2
#: A kept graph is brought up to date while at most this share of it would be dead (files
#: gone or changed, marked deleted); beyond, it is built anew.
UPDATE_MOST = 0.25
#: Vectors compared, or rows added, at a time in an update.
UPDATE_BLOCK = 65_536


#: The library's graph; the graph of its copy groups' stand-ins (:mod:`..search.kept_groups`).
LIBRARY, STAND_INS = "graph", "groups.graph"
#: Everything kept beside an index for its servers: the graphs (each with its note), and the
#: copy groups (a side file, with its ``.checked`` note).
KEPT = (LIBRARY, STAND_INS, "groups")


def graph_path(db_path: Path, name: str = LIBRARY) -> Path:
    return db_path.with_name(f"{db_path.name}.{name}")


def note_path(db_path: Path, name: str = LIBRARY) -> Path:
    """What a saved graph was made from, and its size and checksum."""
    return db_path.with_name(f"{db_path.name}.{name}.json")


def ids_path(db_path: Path, name: str = LIBRARY) -> Path:
    """The file id of each of a saved graph's ids (a side file): how an update maps them."""
    return db_path.with_name(f"{db_path.name}.{name}.ids")


def remove(db_path: Path, names: tuple[str, ...] = KEPT) -> None:
    """Delete what is kept beside an index for its servers (made again when next needed)."""
    for name in names:
        ids = ids_path(db_path, name)
        for path in (note_path(db_path, name), graph_path(db_path, name), ids,
                     ids.with_name(ids.name + ".checked"),
                     db_path.with_name(f"{db_path.name}.{name}.checked")):
            with contextlib.suppress(OSError):
                path.unlink()


@dataclass(frozen=True)
class SavedGraph:
    """Where the graph of one build of a library's side files is saved: ``rows`` rows of
    ``dims`` numbers. ``writable``: this process may save it (not for a read-only index)."""

    db_path: Path
    build: str
    rows: int
    dims: int
    writable: bool = True
    #: Which graph: the library's (:data:`LIBRARY`) or its stand-ins' (:data:`STAND_INS`).
    name: str = LIBRARY
    #: The feature space's checksum: a graph kept for other side files of the same space
    #: holds the same embedding for every file that did not change (:meth:`update`).
    space: int = 0
    #: The file id of each row (ascending, as the catalogue's rows are): what a graph kept
    #: for other side files is mapped by. None: no update (the stand-ins' graph).
    file_ids: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def _shown(self) -> Path:
        return graph_path(self.db_path, self.name)

    def _expected(self) -> dict:
        return {"format": FORMAT, "build": self.build, "rows": self.rows, "dims": self.dims}

    def _note(self) -> dict | None:
        try:
            note = json.loads(note_path(self.db_path, self.name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("the saved neighbour graph %s is unreadable (%s): building it again",
                        self._shown, exc)
            return None
        if not isinstance(note, dict):
            log.warning("the saved neighbour graph %s has a damaged note: building it again",
                        self._shown)
            return None
        return note

    def load(self, E: np.ndarray | None = None, *, threads: int = 1) -> HnswGraph | None:
        """The saved graph, or None when there is none for this build or it cannot be trusted
        (said in the log). With ``E`` (the rows' embedding, as the side files hold it), a
        graph kept for other side files of the same space is brought up to date instead
        (:meth:`update`); one that cannot be is deleted."""
        note = self._note()
        if note is None:
            return None
        if any(note.get(key) != value for key, value in self._expected().items()):
            graph = None
            if E is not None and self._updatable(note):
                graph = self.update(note, E, threads=threads)
            if graph is None and self.writable:  # made for other side files: of no use again
                remove(self.db_path, (self.name,))
            return graph
        return self._read(note)

    def _updatable(self, note: dict) -> bool:
        return (self.file_ids is not None and note.get("format") == FORMAT
                and note.get("dims") == self.dims and note.get("space") == self.space
                and bool(self.space))

    def _read(self, note: dict, *, mapped: bool = True) -> HnswGraph | None:
        """The graph ``note`` describes, its ids mapped to this library's rows (``mapped``;
        else as they were saved)."""
        path = graph_path(self.db_path, self.name)
        try:
            if path.stat().st_size != note.get("bytes") or _crc(path) != note.get("crc"):
                log.warning("the saved neighbour graph %s does not match its checksum: "
                            "building it again", self._shown)
                return None
            from voyager import Index

            index = Index.load(str(path))
        except FileNotFoundError:
            return None
        except Exception as exc:  # voyager's own errors are RuntimeError, ValueError...
            log.warning("cannot load the saved neighbour graph %s (%s): building it again",
                        self._shown, exc)
            return None
        elements = note.get("elements", note.get("rows"))
        if index.num_dimensions != self.dims or index.num_elements != elements:
            log.warning("the saved neighbour graph %s holds %d rows of %d numbers, not %s "
                        "of %d: building it again", self._shown, index.num_elements,
                        index.num_dimensions, elements, self.dims)
            return None
        to_row = None
        if mapped and note.get("ids"):  # ids of its own (updated): mapped to these rows
            saved = self._saved_ids(index.num_elements)
            if saved is None or self.file_ids is None:
                return None
            to_row = rows_of(saved, self.file_ids)
        return HnswGraph.of(index, self.rows, to_row)

    def _saved_ids(self, elements: int) -> np.ndarray | None:
        """The file id of each of the saved graph's ids (-1: deleted), or None (said in the
        log when damaged)."""
        try:
            _, arrays = side_files.read_arrays(ids_path(self.db_path, self.name))
        except FileNotFoundError:
            return None
        except (side_files.DamagedSideFile, OSError) as exc:
            log.warning("the saved neighbour graph %s has damaged ids (%s): building it again",
                        self._shown, exc)
            return None
        saved = arrays.get("file_ids")
        return saved if saved is not None and len(saved) == elements else None

    def update(self, note: dict, E: np.ndarray, *, threads: int = 1) -> HnswGraph | None:
        """The graph kept for other side files of the same feature space, brought up to date
        for these rows: files gone, and files whose embedding changed, are marked deleted;
        new ones (and the changed ones) are added. Seconds where building it anew takes
        minutes (a scan that added a pack to a library of a million sounds). None (build it
        anew, which also drops what was deleted) when more than :data:`UPDATE_MOST` of it
        would be dead, or it cannot be read."""
        graph = self._read(note, mapped=False)
        saved = None if graph is None else self._saved_ids(graph.elements)
        if saved is None:
            return None
        was_marked = saved < 0  # deleted by an earlier update
        to_row = rows_of(saved, self.file_ids)
        live = np.flatnonzero(to_row >= 0)
        # a file whose embedding changed (its content, or a rescan under a new model) is not
        # where the graph has it: compared vector for vector
        changed = []
        for start in range(0, len(live), UPDATE_BLOCK):
            ids = live[start : start + UPDATE_BLOCK]
            held = np.asarray(graph._index.get_vectors(ids.tolist()), dtype=np.float32)
            now = np.asarray(E[to_row[ids]], dtype=np.float32)
            changed.append(ids[(held != now).any(axis=1)])
        changed = np.concatenate(changed) if changed else np.empty(0, np.int64)
        gone = np.flatnonzero((to_row < 0) & ~was_marked)
        if int(was_marked.sum()) + len(gone) + len(changed) > UPDATE_MOST * graph.elements:
            return None
        for voyager_id in [*gone.tolist(), *changed.tolist()]:
            graph._index.mark_deleted(int(voyager_id))
        to_row[changed] = -1
        reached = np.zeros(self.rows, dtype=bool)
        reached[to_row[to_row >= 0]] = True
        new_rows = np.flatnonzero(~reached)
        first = graph.elements
        for start in range(0, len(new_rows), UPDATE_BLOCK):
            rows = new_rows[start : start + UPDATE_BLOCK]
            graph._index.add_items(np.asarray(E[rows], dtype=np.float32),
                                   ids=np.arange(first + start, first + start + len(rows)),
                                   num_threads=threads)
        graph.to_row = np.concatenate([to_row, new_rows]).astype(np.int64)
        graph.size = self.rows
        graph.origin = "kept, brought up to date"
        graph.refreshed = new_rows  # for what else is brought up to date (copy groups)
        log.info("the saved neighbour graph %s brought up to date: %d sounds gone, %d changed, "
                 "%d new", self._shown, len(gone), len(changed), len(new_rows) - len(changed))
        self.save(graph)
        return graph

    def save(self, graph: HnswGraph) -> None:
        """Save ``graph`` for the next process (a library under :data:`SAVE_FROM` sounds, or
        an index this process may not write: nothing). A full disk or a read-only folder is
        said in the log; the graph in memory serves as before."""
        if not self.writable or self.rows < SAVE_FROM:
            return
        path, note = graph_path(self.db_path, self.name), note_path(self.db_path, self.name)
        temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        try:
            graph.save(temporary)
            fd = os.open(temporary, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            written = dict(self._expected(), space=self.space, bytes=temporary.stat().st_size,
                           crc=_crc(temporary), elements=graph.elements,
                           ids=graph.to_row is not None)
            if self.file_ids is not None:  # each voyager id's file (-1: deleted)
                held = graph.to_row if graph.to_row is not None else np.arange(self.rows)
                side_files.write_arrays(ids_path(self.db_path, self.name), {"build": self.build},
                                        {"file_ids": np.where(held >= 0, self.file_ids[held],
                                                              -1)})
            # The old note goes first: a reader meanwhile finds no graph, never a new graph
            # under an old note.
            with contextlib.suppress(FileNotFoundError):
                note.unlink()
            os.replace(temporary, path)
            staged = note.with_name(f"{note.name}.tmp-{os.getpid()}")
            staged.write_text(json.dumps(written), encoding="utf-8")
            os.replace(staged, note)
        except (OSError, RuntimeError, ValueError) as exc:  # voyager's write errors too
            log.warning("cannot save the neighbour graph %s: %s", self._shown, exc)
            for leftover in (temporary, note.with_name(f"{note.name}.tmp-{os.getpid()}")):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def rows_of(file_ids: np.ndarray, current: np.ndarray) -> np.ndarray:
    """The row (in ``current``, ascending file ids) of each of ``file_ids``; -1 where it is
    gone (or was deleted: -1 already)."""
    at = np.minimum(np.searchsorted(current, file_ids), max(len(current) - 1, 0))
    found = (file_ids >= 0) & (len(current) > 0)
    if len(current):
        found &= current[at] == file_ids
    return np.where(found, at, -1).astype(np.int64)


def _crc(path: Path) -> int:
    """CRC-32 of a file, read in 16 MB pieces (0.15 s for a million sounds' graph)."""
    value = 0
    with open(path, "rb") as f:
        while piece := f.read(1 << 24):
            value = zlib.crc32(piece, value)
    return value
