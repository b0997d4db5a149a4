"""Loops found and placed again after the rule for them improved, without profiling anything
again.

A scan names a file ``loop`` when it holds several hits (:func:`..sound.hits.is_loop`) and
gives a loop the mean of its hits' learned numbers (:mod:`..sound.loop_embedding`). When that
rule improves, a library scanned before would keep the old answer for every file its rescans
do not profile again, that is nearly all of them. This pass reads again, once, the start of
each profiled file the change concerns and brings it up to date:

- under a rule before ``hits+spectrum-1`` (the spectrum now also counts: mixed loops, legato
  riffs), every file long enough to hold several hits, and the loops;
- under ``hits+spectrum-1`` (loops placed by their first hit), the loops;
- under ``hits+spectrum-2`` (the spectrum counted from half a second), the loops shorter than
  :data:`..sound.hits.SPECTRUM_MIN_SECONDS`.

A file the current rule finds a loop is named ``loop`` and given its hits' learned numbers;
nothing else changes (its hand-made numbers, and every other file, stay as they were). A file
named ``loop`` that the current rule finds no loop (a short file an older rule named by its
spectrum) is profiled again, as a scan profiles a changed file: its category and learned
numbers are its first hit's again. Which rule counted a library's loops is kept in its meta
table (:data:`LOOP_RULE_META`). A library whose first scan used the current rule never runs
the pass. A file that cannot be read now (its drive unplugged, gone) keeps its name and
numbers; the pass is not repeated for it. Killed halfway, the pass starts again at the next
scan: what it wrote is committed batch by batch and is right under the new rule, and doing it
twice gives the same numbers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import AudioError
from ..index import vector_codec
from ..index.store import IndexStore
from ..reports import ProgressCallback, ScanProgress
from ..sound.decode import decode
from ..sound.descriptors import Descriptor
from ..sound.hits import (
    LOOP_CONFIDENCE,
    LOOP_MIN_SECONDS,
    LOOP_RULE,
    SPECTRUM_MIN_SECONDS,
    is_loop,
)
from ..sound.loop_embedding import loop_embeddings
from ..sound.profiling import READ_SECONDS, STATUS_OK, profile_files

LOOP_RULE_META = "loop_rule"
#: Rules that named loops as the current one does but for the loops shorter than
#: :data:`SPECTRUM_MIN_SECONDS` (which they may have named by their spectrum), with the
#: files each must read again: ``-1`` placed every loop by its first hit.
NAMED_AS_NOW_BUT_SHORT = {
    "hits+spectrum-1": ("category = 'loop'", ()),
    "hits+spectrum-2": ("category = 'loop' AND duration < ?", (SPECTRUM_MIN_SECONDS,)),
}
#: Loops written per transaction (a killed pass keeps what it found).
BATCH = 256
#: Progress at most this often (seconds).
PROGRESS_INTERVAL = 0.2


@dataclass
class Recount:
    """What the pass changed: files newly named ``loop``, loops given their hits' numbers
    (those newly named included), files no longer named ``loop`` (profiled again); ``paths``
    of every file it changed."""

    named: int = 0
    placed: int = 0
    unnamed: int = 0
    paths: list[bytes] = field(default_factory=list)


def recount_loops(store: IndexStore, descriptor: Descriptor,
                  progress: ProgressCallback | None = None) -> Recount:
    """Bring a library whose loops an older rule counted up to the current rule (nothing to
    do, and nothing read, when it is current)."""
    done_already = Recount()
    if store.read_only or descriptor.categorise is None:
        return done_already
    rule = store.get_meta(LOOP_RULE_META)
    if rule == LOOP_RULE:
        return done_already
    where, values = NAMED_AS_NOW_BUT_SHORT.get(
        rule, ("(category = 'loop' OR duration >= ?)", (LOOP_MIN_SECONDS,)))
    rows = store.db.execute(
        f"SELECT id, path, category = 'loop', size, mtime_ns FROM files WHERE status = 'ok' "
        f"AND descriptor = ? AND {where} ORDER BY id", (descriptor.key, *values),
    ).fetchall()
    result, started, shown = Recount(), time.monotonic(), 0.0
    found: list[tuple[int, bytes, bool, tuple[np.ndarray, int]]] = []
    lapsed: list[tuple[bytes, int, int]] = []
    for done, (file_id, path, was_loop, size, mtime_ns) in enumerate(rows, start=1):
        try:
            audio = decode(path, max_seconds=READ_SECONDS)
        except (OSError, AudioError):  # unreadable now (unplugged, gone): kept as it is
            audio = None
        if audio is not None and is_loop(audio.y, audio.sr):
            found.append((file_id, path, bool(was_loop), (audio.y, audio.sr)))
        elif audio is not None and was_loop:
            lapsed.append((path, size, mtime_ns))
        if len(found) >= BATCH or done == len(rows):
            _write(store, descriptor, found, result)
            found = []
        if len(lapsed) >= BATCH or done == len(rows):
            _profile_again(store, descriptor, lapsed, result)
            lapsed = []
        now = time.monotonic()
        if progress is not None and (now - shown >= PROGRESS_INTERVAL or done == len(rows)):
            shown = now
            progress(ScanProgress.model_construct(phase="loops", done=done, total=len(rows),
                                                  elapsed=now - started))
    with store.transaction():
        store.set_meta(LOOP_RULE_META, LOOP_RULE)
    return result


def mark_counted(store: IndexStore) -> None:
    """Before a library's first scan: every file it profiles is counted by the current rule."""
    if store.read_only or store.get_meta(LOOP_RULE_META) is not None:
        return
    if store.db.execute("SELECT 1 FROM files WHERE status = 'ok' LIMIT 1").fetchone() is None:
        with store.transaction():
            store.set_meta(LOOP_RULE_META, LOOP_RULE)


