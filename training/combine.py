"""Join single-network models trained on the same features into one ensemble, and fit its
category head (and, with ``--calibrate``, its temperature and "far" threshold).

    python training/combine.py FEATURES.npz... OUT.npz --models M0.npz M1.npz M2.npz \
        [--coarse] [--without PREFIX...] [--calibrate]

``train.py --seeds 0 1 2`` trains its networks one after the other, each from its own seed, so
the ensemble of three single-seed runs (``--seeds 0``, ``--seeds 1``, ``--seeds 2`` on the same
features and options) is the same model: on a busy machine the networks can be trained, and
measured one by one, as time allows. The options must be the ones the networks were trained
with (the input statistics are checked).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train import (  # noqa: E402
    calibrate,
    class_centres,
    embed_all,
    export,
    fit_classifier,
    fit_temperature,
    held_out_kits,
    inputs,
    load_features,
    load_net_arrays,
    select_sounds,
)

#: Categories the engine gives by itself (a file of several hits is a loop): kept in a head
#: whose training had no sound of them, so the engine may use the name.
ENGINE_NAMED = ("loop",)
#: The families a head learns from non-drum material (``--non-drum-bias``).
NON_DRUM_FAMILIES = ("tonal", "vocal", "fx")


def load_nets(path: Path, n_in: int) -> tuple[list[nn.Module], np.ndarray, np.ndarray]:
    """The networks of a model file as PyTorch modules, and its input statistics."""
    with np.load(path) as arrays:
        nets = [load_net_arrays(arrays, m, n_in) for m in range(int(arrays["models"]))]
        return nets, arrays["mean"].astype(np.float64), arrays["scale"].astype(np.float64)


def calibrate_head(embedded: np.ndarray, classes: np.ndarray, kits: np.ndarray, other: int,
                   unseen: list[str], seed: int, share: float = 0.2,
                   each_kit: bool = False):
    """Temperature and far threshold of a head on fixed networks: fitted without a random
    ``share`` of the kits the networks never saw, measured on those (original views).

    With ``each_kit``, every unseen kit is held out in turn (a head fitted without it) and
    the temperature and threshold are fitted on all of their held-out sounds together: with
    few unseen kits, one random draw decides too much."""
    candidates = np.array([any(k.startswith(u) for u in unseen) for k in kits])
    if each_kit:
        folds = [kits == name for name in sorted(set(kits[candidates].tolist()))]
    else:
        held = np.zeros(len(kits), dtype=bool)
        held[candidates] = held_out_kits(kits[candidates], share, seed)
        folds = [held]
    views = embedded.shape[1]
    logits, truth, nearest = [], [], []
    for held in folds:
        coef, intercept = fit_classifier(embedded[~held].reshape(-1, embedded.shape[2]),
                                         np.repeat(classes[~held], views), other)
        known = classes[held] < other
        out = embedded[held][known, 0]
        logits.append(out @ coef.T + intercept)
        truth.append(classes[held][known])
        centres = class_centres(embedded[~held].reshape(-1, embedded.shape[2]),
                                np.repeat(classes[~held], views), other)
        nearest.append((out @ centres.T).max(axis=1))
    t = fit_temperature(np.concatenate(logits), np.concatenate(truth))
    far = float(np.quantile(np.concatenate(nearest), 0.02))
    held_names = sorted({n for held in folds for n in kits[held].tolist()})
    return t, far, held_names


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("features", type=Path, nargs="+")
    parser.add_argument("out", type=Path)
    parser.add_argument("--models", type=Path, nargs="+", required=True)
    parser.add_argument("--coarse", action="store_true")
    parser.add_argument("--without", nargs="*", default=[])
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--calibration-seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=1000, help="for the calibration network")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--new-head-for", action="store_true",
                        help="keep the networks and input statistics of the (one) model given, "
                             "e.g. the shipped one, and fit only a new category head; with "
                             "--calibrate, the temperature and far threshold come from held-out "
                             "kits among --unseen ones (kits those networks never saw)")
    parser.add_argument("--unseen", nargs="*", default=[],
                        help="kit prefixes the given networks were not trained on")
    parser.add_argument("--non-drum-bias", type=float, default=0.0,
                        help="lower the non-drum families' logits by this much (after the "
                             "temperature): a drum named tonal costs more than a tone named "
                             "a drum; choose it out of fold on training data")
    parser.add_argument("--drop-untrained", action="store_true",
                        help="leave out the categories no training sound has (the head could "
                             "never name them), but those the engine names itself (loop)")
    parser.add_argument("--each-kit", action="store_true",
                        help="with --new-head-for --calibrate: hold out every unseen kit in "
                             "turn instead of one random fifth of them")
    args = parser.parse_intermixed_args(argv)
    torch.set_num_threads(args.threads)
    data = load_features(args.features)
    keep, categories, classes, kits = select_sounds(data, args.without, args.coarse)
    other = len(categories)
    x = inputs(data["vectors"][keep], data["frames"][keep])
    flat = x.reshape(-1, x.shape[2]).astype(np.float64)
    mean, scale = flat.mean(axis=0), np.maximum(flat.std(axis=0), 1e-3)
    nets = []
    for path in args.models:
        found, m, s = load_nets(path, x.shape[2])
        if args.new_head_for:
            mean, scale = m, s
        elif np.abs(m - mean).max() > 1e-3 * (1 + np.abs(mean).max()) or \
                np.abs(s - scale).max() > 1e-3 * (1 + scale.max()):
            raise SystemExit(f"{path} was trained on other features or options")
        nets += found
    standard = ((x - mean) / scale).astype(np.float32)
    embeddings = embed_all(nets, standard.reshape(-1, standard.shape[2]))
    coef, intercept = fit_classifier(embeddings, np.repeat(classes, x.shape[1]), other)
    centres, far = None, -1.0
    if args.calibrate and args.new_head_for:
        t, far, held = calibrate_head(embeddings.reshape(len(x), x.shape[1], -1), classes,
                                      kits, other, args.unseen, args.calibration_seed,
                                      each_kit=args.each_kit)
        coef, intercept = coef / t, np.where(intercept > -1e3, intercept / t, intercept)
        centres = class_centres(embeddings, np.repeat(classes, x.shape[1]), other)
        print(f"head calibration on {len(held)} held-out unseen kits: temperature {t:.2f}, "
              f"far below centre similarity {far:.3f}")
    elif args.calibrate:
        t, far, held = calibrate(standard, classes, kits, other,
                                 seed=args.calibration_seed, steps=args.steps, batch=256,
                                 temperature=0.1, arch=nets[0].arch)
        coef, intercept = coef / t, np.where(intercept > -1e3, intercept / t, intercept)
        centres = class_centres(embeddings, np.repeat(classes, x.shape[1]), other)
        print(f"calibration on {len(held)} held-out kits: temperature {t:.2f}, "
              f"far below centre similarity {far:.3f}")
    if args.non_drum_bias:
        families = [i for i, name in enumerate(categories) if name in NON_DRUM_FAMILIES]
        intercept[families] = np.where(intercept[families] > -1e3,
                                       intercept[families] - args.non_drum_bias,
                                       intercept[families])
    if args.drop_untrained:
        kept = [i for i, name in enumerate(categories)
                if intercept[i] > -1e3 or name in ENGINE_NAMED]
        categories = [categories[i] for i in kept]
        coef, intercept = coef[kept], intercept[kept]
        centres = centres[kept] if centres is not None else None
    golden_x = x[: min(8, len(x)), 0].astype(np.float32)
    export(args.out, mean, scale, nets, coef, intercept, categories, golden_x, centres, far)
    print(f"wrote {args.out}: {len(nets)} networks, {len(categories)} categories")


if __name__ == "__main__":
    main()
