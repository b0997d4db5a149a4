"""The learned embedding and instrument categories, computed with numpy alone.

A small network trained on labelled one-shots (see ``training/`` and docs/model.md) maps
what the hand-made descriptor measures, plus the onset-aligned mel frames, to a point where
sounds of one kind sit together whatever kit, room or desk recorded them. Its weights ship
inside the package (``models/soundalike-3.3.npz``, float16); training libraries are never
needed to run it.

A network may first pass the mel frames through small 3 x 3 convolutions (``m{m}_k{i}``
weights in the model file), computed here as one matrix product per layer over every 3 x 3
window; the descriptor joins their flattened output before the linear layers.

Several networks (seeds) may be stored; their L2-normalised outputs are concatenated and
scaled by ``1/sqrt(models)`` so that the whole embedding has unit length. A linear
classifier on the embedding gives each sound a category and a confidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import EngineError
from .categories import CATEGORIES, OTHER
from .model_file import MODEL_FILE, model_path  # noqa: F401 - MODEL_FILE for callers

#: Size of the shipped embedding (3 networks x 128), checked when the model is loaded: the
#: vector layout is known without loading the weights.
LEARNED_DIM = 384
#: Below this class probability a sound's category is ``other``. Measured on the hydrogen
#: kits (docs/model.md): the accuracy / coverage trade-off of each threshold is in
#: benchmarks/bench_quality.py's output.
CONFIDENT = 0.5


@dataclass(frozen=True)
class SoundModel:
    mean: np.ndarray  # (inputs,)
    scale: np.ndarray  # (inputs,)
    layers: tuple[tuple[tuple[np.ndarray, np.ndarray], ...], ...]  # per model: (W, b) per layer
    class_coef: np.ndarray  # (categories, dim)
    class_intercept: np.ndarray  # (categories,)
    labels: tuple[str, ...] = CATEGORIES
    #: Unit-length centre of each category's training embeddings, and the similarity to the
    #: nearest one below which a sound is far from everything the model knows (``other``).
    centres: np.ndarray | None = None
    far: float = -1.0
    #: Per model: (kernel, bias) of each convolution, kernels as (out, in, 3, 3); empty for a
    #: network of linear layers only.
    convs: tuple[tuple[tuple[np.ndarray, np.ndarray], ...], ...] = ()
    #: The mel frames' (time, bands) at the end of each input row, for the convolutions.
    frames_shape: tuple[int, int] = (16, 48)

    @property
    def dim(self) -> int:
        return sum(layers[-1][0].shape[1] for layers in self.layers)

    @classmethod
    def load(cls, path: Path | None = None) -> SoundModel:
        path = path or model_path()
        try:
            arrays = np.load(path)
        except OSError as exc:
            raise EngineError(
                f"the learned model is missing ({path}): reinstall soundalike"
            ) from exc
        with arrays:
            labels = tuple(str(x) for x in arrays["labels"])
            models = int(arrays["models"])
            layers, convs = [], []
            for m in range(models):
                layers.append(_weights(arrays, f"m{m}_w", f"m{m}_b"))
                convs.append(_weights(arrays, f"m{m}_k", f"m{m}_kb"))
            model = cls(
                mean=arrays["mean"].astype(np.float32),
                scale=arrays["scale"].astype(np.float32),
                layers=tuple(layers),
                class_coef=arrays["class_coef"].astype(np.float32),
                class_intercept=arrays["class_intercept"].astype(np.float32),
                labels=labels,
                centres=arrays["centres"].astype(np.float32) if "centres" in arrays else None,
                far=float(arrays["far"]) if "far" in arrays else -1.0,
                convs=tuple(convs) if any(convs) else (),
                frames_shape=tuple(int(v) for v in arrays["frames_shape"])
                if "frames_shape" in arrays else (16, 48),
            )
        return model

    def embed(self, inputs: np.ndarray) -> np.ndarray:
        """Embeddings of model input rows ``(n, inputs)``: shape ``(n, dim)``, unit length."""
        x = (np.asarray(inputs, dtype=np.float32) - self.mean) / self.scale
        parts = []
        for m, layers in enumerate(self.layers):
            h = self._joined(x, self.convs[m]) if self.convs and self.convs[m] else x
            for i, (w, b) in enumerate(layers):
                h = h @ w + b
                if i < len(layers) - 1:
                    np.maximum(h, 0.0, out=h)
            norm = np.sqrt(np.einsum("ij,ij->i", h, h))[:, None]
            parts.append(h / np.maximum(norm, 1e-12))
        return np.concatenate(parts, axis=1) / np.float32(np.sqrt(len(self.layers)))

    def _joined(self, x: np.ndarray, convs) -> np.ndarray:
        """The descriptor joined with the mel frames after the convolutions (ReLU, and a 2 x 2
        max-pool after every layer but the last), flattened channel-major as PyTorch does."""
        t, f = self.frames_shape
        descriptor = x.shape[1] - t * f
        h = x[:, descriptor:].reshape(len(x), t, f, 1)  # channels last
        for i, (kernel, bias) in enumerate(convs):
            h = _conv3x3(h, kernel, bias)
            np.maximum(h, 0.0, out=h)
            if i < len(convs) - 1:
                n, t, f, c = h.shape
                h = h.reshape(n, t // 2, 2, f // 2, 2, c).max(axis=(2, 4))
        flat = h.transpose(0, 3, 1, 2).reshape(len(x), -1)
        return np.concatenate([x[:, :descriptor], flat], axis=1)

    def category_scores(self, embeddings: np.ndarray) -> np.ndarray:
        """Class probabilities, shape ``(n, len(CATEGORIES))``."""
        logits = np.asarray(embeddings, dtype=np.float32) @ self.class_coef.T + self.class_intercept
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def known(self, embeddings: np.ndarray) -> np.ndarray:
        """Which rows are near something the model was trained on (all, for a model without
        category centres): the others are ``other`` whatever their scores say."""
        if self.centres is None:
            return np.ones(len(embeddings), dtype=bool)
        similarity = np.asarray(embeddings, dtype=np.float32) @ self.centres.T
        return similarity.max(axis=1) >= self.far

    def categorise(self, embeddings: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Each row's category and confidence (:func:`categorise`, and ``other`` for a sound
        far from everything known)."""
        names, confidence = categorise(self.category_scores(embeddings), labels=self.labels)
        known = self.known(embeddings)
        return [n if k else OTHER for n, k in zip(names, known, strict=True)], confidence


