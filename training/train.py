"""Train the learned embedding (``soundalike-3``) and export it for the numpy engine.

    python training/train.py FEATURES.npz OUT.npz [--seeds 0 1 2] [--steps 1000]

A small network maps the engine's inputs (the hand-made descriptor and the onset-aligned
mel frames, z-scored with training statistics) to a 128-number L2-normalised embedding,
trained with a supervised contrastive loss: two views of a training sound (its original and
random recording colourings, see ``augment.py``) and sounds of the same category from any kit
are pulled together, all others pushed apart. Sounds labelled ``other`` are positives only
of their own views. Several seeds give several models whose embeddings are concatenated.
A linear classifier on the embedding gives each sound an instrument category.

The export holds float16 weights, the input statistics, the classifier, and golden
vectors: inputs and this framework's outputs, which the engine's tests compare with its
numpy inference.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from soundalike.engine.sound.embedding import model_inputs

HIDDEN = 512
EMBEDDING = 128
TEMPERATURE = 0.1


class Net(nn.Module):
    def __init__(self, n_in: int):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(n_in, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(),
            nn.Linear(HIDDEN, EMBEDDING),
        )  # fmt: skip

    def forward(self, x):
        return nn.functional.normalize(self.layers(x), dim=1)


def supcon_loss(z: torch.Tensor, items: torch.Tensor, classes: torch.Tensor, other: int,
                temperature: float = TEMPERATURE):
    """Supervised contrastive loss (Khosla et al. 2020) over a batch of views ``z``.

    Positives of a view: the other views of its item, and every view of the same class
    unless that class is ``other``.
    """
    logits = z @ z.T / temperature
    n = len(z)
    eye = torch.eye(n, dtype=torch.bool)
    same_item = items[:, None] == items[None, :]
    same_class = (classes[:, None] == classes[None, :]) & (classes[:, None] != other)
    positive = (same_item | same_class) & ~eye
    logits = logits.masked_fill(eye, -1e9)
    log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    return -((log_prob * positive).sum(1) / positive.sum(1).clamp(min=1)).mean()


def inputs(vectors: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """Model input rows ``(items, views, inputs)`` in the engine's order (descriptor, then the
    flattened mel frames: :func:`soundalike.engine.embedding.model_inputs`)."""
    items, views = vectors.shape[:2]
    rows = model_inputs(vectors.reshape(items * views, -1).astype(np.float32),
                        frames.reshape(items * views, *frames.shape[2:]).astype(np.float32))
    return rows.reshape(items, views, -1)


def train_one(x: np.ndarray, classes: np.ndarray, other: int, *, seed: int, steps: int,
              batch: int = 256, lr: float = 1e-3, balance: float = 0.0,
              temperature: float = TEMPERATURE, log=print) -> Net:
    """One model on ``x`` of shape ``(items, views, features)`` (already standardised).

    ``balance`` between 0 and 1 draws rare categories more often: an item's chance is
    proportional to ``1 / count(category) ** balance`` (0: every item alike).
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    counts = np.bincount(classes)
    chance = 1.0 / counts[classes].astype(np.float64) ** balance
    chance /= chance.sum()
    net = Net(x.shape[2])
    optimiser = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, steps)
    data = torch.from_numpy(x)
    labels = torch.from_numpy(classes.astype(np.int64))
    n, views = x.shape[:2]
    for step in range(steps):
        items = torch.from_numpy(rng.choice(n, min(batch, n), replace=False, p=chance))
        picks = torch.from_numpy(np.stack([rng.choice(views, 2, replace=False)
                                           for _ in range(len(items))]))
        batch_x = torch.cat([data[items, picks[:, 0]], data[items, picks[:, 1]]])
        z = net(batch_x)
        loss = supcon_loss(z, torch.cat([items, items]), torch.cat([labels[items]] * 2), other,
                           temperature)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 200 == 0 or step == steps - 1:
            log(f"  seed {seed} step {step:4d} loss {loss.item():.3f}")
    return net.eval()


