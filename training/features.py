"""Model inputs for the training set: every sound and its augmented views, with a leak check.

    python training/features.py SET.csv OUT.npz [--views 5] [--seed 0] \
        --evaluation EVAL_DIR [--evaluation EVAL_DIR ...]

Inputs are exactly what the engine computes while scanning (decoding the first 2.5 s, the
hand-made descriptor and the onset-aligned mel frames: :func:`soundalike_analysis`), so the
model sees in training what it sees in a user's library. The leak check describes every file
of the evaluation corpora and refuses any training sound whose descriptor is (near) identical
to one of them: such a sound is the same recording, and training on it would flatter our
figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from augment import colour  # noqa: E402

from soundalike.engine.search.duplicates import DUPLICATE_DISTANCE  # noqa: E402
from soundalike.engine.sound.analysis import soundalike_analysis  # noqa: E402
from soundalike.engine.sound.categories import FINE_CATEGORIES, OTHER  # noqa: E402
from soundalike.engine.sound.decode import decode, is_audio_name  # noqa: E402
from soundalike.engine.sound.descriptors import check_profilable  # noqa: E402
from soundalike.engine.sound.profiling import READ_SECONDS  # noqa: E402

LABELS = [*FINE_CATEGORIES, OTHER]


def describe(task: tuple[str, int, int]):
    """Descriptor and frames of one file and of ``views`` colourings of it (None if unusable)."""
    path, views, seed = task
    try:
        audio = decode(path, max_seconds=READ_SECONDS)
    except Exception:  # noqa: BLE001 - a broken training file is skipped, not fatal
        return None
    if check_profilable(y=audio.y, sr=audio.sr) is not None:
        return None
    rng = np.random.default_rng(seed)
    signals = [(audio.y, audio.sr)] + [(colour(audio.y, audio.sr, rng), audio.sr)
                                       for _ in range(views)]
    vectors, frames = soundalike_analysis(signals)
    return vectors.astype(np.float32), frames.astype(np.float16)


def _pool_map(function, tasks, jobs):
    if jobs <= 1:
        return list(map(function, tasks))
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(function, tasks, chunksize=16))


def evaluation_vectors(folders: list[Path], jobs: int) -> np.ndarray:
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        raise SystemExit(f"no such evaluation folder: {missing[0]} (the leak check needs it)")
    paths = [str(p) for folder in folders for p in sorted(folder.rglob("*"))
             if is_audio_name(p.name) and p.is_file()]
    found = [r for r in _pool_map(describe, [(p, 0, 0) for p in paths], jobs) if r is not None]
    print(f"leak check: {len(found)} evaluation sounds described", flush=True)
    return np.stack([r[0][0] for r in found]) if found else np.empty((0, 285), np.float32)


def leaking(train: np.ndarray, evaluation: np.ndarray) -> np.ndarray:
    """Rows of ``train`` whose raw descriptor is within the duplicate distance of an
    evaluation sound (the same recording, whatever its gain, rate or encoding)."""
    out = np.zeros(len(train), dtype=bool)
    if len(evaluation) == 0:
        return out
    for start in range(0, len(train), 256):
        block = train[start : start + 256].astype(np.float64)
        d2 = ((block[:, None, :] - evaluation[None, :, :]) ** 2).mean(axis=2)
        out[start : start + len(block)] = np.sqrt(d2.min(axis=1)) <= DUPLICATE_DISTANCE
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("set", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--views", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--evaluation", type=Path, action="append", default=[])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    with open(args.set, newline="") as handle:
        rows = list(csv.DictReader(handle))
    tasks = [(row["path"], args.views, args.seed * 1_000_003 + i) for i, row in enumerate(rows)]
    results = _pool_map(describe, tasks, args.jobs)
    keep = [i for i, r in enumerate(results) if r is not None]
    print(f"{len(keep)} of {len(rows)} training sounds described", flush=True)
    vectors = np.stack([results[i][0] for i in keep])  # (n, 1 + views, 285)
    frames = np.stack([results[i][1] for i in keep])  # (n, 1 + views, 16, 48)
    if args.evaluation:
        leaks = leaking(vectors[:, 0], evaluation_vectors(args.evaluation, args.jobs))
        for i in np.flatnonzero(leaks):
            print(f"  refused (same recording as an evaluation sound): {rows[keep[i]]['path']}")
        print(f"leak check: {int(leaks.sum())} training sounds refused", flush=True)
        keep = [k for k, leak in zip(keep, leaks, strict=True) if not leak]
        vectors, frames = vectors[~leaks], frames[~leaks]
    np.savez_compressed(
        args.out,
        vectors=vectors,
        frames=frames,
        category=np.array([LABELS.index(rows[i]["category"]) for i in keep], dtype=np.int16),
        kit=np.array([rows[i]["kit"] for i in keep]),
        path=np.array([rows[i]["path"] for i in keep]),
        labels=np.array(LABELS),
    )
    print(f"wrote {args.out}: {vectors.shape[0]} sounds x {vectors.shape[1]} views")


if __name__ == "__main__":
    main()
