"""Render the General MIDI drum kits of SoundFont files into labelled one-shots.

Each kit (bank 128: Standard 0, Room 8, Power 16, Electronic 24, TR-808 25, Jazz 32, Brush 40,
Orchestra 48) is played note by note, GM notes 27-87, at several velocities, by Debian's
``fluidsynth`` with reverb and chorus off; one MIDI file per kit, rendered once and cut into
one WAV per hit. A kit the SoundFont does not have falls back to another kit inside
fluidsynth: such hits are the same audio as an earlier kit's and are dropped.

    python training/render_gm.py OUT_DIR /usr/share/sounds/sf2/FluidR3_GM.sf2 ...

A SoundFont that holds one drum kit as an ordinary preset (bank 0, program 0, notes laid out
as General MIDI's percussion map, as avldrums' Red Zeppelin kit) is named with ``@kit``:
``Red_Zeppelin_4_LV2.sf2@kit``; it is played on a melodic channel.

Writes ``OUT_DIR/<soundfont>/<kit>/<note>-<velocity>.wav`` and ``OUT_DIR/labels.csv``.

``--melodic`` plays the General MIDI melodic programs instead (bank 0), so that the model
learns what a drum is not: three notes across each instrument's range for 0.5 s and its
middle note held 2 s, labelled by family (:func:`labels.gm_program_category`: ``tonal``,
choir and voice programs ``vocal``; the mallet family, the percussive programs 112-119 and
the sound effects 120-127 are left out unless ``--programs`` names them, as they cost drum
accuracy: shared/training/NOTES.md). Writes ``OUT_DIR/<soundfont>/p<program>/<note>-<length>.wav``.
"""

from __future__ import annotations

import argparse
import hashlib
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labels import (  # noqa: E402
    LABELLED_COLUMNS,
    MELODIC_PROGRAMS,
    gm_category,
    gm_program_category,
    write_set,
)

KITS = {0: "standard", 8: "room", 16: "power", 24: "electronic", 25: "tr808", 32: "jazz",
        40: "brush", 48: "orchestra"}  # fmt: skip
NOTES = range(27, 88)
#: Notes whose General MIDI meaning a single-kit SoundFont (``@kit``) keeps for certain; its
#: other notes are articulations of its own (a rimshot, a bell of the ride...) and are left out.
CORE_NOTES = {35, 36, 37, 38, 41, 42, 43, 45, 46, 47, 49, 51, 57}
VELOCITIES = (112, 72)
SLOT_SECONDS = 2.5  # one hit per slot: the engine reads no more than 2.5 s of a file
RATE = 44100
TICKS_PER_BEAT = 480  # at 120 bpm, one beat is 0.5 s
DRUM_CHANNEL = 9


