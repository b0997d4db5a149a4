"""Peak memory and time of `soundalike similar LYING.wav`: a 68 KB sparse WAV whose header
claims 100 MHz and 200 MB of audio (issue 19, item 4).

    python benchmarks/bench_lying_header.py [--rate 100000000] [--claimed 200000000]

A small library of synthetic drums is scanned first (`similar` needs one); then the lying file
is queried from outside the library by a real `soundalike` process under GNU time, which
reports the process's peak resident memory. A second file claims the most a header may within
the limits (768 kHz, 64 channels, 4 GB). Measured on the development machine (2 shared cores):

    before (commit 5a67b67)  LYING.wav: peak 4,024 MB, 39.6 s, exit 0 (answered, from noise)
                             WIDE.wav:  peak   525 MB,  3.8 s
    after                    LYING.wav: peak    49 MB,  0.8 s, exit 1 ("the file declares a
                                        sample rate of 100,000,000 Hz, outside what audio
                                        files use (1 kHz to 768 kHz)...")
                             WIDE.wav:  peak   102 MB,  4.2 s (2.5 s read, mono, by blocks)
    an ordinary query (a library file): peak 49 MB either way

The limits: sample rates outside 1 kHz-768 kHz are refused from the header, and a file is
read block by block, mixed to mono as it goes, never past the seconds the analysis needs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import soundfile as sf  # noqa: E402

from tests.synth import FAMILIES, drum, write_lying_wav  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, default=100_000_000)
    parser.add_argument("--claimed", type=int, default=200_000_000)
    args = parser.parse_args()
    time_tool = shutil.which("time") or "/usr/bin/time"
    if not os.path.exists(time_tool):
        sys.exit("needs GNU time: apt-get install time")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "samples"
        root.mkdir()
        for i, family in enumerate(FAMILIES * 2):
            sf.write(root / f"{family} {i}.wav", drum(family, seed=i), 44100)
        db = Path(tmp) / "index.db"
        command = [sys.executable, "-m", "soundalike.engine.cli", "--db", str(db)]
        subprocess.run([*command, "scan", str(root), "-q", "--jobs", "1"], check=True)
        lying = Path(tmp) / "LYING.wav"
        write_lying_wav(lying, rate=args.rate, claimed_bytes=args.claimed)
        # Within the limits, but the most a header may claim: 768 kHz, 64 channels, 4 GB.
        wide = Path(tmp) / "WIDE.wav"
        write_lying_wav(wide, rate=768_000, channels=64, claimed_bytes=4_000_000_000)
        for name, rate, channels, path in (("LYING.wav", args.rate, 2, lying),
                                           ("WIDE.wav", 768_000, 64, wide)):
            on_disk = os.stat(path).st_blocks * 512
            print(f"{name}: header says {rate:,} Hz, {channels} channels, "
                  f"{path.stat().st_size / 1e6:,.0f} MB of audio; on disk {on_disk / 1e3:,.0f} KB")
        for label, query in (("an ordinary query (kick 0.wav)", root / "kick 0.wav"),
                             ("LYING.wav", lying), ("WIDE.wav", wide)):
            result = subprocess.run([time_tool, "-v", *command, "similar", str(query), "-k", "3"],
                                    capture_output=True, text=True)
            peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                                 result.stderr).group(1))
            wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", result.stderr).group(1)
            said = next((line for line in result.stderr.splitlines()
                         if line.startswith("soundalike:")), "(no error)")
            print(f"similar {label}: peak {peak / 1024:,.0f} MB, {wall} wall, "
                  f"exit {result.returncode}: {said}")


if __name__ == "__main__":
    main()
