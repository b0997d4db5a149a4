"""Kits as instrument files (`kit --save`), loaded and played by the real programs.

- Hydrogen: ``drumkit.xml`` validates against Hydrogen's own ``drumkit.xsd`` (xmllint), and
  Hydrogen's ``h2cli`` loads the kit (``-k``, which reads drumkit.xml and its samples) and
  renders a song striking each instrument once: every strike sounds like its source file.
  ``h2cli`` and the schema come from ``apt-get download hydrogen hydrogen-data`` unpacked
  into a temporary folder: installing the ``hydrogen`` package would put hydrogen-data's
  kits into /usr/share/hydrogen/data/drumkits, the evaluation folder of the kit benchmark.
- DrumGizmo: ``dgvalidator`` finds no error, and the ``drumgizmo`` command-line renderer
  plays a MIDI file through the kit's MIDI map: each note sounds like its source file.
- SFZ: no SFZ player installs from Debian here (no sfizz), so a parser reads the file back:
  one region per pad, ``key=`` its note, ``sample=`` a relative path to a copy of the source.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from math import gcd
from pathlib import Path

import numpy as np
import pytest
import scipy.signal
import soundfile as sf

from soundalike.engine import EngineError, Library
from soundalike.engine.cli import main
from tests.conftest import tree_snapshot, write_sound
from tests.synth import drum

H2 = "{http://www.hydrogen-music.org/drumkit}"
FAMILIES = ("kick", "snare", "hat", "tom", "bell", "clap")


@pytest.fixture(scope="module")
def kit_library(tmp_path_factory):
    """Two packs (44.1 and 48 kHz), a stereo FLAC kick and an MP3 snare; (root, index)."""
    base = tmp_path_factory.mktemp("kit_files")
    root = base / "samples"
    for p in range(2):
        for f, family in enumerate(FAMILIES):
            for m in range(2):
                write_sound(root / f"Pack {p}" / f"{family} {p}{m}.wav",
                            drum(family, seed=100 * p + 10 * m + f), 44100 if p == 0 else 48000)
    y = drum("kick", seed=7)
    sf.write(root / "Pack 0" / "wide kick.flac", np.stack([y, y * 0.5], axis=1), 48000)
    sf.write(root / "Pack 0" / "mp3 snare.mp3", drum("snare", seed=8), 44100)
    db = base / "kit.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    return root, db


@pytest.fixture
def saved(kit_library, tmp_path):
    """``save(fmt)``: the kit around a snare, with the FLAC kick and the MP3 snare locked on
    pads 36 and 40, written as ``fmt``; returns (kit, saved report)."""
    root, db = kit_library

    def save(fmt: str):
        with Library(db) as library:
            before = tree_snapshot(root)
            kit = library.kit([root / "Pack 0" / "snare 00.wav"],
                              keep={36: root / "Pack 0" / "wide kick.flac",
                                    40: root / "Pack 0" / "mp3 snare.mp3"})
            result = library.save_kit(kit, fmt, tmp_path / fmt / "My Kit")
            assert tree_snapshot(root) == before  # the library is only read
        return kit, result

    return save


def source_audio(path: str, rate: int) -> np.ndarray:
    """The first channel of a source file at ``rate``."""
    data, old = sf.read(path, dtype="float64", always_2d=True)
    y = data[:, 0]
    if old != rate:
        g = gcd(rate, old)
        y = scipy.signal.resample_poly(y, rate // g, old // g)
    return y


def match(rendered: np.ndarray, rate: int, around: float, source: np.ndarray,
          window: float = 0.6) -> float:
    """The best normalised correlation of ``source`` with the render near ``around`` s."""
    start = max(0, int((around - window) * rate))
    segment = rendered[start: int((around + window) * rate) + len(source)]
    scores = scipy.signal.correlate(segment, source, "valid", method="fft")
    energy = np.sqrt(np.maximum(scipy.signal.fftconvolve(segment ** 2, np.ones(len(source)),
                                                         "valid"), 0.0))
    norm = np.linalg.norm(source)
    heard = energy > 1e-3 * norm  # silence matches nothing (no 0/0)
    return float(np.max(np.where(heard, scores / (energy * norm + 1e-12), 0.0)))


def assert_each_strike_is_its_sample(rendered, rate, times, pads, least: float) -> None:
    """Each strike sounds like its own pad's source file, better than like any other's."""
    sources = [source_audio(pad.path, rate) for pad in pads]
    for time, pad, own in zip(times, pads, sources, strict=True):
        score = match(rendered, rate, time, own)
        assert score > least, (pad.note, pad.role, pad.path, score)
        others = [match(rendered, rate, time, other) for other, p in zip(sources, pads,
                                                                           strict=True)
                  if p.path != pad.path]
        assert score > max(others), (pad.note, pad.role, score, max(others))


# --- Hydrogen ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def hydrogen(tmp_path_factory) -> tuple[Path, Path]:
    """``(h2cli, drumkit.xsd)`` unpacked from Debian's packages into a temporary folder."""
    apt_get = shutil.which("apt-get")
    if apt_get is None or shutil.which("dpkg-deb") is None:
        pytest.skip("needs apt-get and dpkg-deb to fetch Hydrogen's h2cli: install apt "
                    "(Debian or Ubuntu)")
    folder = tmp_path_factory.mktemp("hydrogen")
    fetched = subprocess.run([apt_get, "download", "hydrogen", "hydrogen-data"], cwd=folder,
                             capture_output=True, text=True)
    debs = sorted(folder.glob("*.deb"))
    if fetched.returncode != 0 or len(debs) != 2:
        pytest.skip("cannot download Hydrogen (apt-get download hydrogen hydrogen-data): "
                    f"install apt sources for Debian's hydrogen: {fetched.stderr[-300:]}")
    for deb in debs:
        subprocess.run(["dpkg-deb", "-x", str(deb), str(folder / "root")], check=True)
    h2cli = folder / "root" / "usr" / "bin" / "h2cli"
    xsd = folder / "root" / "usr" / "share" / "hydrogen" / "data" / "xsd" / "drumkit.xsd"
    missing = [line.split()[0] for line in subprocess.run(
        ["ldd", str(h2cli)], capture_output=True, text=True).stdout.splitlines()
        if "not found" in line]
    if missing:
        pytest.skip(f"h2cli needs {', '.join(missing)}: install libqt5core5a libqt5gui5 "
                    "libqt5xml5 libqt5xmlpatterns5 libportmidi0 (see .ci/run)")
    return h2cli, xsd


