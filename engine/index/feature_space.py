"""The space in which sounds are compared: standardised descriptors and a compact embedding.

Raw descriptor values live on different scales (dB, octaves, log-seconds), so
every dimension is standardised with the library's own mean and spread. A PCA
of the standardised vectors gives a compact embedding (48 numbers) that keeps
the distances almost exactly (on the hydrogen kits, P@10 is the same in 48
dimensions as in all 285) and makes search and clustering fast.

The statistics are fitted once and stored in the index; newly scanned files
are placed with them without refitting (see :func:`needs_refit`).
"""

from __future__ import annotations

import io

import numpy as np

from ..errors import EngineError

#: Fitting on a random subset this large gives the same statistics, much faster.
FIT_SAMPLE = 20_000
#: Refit when the library has grown or shrunk by more than this fraction since the fit.
REFIT_DRIFT = 0.25
#: Rows standardised at a time: their double-precision copy stays in a core's cache (256
#: rows of 669 numbers, 1.4 MB); blocks of 4,096 rows took 2.4 times as long, for the same
#: numbers (every step is elementwise).
CACHED_ROWS = 256


class FeatureSpace:
    """Standardise then project, the scikit-learn way: ``fit`` learns, ``transform`` applies.

    Parameters
    ----------
    n_components:
        Size of the embedding (capped by the data's dimension and sample count).
    random_state:
        Seed for the subsample used on very large libraries.
    learned:
        How many leading dimensions are a learned embedding of unit length. Those are not
        standardised but scaled by ``sqrt(learned)`` (so the RMS distance over them is the
        embedding's own Euclidean distance: 0 identical, about 1-1.4 unrelated), and the
        compact embedding is a PCA of them alone: search then finds candidates by the
        learned distance. The hand-made dimensions after them are standardised as usual.
    """

    def __init__(self, n_components: int = 48, random_state: int = 0, learned: int = 0):
        self.n_components = n_components
        self.random_state = random_state
        self.learned = learned

    def sample_rows(self, n: int) -> np.ndarray:
        """Which of ``n`` rows a fit reads (ascending): all of them up to FIT_SAMPLE."""
        if n <= FIT_SAMPLE:
            return np.arange(n)
        rng = np.random.default_rng(self.random_state)
        return np.sort(rng.choice(n, FIT_SAMPLE, replace=False))

    def fit(self, X: np.ndarray, *, sample_of: int | None = None) -> FeatureSpace:
        """Fit on ``X``'s rows, or (``sample_of``) on ``X`` holding only the rows
        :meth:`sample_rows` picks of that many: a library's vectors need not all be read."""
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[0] == 0:
            raise EngineError("the library has no profiled sounds to compare yet")
        self.n_fit_ = int(sample_of or X.shape[0])
        if sample_of is None and X.shape[0] > FIT_SAMPLE:  # subsample before any copy
            X = X[self.sample_rows(X.shape[0])]
        self.mean_, std = _mean_and_std(X)
        # A dimension that never varies carries no information: scale 1 keeps it at 0.
        self.scale_ = np.where(std > 1e-6, std, 1.0)
        learned = self.learned
        if learned:
            self.mean_[:learned] = 0.0
            self.scale_[:learned] = 1.0 / np.sqrt(learned)
        # The compact embedding comes from the learned part alone, when there is one.
        columns = slice(0, learned or X.shape[1])
        width = columns.stop
        k = max(1, min(self.n_components, width, X.shape[0]))
        if width <= 1024:
            covariance = np.zeros((width, width))
            for block in self._standard_blocks(X, columns):  # no float64 copy of the sample
                covariance += block.T @ block
            covariance /= max(X.shape[0] - 1, 1)
            values, vectors = np.linalg.eigh(covariance)
            order = np.argsort(values)[::-1][:k]
            components = vectors[:, order].T
            explained = values[order] / max(values.sum(), 1e-12)
        else:  # very wide descriptors (seed: 10,010 numbers): a randomized SVD
            from sklearn.utils.extmath import randomized_svd

            Z = np.concatenate(list(self._standard_blocks(X, columns)))
            _, singular, components = randomized_svd(Z, k, random_state=self.random_state)
            explained = singular**2 / max(float((Z * Z).sum()), 1e-12)
        # Fix each component's sign so refits of the same data give the same embedding.
        signs = np.sign(components[np.arange(k), np.argmax(np.abs(components), axis=1)])
        components = components * signs[:, None]
        if learned:  # zero weight on the hand-made dimensions
            components = np.pad(components, ((0, 0), (0, X.shape[1] - learned)))
        self.components_ = components.astype(np.float32)
        self.explained_variance_ratio_ = explained
        return self

    def _standard_blocks(self, X: np.ndarray, columns: slice):
        """Standardised float64 slices of ``X``'s ``columns``, a few thousand rows at a time."""
        mean, scale = self.mean_[columns], self.scale_[columns]
        for start in range(0, len(X), 4096):
            yield (X[start : start + 4096, columns].astype(np.float64) - mean) / scale

    def _check(self) -> None:
        if not hasattr(self, "components_"):
            raise EngineError("the feature space is not fitted")

    def standardize(self, X: np.ndarray) -> np.ndarray:
        """Standardised vectors, float32, shape ``(n, dim)`` (or ``(dim,)`` for one vector)."""
        self._check()
        X = np.asarray(X)
        if X.ndim == 1:
            return ((X.astype(np.float64) - self.mean_) / self.scale_).astype(np.float32)
        out = np.empty(X.shape, dtype=np.float32)
        for start in range(0, len(X), CACHED_ROWS):  # no float64 copy of a big library
            block = X[start : start + CACHED_ROWS].astype(np.float64)
            out[start : start + len(block)] = (block - self.mean_) / self.scale_
        return out

    def standardize_in_place(self, X: np.ndarray) -> np.ndarray:
        """Standardise a float32 matrix in its own memory (a library's vectors are large)."""
        self._check()
        for start in range(0, len(X), CACHED_ROWS):
            block = X[start : start + CACHED_ROWS].astype(np.float64)
            block -= self.mean_  # in place: the same numbers, no temporary per step
            block /= self.scale_
            X[start : start + len(block)] = block
        return X

    def embed(self, Z: np.ndarray) -> np.ndarray:
        """The compact embedding of standardised vectors, shape ``(n, n_components)``."""
        self._check()
        return np.asarray(Z, dtype=np.float32) @ self.components_.T

    def to_bytes(self) -> bytes:
        self._check()
        buffer = io.BytesIO()
        np.savez(
            buffer,
            mean=self.mean_,
            scale=self.scale_,
            components=self.components_,
            explained=self.explained_variance_ratio_,
            n_fit=self.n_fit_,
            learned=self.learned,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> FeatureSpace:
        with np.load(io.BytesIO(data)) as arrays:
            learned = int(arrays["learned"]) if "learned" in arrays.files else 0
            space = cls(n_components=int(arrays["components"].shape[0]), learned=learned)
            space.mean_ = arrays["mean"]
            space.scale_ = arrays["scale"]
            space.components_ = arrays["components"]
            space.explained_variance_ratio_ = arrays["explained"]
            space.n_fit_ = int(arrays["n_fit"])
        return space


def _mean_and_std(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and standard deviation in float64, summed over slices of rows (a
    library's sample is not copied to float64 whole)."""
    sums = np.zeros(X.shape[1])
    for start in range(0, len(X), 4096):
        sums += X[start : start + 4096].sum(axis=0, dtype=np.float64)
    mean = sums / len(X)
    squares = np.zeros(X.shape[1])
    for start in range(0, len(X), 4096):  # two passes: exact for values far from zero
        block = X[start : start + 4096].astype(np.float64) - mean
        squares += (block * block).sum(axis=0)
    return mean, np.sqrt(squares / len(X))


def needs_refit(n_fit: int, n_now: int) -> bool:
    """True when the library has drifted so far from the fitted one that its stats are stale."""
    if n_fit <= 0:
        return True
    return abs(n_now - n_fit) > REFIT_DRIFT * n_fit
