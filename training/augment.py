"""Recording-colour augmentations: the same hit as another studio, desk or room would give it.

A sound's neighbours in the hand-made descriptor are dominated by its kit's recording colour
(room, microphone, EQ, compression). Training on random colourings of each hit, with the
colourings treated as the same sound, teaches the embedding to ignore them. Every function
takes a mono float32 signal and returns a new one; ``rng`` makes each view reproducible.
"""

from __future__ import annotations

import numpy as np
from scipy import signal


def _biquad(kind: str, f0: float, sr: int, gain_db: float = 0.0, q: float = 0.707):
    """RBJ cookbook biquad coefficients ``(b, a)``."""
    a_gain = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * min(f0, 0.45 * sr) / sr
    alpha = np.sin(w0) / (2 * q)
    cos = np.cos(w0)
    if kind == "peak":
        b = [1 + alpha * a_gain, -2 * cos, 1 - alpha * a_gain]
        a = [1 + alpha / a_gain, -2 * cos, 1 - alpha / a_gain]
    else:  # shelves, slope 1
        sq = 2 * np.sqrt(a_gain) * alpha
        if kind == "low":
            b = [a_gain * ((a_gain + 1) - (a_gain - 1) * cos + sq),
                 2 * a_gain * ((a_gain - 1) - (a_gain + 1) * cos),
                 a_gain * ((a_gain + 1) - (a_gain - 1) * cos - sq)]
            a = [(a_gain + 1) + (a_gain - 1) * cos + sq,
                 -2 * ((a_gain - 1) + (a_gain + 1) * cos),
                 (a_gain + 1) + (a_gain - 1) * cos - sq]
        else:
            b = [a_gain * ((a_gain + 1) + (a_gain - 1) * cos + sq),
                 -2 * a_gain * ((a_gain - 1) + (a_gain + 1) * cos),
                 a_gain * ((a_gain + 1) + (a_gain - 1) * cos - sq)]
            a = [(a_gain + 1) - (a_gain - 1) * cos + sq,
                 2 * ((a_gain - 1) - (a_gain + 1) * cos),
                 (a_gain + 1) - (a_gain - 1) * cos - sq]
    return np.array(b) / a[0], np.array(a) / a[0]


def equalise(y, sr, rng):
    """Low and high shelves and one peak, each up to +-9-10 dB."""
    for kind, f0, gain, q in (
        ("low", rng.uniform(60, 300), rng.uniform(-9, 9), 0.707),
        ("high", rng.uniform(2500, 10000), rng.uniform(-9, 9), 0.707),
        ("peak", np.exp(rng.uniform(np.log(150), np.log(6000))), rng.uniform(-10, 10),
         rng.uniform(0.7, 2.5)),
    ):  # fmt: skip
        b, a = _biquad(kind, f0, sr, gain, q)
        y = signal.lfilter(b, a, y)
    return y


def low_pass(y, sr, rng):
    cutoff = min(rng.uniform(3500, 16000), 0.45 * sr)
    return signal.sosfilt(signal.butter(2, cutoff, "low", fs=sr, output="sos"), y)


def high_pass(y, sr, rng):
    return signal.sosfilt(signal.butter(2, rng.uniform(30, 180), "high", fs=sr, output="sos"), y)


def compress(y, sr, rng):
    """A feed-forward compressor on a smoothed envelope (threshold re the peak)."""
    release = rng.uniform(0.03, 0.25)
    pole = np.exp(-1.0 / (release * sr))
    envelope = signal.lfilter([1 - pole], [1, -pole], np.abs(y))
    peak = max(float(envelope.max()), 1e-9)
    level_db = 20 * np.log10(np.maximum(envelope / peak, 1e-6))
    threshold, ratio = rng.uniform(-30, -6), rng.uniform(2, 8)
    over = np.maximum(level_db - threshold, 0)
    return y * 10 ** (-over * (1 - 1 / ratio) / 20)


def saturate(y, sr, rng):
    drive = rng.uniform(1.5, 6)
    peak = max(float(np.abs(y).max()), 1e-9)
    return np.tanh(drive * y / peak) * peak


def room(y, sr, rng):
    """A short synthetic room: exponentially decaying noise, RT60 0.08-0.7 s, mixed in."""
    rt60 = rng.uniform(0.08, 0.7)
    n = int(rt60 * sr)
    t = np.arange(n) / sr
    impulse = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    damping = min(rng.uniform(3000, 12000), 0.45 * sr)  # air and walls absorb the highs
    impulse = signal.sosfilt(signal.butter(1, damping, "low", fs=sr, output="sos"), impulse)
    impulse /= np.sqrt(np.sum(impulse**2)) + 1e-9
    wet = signal.fftconvolve(y, impulse)[: len(y)]
    mix = rng.uniform(0.1, 0.6)
    return (1 - mix) * y + mix * wet * (np.sqrt(np.sum(y**2)) / (np.sqrt(np.sum(wet**2)) + 1e-9))


def add_noise(y, sr, rng):
    peak = max(float(np.abs(y).max()), 1e-9)
    return y + rng.standard_normal(len(y)) * peak * 10 ** (rng.uniform(-70, -40) / 20)


def repitch(y, sr, rng):
    """Up to +-3 semitones by playing faster or slower (as a sampler does)."""
    ratio = 2 ** (rng.uniform(-3, 3) / 12)
    positions = np.arange(0, len(y) - 1, ratio)
    return np.interp(positions, np.arange(len(y)), y)


#: Each effect with the chance it is applied to one view.
CHAIN = [
    (repitch, 0.5), (high_pass, 0.4), (equalise, 0.8), (low_pass, 0.4), (compress, 0.5),
    (saturate, 0.25), (room, 0.5), (add_noise, 0.4),
]  # fmt: skip


def colour(y: np.ndarray, sr: int, rng: np.random.Generator) -> np.ndarray:
    """One random recording colour of ``y`` (float32, same rate, about the same length)."""
    out = np.asarray(y, dtype=np.float64)
    for effect, chance in CHAIN:
        if rng.random() < chance:
            out = effect(out, sr, rng)
    out = np.nan_to_num(out)
    peak = float(np.abs(out).max())
    if peak > 0:
        out *= rng.uniform(0.1, 0.99) / peak
    return out.astype(np.float32)
