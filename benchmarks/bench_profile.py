"""Where one scan worker's time goes: CPU milliseconds per file for each stage of profiling.

    python benchmarks/bench_profile.py                                  # hydrogen's kits
    python benchmarks/bench_profile.py --folder A --folder B --files 600  # a mixed library

Runs in one process as a scan worker does (one BLAS thread, freed memory kept for the next
batch, batches of the scanner's size)
over up to ``--files`` files picked evenly from the folders, and prints CPU time (not wall
time: the machine may be shared, and CPU time is what two workers divide) per file for:
the fingerprint, decoding (the first seconds the analysis reads, mixed to mono), the
silence check, the hand-made analysis with its mel frames, the learned embedding, the
category; then the whole of :func:`profile_files` (which does all of these), and the decode
floor (each whole file read by soundfile, as ``bench_scan.py`` measures it: in a process of
its own with the default memory settings). With two
workers a scan keeps up with the one-process floor when the whole is under twice the floor.
The analysis is not resampled: every file is analysed at its own rate.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np  # before threadpoolctl: it limits the libraries loaded when it is called

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HYDROGEN = Path("/usr/share/hydrogen/data/drumkits")


def pick(folders: list[Path], count: int) -> list[str]:
    from soundalike.engine.sound.decode import is_audio_name

    files = sorted(os.path.join(d, f) for folder in folders for d, _, names in os.walk(folder)
                   for f in names if is_audio_name(f) and not f.startswith("."))
    if len(files) > count:
        files = [files[i] for i in np.linspace(0, len(files) - 1, count).astype(int)]
    return files


class Clock:
    """CPU seconds per named stage."""

    def __init__(self):
        self.spent: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str):
        start = time.process_time()
        try:
            yield
        finally:
            self.spent[stage] = self.spent.get(stage, 0.0) + time.process_time() - start


def stages(files: list[str], batch: int, clock: Clock) -> int:
    from soundalike.engine.sound.analysis import soundalike_analysis
    from soundalike.engine.sound.decode import decode
    from soundalike.engine.sound.descriptors import check_profilable, get_descriptor
    from soundalike.engine.sound.embedding import model_inputs, sound_model
    from soundalike.engine.sound.fingerprint import fingerprint
    from soundalike.engine.sound.hits import loops_among
    from soundalike.engine.sound.profiling import READ_SECONDS

    descriptor = get_descriptor("soundalike")
    described = 0
    for start in range(0, len(files), batch):
        signals = []
        for path in files[start : start + batch]:
            raw = os.fsencode(path)
            with clock("fingerprint"):
                fingerprint(raw, os.path.getsize(raw))
            try:
                with clock("decode"):
                    audio = decode(raw, max_seconds=READ_SECONDS)
            except Exception:  # noqa: BLE001 - a broken file: the scan records it, we skip it
                continue
            with clock("silence check"):
                problem = check_profilable(y=audio.y, sr=audio.sr)
            if problem is None:
                signals.append((audio.y, audio.sr))
        if not signals:
            continue
        with clock("analysis + mel frames"):
            vectors, frames = soundalike_analysis(signals)
        with clock("embedding"):
            embedding = sound_model().embed(model_inputs(vectors, frames))
        with clock("category"):
            descriptor.categorise(embedding)
        with clock("hit count (loops)"):
            loops_among(signals)
        described += len(signals)
    return described


def whole(files: list[str], batch: int, clock: Clock) -> None:
    from soundalike.engine.sound.descriptors import get_descriptor
    from soundalike.engine.sound.profiling import profile_files

    descriptor = get_descriptor("soundalike")
    items = [(os.fsencode(p), os.path.getsize(p), os.stat(p).st_mtime_ns) for p in files]
    for start in range(0, len(items), batch):
        with clock("profile_files (all of the above)"):
            profile_files(items[start : start + batch], descriptor)


FLOOR_CHILD = """
import contextlib, json, sys, time
import soundfile as sf
files = json.load(sys.stdin)
for path in files[:200]:  # as bench_scan does before it measures
    with contextlib.suppress(Exception):
        sf.read(path, dtype="float32")
spent = []
for path in files:
    start = time.process_time()
    with contextlib.suppress(Exception):
        sf.read(path, dtype="float32")
    spent.append(time.process_time() - start)
print(sum(spent))
"""


def floor(files: list[str], clock: Clock) -> None:
    """Each whole file read by soundfile, in a fresh process with the C library's default
    memory settings: as ``bench_scan.py``'s floor, not as the worker settings of this one."""
    out = subprocess.run([sys.executable, "-c", FLOOR_CHILD], input=json.dumps(files),
                         capture_output=True, text=True, check=True).stdout
    clock.spent["floor: whole file decoded"] = float(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, action="append",
                        help="profile files of this folder (repeatable; hydrogen's kits if none)")
    parser.add_argument("--files", type=int, default=600, help="files to profile")
    parser.add_argument("--rounds", type=int, default=2,
                        help="rounds; the fastest of each stage is kept")
    args = parser.parse_args()

    from threadpoolctl import threadpool_limits

    from soundalike.engine.scan.allocator import keep_freed_memory
    from soundalike.engine.scan.scanner import CHUNK_SIZE

    threadpool_limits(limits=1, user_api="blas")  # as quiet_worker does in every worker
    keep_freed_memory()  # as every scan worker does (without: ~90 page faults per file)
    files = pick(args.folder or [HYDROGEN], args.files)
    for path in files:  # from the page cache, as bench_scan's floor reads them
        with open(path, "rb") as f:
            f.read()
    stages(files[:CHUNK_SIZE], CHUNK_SIZE, Clock())  # imports, the model, per-rate plans
    best: dict[str, float] = {}
    described = 0
    for _ in range(args.rounds):
        clock = Clock()
        described = stages(files, CHUNK_SIZE, clock)
        whole(files, CHUNK_SIZE, clock)
        floor(files, clock)
        for stage, seconds in clock.spent.items():
            best[stage] = min(best.get(stage, np.inf), seconds)
    n = len(files)
    print(f"{n:,} files ({described:,} described), batches of {CHUNK_SIZE}, one BLAS thread; "
          f"CPU ms per file, best of {args.rounds} rounds")
    parts = [s for s in best if s != "profile_files (all of the above)" and
             not s.startswith("floor")]
    for stage in parts:
        print(f"  {stage:34s} {1e3 * best[stage] / n:6.3f}")
    print(f"  {'sum of the stages':34s} {1e3 * sum(best[s] for s in parts) / n:6.3f}")
    for stage in ("profile_files (all of the above)", "floor: whole file decoded"):
        print(f"  {stage:34s} {1e3 * best[stage] / n:6.3f}")
    ratio = best["profile_files (all of the above)"] / best["floor: whole file decoded"]
    print(f"  one worker / floor: {ratio:.2f} (two workers keep up with the floor below 2.0)")


if __name__ == "__main__":
    main()
