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
damaged one is said in the log). A new build of the side files makes the old graph stale:
it is deleted by the next process that looks for a graph. The graph of a server's copy
groups' stand-ins is kept the same way (:data:`STAND_INS`, :mod:`..search.kept_groups`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from .neighbours import APPROXIMATE_FROM, HnswGraph

log = logging.getLogger(__name__)

#: Libraries at least this large keep their graph.
SAVE_FROM = APPROXIMATE_FROM
#: Bump when what is saved changes meaning (a new graph recipe): older graphs are rebuilt.
FORMAT = 1


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


def remove(db_path: Path, names: tuple[str, ...] = KEPT) -> None:
    """Delete what is kept beside an index for its servers (made again when next needed)."""
    for name in names:
        for path in (note_path(db_path, name), graph_path(db_path, name),
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

    @property
    def _shown(self) -> Path:
        return graph_path(self.db_path, self.name)

    def _expected(self) -> dict:
        return {"format": FORMAT, "build": self.build, "rows": self.rows, "dims": self.dims}

    def load(self) -> HnswGraph | None:
        """The saved graph, or None when there is none for this build (a stale one is
        deleted) or it cannot be trusted (said in the log)."""
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
        if any(note.get(key) != value for key, value in self._expected().items()):
            if self.writable:  # made for other side files: never of use again
                remove(self.db_path, (self.name,))
            return None
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
        if index.num_elements != self.rows or index.num_dimensions != self.dims:
            log.warning("the saved neighbour graph %s holds %d rows of %d numbers, not %d "
                        "of %d: building it again", self._shown, index.num_elements,
                        index.num_dimensions, self.rows, self.dims)
            return None
        return HnswGraph.of(index, self.rows)

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
            written = dict(self._expected(), bytes=temporary.stat().st_size,
                           crc=_crc(temporary))
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


def _crc(path: Path) -> int:
    """CRC-32 of a file, read in 16 MB pieces (0.15 s for a million sounds' graph)."""
    value = 0
    with open(path, "rb") as f:
        while piece := f.read(1 << 24):
            value = zlib.crc32(piece, value)
    return value
