"""Synthetic drum sounds whose family is known by construction, for tests and benchmarks.

Each family has a recipe with a few parameters drawn around a family centre, so
members of one family sound alike and differ from other families, as a kit's
kicks differ from its hats. Everything is numpy: no files, no randomness
without an explicit seed.
"""

from __future__ import annotations

import numpy as np

FAMILIES = ("kick", "snare", "hat", "clap", "tom", "bell")


def _env(n: int, sr: int, decay: float, attack: float = 0.001) -> np.ndarray:
    t = np.arange(n) / sr
    return np.minimum(t / attack, 1.0) * np.exp(-t / decay)


def _bandpass_noise(rng, n: int, sr: int, low: float, high: float) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1.0 / sr)
    spectrum[(freqs < low) | (freqs > high)] = 0
    noise = np.fft.irfft(spectrum, n)
    return noise / (np.abs(noise).max() + 1e-12)


def drum(family: str, *, sr: int = 44100, seed: int = 0, variation: float = 1.0) -> np.ndarray:
    """One hit of ``family``, float32 mono, peak 0.9. ``variation`` scales the member spread."""
    rng = np.random.default_rng(seed)

    def vary(centre: float, spread: float) -> float:
        return centre * float(np.exp(rng.normal(0.0, spread * variation)))

    if family == "kick":
        n = int(sr * vary(0.5, 0.1))
        t = np.arange(n) / sr
        f0, f1, sweep = vary(160, 0.1), vary(50, 0.08), vary(0.03, 0.15)
        freq = f1 + (f0 - f1) * np.exp(-t / sweep)
        y = np.sin(2 * np.pi * np.cumsum(freq) / sr) * _env(n, sr, vary(0.18, 0.15))
        y += 0.2 * _bandpass_noise(rng, n, sr, 1000, 5000) * _env(n, sr, 0.004)
    elif family == "snare":
        n = int(sr * vary(0.35, 0.1))
        tone = np.sin(2 * np.pi * vary(190, 0.08) * np.arange(n) / sr)
        tone *= _env(n, sr, vary(0.05, 0.2))
        noise = _bandpass_noise(rng, n, sr, vary(1500, 0.2), vary(9000, 0.1))
        y = 0.6 * tone + noise * _env(n, sr, vary(0.11, 0.15))
    elif family == "hat":
        n = int(sr * vary(0.12, 0.1))
        y = _bandpass_noise(rng, n, sr, vary(7000, 0.1), min(sr / 2 - 100, 18000.0))
        y *= _env(n, sr, vary(0.025, 0.2), attack=0.0005)
    elif family == "clap":
        n = int(sr * vary(0.3, 0.1))
        noise = _bandpass_noise(rng, n, sr, vary(900, 0.15), vary(3500, 0.1))
        bursts = np.zeros(n)
        for k in range(3):
            start = int(sr * (0.011 * k))
            bursts[start:] += _env(n - start, sr, 0.006)
        y = noise * (bursts + 0.6 * _env(n, sr, vary(0.09, 0.2)))
    elif family == "tom":
        n = int(sr * vary(0.6, 0.1))
        t = np.arange(n) / sr
        f = vary(110, 0.1) * (1 + 0.3 * np.exp(-t / 0.05))
        y = np.sin(2 * np.pi * np.cumsum(f) / sr) * _env(n, sr, vary(0.25, 0.15))
        y += 0.15 * _bandpass_noise(rng, n, sr, 300, 3000) * _env(n, sr, 0.02)
    elif family == "bell":
        n = int(sr * vary(1.6, 0.1))
        t = np.arange(n) / sr
        f = vary(880, 0.05)
        y = sum(a * np.sin(2 * np.pi * f * r * t) for a, r in ((1, 1), (0.6, 2.76), (0.4, 5.4)))
        y = y * _env(n, sr, vary(0.6, 0.15), attack=0.002)
    else:
        raise ValueError(f"unknown family {family!r}")
    y = np.asarray(y, dtype=np.float64)
    return (0.9 * y / (np.abs(y).max() + 1e-12)).astype(np.float32)


def resample(y: np.ndarray, sr_from: int, sr_to: int) -> np.ndarray:
    """Band-limited resampling (for 'the same sound at another rate' cases)."""
    from scipy.signal import resample_poly

    g = np.gcd(sr_from, sr_to)
    return resample_poly(y.astype(np.float64), sr_to // g, sr_from // g).astype(np.float32)


def write_lying_wav(path, *, rate: int = 100_000_000, claimed_bytes: int = 200_000_000,
                    channels: int = 2, real_bytes: int = 65536, seed: int = 0) -> None:
    """A WAV whose header lies: ``rate`` Hz and ``claimed_bytes`` of 16-bit audio, of which
    only the first ``real_bytes`` are written (noise); the file is then extended to its
    claimed length as a sparse file (holes read as zeros, take no disk space), so it looks
    like a 200 MB file and takes ~68 KB."""
    import struct

    block_align = 2 * channels
    header = b"RIFF" + struct.pack("<I", 36 + claimed_bytes) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block_align,
                                    block_align, 16)
    header += b"data" + struct.pack("<I", claimed_bytes)
    noise = np.random.default_rng(seed).integers(-20000, 20000, real_bytes // 2, dtype=np.int16)
    with open(path, "wb") as f:
        f.write(header)
        f.write(noise.astype("<i2").tobytes())
        f.truncate(len(header) + claimed_bytes)
