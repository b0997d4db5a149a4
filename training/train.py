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

from soundalike.engine.sound.categories import COARSE, COARSE_CATEGORIES, FINE_CATEGORIES, OTHER
from soundalike.engine.sound.embedding import model_inputs

HIDDEN = 512
EMBEDDING = 128
TEMPERATURE = 0.1


#: The mel frames' shape in the model inputs (onset-aligned frames x mel bands), after the
#: descriptor: what the convolutional network reshapes its inputs to.
FRAMES = (16, 48)
#: Channels of the convolutional network's three 3 x 3 layers.
CHANNELS = (8, 16, 32)


class Net(nn.Module):
    """The multilayer perceptron: every input joined, three linear layers."""

    arch = "mlp"

    def __init__(self, n_in: int):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(n_in, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(),
            nn.Linear(HIDDEN, EMBEDDING),
        )  # fmt: skip

    def forward(self, x):
        return nn.functional.normalize(self.layers(x), dim=1)


class ConvNet(nn.Module):
    """The mel frames through three small convolutions first, then joined with the descriptor.

    A linear layer on flattened frames must learn the same shape (a click, a decaying band)
    again at every time and frequency; 3 x 3 kernels learn it once. Pooling only twice and
    flattening the result keeps *where* in frequency it sits (a kick's energy is low, a hat's
    high), which a global pool would throw away."""

    arch = "cnn"

    def __init__(self, n_in: int):
        super().__init__()
        self.descriptor = n_in - FRAMES[0] * FRAMES[1]
        a, b, c = CHANNELS
        self.convs = nn.Sequential(
            nn.Conv2d(1, a, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(a, b, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(b, c, 3, padding=1), nn.ReLU(),
        )  # fmt: skip
        flat = c * (FRAMES[0] // 4) * (FRAMES[1] // 4)
        self.layers = nn.Sequential(
            nn.Linear(self.descriptor + flat, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN),
            nn.ReLU(), nn.Linear(HIDDEN, EMBEDDING),
        )  # fmt: skip

    def forward(self, x):
        frames = x[:, self.descriptor:].reshape(-1, 1, *FRAMES)
        joined = torch.cat([x[:, : self.descriptor], self.convs(frames).flatten(1)], dim=1)
        return nn.functional.normalize(self.layers(joined), dim=1)


ARCHITECTURES = {"mlp": Net, "cnn": ConvNet}


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
              temperature: float = TEMPERATURE, arch: str = "mlp", log=print) -> nn.Module:
    """One model on ``x`` of shape ``(items, views, features)`` (already standardised).

    ``balance`` between 0 and 1 draws rare categories more often: an item's chance is
    proportional to ``1 / count(category) ** balance`` (0: every item alike).
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    counts = np.bincount(classes)
    chance = 1.0 / counts[classes].astype(np.float64) ** balance
    chance /= chance.sum()
    net = ARCHITECTURES[arch](x.shape[2])
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


def fit_temperature(logits: np.ndarray, classes: np.ndarray) -> float:
    """The temperature ``T`` that makes ``softmax(logits / T)`` best predict ``classes``
    (least negative log-likelihood, searched on a log grid from 0.5 to 50)."""
    best, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.5), np.log(50.0), 200)):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -log_p[np.arange(len(classes)), classes].mean()
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


def held_out_kits(kits: np.ndarray, share: float, seed: int) -> np.ndarray:
    """Whole kits drawn at random until they hold about ``share`` of the sounds: a mask."""
    rng = np.random.default_rng(seed)
    names = sorted(set(kits.tolist()))
    rng.shuffle(names)
    out = np.zeros(len(kits), dtype=bool)
    for name in names:
        if out.mean() >= share:
            break
        out |= kits == name
    return out


def calibrate(standard: np.ndarray, classes: np.ndarray, kits: np.ndarray, other: int, *,
              seed: int, steps: int, batch: int, temperature: float, share: float = 0.2,
              arch: str = "mlp"):
    """How sure the category head may be, measured on kits the networks never saw.

    One network is trained without a random ``share`` of the kits, a classifier is fitted on
    the rest, and on the held-out kits' original sounds (labelled ones): the temperature
    that calibrates its probabilities, and the cosine similarity to the nearest category
    centre that 98% of them reach (below it a sound is far from everything known).
    Returns ``(temperature, far, held-out kit names)``."""
    held = held_out_kits(kits, share, seed)
    net = train_one(standard[~held], classes[~held], other, seed=seed, steps=steps,
                    batch=batch, temperature=temperature, arch=arch, log=lambda *_: None)
    quantise([net])
    inside = embed_all([net], standard[~held].reshape(-1, standard.shape[2]))
    coef, intercept = fit_classifier(inside, np.repeat(classes[~held], standard.shape[1]), other)
    known = classes[held] < other
    out = embed_all([net], standard[held][known, 0])
    t = fit_temperature(out @ coef.T + intercept, classes[held][known])
    centres = class_centres(inside, np.repeat(classes[~held], standard.shape[1]), other)
    far = float(np.quantile((out @ centres.T).max(axis=1), 0.02))
    return t, far, sorted(set(kits[held].tolist()))


def class_centres(embeddings: np.ndarray, classes: np.ndarray, n_classes: int) -> np.ndarray:
    """Unit-length mean embedding of each category (zeros for a category with no sound)."""
    centres = np.zeros((n_classes, embeddings.shape[1]), np.float32)
    for c in range(n_classes):
        if (classes == c).any():
            m = embeddings[classes == c].mean(axis=0)
            centres[c] = m / max(np.linalg.norm(m), 1e-12)
    return centres


def quantise(nets: list[nn.Module]) -> None:
    """Round every weight to float16 in place: the net then computes what the engine will."""
    with torch.no_grad():
        for net in nets:
            for parameter in net.parameters():
                parameter.copy_(parameter.half().float())


def export(path: Path, mean, scale, nets: list[nn.Module], coef, intercept, labels, golden_x,
           centres=None, far: float = -1.0):
    arrays = {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32),
              "labels": np.array(labels), "models": np.array(len(nets))}
    if centres is not None:  # a sound whose best centre similarity is below ``far`` is other
        arrays["centres"], arrays["far"] = centres.astype(np.float32), np.float32(far)
    for m, net in enumerate(nets):
        for key, value in net_arrays(net, m).items():
            arrays[key] = value.astype(np.float16)
    if any(net.arch == "cnn" for net in nets):
        arrays["frames_shape"] = np.array(FRAMES)
    arrays["class_coef"], arrays["class_intercept"] = coef.astype(np.float32), intercept
    golden = embed_all(nets, ((golden_x - mean) / scale).astype(np.float32))
    arrays["golden_inputs"] = golden_x.astype(np.float32)
    arrays["golden_outputs"] = golden.astype(np.float32)
    np.savez_compressed(path, **arrays)


def net_arrays(net: nn.Module, m: int) -> dict[str, np.ndarray]:
    """Network ``m``'s weights under the model file's names: ``m{m}_w{i}``/``m{m}_b{i}`` for
    the linear layers (input-major), ``m{m}_k{i}``/``m{m}_kb{i}`` for the convolutions
    (out, in, 3, 3)."""
    arrays = {}
    linears = [layer for layer in net.layers if isinstance(layer, nn.Linear)]
    for i, layer in enumerate(linears):
        arrays[f"m{m}_w{i}"] = layer.weight.detach().numpy().T
        arrays[f"m{m}_b{i}"] = layer.bias.detach().numpy()
    convs = [layer for layer in getattr(net, "convs", []) if isinstance(layer, nn.Conv2d)]
    for i, layer in enumerate(convs):
        arrays[f"m{m}_k{i}"] = layer.weight.detach().numpy()
        arrays[f"m{m}_kb{i}"] = layer.bias.detach().numpy()
    return arrays


def load_net_arrays(arrays, m: int, n_in: int) -> nn.Module:
    """Network ``m`` of a model file (:func:`net_arrays`' names) as a PyTorch module."""
    net = (ConvNet if f"m{m}_k0" in arrays else Net)(n_in)
    linears = [layer for layer in net.layers if isinstance(layer, nn.Linear)]
    convs = [layer for layer in getattr(net, "convs", []) if isinstance(layer, nn.Conv2d)]
    with torch.no_grad():
        for i, layer in enumerate(linears):
            layer.weight.copy_(torch.from_numpy(arrays[f"m{m}_w{i}"].astype(np.float32).T))
            layer.bias.copy_(torch.from_numpy(arrays[f"m{m}_b{i}"].astype(np.float32)))
        for i, layer in enumerate(convs):
            layer.weight.copy_(torch.from_numpy(arrays[f"m{m}_k{i}"].astype(np.float32)))
            layer.bias.copy_(torch.from_numpy(arrays[f"m{m}_kb{i}"].astype(np.float32)))
    return net.eval()


def embed_all(nets, standard: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        t = torch.from_numpy(standard)
        return (torch.cat([net(t) for net in nets], dim=1) / np.sqrt(len(nets))).numpy()


def select_sounds(data: dict[str, np.ndarray], without: list[str], coarse: bool):
    """The sounds a model learns from: a mask leaving out the kits whose names start with
    any of ``without``, the category names and each kept sound's class number (the fine
    labels, or soundalike-3's with ``coarse``), and the kept sounds' kits."""
    stored = [str(x) for x in data["labels"]]
    kits = np.array([str(k) for k in data["kit"]])
    keep = np.array([not any(k.startswith(w) for w in without) for k in kits], dtype=bool)
    categories, classes = label_classes([stored[c] for c in data["category"][keep]], coarse)
    return keep, categories, classes, kits[keep]


def load_features(paths: list[Path]) -> dict[str, np.ndarray]:
    """One or several features files joined into one set."""
    parts = [dict(np.load(path)) for path in paths]
    labels = parts[0]["labels"]
    if any(list(p["labels"]) != list(labels) for p in parts):
        raise SystemExit("the features files were made with different category lists")
    joined = {key: np.concatenate([p[key] for p in parts])
              for key in ("vectors", "frames", "category", "kit", "path")}
    joined["labels"] = labels
    return joined


def label_classes(names: list[str], coarse: bool) -> tuple[list[str], np.ndarray]:
    """The model's categories and each sound's class (``len(categories)`` for ``other``):
    the fine categories, or ``soundalike-3``'s coarse ones with ``coarse``."""
    if coarse:
        names = [COARSE[n] for n in names]
        categories = list(COARSE_CATEGORIES)
    else:
        categories = list(FINE_CATEGORIES)
    index = {c: i for i, c in enumerate([*categories, OTHER])}
    return categories, np.array([index[n] for n in names], dtype=np.int64)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("features", type=Path, nargs="+",
                        help="features.py outputs (several are joined: same views, labels)")
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
    parser.add_argument("--coarse", action="store_true",
                        help="soundalike-3's eleven categories (cymbal for crash, ride, china...)")
    parser.add_argument("--without", nargs="*", default=[],
                        help="leave out sounds whose kit starts with any of these (acoustic:...)")
    parser.add_argument("--arch", choices=sorted(ARCHITECTURES), default="mlp",
                        help="mlp: every input joined (soundalike-3); cnn: the mel frames "
                             "through three convolutions first")
    parser.add_argument("--calibrate", action="store_true",
                        help="fit the category head's temperature and the 'far from everything "
                             "known' threshold on held-out training kits (one more network)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    data = load_features(args.features)
    keep, categories, classes, kits = select_sounds(data, args.without, args.coarse)
    other = len(categories)
    views = data["vectors"].shape[1] if args.views <= 0 else args.views + 1
    x = inputs(data["vectors"][keep, :views], data["frames"][keep, :views])
    flat = x.reshape(-1, x.shape[2]).astype(np.float64)
    mean = flat.mean(axis=0)
    scale = np.maximum(flat.std(axis=0), 1e-3)
    standard = ((x - mean) / scale).astype(np.float32)
    print(f"{x.shape[0]} sounds x {x.shape[1]} views, {x.shape[2]} inputs, "
          f"{len(categories)} categories")
    started = time.perf_counter()
    nets = [train_one(standard, classes, other, seed=s, steps=args.steps, batch=args.batch,
                      balance=args.balance, temperature=args.temperature, arch=args.arch)
            for s in args.seeds]
    print(f"trained {len(nets)} model(s) in {time.perf_counter() - started:.0f} s")
    quantise(nets)
    embeddings = embed_all(nets, standard.reshape(-1, standard.shape[2]))
    coef, intercept = fit_classifier(embeddings, np.repeat(classes, x.shape[1]), other)
    centres, far = None, -1.0
    if args.calibrate:
        t, far, held = calibrate(standard, classes, kits, other, seed=args.seeds[0],
                                 steps=args.steps, batch=args.batch,
                                 temperature=args.temperature, arch=args.arch)
        coef, intercept = coef / t, np.where(intercept > -1e3, intercept / t, intercept)
        centres = class_centres(embeddings, np.repeat(classes, x.shape[1]), other)
        # The held-out network is one of several: its centre similarities are on the scale
        # of one network's unit vectors, as each ensemble member's are on average.
        print(f"calibration on {len(held)} held-out kits: temperature {t:.2f}, "
              f"far below centre similarity {far:.3f}")
    golden_x = x[: min(8, len(x)), 0].astype(np.float32)
    export(args.out, mean, scale, nets, coef, intercept, categories, golden_x, centres, far)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