def fit_classifier(embeddings: np.ndarray, classes: np.ndarray, n_classes: int):
    """Multinomial logistic regression on the embedding: ``(coef (k, d), intercept (k,))``.

    Only sounds of a real category are used; ``other`` is what no category claims
    confidently (a threshold on the probability, chosen in the engine)."""
    from sklearn.linear_model import LogisticRegression

    keep = classes < n_classes
    model = LogisticRegression(C=10.0, max_iter=2000)
    model.fit(embeddings[keep], classes[keep])
    coef = np.zeros((n_classes, embeddings.shape[1]), np.float32)
    intercept = np.full(n_classes, -1e4, np.float32)  # a class with no example never wins
    coef[model.classes_] = model.coef_
    intercept[model.classes_] = model.intercept_
    return coef, intercept


def quantise(nets: list[Net]) -> None:
    """Round every weight to float16 in place: the net then computes what the engine will."""
    with torch.no_grad():
        for net in nets:
            for parameter in net.parameters():
                parameter.copy_(parameter.half().float())


def export(path: Path, mean, scale, nets: list[Net], coef, intercept, labels, golden_x):
    arrays = {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32),
              "labels": np.array(labels), "models": np.array(len(nets))}
    for m, net in enumerate(nets):
        linears = [layer for layer in net.layers if isinstance(layer, nn.Linear)]
        for i, layer in enumerate(linears):
            arrays[f"m{m}_w{i}"] = layer.weight.detach().numpy().T.astype(np.float16)
            arrays[f"m{m}_b{i}"] = layer.bias.detach().numpy().astype(np.float16)
    arrays["class_coef"], arrays["class_intercept"] = coef.astype(np.float32), intercept
    golden = embed_all(nets, ((golden_x - mean) / scale).astype(np.float32))
    arrays["golden_inputs"] = golden_x.astype(np.float32)
    arrays["golden_outputs"] = golden.astype(np.float32)
    np.savez_compressed(path, **arrays)


def embed_all(nets, standard: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        t = torch.from_numpy(standard)
        return (torch.cat([net(t) for net in nets], dim=1) / np.sqrt(len(nets))).numpy()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("features", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--temperature", type=float, default=TEMPERATURE)
    parser.add_argument("--balance", type=float, default=0.0,
                        help="0-1: draw rare categories more often (0: uniform)")
    parser.add_argument("--views", type=int, default=0,
                        help="use only the original and this many augmented views (0: all)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    data = np.load(args.features)
    labels = [str(x) for x in data["labels"]]
    other = labels.index("other")
    views = data["vectors"].shape[1] if args.views <= 0 else args.views + 1
    x = inputs(data["vectors"][:, :views], data["frames"][:, :views])  # (items, views, inputs)
    classes = data["category"].astype(np.int64)
    flat = x.reshape(-1, x.shape[2]).astype(np.float64)
    mean = flat.mean(axis=0)
    scale = np.maximum(flat.std(axis=0), 1e-3)
    standard = ((x - mean) / scale).astype(np.float32)
    print(f"{x.shape[0]} sounds x {x.shape[1]} views, {x.shape[2]} inputs")
    started = time.perf_counter()
    nets = [train_one(standard, classes, other, seed=s, steps=args.steps, batch=args.batch,
                      balance=args.balance, temperature=args.temperature) for s in args.seeds]
    print(f"trained {len(nets)} model(s) in {time.perf_counter() - started:.0f} s")
    quantise(nets)
    coef, intercept = fit_classifier(embed_all(nets, standard.reshape(-1, standard.shape[2])),
                                     np.repeat(classes, x.shape[1]), other)
    golden_x = x[: min(8, len(x)), 0].astype(np.float32)
    export(args.out, mean, scale, nets, coef, intercept, labels[:other], golden_x)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
