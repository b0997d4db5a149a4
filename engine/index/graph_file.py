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
it is deleted by the next process that looks for a graph.
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


def graph_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".graph")


def note_path(db_path: Path) -> Path:
    """What a saved graph was made from, and its size and checksum."""
    return db_path.with_name(db_path.name + ".graph.json")


def remove(db_path: Path) -> None:
    """Delete a library's saved graph (it is built again when next needed)."""
    for path in (note_path(db_path), graph_path(db_path)):
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

    def _expected(self) -> dict:
        return {"format": FORMAT, "build": self.build, "rows": self.rows, "dims": self.dims}

    def load(self) -> HnswGraph | None:
        """The saved graph, or None when there is none for this build (a stale one is
        deleted) or it cannot be trusted (said in the log)."""
        try:
            note = json.loads(note_path(self.db_path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("the saved neighbour graph of %s is unreadable (%s): building it again",
                        self.db_path, exc)
            return None
        if not isinstance(note, dict):
            log.warning("the saved neighbour graph of %s has a damaged note: building it again",
                        self.db_path)
            return None
        if any(note.get(key) != value for key, value in self._expected().items()):
            if self.writable:
                remove(self.db_path)  # made for other side files: never of use again
            return None
        path = graph_path(self.db_path)
        try:
            if path.stat().st_size != note.get("bytes") or _crc(path) != note.get("crc"):
                log.warning("the saved neighbour graph of %s does not match its checksum: "
                            "building it again", self.db_path)
                return None
            from voyager import Index

            index = Index.load(str(path))
        except FileNotFoundError:
            return None
        except Exception as exc:  # voyager's own errors are RuntimeError, ValueError...
            log.warning("cannot load the saved neighbour graph of %s (%s): building it again",
                        self.db_path, exc)
            return None
        if index.num_elements != self.rows or index.num_dimensions != self.dims:
            log.warning("the saved neighbour graph of %s holds %d rows of %d numbers, not %d "
                        "of %d: building it again", self.db_path, index.num_elements,
                        index.num_dimensions, self.rows, self.dims)
            return None
        return HnswGraph.of(index, self.rows)

    def save(self, graph: HnswGraph) -> None:
        """Save ``graph`` for the next process (a library under :data:`SAVE_FROM` sounds, or
        an index this process may not write: nothing). A full disk or a read-only folder is
        said in the log; the graph in memory serves as before."""
        if not self.writable or self.rows < SAVE_FROM:
            return
        path, note = graph_path(self.db_path), note_path(self.db_path)
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
            log.warning("cannot save the neighbour graph of %s: %s", self.db_path, exc)
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
