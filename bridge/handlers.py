"""What each request does: plain functions ``(service, request, emit) -> replies``.

A reply is ``(address, args)``. Handlers know nothing of sockets, so tests call
them directly; ``emit`` sends replies later (a rescan's progress and result).
Engine errors become ``/soundalike/error`` replies in :func:`handle`.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable

from soundalike.engine import EngineError
from soundalike.engine.clusters.listing import cluster_detail, cluster_summaries
from soundalike.engine.index.catalogue import Catalogue
from soundalike.engine.index.storage_faults import explain
from soundalike.engine.reports import Neighbour, ScanProgress, ScanReport
from soundalike.engine.search import similar as search

from .address_space import ASPECTS, ERROR
from .address_space import UPDATED as UPDATED_REPLY
from .playable import playable_path
from .requests import ParsedRequest
from .service import LibraryService
from .wire import clip, string_fits

log = logging.getLogger("soundalike.bridge")

Reply = tuple[str, tuple]
Emit = Callable[[str, tuple], None]
UPDATED = UPDATED_REPLY.suffix
#: A rescan reports progress at most this often (Pd's [netreceive] loses bursts).
PROGRESS_INTERVAL = 0.2


def handle(service: LibraryService, request: ParsedRequest, emit: Emit,
           broadcast: Emit | None = None) -> list[Reply]:
    """Run a request; any engine error becomes an error reply with the request id."""
    try:
        return HANDLERS[request.verb](service, request, emit, broadcast or emit)
    except EngineError as exc:
        return [error(request.id, str(exc))]
    except sqlite3.DatabaseError as exc:  # the index file failed: in words, not "internal"
        return [error(request.id, str(explain(exc, service.db_path)))]


def error(request_id, reason: str) -> Reply:
    """An error reply; its text is cut to what Pd passes intact (so the datagram stays small)."""
    return ERROR.suffix, (request_id, clip(reason))


def _address(request: ParsedRequest, suffix: str) -> str:
    return request.spec.reply_address(suffix)


def _deliverable(request: ParsedRequest, item) -> str:
    """The path to send for a result, or :class:`Undeliverable` saying why it cannot be sent:
    a WAV copy when the client asked for files Pd can read (``wav 1``)."""
    if item.path_bytes is not None:
        raise Undeliverable("its name is not valid UTF-8, which OSC strings must be")
    if not string_fits(item.path):
        raise Undeliverable("its path is longer than 999 bytes, more than Pd and Max pass")
    if request.options.get("wav"):
        try:
            return playable_path(item.path)
        except (EngineError, OSError, RuntimeError) as exc:
            raise Undeliverable(str(exc)) from exc
    return item.path


class Undeliverable(Exception):
    """One result that cannot be sent; the others still are."""


def _rows(request: ParsedRequest, items, row: Callable) -> list[Reply]:
    """One result message per item that can be delivered, ranked 1, 2, 3... as sent.

    A result that cannot be sent (a name that is not UTF-8, a path too long for Pd, a
    file gone since the scan when a WAV copy is wanted) is left out and logged: one bad
    file never turns an answer into an error, and ranks and the done count still agree.
    """
    replies = []
    for item in items:
        try:
            path = _deliverable(request, item)
        except Undeliverable as exc:
            log.warning("left a result out of %s %r: %s: %s", request.verb, request.id,
                        item.path, exc)
            continue
        replies.append((_address(request, "result"), row(len(replies) + 1, path, item)))
    return replies


def _neighbour_rows(request: ParsedRequest, neighbours: list[Neighbour] | list[search.Row]
                    ) -> list[Reply]:
    return _rows(request, neighbours, lambda rank, path, n: (
        request.id, rank, path, float(n.distance), n.cluster or 0, n.category or "",
        n.category_source or ""))


def ping(service, request, emit, broadcast) -> list[Reply]:
    return [(_address(request, "done"),
             (request.id, service.version, service.size, int(service.scanning)))]


def similar(service, request, emit, broadcast) -> list[Reply]:
    o = request.options
    weights = {a: o[f"weight_{a}"] for a in ASPECTS if o[f"weight_{a}"] >= 0}
    catalogue = service.snapshot
    found = search.nearest(
        catalogue, request.args["path"], request.args["k"],
        other_folders=bool(o["other_folders"]), under=o["under"] or None,
        min_duration=o["min_duration"] or None, max_duration=o["max_duration"] or None,
        no_duplicates=bool(o["no_duplicates"]), weights=weights or None,
        category=o["category"] or None, kind=o["kind"] or "same",
    )
    # The rows as the replies carry them, no report made of them (aspects the replies do
    # not carry, a model per row): a tenth of a millisecond less per request.
    replies = _neighbour_rows(request, search.result_rows(catalogue, found.rows,
                                                          found.distances))
    return replies + [(_address(request, "done"), (request.id, len(replies)))]


def mates(service, request, emit, broadcast) -> list[Reply]:
    result = search.mates(service.snapshot, request.args["path"])
    replies = _neighbour_rows(request, result.mates[: request.args["max"] or None])
    # the query itself, as the results are sent (a WAV copy with ``wav 1``): a client that
    # shows the query beside its mates (Pd's slot 1) can play it
    query = request.args["path"]
    if request.options.get("wav"):
        try:
            query = playable_path(query)
        except (EngineError, OSError, RuntimeError) as exc:
            log.warning("cannot make a copy of the query %s: %s", query, exc)
    return replies + [
        (_address(request, "done"), (request.id, len(replies), result.cluster, result.label,
                                     query))
    ]


def cluster(service, request, emit, broadcast) -> list[Reply]:
    detail = cluster_detail(service.snapshot, request.args["cluster"])
    replies = _rows(request, detail.members[: request.args["max"] or None],
                    lambda rank, path, m: (request.id, rank, path, float(m.duration), detail.id,
                                           m.category or ""))
    return replies + [(_address(request, "done"), (request.id, len(replies), detail.id,
                                                   detail.label))]


def clusters(service, request, emit, broadcast) -> list[Reply]:
    summaries = cluster_summaries(service.snapshot)
    replies = [(_address(request, "result"), (request.id, c.id, c.size, c.label))
               for c in summaries]
    return replies + [(_address(request, "done"), (request.id, len(summaries)))]


def kit(service, request, emit, broadcast) -> list[Reply]:
    """One ``result`` per filled pad and one ``empty`` per role left empty, in note order."""
    from soundalike.engine.kits.build import build_kit

    keep = {}
    for pair in request.options["keep"]:
        note, sep, path = pair.partition("=")
        if not sep or not note.strip().isdigit() or not path:
            raise EngineError(f"keep takes NOTE=PATH (e.g. keep 38=/samples/snare.wav), "
                              f"not {clip(pair)!r}")
        keep[int(note)] = path
    o = request.options
    if bool(o["save"]) != bool(o["save_to"]):
        raise EngineError("save and save_to go together: a format (hydrogen, drumgizmo, sfz) "
                          "and a folder")
    result = build_kit(service.snapshot, [request.args["path"]], pads=request.args["pads"],
                       other_folders=bool(o["other_folders"]), variation=o["variation"],
                       keep=keep)
    saved = service.save_kit(result, o["save"], o["save_to"]) if o["save"] else None
    replies = []
    filled = empty = 0
    for pad in result.pads:
        if pad.path is None:
            empty += 1
            replies.append((_address(request, "empty"), (request.id, pad.note, pad.role,
                                                          pad.empty or "")))
            continue
        try:
            path = _deliverable(request, pad)
        except Undeliverable as exc:
            empty += 1
            replies.append((_address(request, "empty"), (
                request.id, pad.note, pad.role, clip(f"its sound cannot be sent: {exc}"))))
            continue
        filled += 1
        replies.append((_address(request, "result"), (
            request.id, pad.note, pad.role, path, float(pad.distance or 0.0))))
    if saved is not None:
        replies.append((_address(request, "saved"), (request.id, clip(saved.file),
                                                      len(saved.samples))))
    return replies + [(_address(request, "done"), (request.id, filled, empty))]


def recording(service, request, emit, broadcast) -> list[Reply]:
    from .recorded import recording_path

    return [(_address(request, "done"), (request.id, recording_path()))]


def hit(service, request, emit, broadcast) -> list[Reply]:
    """Cut the strongest hit of a client's recording; say where it is, what it is and the
    cluster of its nearest sound."""
    from .recorded import cut_recording

    max_seconds = request.args["max_seconds"]
    if not 0.05 <= max_seconds <= 2.0:
        raise EngineError(f"max_seconds must be between 0.05 and 2, not {max_seconds:g}")
    path, cut = cut_recording(request.args["path"], max_seconds,
                              start_at=request.options["start_at"])
    nearest = search.similar(service.snapshot, path, 1) if service.size else None
    category = (nearest.category or "") if nearest else ""
    cluster_id = (nearest.neighbours[0].cluster or 0) if nearest and nearest.neighbours else 0
    return [(_address(request, "done"), (request.id, path, round(cut.start / cut.sr, 4),
                                         round(cut.seconds, 4), category, cluster_id))]


def label(service, request, emit, broadcast) -> list[Reply]:
    """Store a correction, answer with the sound's category now, tell every client."""
    category = request.args["category"]
    path, now, source = service.label(request.args["path"],
                                      None if category == "model" else category)
    broadcast(UPDATED, (service.size, service.cluster_count))
    return [(_address(request, "done"), (request.id, clip(path), now or "", source or ""))]


