"""Categories from a new category head, without decoding any file again.

A sound's category comes from its stored embedding through the model's category head (a
linear layer, its calibration and the "far from everything known" threshold). When only
the head changes (finer categories, a better calibration: the same networks, so the same
vectors and the same neighbours), a library does not need to be profiled again: every
stored sound is categorised anew from its stored vector, once, when the index is opened
after the upgrade (100,000 sounds in seconds, where a reprofile would decode them all).

Which head categorised a library is kept in its meta table (:data:`HEAD_META`): a digest of
the head's numbers and names. A library written before the digest existed is refreshed once.
Every command opens the index, so the check must cost nothing: the model file's identity
(path, size, modification time; :data:`FILE_META`) is compared first, and the model is
loaded and its head digested only when the file is not the one last seen. Files the scan
named ``loop`` from their hits keep that name (the head reads one hit, not the hits). A
read-only index is left as it is: its readers see its stored categories.
"""

from __future__ import annotations

import hashlib
import logging

import numpy as np

from ..sound.descriptors import Descriptor
from . import vector_codec
from .store import IndexStore

HEAD_META = "category_head"
FILE_META = "category_head_file"
#: Rows categorised and written per step (bounded memory on a million sounds).
BLOCK = 8192
#: From this many sounds the refresh says beforehand what it is doing (about a minute per
#: million sounds, in one transaction: a command that seems stuck is not).
ANNOUNCE_FROM = 50_000

log = logging.getLogger(__name__)
#: Stored names the head does not decide (see :mod:`..sound.profiling`).
KEPT = ("loop",)


def head_digest() -> str:
    """What identifies the category head of the model in use."""
    from ..sound.embedding import sound_model

    model = sound_model()
    digest = hashlib.sha1("\0".join(model.labels).encode())
    for part in (model.class_coef, model.class_intercept, model.centres,
                 np.float32(model.far)):
        if part is not None:
            digest.update(np.ascontiguousarray(part, dtype=np.float32).tobytes())
    return digest.hexdigest()[:16]


def model_file_identity() -> str:
    """The model file in use, as the file system sees it (no byte of it read)."""
    from ..sound.model_file import model_path

    path = model_path()
    try:
        info = path.stat()
    except OSError:
        return f"{path}:missing"
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"


def refresh_categories(store: IndexStore, descriptor: Descriptor) -> int:
    """Categorise again every sound ``descriptor`` profiled when the head that named them is
    not the current one; the number of sounds whose category changed."""
    if store.read_only or descriptor.categorise is None or not descriptor.learned:
        return 0
    identity = model_file_identity()
    if store.get_meta(FILE_META) == identity and store.get_meta(HEAD_META) is not None:
        return 0
    current = head_digest()
    if store.get_meta(HEAD_META) == current:
        with store.transaction():
            store.set_meta(FILE_META, identity)
        return 0
    count = store.count_profiled(descriptor.key)
    if count >= ANNOUNCE_FROM:
        log.warning("a new category model: naming %s sounds again from their stored profiles "
                    "(once, about a minute per million sounds; no file is decoded)",
                    f"{count:,}")
    changed, seen, last = 0, 0, -1
    with store.transaction() as db:
        # By id ranges, each read in full before it is written: an update never meets a
        # cursor still walking the rows (or an index on the category) it changes.
        while block := db.execute(
            "SELECT id, vector, category, category_confidence FROM files WHERE id > ? AND "
            "descriptor = ? AND status = 'ok' AND vector IS NOT NULL ORDER BY id LIMIT ?",
            (last, descriptor.key, BLOCK),
        ).fetchall():
            last, seen = block[-1][0], seen + len(block)
            vectors = np.stack([vector_codec.decode(v, descriptor) for _, v, _, _ in block])
            names, confidence = descriptor.categorise(vectors)
            updates = []
            for (file_id, _, old, old_confidence), name, value in zip(
                    block, names, confidence.tolist(), strict=True):
                if old in KEPT:
                    continue
                value = round(float(value), 4)
                if name != old or value != old_confidence:
                    updates.append((name, value, file_id))
                    changed += name != old
            db.executemany(
                "UPDATE files SET category = ?, category_confidence = ? WHERE id = ?", updates)
        store.set_meta(HEAD_META, current)
        store.set_meta(FILE_META, identity)
        if seen:  # categories and every probability the side files keep: readers reload
            store.bump_generation()
    return changed


def mark_current(store: IndexStore, descriptor: Descriptor) -> None:
    """After a scan: every sound was categorised by the current head."""
    if store.read_only or descriptor.categorise is None or not descriptor.learned:
        return
    identity = model_file_identity()
    if store.get_meta(FILE_META) != identity or store.get_meta(HEAD_META) is None:
        with store.transaction():
            store.set_meta(HEAD_META, head_digest())
            store.set_meta(FILE_META, identity)
