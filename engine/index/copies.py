"""What a copy is, and the library's copies of one file, found once per build of the side
files so that no search has to pass over them one by one.

A copy is the same hit in several packs, re-encoded, resampled or at another gain. The
descriptor ignores gain and sample rate and is onset-aligned, so copies of one hit land
almost on the same vector. Closeness is judged on the *raw* hand-made descriptor (dB,
octaves, log-seconds: units that mean the same in every library), not on the
library-standardised one, whose scale depends on what else is in the library.

The same file unpacked in several packs, hard links, a vendor's bundle of bundles: files
with the same content fingerprint (as moves and labels recognise them). A search that leaves
copies out (the default) would otherwise read every one of them on its way to the next
different sound: a sound held 1,667 times in a library of a million
(``benchmarks/bench_scale.py``'s generated library) made one ``similar`` command read
120,000 rows' vectors, 3 s and 890 MB. Grouped here (:func:`same_files`), such a search
asks among one row per group (:mod:`..search.copy_groups`), as a server does once it has
grouped the near copies too, which takes it a minute at a million sounds and no command
can wait for.
"""

from __future__ import annotations

import numpy as np

from .side_files import let_go

#: RMS difference of raw descriptors. Measured on generated hits (tests/synth.py): copies at
#: another gain 0.00, resampled 44.1->48/22.05 kHz <= 0.18, MP3 128 kbit/s <= 0.22; the
#: nearest *different* hit of the same family >= 0.81. Roughly half way.
DUPLICATE_DISTANCE = 0.45
#: Rows compared at a time (the vectors are memory-mapped: a block's pages, then the next).
BLOCK = 16384


def raw_distances(hand_made: np.ndarray, z: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """RMS difference of hand-made descriptors: from rows' hand-made numbers (standardised,
    single precision, shape ``(n, hand-made dim)``) to ``z``'s, with their ``scale``; ``z``
    may also be ``n`` rows, one for each (pairwise)."""
    diff = (hand_made - np.asarray(z, dtype=np.float32)) * scale
    diff *= diff
    # np.mean's own sum and division, without its checks (a request measures a few hundred)
    return np.sqrt(np.add.reduce(diff, axis=1) / diff.shape[1])


def same_files(keys: np.ndarray, Z: np.ndarray, scale: np.ndarray, learned: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Groups of rows of the same file content: ``(group, order, starts)``, where group ``g``
    holds the rows ``order[starts[g]:starts[g+1]]`` (ascending), numbered by first row.

    ``keys`` holds a number per row from its content fingerprint (equal content, equal
    numbers). A row joins the first row of its key only when its vectors ``Z`` (standardised,
    the hand-made numbers from column ``learned`` on, of ``scale``) make it a copy of that row
    too: a fingerprint reads a file's size and ends, and two files may share those and
    differ in between. (Not bytes of the vectors: the same file profiled in two batches
    differs in the last bits of a few numbers.)"""
    n = len(keys)
    if n == 0:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty, np.zeros(1, dtype=np.int32)
    order = np.argsort(keys, kind="stable")  # equal keys: ascending rows
    ordered = keys[order]
    starts_run = np.r_[True, ordered[1:] != ordered[:-1]]
    # each row's first row of its run of equal keys (the smallest, the sort being stable)
    first = order[np.maximum.accumulate(np.where(starts_run, np.arange(n), 0))]
    later = np.flatnonzero(~starts_run)
    root = np.arange(n, dtype=np.int64)
    rows, firsts = order[later], first[later]
    for start in range(0, len(rows), BLOCK):
        a, b = rows[start : start + BLOCK], firsts[start : start + BLOCK]
        near = raw_distances(np.asarray(Z[a, learned:], dtype=np.float32),
                             np.asarray(Z[b, learned:], dtype=np.float32),
                             scale[learned:]) <= DUPLICATE_DISTANCE
        let_go(Z)  # a mapped file's pages read: see side_files.let_go
        root[a[near]] = b[near]
    _, group = np.unique(root, return_inverse=True)  # numbered by first row
    group = group.astype(np.int32)
    order = np.argsort(group, kind="stable").astype(np.int32)
    starts = np.searchsorted(group[order], np.arange(int(group.max()) + 2)).astype(np.int32)
    return group, order, starts