def _weights(arrays, weight: str, bias: str) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Every ``(weight{i}, bias{i})`` pair stored under these prefixes, as float32."""
    count = sum(1 for key in arrays.files
                if key.startswith(weight) and key[len(weight):].isdigit())
    return tuple((arrays[f"{weight}{i}"].astype(np.float32),
                  arrays[f"{bias}{i}"].astype(np.float32)) for i in range(count))


def _conv3x3(h: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """A 3 x 3 convolution with zero padding of ``h`` ``(n, t, f, channels)``: every window
    gathered once, then one matrix product (``kernel`` ``(out, in, 3, 3)``)."""
    n, t, f, c = h.shape
    padded = np.pad(h, ((0, 0), (1, 1), (1, 1), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(1, 2))
    columns = windows.reshape(n * t * f, c * 9)  # (n, t, f, c, 3, 3): in, row, column
    out = columns @ kernel.reshape(len(kernel), c * 9).T + bias
    return out.reshape(n, t, f, len(kernel))


def model_inputs(vectors: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """The network's input rows: descriptor, then the flattened mel frames."""
    return np.concatenate([vectors, frames.reshape(len(frames), -1)], axis=1)


@lru_cache(maxsize=1)
def sound_model() -> SoundModel:
    """The shipped model, loaded once per process."""
    model = SoundModel.load(model_path())
    if model.labels != CATEGORIES:
        raise EngineError(f"the model's categories {model.labels} are not the engine's")
    if model.dim != LEARNED_DIM:
        raise EngineError(f"the model's embedding has {model.dim} numbers, not {LEARNED_DIM}")
    return model


def categorise(
    probabilities: np.ndarray, threshold: float = CONFIDENT,
    labels: tuple[str, ...] | None = None,
) -> tuple[list[str], np.ndarray]:
    """Each row's category (``other`` below ``threshold``) and its probability; ``labels``
    are the categories' names in column order (the engine's by default)."""
    labels = CATEGORIES if labels is None else labels
    best = np.argmax(probabilities, axis=1)
    confidence = probabilities[np.arange(len(best)), best]
    names = [labels[b] if c >= threshold else OTHER for b, c in zip(best, confidence,
                                                                    strict=True)]
    return names, confidence.astype(np.float32)
