"""Drum loops sequenced from the training one-shots themselves, labelled ``loop``.

    python training/loops.py SET.csv OUT_DIR [--count 300] [--seed 0]

``SET.csv`` is ``build_set.py``'s table (only its drum one-shots are used, so a loop holds
nothing the training set does not; build it from a set the leak check refused nothing of).
Each loop takes one kit's kick, snare and hats (its toms, claps, rims and percussion now and
then), plays a pattern of 1-4 bars of sixteenths at 70-180 BPM with varied velocities,
ghost notes and fills, and keeps the first 3 s (what the engine reads of a file). The
recording colourings are added later, like every other sound's, by ``features.py``.
Writes ``OUT_DIR/loop-<n>.wav`` and ``OUT_DIR/labels.csv``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from soundalike.engine.sound.decode import decode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labels import LABELLED_COLUMNS, write_set  # noqa: E402

RATE = 44100
SECONDS = 3.0
#: Roles a loop draws from, and the categories that can play them.
ROLES = {
    "kick": ("kick",), "snare": ("snare", "clap"), "hat": ("closed hat", "shaker"),
    "open": ("open hat", "ride"), "extra": ("tom", "rim", "hand drum", "metal percussion"),
}  # fmt: skip


def pattern(rng: np.random.Generator, steps: int) -> dict[str, np.ndarray]:
    """Velocity (0 = silent) of each role at each sixteenth."""
    out = {role: np.zeros(steps) for role in ROLES}
    hat_every = int(rng.choice([1, 2, 2, 4]))
    for s in range(steps):
        beat = s % 16
        if beat == 0 or (beat in (6, 8, 10, 14) and rng.random() < 0.35):
            out["kick"][s] = rng.uniform(0.7, 1.0)
        if beat in (4, 12):
            out["snare"][s] = rng.uniform(0.7, 1.0)
        elif rng.random() < 0.08:
            out["snare"][s] = rng.uniform(0.15, 0.4)  # a ghost note
        if s % hat_every == 0:
            out["hat"][s] = rng.uniform(0.35, 0.9)
        if beat == 14 and rng.random() < 0.3:
            out["open"][s], out["hat"][s] = rng.uniform(0.5, 0.9), 0.0
        if beat >= 12 and s >= steps - 16 and rng.random() < 0.25:
            out["extra"][s] = rng.uniform(0.5, 1.0)  # a fill in the last bar
    return out


def render(hits: dict[str, np.ndarray], steps: dict[str, np.ndarray], bpm: float) -> np.ndarray:
    step_samples = RATE * 60.0 / bpm / 4
    total = int(SECONDS * RATE)
    y = np.zeros(total, dtype=np.float64)
    for role, velocities in steps.items():
        sound = hits.get(role)
        if sound is None:
            continue
        for s in np.flatnonzero(velocities):
            start = int(s * step_samples)
            if start >= total:
                break
            part = sound[: total - start]
            y[start : start + len(part)] += velocities[s] * part
    peak = float(np.abs(y).max())
    return (0.9 * y / peak if peak > 0 else y).astype(np.float32)


def load(path: str) -> np.ndarray:
    audio = decode(path, max_seconds=SECONDS)
    y = audio.y
    if audio.sr != RATE:
        from scipy.signal import resample_poly

        g = np.gcd(audio.sr, RATE)
        y = resample_poly(y, RATE // g, audio.sr // g)
    return y.astype(np.float32) / max(float(np.abs(y).max()), 1e-6)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("set", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    with open(args.set, newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_kit: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        for role, categories in ROLES.items():
            if row["category"] in categories:
                by_kit.setdefault(row["kit"], {}).setdefault(role, []).append(row["path"])
    kits = sorted(k for k, roles in by_kit.items() if {"kick", "snare", "hat"} <= set(roles))
    if not kits:
        raise SystemExit("no kit of the set has a kick, a snare and a hat")
    args.out.mkdir(parents=True, exist_ok=True)
    out_rows = []
    for n in range(args.count):
        kit = str(rng.choice(kits))
        hits = {role: load(str(rng.choice(paths))) for role, paths in by_kit[kit].items()}
        bpm = float(rng.uniform(70, 180))
        bars = int(rng.integers(1, 5))
        y = render(hits, pattern(rng, 16 * bars), bpm)
        path = args.out / f"loop-{n:04d}.wav"
        sf.write(path, y, RATE, subtype="PCM_16")
        out_rows.append((path.name, "loop", f"loop:{kit}", f"{bars} bar(s) at {bpm:.0f} BPM"))
    write_set(args.out / "labels.csv", LABELLED_COLUMNS, out_rows)


if __name__ == "__main__":
    main()
