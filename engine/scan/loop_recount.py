"""Loops found again after the rule that tells them improved, without profiling anything again.

A scan names a file ``loop`` when it holds several hits (:func:`..sound.hits.is_loop`). When
that rule improves (it now also counts where the spectrum changes: mixed loops, legato riffs),
a library scanned before would keep the old answer for every file its rescans do not profile
again, that is nearly all of them. This pass reads again, once, the start of each profiled
file that could be a loop (not one already, long enough to hold several hits) and names those
the current rule finds ``loop``. Only the category changes: the embedding, the neighbours and
the clusters stay as they are, so no file is profiled again.

Which rule counted a library's loops is kept in its meta table (:data:`LOOP_RULE_META`). A
library whose first scan used the current rule never runs the pass. A file that cannot be
read now (its drive unplugged, gone) keeps its name; the pass is not repeated for it. Killed
halfway, the pass starts again at the next scan, over the files it had not yet named: what
it wrote is committed batch by batch and is right under either rule.
"""

from __future__ import annotations

import time

from ..errors import AudioError
from ..index.store import IndexStore
from ..reports import ProgressCallback, ScanProgress
from ..sound.decode import decode
from ..sound.descriptors import Descriptor
from ..sound.hits import LOOP_CONFIDENCE, LOOP_MIN_SECONDS, LOOP_RULE, is_loop
from ..sound.profiling import READ_SECONDS

LOOP_RULE_META = "loop_rule"
#: Files named per transaction (a killed pass keeps what it found).
BATCH = 256
#: Progress at most this often (seconds).
PROGRESS_INTERVAL = 0.2


def recount_loops(store: IndexStore, descriptor: Descriptor,
                  progress: ProgressCallback | None = None) -> int:
    """Name ``loop`` every profiled file the current rule finds a loop in a library whose loops
    an older rule counted; the number of files newly named so. Nothing to do (and nothing
    read) when the library's rule is current."""
    if store.read_only or descriptor.categorise is None:
        return 0
    if store.get_meta(LOOP_RULE_META) == LOOP_RULE:
        return 0
    rows = store.db.execute(
        "SELECT id, path FROM files WHERE status = 'ok' AND descriptor = ? AND "
        "(category IS NULL OR category != 'loop') AND duration >= ? ORDER BY id",
        (descriptor.key, LOOP_MIN_SECONDS),
    ).fetchall()
    named, started, shown = 0, time.monotonic(), 0.0
    found: list[int] = []
    for done, (file_id, path) in enumerate(rows, start=1):
        try:
            audio = decode(path, max_seconds=READ_SECONDS)
        except (OSError, AudioError):  # unreadable now (unplugged, gone): kept as it is
            audio = None
        if audio is not None and is_loop(audio.y, audio.sr):
            found.append(file_id)
        if len(found) >= BATCH or done == len(rows):
            named += _name(store, found)
            found = []
        now = time.monotonic()
        if progress is not None and (now - shown >= PROGRESS_INTERVAL or done == len(rows)):
            shown = now
            progress(ScanProgress.model_construct(phase="loops", done=done, total=len(rows),
                                                  elapsed=now - started))
    with store.transaction():
        store.set_meta(LOOP_RULE_META, LOOP_RULE)
    return named


def mark_counted(store: IndexStore) -> None:
    """Before a library's first scan: every file it profiles is counted by the current rule."""
    if store.read_only or store.get_meta(LOOP_RULE_META) is not None:
        return
    if store.db.execute("SELECT 1 FROM files WHERE status = 'ok' LIMIT 1").fetchone() is None:
        with store.transaction():
            store.set_meta(LOOP_RULE_META, LOOP_RULE)


def _name(store: IndexStore, file_ids: list[int]) -> int:
    if not file_ids:
        return 0
    with store.transaction() as db:
        db.executemany("UPDATE files SET category = 'loop', category_confidence = ? "
                       "WHERE id = ? AND status = 'ok'",
                       [(LOOP_CONFIDENCE, file_id) for file_id in file_ids])
        # categories (and the side files' copies of them) changed: readers reload
        store.set_meta("generation", str(time.time_ns()))
    return len(file_ids)
