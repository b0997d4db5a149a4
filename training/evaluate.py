"""Quick paired comparisons of trained candidates, on the embedding alone (no index, no scan).

    python training/evaluate.py INPUTS.npz MODEL.npz [MODEL.npz ...]
    python training/evaluate.py INPUTS.npz --describe [--kits DIR] [--sonic-pi DIR] [--lmms DIR]

``--describe`` computes once the engine's inputs (:func:`soundalike_analysis` on the first
2.5 s, as a scan does) of every sound of the evaluation corpora, with their labels
(``benchmarks/kit_labels.py``, the non-drum name rules of ``benchmarks/bench_quality.py``).
Then, for each model: cross-kit P@10 on the hydrogen kits (every labelled sound a query, its own
kit left out, unlabelled sounds in the pool, Euclidean distance on the embedding: what the
product's search ranks by), category accuracy with fine categories mapped to the coarse ones,
the share right among predictions at >= 0.9, and on the clearly non-drum files of sonic-pi and
lmms the share named non-drum and the share given a drum category at >= 0.9. It measures
models, never trains on what it reads. ``benchmarks/bench_quality.py`` (through the product)
is the reference; this is for comparing many candidates on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks.bench_quality import LMMS, SONIC_PI, non_drum_kind  # noqa: E402
from benchmarks.kit_labels import HYDROGEN_KITS, kit_labels  # noqa: E402
from soundalike.engine.sound.analysis import soundalike_analysis  # noqa: E402
from soundalike.engine.sound.categories import COARSE, DRUM_CATEGORIES  # noqa: E402
from soundalike.engine.sound.decode import decode, is_audio_name  # noqa: E402
from soundalike.engine.sound.embedding import SoundModel, categorise, model_inputs  # noqa: E402
from soundalike.engine.sound.profiling import READ_SECONDS  # noqa: E402


def describe(out: Path, kits: Path, sonic_pi: Path, lmms: Path) -> None:
    labels = kit_labels(kits)
    rows = []  # (path, group, label)
    for path in sorted(kits.rglob("*")):
        if is_audio_name(path.name):
            real = path.resolve()
            kit, label = labels.get(real, (path.relative_to(kits).parts[0], ""))
            rows.append((real, f"kit:{kit}", label))
    for root in (sonic_pi, lmms):
        for path in sorted(root.rglob("*")):
            if is_audio_name(path.name):
                rows.append((path.resolve(), f"collection:{root}", non_drum_kind(path) or ""))
    signals, kept = [], []
    for row in rows:
        try:
            audio = decode(row[0], max_seconds=READ_SECONDS)
        except Exception:  # noqa: BLE001 - what the product cannot read is not measured
            continue
        if len(audio.y) >= 0.005 * audio.sr and np.abs(audio.y).max() > 1e-4:
            signals.append((audio.y, audio.sr))
            kept.append(row)
    vectors, frames = soundalike_analysis(signals)
    np.savez_compressed(out, inputs=model_inputs(vectors, frames).astype(np.float32),
                        path=np.array([str(r[0]) for r in kept]),
                        group=np.array([r[1] for r in kept]),
                        label=np.array([r[2] for r in kept]))
    print(f"wrote {out}: {len(kept)} sounds")


def measure(inputs: dict, model: SoundModel) -> dict:
    z = model.embed(inputs["inputs"])
    group, label = inputs["group"], inputs["label"]
    in_kits = np.char.startswith(group.astype(str), "kit:")
    kz, kgroup, klabel = z[in_kits], group[in_kits], label[in_kits]
    queries = np.flatnonzero(klabel != "")
    hits = []
    for q in queries:
        d = ((kz - kz[q]) ** 2).sum(axis=1)
        d[kgroup == kgroup[q]] = np.inf
        top = np.argsort(d)[:10]
        hits.append((klabel[top] == klabel[q]).mean())
    scores = model.category_scores(z)
    names = np.array(categorise(scores, 0.0, labels=model.labels)[0])
    coarse = np.array([COARSE.get(n, n) for n in names])
    sure = scores.max(axis=1)
    kq = np.flatnonzero(in_kits)[queries]
    right = coarse[kq] == label[kq]
    high = sure[kq] >= 0.9
    non_drum = ~in_kits & (label != "")
    drum_like = np.isin(names, [*DRUM_CATEGORIES, "cymbal"])
    known = model.known(z)
    drum_named = drum_like & known & (sure >= 0.5)  # what users would see as a drum
    return {"p10": float(np.mean(hits)), "accuracy": float(right.mean()),
            "sure_right": float(right[high].mean()) if high.any() else float("nan"),
            "named_non_drum": float((~drum_named[non_drum]).mean()),
            "drum_sure": float((drum_named & (sure >= 0.9))[non_drum].mean())}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", type=Path)
    parser.add_argument("models", type=Path, nargs="*")
    parser.add_argument("--describe", action="store_true")
    parser.add_argument("--kits", type=Path, default=HYDROGEN_KITS)
    parser.add_argument("--sonic-pi", type=Path, default=SONIC_PI)
    parser.add_argument("--lmms", type=Path, default=LMMS)
    args = parser.parse_intermixed_args(argv)
    if args.describe:
        describe(args.inputs, args.kits, args.sonic_pi, args.lmms)
    inputs = dict(np.load(args.inputs))
    print(f"{'model':28s} {'P@10':>6s} {'acc':>6s} {'>=0.9 right':>11s} "
          f"{'non-drum named':>14s} {'drum>=0.9':>9s}")
    for path in args.models:
        r = measure(inputs, SoundModel.load(path))
        print(f"{os.path.basename(path):28s} {r['p10']:6.3f} {r['accuracy']:6.3f} "
              f"{r['sure_right']:11.3f} {r['named_non_drum']:14.3f} {r['drum_sure']:9.3f}")


if __name__ == "__main__":
    main()
