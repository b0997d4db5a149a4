"""How the index stores a profile's numbers: as few bytes as a search can tell apart.

A profile's vector is most of the index (669 numbers of the ``soundalike-3`` descriptor).
The learned embedding at its head is kept in half precision (float16, little-endian): search
finds candidates by it, and its numbers have no fixed bounds worth one byte. The hand-made
numbers after it have bounds (levels in dB between the -60 dB floor and 0, times in log
seconds, brightness in octaves: :data:`..sound.analysis.SOUNDALIKE_RANGES`), so each is
stored in one byte between its bounds: 0.24 dB steps for a level, under 2 % for a time,
well inside what tells two sounds apart (copies of one hit differ by 0.2 RMS on these
numbers, different hits by 0.8 or more: :mod:`..search.duplicates`). At 100,000 sounds this
takes 285 bytes per sound off the index (``soundalike-3``: 1,338 bytes, now 1,053).

A descriptor without bounds (``seed``) keeps every number in half precision, as every
vector was stored from schema 8 to 9. The two layouts differ in length for any descriptor
with bounds, so a blob's length says which one it is: a vector written before the upgrade
(or by a migration that has not run) still reads right.
"""

from __future__ import annotations

import numpy as np

from ..errors import IndexStoreError
from ..sound.descriptors import Descriptor, descriptor_of_key

#: The half-precision part, and a vector of a descriptor without bounds.
HALF = np.dtype("<f2")
#: Levels between a number's bounds: one byte.
STEPS = 255


def encode(vector, descriptor: Descriptor | None) -> bytes:
    """``vector`` as the index stores it for ``descriptor`` (None: every number in half
    precision)."""
    vector = np.nan_to_num(np.asarray(vector, dtype=np.float32), nan=0.0)
    if descriptor is None or descriptor.ranges is None:
        return np.clip(vector, -65000, 65000).astype(HALF).tobytes()
    head = descriptor.learned
    low, high = descriptor.ranges
    steps = np.rint((vector[head:] - low) * (STEPS / (high - low)))
    return (np.clip(vector[:head], -65000, 65000).astype(HALF).tobytes()
            + np.clip(steps, 0, STEPS).astype(np.uint8).tobytes())


def encode_many(vectors: list, descriptor: Descriptor | None) -> list[bytes | None]:
    """:func:`encode` of each of ``vectors`` (None stays None), in a few array operations for
    all of them: a scan writes thousands of rows a second, and one :func:`encode` per row was
    a third of the scanning process's work. The same bytes as :func:`encode`, number for
    number (every step is elementwise)."""
    rows = [i for i, vector in enumerate(vectors) if vector is not None]
    out: list[bytes | None] = [None] * len(vectors)
    if not rows:
        return out
    matrix = np.stack([np.asarray(vectors[i], dtype=np.float32) for i in rows])
    # Only a NaN needs replacing (infinities clip as nan_to_num's largest floats would), and
    # any NaN makes the sum NaN: one reduction instead of nan_to_num's five passes.
    with np.errstate(over="ignore", invalid="ignore"):
        has_nan = bool(np.isnan(matrix.sum()))
    if has_nan:
        matrix = np.nan_to_num(matrix, nan=0.0)
    if descriptor is None or descriptor.ranges is None:
        blobs = np.clip(matrix, -65000, 65000).astype(HALF)
    else:
        head = descriptor.learned
        low, high = descriptor.ranges
        steps = np.rint((matrix[:, head:] - low) * (STEPS / (high - low)))
        half = np.clip(matrix[:, :head], -65000, 65000).astype(HALF).view(np.uint8)
        blobs = np.concatenate([half, np.clip(steps, 0, STEPS).astype(np.uint8)], axis=1)
    for i, blob in zip(rows, blobs, strict=True):
        out[i] = blob.tobytes()
    return out


def decode_into(blob: bytes, descriptor: Descriptor | None, out: np.ndarray) -> np.ndarray:
    """Read a stored vector into ``out`` (float32, the descriptor's length); returns it."""
    if descriptor is None or descriptor.ranges is None or len(blob) == 2 * len(out):
        if len(blob) != 2 * len(out):
            raise IndexStoreError(f"a stored vector has {len(blob)} bytes, not {2 * len(out)}: "
                                  "the index is damaged (run `soundalike check`)")
        out[:] = np.frombuffer(blob, dtype=HALF)
        return out
    head = descriptor.learned
    if len(blob) != 2 * head + len(out) - head:
        raise IndexStoreError(f"a stored vector has {len(blob)} bytes, not "
                              f"{2 * head + len(out) - head}: the index is damaged "
                              "(run `soundalike check`)")
    low, high = descriptor.ranges
    out[:head] = np.frombuffer(blob, dtype=HALF, count=head)
    steps = np.frombuffer(blob, dtype=np.uint8, offset=2 * head)
    np.multiply(steps, (high - low) / STEPS, out=out[head:])
    out[head:] += low
    return out


def decode_many_into(blobs: list[bytes], descriptor: Descriptor | None,
                     out: np.ndarray) -> np.ndarray:
    """:func:`decode_into` of each of ``blobs`` into the rows of ``out`` (float32, one row
    per blob), in a few array operations when they are all stored alike (a catalogue reads a
    million of them; one call per row was a fifth of its build): the same numbers."""
    width = out.shape[1]
    head = 0 if descriptor is None or descriptor.ranges is None else descriptor.learned
    size = 2 * width if head == 0 else 2 * head + width - head
    if not blobs or any(len(blob) != size for blob in blobs):  # older rows among them
        for blob, row in zip(blobs, out, strict=True):
            decode_into(blob, descriptor, row)
        return out
    raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), size)
    if head == 0:
        out[:] = raw.view(HALF)
        return out
    low, high = descriptor.ranges
    out[:, :head] = raw[:, : 2 * head].view(HALF)
    np.multiply(raw[:, 2 * head :], (high - low) / STEPS, out=out[:, head:])
    out[:, head:] += low
    return out


def decode(blob: bytes, descriptor: Descriptor | None, dim: int | None = None) -> np.ndarray:
    """A stored vector as float32 numbers (``dim``: its length, for a descriptor this version
    does not know)."""
    if descriptor is not None:
        dim = descriptor.dim
    elif dim is None:
        dim = len(blob) // 2
    return decode_into(blob, descriptor, np.empty(dim, dtype=np.float32))


def step(descriptor: Descriptor) -> np.ndarray:
    """Per number, how far apart two stored values can be (half a step is the most a stored
    number differs from the one profiled): tests and the migration read it."""
    out = np.zeros(descriptor.dim, dtype=np.float32)
    if descriptor.ranges is not None:
        low, high = descriptor.ranges
        out[descriptor.learned:] = (high - low) / STEPS
    return out


def recode(blob: bytes | None, key: str | None) -> bytes | None:
    """A stored vector in half precision (schema 8 and 9) rewritten as this module stores
    it, for the migration to schema 10; a vector already so, or of a descriptor without
    bounds, is returned as it is."""
    descriptor = None if key is None else descriptor_of_key(key)
    if blob is None or descriptor is None or descriptor.ranges is None \
            or len(blob) != 2 * descriptor.dim:
        return blob
    return encode(np.frombuffer(blob, dtype=HALF), descriptor)
