"""The ``seed`` descriptor: the weekend script's profile this product grew from.

dB power spectra of ten 2000-sample frames from the start of the file at 44.1 kHz. Kept by name
so users and benchmarks can compare against it.
"""

from __future__ import annotations

import numpy as np

SEED_SR = 44100
SEED_FRAMES = 10
SEED_FRAME_LENGTH = 2000
SEED_DIM = SEED_FRAMES * (SEED_FRAME_LENGTH // 2 + 1)


def seed_descriptor(*, y: np.ndarray, sr: int) -> np.ndarray:
    """The original tool's profile: dB power spectra of ten 2000-sample frames at 44.1 kHz.

    Unlike the original, other rates are resampled (not relabelled) and all
    channels are mixed (by the decoder) rather than taking the left one.
    Shape ``(SEED_DIM,)``, float32.
    """
    import scipy.signal  # only this descriptor needs it; keeps start-up fast

    y = np.asarray(y, dtype=np.float64)
    if sr != SEED_SR:
        g = np.gcd(int(sr), SEED_SR)
        y = scipy.signal.resample_poly(
            y[: int(np.ceil(SEED_FRAMES * SEED_FRAME_LENGTH * sr / SEED_SR)) + 64],
            SEED_SR // g,
            int(sr) // g,
        )
    needed = SEED_FRAMES * SEED_FRAME_LENGTH
    head = np.zeros(needed)
    head[: min(needed, len(y))] = y[:needed]
    frames = head.reshape(SEED_FRAMES, SEED_FRAME_LENGTH)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    return (10.0 * np.log10(power + 1e-10)).ravel().astype(np.float32)
