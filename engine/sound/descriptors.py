"""Descriptors: what a one-shot sounds like, as one fixed-length, named and versioned vector.

Three descriptors are registered:

``soundalike`` (the default, version 3)
    A learned embedding of what the sound is, computed by a small network from the
    hand-made profile below and its mel frames (:mod:`.embedding`), followed by that
    profile itself, and an instrument category per sound.

``soundalike-2``
    The hand-made profile (:mod:`.analysis`): onset-aligned, gain-invariant log-mel spectra
    at five moments, envelope, brightness, low end.

``seed``
    The weekend script's profile this product grew from (:mod:`.seed`).

A descriptor's version is stored beside every vector: bump it whenever the output changes,
and libraries reprofile at their next scan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import EngineError
from .analysis import (
    MIN_SECONDS,
    SILENCE_PEAK,
    SOUNDALIKE_ASPECTS,
    SOUNDALIKE_DIM,
    SOUNDALIKE_RANGES,
    soundalike_analysis,
    soundalike_descriptor,
    soundalike_descriptors,
)
from .seed import SEED_DIM, seed_descriptor


@dataclass(frozen=True)
class Descriptor:
    """A named, versioned descriptor. Bump ``version`` whenever its output changes."""

    name: str
    version: int
    dim: int
    compute: Callable[..., np.ndarray]
    aspects: dict[str, list[int]] = field(default_factory=dict)
    #: Many signals at once (a list of ``(y, sr)``), when the descriptor can batch them.
    compute_many: Callable[[Sequence[tuple[np.ndarray, int]]], np.ndarray] | None = None
    summary: str = ""
    #: The vector's first ``learned`` numbers are a learned embedding (unit length): search
    #: measures distance there, the rest explains results and serves aspect weights.
    learned: int = 0
    #: Category and confidence of vectors, for descriptors that know instrument categories.
    categorise: Callable[[np.ndarray], tuple[list[str], np.ndarray]] | None = None
    #: What the stored key is made of, when it is not the name (``soundalike-2`` stays the key
    #: of the hand-made descriptor, so libraries profiled with it remain valid under its name).
    family: str = ""
    #: ``(low, high)`` bounds of the numbers after the ``learned`` ones, when they have
    #: bounds: the index then stores each of them in one byte instead of two
    #: (:mod:`..index.vector_codec`).
    ranges: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def key(self) -> str:
        """What is stored beside every vector, e.g. ``soundalike-3``."""
        return f"{self.family or self.name}-{self.version}"


def _learned_descriptors(signals: Sequence[tuple[np.ndarray, int]]) -> np.ndarray:
    """The ``soundalike`` (3) vectors: the learned embedding, then the hand-made descriptor."""
    from .embedding import model_inputs, sound_model

    vectors, frames = soundalike_analysis(signals)
    embedding = sound_model().embed(model_inputs(vectors, frames))
    return np.concatenate([embedding, vectors], axis=1).astype(np.float32)


def _learned_descriptor(*, y: np.ndarray, sr: int) -> np.ndarray:
    return _learned_descriptors([(y, sr)])[0]


def _learned_categories(vectors: np.ndarray) -> tuple[list[str], np.ndarray]:
    from .embedding import sound_model

    model = sound_model()
    return model.categorise(np.asarray(vectors)[:, : model.dim])


def _learned_layout() -> tuple[int, dict[str, list[int]]]:
    """Size of the learned vector and its aspects: ``sound`` is the embedding, the others
    are the hand-made aspects, shifted behind it."""
    from .embedding import LEARNED_DIM as learned

    aspects = {"sound": list(range(learned))}
    aspects.update({name: [learned + i for i in idx] for name, idx in SOUNDALIKE_ASPECTS.items()})
    return learned, aspects


_LEARNED_DIM, _LEARNED_ASPECTS = _learned_layout()

DESCRIPTORS: dict[str, Descriptor] = {
    d.name: d
    for d in (
        Descriptor(
            name="soundalike",
            version=3,
            dim=_LEARNED_DIM + SOUNDALIKE_DIM,
            compute=_learned_descriptor,
            compute_many=_learned_descriptors,
            aspects=_LEARNED_ASPECTS,
            summary="a learned embedding of what a sound is (trained on labelled one-shots), "
            "and an instrument category, beside the hand-made soundalike-2 profile",
            learned=_LEARNED_DIM,
            categorise=_learned_categories,
            ranges=SOUNDALIKE_RANGES,
        ),
        Descriptor(
            name="soundalike-2",
            family="soundalike",
            version=2,
            dim=SOUNDALIKE_DIM,
            compute=soundalike_descriptor,
            compute_many=soundalike_descriptors,
            aspects=SOUNDALIKE_ASPECTS,
            ranges=SOUNDALIKE_RANGES,
            summary="onset-aligned log-mel at five moments, envelope, brightness, low end",
        ),
        Descriptor(
            name="seed",
            version=1,
            dim=SEED_DIM,
            compute=seed_descriptor,
            summary="the original script's dB spectra of ten 2000-sample frames",
        ),
    )
}
DEFAULT_DESCRIPTOR = "soundalike"


def get_descriptor(name: str) -> Descriptor:
    try:
        return DESCRIPTORS[name]
    except KeyError:
        known = ", ".join(sorted(DESCRIPTORS))
        raise EngineError(f"unknown descriptor {name!r} (known: {known})") from None


def descriptor_of_key(key: str) -> Descriptor | None:
    """The descriptor whose stored key is ``key`` (e.g. ``soundalike-3``); None for a key no
    descriptor of this version has."""
    for descriptor in DESCRIPTORS.values():
        if descriptor.key == key:
            return descriptor
    return None


def check_profilable(*, y: np.ndarray, sr: int) -> str | None:
    """Why a signal cannot get a descriptor, or None when it can.

    Returns ``"silent"`` for silence (indexed and flagged, not a failure); any
    other string is a failure reason for people.
    """
    if len(y) < MIN_SECONDS * sr:
        return f"too short to profile ({1000.0 * len(y) / sr:.1f} ms; at least 5 ms needed)"
    if max(float(y.max()), -float(y.min())) < SILENCE_PEAK:  # the peak, with no |y| array
        return "silent"
    return None
