"""Synthetic tones, labelled ``tonal``: single-cycle waveforms, held synth notes and plucks.

    python training/tones.py OUT_DIR [--count 300] [--seed 0]

What sample packs hold beside drums and what the General MIDI renders (``render_gm.py``) lack:
an oscillator's raw waveform (a single cycle repeated, or a short steady stretch of it, as
wavetable and "single-cycle" packs hold them), a held synth note with a gate-like envelope,
and a synth pluck or bass one-shot (a filtered oscillator that decays). A head that never
heard one takes a steady low tone for a kick: its spectrum is a kick's, only its envelope
never decays. Waveforms are sine, triangle, saw, square, pulse, random additive spectra and
two-operator FM; pitches 30 Hz-2 kHz; lengths 0.02-3 s; every parameter randomised. Writes
``OUT_DIR/<kind>-<n>.wav`` and ``OUT_DIR/labels.csv``. No recording is used.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.signal import butter, sosfilt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labels import generated_set_main  # noqa: E402

RATE = 44100
KINDS = ("cycle", "held", "pluck")
SHAPES = ("sine", "triangle", "saw", "square", "pulse", "additive", "fm")


def oscillator(shape: str, phase: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One waveform from a phase in cycles (band-limited by summing harmonics where it
    matters, naive where a single-cycle pack would be naive too)."""
    cycle = phase % 1.0
    if shape == "sine":
        return np.sin(2 * np.pi * phase)
    if shape == "triangle":
        return 4 * np.abs(cycle - 0.5) - 1
    if shape == "saw":
        return 2 * cycle - 1
    if shape == "square":
        return np.where(cycle < 0.5, 1.0, -1.0)
    if shape == "pulse":
        return np.where(cycle < rng.uniform(0.05, 0.35), 1.0, -1.0)
    if shape == "additive":
        harmonics = rng.integers(3, 24)
        amplitudes = rng.random(harmonics) / np.arange(1, harmonics + 1) ** rng.uniform(0, 1.5)
        return sum(a * np.sin(2 * np.pi * k * phase + rng.uniform(0, 2 * np.pi))
                   for k, a in enumerate(amplitudes, start=1))
    ratio, index = rng.choice([0.5, 1, 2, 3, 3.5, 7]), rng.uniform(0.5, 6)  # two-operator FM
    return np.sin(2 * np.pi * phase + index * np.sin(2 * np.pi * ratio * phase))


def tone(kind: str, rng: np.random.Generator) -> np.ndarray:
    shape = SHAPES[rng.integers(len(SHAPES))]
    frequency = float(np.exp(rng.uniform(np.log(30), np.log(2000))))
    if kind == "cycle":  # a raw waveform: a few cycles to a second, no envelope at all
        seconds = float(rng.choice([rng.uniform(0.02, 0.3), rng.uniform(0.3, 1.5)]))
    elif kind == "held":
        seconds = float(rng.uniform(0.3, 3.0))
    else:
        seconds = float(rng.uniform(0.15, 1.2))
    t = np.arange(int(seconds * RATE)) / RATE
    phase = frequency * t
    if kind == "held" and rng.random() < 0.5:  # vibrato
        depth = rng.uniform(0.002, 0.01)
        phase = np.cumsum(frequency * (1 + depth * np.sin(2 * np.pi * rng.uniform(4, 7) * t)))
        phase /= RATE
    y = oscillator(shape, phase, rng).astype(np.float64)
    if kind == "held":
        attack, release = rng.uniform(0.002, 0.3), rng.uniform(0.01, 0.3)
        y *= np.minimum(1, t / attack) * np.minimum(1, (seconds - t) / release)
    elif kind == "pluck":
        cutoff = min(rng.uniform(300, 6000), RATE / 2 - 1000)
        y = sosfilt(butter(2, cutoff, fs=RATE, output="sos"), y)
        y *= np.minimum(1, t / 0.003) * np.exp(-t / rng.uniform(0.08, 0.6))
    return (0.9 * y / (np.abs(y).max() + 1e-12)).astype(np.float32)


def main(argv: list[str] | None = None) -> None:
    generated_set_main(argv, __doc__, tone, KINDS, "tonal", "tones", count=300, rate=RATE)


if __name__ == "__main__":
    main()