def _write(store: IndexStore, descriptor: Descriptor,
           found: list[tuple[int, bytes, bool, tuple[np.ndarray, int]]], result: Recount) -> None:
    """Name ``found`` loops and give them their hits' learned numbers, in one transaction."""
    if not found:
        return
    ids = [file_id for file_id, _, _, _ in found]
    learned = None
    if descriptor.learned and descriptor.compute_many is not None:
        learned = loop_embeddings(descriptor, [signal for _, _, _, signal in found])
    with store.transaction() as db:
        stored = dict(db.execute(
            f"SELECT id, vector FROM files WHERE id IN ({','.join('?' * len(ids))})", ids))
        updates = []
        for i, (file_id, _, _, _) in enumerate(found):
            blob = stored.get(file_id)
            if learned is not None and blob is not None:
                vector = vector_codec.decode(blob, descriptor).astype(np.float32)
                vector[: descriptor.learned] = learned[i]
                blob = vector_codec.encode(vector, descriptor)
            updates.append((LOOP_CONFIDENCE, blob, file_id))
        db.executemany("UPDATE files SET category = 'loop', category_confidence = ?, "
                       "vector = ? WHERE id = ? AND status = 'ok'", updates)
        # categories and vectors (and the side files' copies of them) changed: readers reload
        store.bump_generation()
    result.named += sum(not was_loop for _, _, was_loop, _ in found)
    result.placed += len(found) if learned is not None else 0
    result.paths.extend(path for _, path, _, _ in found)


def _profile_again(store: IndexStore, descriptor: Descriptor,
                   lapsed: list[tuple[bytes, int, int]], result: Recount) -> None:
    """Profile again, as a scan would, the files an older rule named ``loop`` that the
    current one does not (in one transaction): their learned numbers were their hits' mean,
    and only the first hit's, described again, give them back. A file that fails now keeps
    what it had."""
    if not lapsed:
        return
    profiles = [p for p in profile_files(lapsed, descriptor) if p.status == STATUS_OK]
    if not profiles:
        return
    with store.transaction():
        store.write_profiles(profiles, descriptor.key)
        store.bump_generation()
    result.unnamed += len(profiles)
    result.paths.extend(p.path for p in profiles)