def _var_len(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def kit_midi(program: int, channel: int = DRUM_CHANNEL) -> tuple[bytes, list[tuple[int, int]]]:
    """A type-0 MIDI file playing every note at every velocity, and the (note, velocity) of
    each slot in order."""
    slot_ticks = int(SLOT_SECONDS * 2 * TICKS_PER_BEAT)
    events = bytearray()
    events += _var_len(0) + bytes([0xC0 | channel, program])
    slots = []
    pending = 0
    for note in NOTES:
        for velocity in VELOCITIES:
            events += _var_len(pending) + bytes([0x90 | channel, note, velocity])
            events += _var_len(TICKS_PER_BEAT // 5) + bytes([0x80 | channel, note, 0])
            pending = slot_ticks - TICKS_PER_BEAT // 5
            slots.append((note, velocity))
    events += _var_len(pending) + b"\xff\x2f\x00"
    header = b"MThd" + struct.pack(">IHHH", 6, 0, 1, TICKS_PER_BEAT)
    return header + b"MTrk" + struct.pack(">I", len(events)) + bytes(events), slots


def melodic_midi(program: int) -> tuple[bytes, list[tuple[int, float]]]:
    """A type-0 MIDI file playing a program's notes (short, then the middle note held), and
    the (note, seconds held) of each slot in order."""
    low = 28 if program in range(32, 40) else 48  # basses sit two octaves lower
    notes = [(low, 0.5), (low + 12, 0.5), (low + 24, 0.5), (low + 12, 2.0)]
    slot_ticks = int(SLOT_SECONDS * 2 * TICKS_PER_BEAT)
    events = bytearray(_var_len(0) + bytes([0xC0, program]))
    pending = 0
    for note, seconds in notes:
        held = int(seconds * 2 * TICKS_PER_BEAT)
        events += _var_len(pending) + bytes([0x90, note, 100])
        events += _var_len(held) + bytes([0x80, note, 0])
        pending = slot_ticks - held
    events += _var_len(pending) + b"\xff\x2f\x00"
    header = b"MThd" + struct.pack(">IHHH", 6, 0, 1, TICKS_PER_BEAT)
    return header + b"MTrk" + struct.pack(">I", len(events)) + bytes(events), notes


def render(soundfont: Path, program: int, scratch: Path, channel: int = DRUM_CHANNEL,
           melodic: bool = False) -> tuple[np.ndarray, list]:
    midi, slots = melodic_midi(program) if melodic else kit_midi(program, channel)
    midi_path = scratch / f"kit{program}.mid"
    wav_path = scratch / f"kit{program}.wav"
    midi_path.write_bytes(midi)
    subprocess.run(
        ["fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-g", "0.6", "-r", str(RATE),
         "-F", str(wav_path), str(soundfont), str(midi_path)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    audio, _ = sf.read(wav_path, dtype="float32", always_2d=True)
    return audio, slots


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("soundfonts", nargs="+", help="SF2 files; FILE@kit: one kit at bank 0")
    parser.add_argument("--melodic", action="store_true",
                        help="the melodic programs (bank 0), labelled by family")
    parser.add_argument("--programs", type=int, nargs="+", default=list(MELODIC_PROGRAMS))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.melodic:
        rows = render_melodic(args.out, [Path(s) for s in args.soundfonts], args.programs)
        write_set(args.out / "labels.csv", LABELLED_COLUMNS, rows)
        return
    seen: set[str] = set()
    rows = []
    slot = int(SLOT_SECONDS * RATE)
    for name in args.soundfonts:
        soundfont = Path(name.removesuffix("@kit"))
        font = soundfont.stem
        one_kit = name.endswith("@kit")
        kits = {0: "kit"} if one_kit else KITS
        with tempfile.TemporaryDirectory() as scratch:
            for program, kit in kits.items():
                channel = 0 if one_kit else DRUM_CHANNEL
                audio, slots = render(soundfont, program, Path(scratch), channel)
                kept = 0
                for index, (note, velocity) in enumerate(slots):
                    hit = audio[index * slot : (index + 1) * slot]
                    if len(hit) == 0 or float(np.abs(hit).max()) < 1e-3:
                        continue  # a note this kit does not play
                    if one_kit and note not in CORE_NOTES:
                        continue
                    digest = hashlib.blake2b(np.round(hit * 2000).astype(np.int16).tobytes(),
                                             digest_size=16).hexdigest()
                    if digest in seen:
                        continue  # the same hit as an earlier kit (a fallback preset)
                    seen.add(digest)
                    path = args.out / font / kit / f"{note:02d}-{velocity}.wav"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    sf.write(path, hit, RATE, subtype="PCM_16")
                    rows.append((str(path.relative_to(args.out)), gm_category(note),
                                 f"gm:{font}:{kit}", f"gm note {note}"))
                    kept += 1
                print(f"{font} {kit}: {kept} hits", flush=True)
    write_set(args.out / "labels.csv", LABELLED_COLUMNS, rows)


def render_melodic(out: Path, soundfonts: list[Path], programs: list[int]) -> list[tuple]:
    rows = []
    slot = int(SLOT_SECONDS * RATE)
    seen: set[str] = set()
    for soundfont in soundfonts:
        font = soundfont.stem
        with tempfile.TemporaryDirectory() as scratch:
            for program in programs:
                audio, slots = render(soundfont, program, Path(scratch), melodic=True)
                for index, (note, seconds) in enumerate(slots):
                    hit = audio[index * slot : (index + 1) * slot]
                    if len(hit) == 0 or float(np.abs(hit).max()) < 1e-3:
                        continue
                    digest = hashlib.blake2b(np.round(hit * 2000).astype(np.int16).tobytes(),
                                             digest_size=16).hexdigest()
                    if digest in seen:
                        continue
                    seen.add(digest)
                    path = out / font / f"p{program:03d}" / f"{note:02d}-{seconds:.1f}s.wav"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    sf.write(path, hit, RATE, subtype="PCM_16")
                    rows.append((str(path.relative_to(out)), gm_program_category(program),
                                 f"gm-melodic:{font}", f"gm program {program} note {note}"))
        print(f"{font}: {len(rows)} melodic sounds so far", flush=True)
    return rows




if __name__ == "__main__":
    main()
