"""Synthetic effects, labelled ``fx``: noise sweeps, risers, downlifters, impacts, drones.

    python training/noises.py OUT_DIR [--count 240] [--seed 0]

What sample packs file under "FX": filtered noise that rises or falls over seconds, tones
that sweep, booms with a long tail, static and drones. Each is 1.5-3 s, randomised in every
parameter. Writes ``OUT_DIR/<kind>-<n>.wav`` and ``OUT_DIR/labels.csv``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.signal import butter, sosfilt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labels import generated_set_main  # noqa: E402

RATE = 44100
KINDS = ("riser", "downlifter", "sweep", "impact", "static", "drone")


def _swept_noise(rng, n: int, start_hz: float, end_hz: float) -> np.ndarray:
    """White noise through a band-pass whose centre glides from ``start_hz`` to ``end_hz``."""
    noise = rng.normal(0, 1, n)
    out = np.zeros(n)
    blocks = 32
    edges = np.linspace(0, n, blocks + 1).astype(int)
    for b in range(blocks):
        centre = start_hz * (end_hz / start_hz) ** (b / (blocks - 1))
        low, high = max(centre / 1.5, 30.0), min(centre * 1.5, RATE / 2 - 100)
        sos = butter(2, [low, high], btype="band", fs=RATE, output="sos")
        lo, hi = edges[b], edges[b + 1]
        out[lo:hi] = sosfilt(sos, noise[max(lo - 2048, 0) : hi])[-(hi - lo) :]
    return out


def effect(kind: str, rng: np.random.Generator) -> np.ndarray:
    seconds = float(rng.uniform(1.5, 3.0))
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    if kind == "riser":
        y = _swept_noise(rng, n, rng.uniform(200, 800), rng.uniform(4000, 12000))
        y *= (t / seconds) ** rng.uniform(1, 3)
    elif kind == "downlifter":
        y = _swept_noise(rng, n, rng.uniform(4000, 12000), rng.uniform(150, 600))
        y *= np.exp(-t / rng.uniform(0.4, 1.2))
    elif kind == "sweep":
        f = rng.uniform(80, 400) * rng.uniform(4, 20) ** (t / seconds * rng.choice([1, -1]))
        y = np.sign(np.sin(2 * np.pi * np.cumsum(f) / RATE)) * rng.uniform(0.2, 1)
        y += np.sin(2 * np.pi * np.cumsum(f) / RATE)
        y *= np.minimum(t / 0.05, 1) * np.exp(-t / rng.uniform(0.8, 3))
    elif kind == "impact":
        f = rng.uniform(35, 70) * (1 + 2 * np.exp(-t / 0.08))
        y = np.sin(2 * np.pi * np.cumsum(f) / RATE) * np.exp(-t / rng.uniform(0.5, 1.5))
        sos = butter(2, rng.uniform(1500, 6000), fs=RATE, output="sos")
        y += rng.uniform(0.3, 1) * sosfilt(sos, rng.normal(0, 1, n)) * np.exp(-t / 0.9)
    elif kind == "static":
        crackle = (rng.random(n) < rng.uniform(0.001, 0.02)) * rng.normal(0, 1, n)
        y = crackle + rng.uniform(0.02, 0.2) * rng.normal(0, 1, n)
    else:  # drone
        f = rng.uniform(40, 220)
        y = sum(np.sin(2 * np.pi * f * k * (1 + rng.normal(0, 0.003)) * t) / k
                for k in range(1, 8))
        y *= 1 + 0.5 * np.sin(2 * np.pi * rng.uniform(0.1, 2) * t)
    y = np.asarray(y, dtype=np.float64)
    return (0.9 * y / (np.abs(y).max() + 1e-12)).astype(np.float32)


def main(argv: list[str] | None = None) -> None:
    generated_set_main(argv, __doc__, effect, KINDS, "fx", "fx", count=240, rate=RATE)


if __name__ == "__main__":
    main()