def h2song(drumkit: Path, name: str, bpm: int) -> str:
    """A Hydrogen 1.2 song that strikes each instrument of ``drumkit`` once, one per bar."""
    instruments = ET.parse(drumkit).getroot().find(H2 + "instrumentList")
    ids = [i.find(H2 + "id").text for i in instruments]
    body = []
    for inst in instruments:  # the song's copy: h2cli -k replaces it with the kit's own
        text = ET.tostring(inst, encoding="unicode")
        text = re.sub(r"</?ns0:", lambda m: m.group(0).replace("ns0:", ""), text)
        text = text.replace(' xmlns:ns0="http://www.hydrogen-music.org/drumkit"', "")
        body.append(text.replace("<name>", f"<drumkit>{name}</drumkit>"
                                           "<drumkitLookup>1</drumkitLookup><name>", 1))
    note = ("<note><position>0</position><leadlag>0</leadlag><velocity>1</velocity><pan>0"
            "</pan><pitch>0</pitch><probability>1</probability><key>C0</key><length>-1"
            "</length><instrument>{}</instrument><note_off>false</note_off></note>")
    patterns = "".join(f"<pattern><name>P{i}</name><category></category><size>192</size>"
                       f"<denominator>4</denominator><info></info><noteList>{note.format(n)}"
                       "</noteList></pattern>" for i, n in enumerate(ids))
    sequence = "".join(f"<group><patternID>P{i}</patternID></group>" for i in range(len(ids)))
    return (f'<?xml version="1.0" encoding="UTF-8"?><song><version>1.2.0</version><bpm>{bpm}'
            "</bpm><volume>1</volume><metronomeVolume>0</metronomeVolume><name>test</name>"
            "<author></author><notes></notes><license></license><loopEnabled>false"
            "</loopEnabled><patternModeMode>true</patternModeMode><mode>song</mode>"
            "<pan_law_type>RATIO_STRAIGHT_POLYGONAL</pan_law_type><pan_law_k_norm>1.33333"
            "</pan_law_k_norm><humanize_time>0</humanize_time><humanize_velocity>0"
            "</humanize_velocity><swing_factor>0</swing_factor><componentList>"
            "<drumkitComponent><id>0</id><name>Main</name><volume>1</volume>"
            "</drumkitComponent></componentList><instrumentList>" + "".join(body) +
            f"</instrumentList><patternList>{patterns}</patternList><patternSequence>"
            f"{sequence}</patternSequence></song>").replace("><", ">\n<")  # (h2cli reads a
    # song written on one line as an empty one)


