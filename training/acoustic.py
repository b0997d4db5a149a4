"""Mix the multi-microphone acoustic drum kits into labelled one-shots.

    python training/acoustic.py OUT_DIR --muldjord REPO --gogodze REPO --sonor REPO

Each repository is a checkout (or ``git archive``) of an SFZ instrument of the sfzinstruments
organisation on GitHub:

``DrumGizmo.MuldjordKit`` (CC-BY-4.0, Lars Muldjord; SFZ mapping by kinwie)
    ``Samples/<instrument>/<n>-<instrument>-<mic>.flac``: 16 microphones per hit. The full mix
    sums every microphone but the trigger at unity; the *room* view sums the overheads and the
    ambience pair. Labels from the instrument folders (the SFZ groups).
``karoryfer.gogodze-phu-vol-ii`` (CC0, Karoryfer Lecolds)
    ``Samples/<mic>_mic/<articulation>_vl<v>_rr<r>.wav``: 7 microphones; the lo-fi ``retro``
    microphone is left out. The room view sums the overhead and window microphones. Labels
    from the articulation (the SFZ key map: ``ks`` kick 36, ``sc``/``se`` snare centre and edge
    38/40, ``ss`` side stick 37, ``tl``/``tm``/``th`` toms, hats ``ht`` tight 42, ``hf`` foot
    44, ``hc`` closed, ``hh`` half-open, ``hl`` loose, ``ho`` open).
``SamsSonor`` (CC-BY-SA-4.0, Sam Greene; SFZ mapping by kinwie)
    ``Samples/<Articulation>[#<n>].flac``: a stereo mix; labels from the file names.

Every velocity layer and round robin is kept; each sound is the first 3 s of the mix, mono,
peak-normalised to -1 dBFS. Writes ``OUT_DIR/<kit>/<view>/<name>.wav`` and
``OUT_DIR/labels.csv`` (path, category, kit, provenance) as ``render_gm.py`` does.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labels import write_set  # noqa: E402

SECONDS = 3.0
PEAK = 10 ** (-1 / 20)

#: MuldjordKit instrument folder -> category.
MULDJORD = {
    "KdrumL": "kick", "KdrumR": "kick", "Snare": "snare", "SnareRest": "snare",
    "HihatClosed": "closed hat", "HihatOpen": "open hat", "CrashL": "crash", "CrashR": "crash",
    "China": "other cymbal", "RideL": "ride", "RideR": "ride", "RideLBell": "ride",
    "RideRBell": "ride", "Tom1": "tom", "Tom2": "tom", "Tom3": "tom", "Tom4": "tom",
}  # fmt: skip
MULDJORD_ROOM = ("OHL", "OHR", "AmbL", "AmbR")
MULDJORD_LEFT_OUT = ("Trigger",)

#: Gogodze Phu Vol II articulation prefix -> category.
GOGODZE = {
    "ks": "kick", "sc": "snare", "se": "snare", "ss": "rim", "tl": "tom", "tm": "tom",
    "th": "tom", "ht": "closed hat", "hf": "closed hat", "hc": "closed hat", "hh": "open hat",
    "hl": "open hat", "ho": "open hat",
}  # fmt: skip
GOGODZE_ROOM = ("oh", "wndw")
GOGODZE_LEFT_OUT = ("retro",)

#: Sam's Sonor file-name words -> category, first match wins.
SONOR = [
    (r"^hhpedal|^hhclosed", "closed hat"),
    (r"^hh", "open hat"),
    (r"^crash", "crash"),
    (r"^ride", "ride"),
    (r"^kick", "kick"),
    (r"^snare", "snare"),
    (r"^tom", "tom"),
]


@dataclass(frozen=True)
class Hit:
    """One recorded hit: the microphone files to sum, what it is, where it comes from."""

    name: str
    category: str
    kit: str
    view: str  # "mix" (the full kit mix) or "room" (overheads and room microphones)
    files: tuple[Path, ...]


def muldjord_hits(repo: Path) -> list[Hit]:
    samples = next(repo.rglob("MuldjordKit/Samples"))
    hits = []
    for folder in sorted(p for p in samples.iterdir() if p.is_dir()):
        category = MULDJORD.get(folder.name)
        if category is None:
            continue
        takes: dict[str, dict[str, Path]] = {}
        for path in folder.glob("*.flac"):
            number, _, mic = path.stem.split("-", 2)
            takes.setdefault(number, {})[mic] = path
        for number, mics in sorted(takes.items(), key=lambda item: int(item[0])):
            mix = tuple(p for m, p in sorted(mics.items()) if m not in MULDJORD_LEFT_OUT)
            room = tuple(p for m, p in sorted(mics.items()) if m in MULDJORD_ROOM)
            name = f"{folder.name}-{int(number):03d}"
            hits.append(Hit(name, category, "acoustic:muldjord", "mix", mix))
            if room:
                hits.append(Hit(name, category, "acoustic:muldjord", "room", room))
    return hits


def gogodze_hits(repo: Path) -> list[Hit]:
    samples = repo / "Samples"
    takes: dict[str, dict[str, Path]] = {}
    for mic_folder in sorted(samples.glob("*_mic")):
        mic = mic_folder.name.removesuffix("_mic")
        if mic in GOGODZE_LEFT_OUT:
            continue
        for path in mic_folder.glob("*.wav"):
            takes.setdefault(path.stem, {})[mic] = path
    hits = []
    for name, mics in sorted(takes.items()):
        category = GOGODZE.get(name.split("_", 1)[0])
        if category is None:
            continue
        room = tuple(p for m, p in sorted(mics.items()) if m in GOGODZE_ROOM)
        hits.append(Hit(name, category, "acoustic:gogodze2", "mix", tuple(sorted(mics.values()))))
        if room:
            hits.append(Hit(name, category, "acoustic:gogodze2", "room", room))
    return hits


def sonor_hits(repo: Path) -> list[Hit]:
    hits = []
    for path in sorted((repo / "Samples").glob("*.flac")):
        lowered = path.stem.lower()
        category = next((c for pattern, c in SONOR if re.search(pattern, lowered)), None)
        if category is not None:
            name = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-")
            hits.append(Hit(name, category, "acoustic:sonor", "mix", (path,)))
    return hits


def mix(files: tuple[Path, ...]) -> tuple[np.ndarray, int]:
    """The files summed at unity (each folded to mono), first 3 s, peak at -1 dBFS."""
    total, rate = None, None
    for path in files:
        audio, sr = sf.read(path, dtype="float32", always_2d=True, frames=-1)
        if rate is None:
            rate = sr
        elif sr != rate:
            raise ValueError(f"{path}: {sr} Hz among files at {rate} Hz")
        y = audio.mean(axis=1)[: int(SECONDS * sr)]
        if total is None:
            total = y.copy()
        else:
            if len(y) > len(total):
                y, total = total, y  # keep the longer as the sum
            total[: len(y)] += y
    assert total is not None and rate is not None
    peak = float(np.abs(total).max())
    return (total * (PEAK / peak) if peak > 0 else total), rate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--muldjord", type=Path)
    parser.add_argument("--gogodze", type=Path)
    parser.add_argument("--sonor", type=Path)
    parser.add_argument("--no-room", action="store_true", help="full mixes only")
    args = parser.parse_args(argv)
    hits: list[Hit] = []
    for repo, read in ((args.muldjord, muldjord_hits), (args.gogodze, gogodze_hits),
                       (args.sonor, sonor_hits)):
        if repo is not None:
            hits += read(repo)
    if args.no_room:
        hits = [h for h in hits if h.view == "mix"]
    rows = []
    for hit in hits:
        y, sr = mix(hit.files)
        path = args.out / hit.kit.split(":")[1] / hit.view / f"{hit.name}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, y, sr, subtype="PCM_24")
        rows.append((str(path.relative_to(args.out)), hit.category, hit.kit,
                     f"{hit.view} of {len(hit.files)} microphone file(s)"))
    args.out.mkdir(parents=True, exist_ok=True)
    write_set(args.out / "labels.csv", ["path", "category", "kit", "provenance"], rows)


if __name__ == "__main__":
    main()
