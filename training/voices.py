"""Speech and sung vowels from Debian's ``espeak-ng``, labelled ``vocal``.

    python training/voices.py OUT_DIR [--count 240] [--seed 0]

Each sound is one utterance (a held vowel, a syllable, a word or a short phrase) in one of
espeak-ng's languages and voice variants, at a random pitch and speed; the first 3 s are kept.
A synthetic voice is not a singer, but it teaches the model that formants and voiced pitch
are not a drum. Writes ``OUT_DIR/<n>.wav`` and ``OUT_DIR/labels.csv``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labels import LABELLED_COLUMNS, write_set  # noqa: E402

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "pl", "ja")
VARIANTS = ("m1", "m2", "m3", "m4", "m5", "f1", "f2", "f3", "f4", "croak", "whisper")
UTTERANCES = (
    "aaaaaah", "ooooooh", "eeeeeee", "uuuuuuh", "mmmmmm", "la la la", "yeah", "hey",
    "one two three four", "check one two", "oh yeah", "come on", "ha", "hoo", "uh",
    "shake it", "get up", "say what", "whoa", "ahh ahh", "do re mi", "one more time",
)  # fmt: skip
SECONDS = 3.0


def utterance(text: str, language: str, variant: str, pitch: int, speed: int,
              scratch: Path) -> tuple[np.ndarray, int]:
    path = scratch / "voice.wav"
    subprocess.run(["espeak-ng", "-v", f"{language}+{variant}", "-p", str(pitch), "-s",
                    str(speed), "-w", str(path), text], check=True, capture_output=True)
    y, sr = sf.read(path, dtype="float32", always_2d=True)
    return y.mean(axis=1)[: int(SECONDS * sr)], sr


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=240)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is missing: apt-get install espeak-ng")
    rng = np.random.default_rng(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for n in range(args.count):
            text = str(rng.choice(UTTERANCES))
            language, variant = str(rng.choice(LANGUAGES)), str(rng.choice(VARIANTS))
            pitch, speed = int(rng.integers(10, 90)), int(rng.integers(90, 200))
            y, sr = utterance(text, language, variant, pitch, speed, Path(scratch))
            if len(y) == 0 or float(np.abs(y).max()) < 1e-3:
                continue
            path = args.out / f"voice-{n:04d}.wav"
            sf.write(path, 0.9 * y / float(np.abs(y).max()), sr, subtype="PCM_16")
            rows.append((path.name, "vocal", f"espeak:{language}",
                         f"espeak-ng {language}+{variant} p{pitch} s{speed}: {text}"))
    write_set(args.out / "labels.csv", LABELLED_COLUMNS, rows)


if __name__ == "__main__":
    main()