def test_a_hydrogen_drumkit_validates_and_h2cli_plays_it(saved, hydrogen, tmp_path):
    h2cli, xsd = hydrogen
    if shutil.which("xmllint") is None:
        pytest.skip("needs xmllint to check the schema: install libxml2-utils")
    kit, result = saved("hydrogen")
    folder = Path(result.folder)
    assert result.file == str(folder / "drumkit.xml") and result.converted == 1  # the MP3
    checked = subprocess.run(["xmllint", "--noout", "--schema", str(xsd), result.file],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    pads = [p for p in kit.pads if p.path]
    instruments = ET.parse(result.file).getroot().find(H2 + "instrumentList")
    assert [i.find(H2 + "midiOutNote").text for i in instruments] == [str(p.note) for p in pads]
    for inst, pad in zip(instruments, pads, strict=True):
        layer = inst.find(f"{H2}instrumentComponent/{H2}layer/{H2}filename").text
        assert (folder / layer).is_file() and not (folder / layer).is_symlink()
        assert inst.find(H2 + "name").text == pad.role.title()
    # h2cli -k loads the kit by name from the user's drumkits: a HOME of our own holds it.
    home = tmp_path / "home"
    user_kits = home / ".hydrogen" / "data" / "drumkits"
    user_kits.mkdir(parents=True)
    shutil.copytree(folder, user_kits / "My Kit")
    song = tmp_path / "strikes.h2song"
    bpm = 80  # a bar of 4 beats: 3 s per strike
    song.write_text(h2song(folder / "drumkit.xml", "My Kit", bpm), encoding="utf-8")
    # The song's own instrument list names no sample: only the kit's files can sound.
    song.write_text(re.sub(r"<filename>[^<]*</filename>", "<filename>nothing.wav</filename>",
                           song.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "render.wav"
    env = dict(os.environ, HOME=str(home))
    subprocess.run([str(h2cli), "-s", str(song), "-o", str(out), "-k", "My Kit"], env=env,
                   capture_output=True, timeout=300, check=False)
    rendered, rate = sf.read(out, dtype="float64", always_2d=True)
    assert len(rendered) >= len(pads) * 3 * rate * 0.9
    assert_each_strike_is_its_sample(rendered[:, 0], rate,
                                     [i * 240 / bpm for i in range(len(pads))], pads, 0.95)


# --- DrumGizmo --------------------------------------------------------------------------


def midi_file(notes: list[int], spacing: int = 1920, division: int = 480) -> bytes:
    """A standard MIDI file (format 0) striking ``notes`` on channel 10, ``spacing`` ticks
    apart, the first after one spacing."""
    def vlq(n: int) -> bytes:
        out = [n & 0x7F]
        n >>= 7
        while n:
            out.append(0x80 | (n & 0x7F))
            n >>= 7
        return bytes(reversed(out))

    events = b""
    for i, note in enumerate(notes):
        events += vlq(spacing if i == 0 else spacing - 10) + bytes([0x99, note, 127])
        events += vlq(10) + bytes([0x89, note, 0])
    events += b"\x00\xff\x2f\x00"
    return (b"MThd" + struct.pack(">IHHH", 6, 0, 1, division) + b"MTrk"
            + struct.pack(">I", len(events)) + events)


def test_a_drumgizmo_kit_validates_and_drumgizmo_plays_it_from_midi(saved, tmp_path):
    drumgizmo, validator = shutil.which("drumgizmo"), shutil.which("dgvalidator")
    if drumgizmo is None or validator is None:
        pytest.skip("needs DrumGizmo's command line: install drumgizmo")
    kit, result = saved("drumgizmo")
    folder = Path(result.folder)
    assert result.file == str(folder / "My Kit.xml")
    checked = subprocess.run([validator, result.file], capture_output=True, text=True)
    assert checked.returncode == 0 and "[Error]" not in checked.stdout + checked.stderr, (
        checked.stdout + checked.stderr)
    pads = [p for p in kit.pads if p.path]
    midimap = ET.parse(folder / "midimap.xml").getroot()
    assert [int(m.get("note")) for m in midimap] == [p.note for p in pads]
    # Every sample is a WAV at the kit's rate (the 48 kHz ones were resampled).
    rate = int(ET.parse(result.file).getroot().get("samplerate"))
    assert {sf.info(folder / f).samplerate for f in result.samples} == {rate}
    assert all(f.endswith(".wav") for f in result.samples) and result.converted >= 2
    midi = tmp_path / "strikes.mid"
    midi.write_bytes(midi_file([p.note for p in pads]))
    prefix = tmp_path / "render"
    seconds = 4 * (len(pads) + 2)  # DrumGizmo plays 480 ticks a second
    # From the kit's folder: drumgizmo's -I cannot take a path with spaces ("My Kit").
    subprocess.run([drumgizmo, "-i", "midifile", "-I", f"file={midi},midimap=midimap.xml",
                    "-o", "wavfile", "-O", f"file={prefix},srate={rate}", "-e",
                    str(seconds * rate), Path(result.file).name],
                   cwd=folder, capture_output=True, timeout=300, check=True)
    left, _ = sf.read(f"{prefix}left-0.wav", dtype="float64")
    assert_each_strike_is_its_sample(left, rate, [4.0 * (i + 1) for i in range(len(pads))],
                                     pads, 0.98)


# --- SFZ --------------------------------------------------------------------------------


def read_sfz(path: Path) -> list[dict[str, str]]:
    """The regions of an SFZ file with their opcodes (headers' defaults applied): comments
    dropped, ``sample=`` running to the end of its line as the format allows."""
    regions: list[dict[str, str]] = []
    defaults: dict[str, str] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("//", 1)[0].strip()
        while line:
            header = re.match(r"<(\w+)>\s*", line)
            if header:
                if header.group(1) == "region":
                    current = dict(defaults)
                    regions.append(current)
                else:
                    current = defaults
                line = line[header.end():]
                continue
            opcode = re.match(r"(\w+)=", line)
            assert opcode, f"not SFZ: {raw!r}"
            rest = line[opcode.end():]
            if opcode.group(1) == "sample":
                value, line = rest.strip(), ""
            else:
                value, _, line = rest.partition(" ")
                line = line.strip()
            current[opcode.group(1)] = value
    return regions


def test_an_sfz_instrument_reads_back_as_the_kit(saved):
    kit, result = saved("sfz")
    folder = Path(result.folder)
    assert result.file == str(folder / "My Kit.sfz")
    regions = read_sfz(Path(result.file))
    pads = [p for p in kit.pads if p.path]
    assert [int(r["key"]) for r in regions] == [p.note for p in pads]
    for region, pad in zip(regions, pads, strict=True):
        sample = region["sample"]
        assert not os.path.isabs(sample) and "\\" not in sample and sample.startswith("samples/")
        copy = folder / sample
        assert copy.is_file() and not copy.is_symlink()
        assert region["loop_mode"] == "one_shot"  # from <global>
        data, rate = sf.read(copy, dtype="float64", always_2d=True)
        original, original_rate = sf.read(pad.path, dtype="float64", always_2d=True)
        assert rate == original_rate and data.shape == original.shape
        assert np.allclose(data, original, atol=1e-4), pad.path  # a copy (MP3: as decoded)
        if pad.role in ("closed hat", "open hat", "pedal hat"):
            assert region["group"] == region["off_by"] == "1"
    assert sorted(Path(s).suffix for s in result.samples).count(".flac") == 1  # kept as is


# --- what is refused, and the command line ----------------------------------------------


def test_saving_refuses_library_folders_full_folders_and_unknown_formats(kit_library,
                                                                         tmp_path):
    root, db = kit_library
    with Library(db) as library:
        kit = library.kit([root / "Pack 0" / "snare 00.wav"], pads=4)
        with pytest.raises(EngineError, match="outside your sample folders"):
            library.save_kit(kit, "sfz", root / "Pack 0" / "kit")
        (tmp_path / "link").symlink_to(root)
        with pytest.raises(EngineError, match="outside your sample folders"):
            library.save_kit(kit, "sfz", tmp_path / "link" / "kit")
        (tmp_path / "full").mkdir()
        (tmp_path / "full" / "x.txt").write_text("mine")
        with pytest.raises(EngineError, match="is not empty"):
            library.save_kit(kit, "hydrogen", tmp_path / "full")
        with pytest.raises(EngineError, match="unknown kit format 'logic'"):
            library.save_kit(kit, "logic", tmp_path / "new")
    assert not (root / "Pack 0" / "kit").exists() and not (tmp_path / "new").exists()


def test_kit_save_on_the_command_line(kit_library, tmp_path, capsys):
    root, db = kit_library
    target = tmp_path / "Hydrogen Kit"
    assert main(["--db", str(db), "kit", str(root / "Pack 1" / "kick 10.wav"), "--pads", "6",
                 "--save", "hydrogen", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"saved as hydrogen: {target / 'drumkit.xml'}" in out
    assert (target / "drumkit.xml").is_file()
    assert main(["--db", str(db), "kit", str(root / "Pack 1" / "kick 10.wav"), "--pads", "6",
                 "--save", "sfz", str(tmp_path / "s"), "--json"]) == 0
    saved = json.loads(capsys.readouterr().out)["saved"]
    assert saved["format"] == "sfz" and saved["file"].endswith("s.sfz")
    assert main(["--db", str(db), "kit", str(root / "Pack 1" / "kick 10.wav"),
                 "--save", "sfz", str(root / "inside")]) == 1
    assert "outside your sample folders" in capsys.readouterr().err