def status(service, request, emit, broadcast) -> list[Reply]:
    report = service.status()
    clusters_count = len(service.snapshot.cluster_labels) if service.size else 0
    replies = [(_address(request, "result"), (request.id, root.path)) for root in report.roots
               if string_fits(root.path)]
    return replies + [(_address(request, "done"), (
        request.id, report.files, report.profiled, report.failed, clusters_count,
        int(service.scanning), report.descriptor))]


def rescan(service, request, emit, broadcast) -> list[Reply]:
    last = [0.0]

    def progress(p: ScanProgress) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL or p.phase != "profiling":
            last[0] = now
            emit(_address(request, "progress"), (request.id, p.phase, p.done, p.total, p.failed))

    def done(report: ScanReport, snapshot: Catalogue | None, swapped: bool) -> None:
        size = 0 if snapshot is None else snapshot.size
        message = (request.id, report.new, report.changed, report.removed, report.failed, size)
        emit(_address(request, "done"), message)
        time.sleep(0.05)
        emit(_address(request, "done"), message)  # the final state, sent twice: UDP may drop one
        if swapped:
            labels = 0 if snapshot is None else len(snapshot.cluster_labels)
            broadcast(UPDATED, (size, labels))

    def failed(reason: str) -> None:
        emit(*error(request.id, reason))

    folders = service.start_rescan(request.args["root"] or None, progress, done, failed)
    return [(_address(request, "started"), (request.id, folders))]


HANDLERS = {
    "ping": ping,
    "similar": similar,
    "mates": mates,
    "cluster": cluster,
    "clusters": clusters,
    "status": status,
    "kit": kit,
    "rescan": rescan,
    "recording": recording,
    "hit": hit,
    "label": label,
}
