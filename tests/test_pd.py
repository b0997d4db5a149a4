"""The Pure Data sampler driven by a real, headless Pd against a real soundalike server."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from soundalike.bridge.playable import playable_path
from soundalike.bridge.server import OscServer
from soundalike.bridge.service import LibraryService
from soundalike.engine import Library
from tests.conftest import write_sound
from tests.synth import FAMILIES, drum

PD_FOLDER = Path(__file__).resolve().parents[1] / "max_for_live" / "pd"
NASTY = "Très bébé kick, no. 1.wav"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pd_escape(path: str) -> str:
    """A path as one FUDI atom: spaces, commas and semicolons escaped."""
    return path.replace("\\", "\\\\").replace(" ", "\\ ").replace(",", "\\,").replace(
        ";", "\\;")


def pd_unescape(text: str) -> str:
    return text.replace("\\ ", " ").replace("\\,", ",").replace("\\;", ";")


class PureData:
    """A headless Pd running a driver patch: commands in over UDP (FUDI), [print] lines out."""

    def __init__(self, patch: Path, command_port: int):
        pd = shutil.which("pd")
        self.process = subprocess.Popen(
            [pd, "-nogui", "-nosound", "-noprefs", "-stderr", "-path", str(PD_FOLDER),
             "-open", str(patch)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, encoding="utf-8",
            errors="replace",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.transcript: list[str] = []
        self.others: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.target = ("127.0.0.1", command_port)

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def send(self, message: str) -> None:
        self.sock.sendto((message + ";\n").encode("utf-8"), self.target)

    def until(self, predicate, timeout: float = 15.0, prefix: str = "soundalike: ") -> list[str]:
        """Lines printed by the driver (prefix stripped) up to the first that matches; lines
        with other prefixes are kept in ``self.others``."""
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.transcript.append(line)
            if not line.startswith(prefix):
                self.others.append(line)
                continue
            line = line[len(prefix):]
            seen.append(line)
            if predicate(line):
                return seen
        raise AssertionError("Pd did not answer in time; it printed:\n" +
                             "\n".join(self.transcript[-40:]))

    def drain(self, seconds: float = 0.5) -> None:
        """Read what Pd printed in the next moments into the transcript."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                self.transcript.append(self.lines.get(timeout=0.05))

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(5)
        self.sock.close()


def loaded(lines: list[str]) -> dict[int, tuple[str, int, int]]:
    """``{slot: (path, frames, channels)}`` from the sampler's "loaded" lines."""
    slots = {}
    for line in lines:
        if line.startswith("loaded "):
            head, rest = line[len("loaded "):].split(" ", 1)
            path, frames, channels = rest.rsplit(" ", 2)
            slots[int(head)] = (pd_unescape(path), int(frames), int(channels))
    return slots


#: The patch the tests drive: commands arrive on a UDP port; "b ..." goes to sampler B, the
#: rest to sampler A. Both use the default reply port (0: each its own), as two patches open
#: at once would. "level" prints the loudest [env~] (dB, 100 = full scale) of A's left and
#: right outputs since the last "reset".
DRIVER = """#N canvas 0 50 450 300 12;
#X obj 10 10 netreceive -u {command_port};
#X obj 10 40 route b level reset;
#X obj 10 80 soundalike.sampler localhost {port};
#X obj 10 120 print soundalike;
#X obj 300 80 soundalike.sampler localhost {port};
#X obj 300 120 print other;
#X obj 100 160 env~ 1024;
#X obj 200 160 env~ 1024;
#X obj 100 190 max;
#X obj 200 190 max;
#X obj 100 220 f;
#X obj 200 220 f;
#X obj 100 250 pack f f;
#X obj 100 280 list prepend level;
#X obj 100 310 list trim;
#X msg 300 220 0;
#X obj 10 310 loadbang;
#X msg 10 340 \\; pd dsp 1;
#X obj 250 190 t b b;
#X obj 100 205 t f f;
#X obj 200 205 t f f;
#X connect 0 0 1 0;
#X connect 1 0 4 0;
#X connect 1 3 2 0;
#X connect 2 0 3 0;
#X connect 4 0 5 0;
#X connect 2 1 6 0;
#X connect 2 2 7 0;
#X connect 6 0 8 0;
#X connect 7 0 9 0;
#X connect 8 0 19 0;
#X connect 9 0 20 0;
#X connect 19 1 10 1;
#X connect 19 0 8 1;
#X connect 20 1 11 1;
#X connect 20 0 9 1;
#X connect 1 1 18 0;
#X connect 18 0 10 0;
#X connect 18 1 11 0;
#X connect 10 0 12 0;
#X connect 11 0 12 1;
#X connect 12 0 13 0;
#X connect 13 0 14 0;
#X connect 14 0 3 0;
#X connect 1 2 15 0;
#X connect 15 0 8 1;
#X connect 15 0 9 1;
#X connect 15 0 10 1;
#X connect 15 0 11 1;
#X connect 16 0 17 0;
"""


@pytest.fixture
def pd_setup(tmp_path):
    if shutil.which("pd") is None:
        pytest.skip("needs Pure Data: install puredata-core (apt-get install puredata-core)")
    root = tmp_path / "My Samples"
    for p in range(2):
        for family in FAMILIES:
            for m in range(2):
                write_sound(root / f"Pack {p}" / f"{family} {p}{m}.wav",
                            drum(family, seed=10 * p + m + 3), 44100)
    write_sound(root / "Pack 0" / NASTY, drum("kick", seed=99), 44100)
    stereo = drum("kick", seed=98)
    sf.write(root / "Pack 1" / "wide kick.flac", np.stack([stereo, stereo * 0.5], axis=1), 48000)
    db = tmp_path / "pd.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    os.environ["SOUNDALIKE_CACHE"] = str(tmp_path / "cache")
    service = LibraryService(db, jobs=1)
    service.load()
    server = OscServer(service, port=0, reply_port=free_port())
    thread = server.start()
    command_port = free_port()
    driver = tmp_path / "driver.pd"
    driver.write_text(DRIVER.format(command_port=command_port, port=server.address[1]),
                      encoding="utf-8")
    pd = PureData(driver, command_port)
    try:
        deadline = time.monotonic() + 20
        while True:  # Pd needs a moment to start and bind its ports
            pd.send("ping")
            try:
                pd.until(lambda line: line.startswith("done ping"), timeout=1)
                break
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
        yield root, db, pd
    finally:
        pd.close()
        server.close()
        thread.join(5)
        os.environ.pop("SOUNDALIKE_CACHE", None)


def test_similar_fills_16_slots_with_the_right_files(pd_setup):
    root, db, pd = pd_setup
    query = root / "Pack 0" / NASTY
    pd.send(f"open {pd_escape(str(query))}")
    pd.send("similar")
    lines = pd.until(lambda line: line.startswith("done similar"))
    assert lines[-1] == "done similar 16"
    slots = loaded(lines)
    with Library(db) as library:
        expected = library.similar([query], k=16)[0].neighbours
    assert sorted(slots) == list(range(1, 17))
    for n in expected:
        path, frames, channels = slots[n.rank]
        assert path == playable_path(n.path)  # FLAC arrives as a cached WAV copy
        info = sf.info(n.path)
        assert (frames, channels) == (info.frames, info.channels), n.path
    wide = [slots[n.rank] for n in expected if n.path.endswith("wide kick.flac")]
    assert wide and wide[0][2] == 2  # both channels of a stereo file


def test_cluster_fill_rescan_and_errors(pd_setup):
    root, db, pd = pd_setup
    query = root / "Pack 1" / "snare 10.wav"
    pd.send(f"open {pd_escape(str(query))}")
    pd.send("cluster")
    lines = pd.until(lambda line: line.startswith("done mates"))
    slots = loaded(lines)
    assert slots[1][0] == str(query)  # the sample itself first, then its cluster-mates
    with Library(db) as library:
        mates = library.mates(query)
    count = min(15, len(mates.mates))
    assert lines[-1].split()[:3] == ["done", "mates", str(count)]
    assert [slots[n.rank + 1][0] for n in mates.mates[:count]] == [
        playable_path(n.path) for n in mates.mates[:count]]

    write_sound(root / "Pack 2" / "new hat.wav", drum("hat", seed=500), 44100)
    write_sound(root / "Pack 2" / "new tom.wav", drum("tom", seed=501), 44100)
    pd.send("rescan")
    lines = pd.until(lambda line: line.startswith("rescan done"), timeout=60)
    assert lines[0] == "rescan started 1"
    assert any(line.startswith("rescan progress") for line in lines)
    new, changed, removed, failed, size = map(int, lines[-1].split()[2:])
    assert (new, changed, removed, failed, size) == (2, 0, 0, 0, 28)

    pd.send(f"open {pd_escape(str(root / 'missing file.wav'))}")
    pd.send("similar")
    lines = pd.until(lambda line: line.startswith("error"))
    assert "no such file" in pd_unescape(lines[-1]) and "missing file.wav" in pd_unescape(lines[-1])


def test_kit_fills_the_slots_by_note(pd_setup):
    root, db, pd = pd_setup
    query = root / "Pack 1" / "snare 10.wav"
    pd.send(f"open {pd_escape(str(query))}")
    pd.send("kit")
    lines = pd.until(lambda line: line.startswith("done kit"))
    with Library(db) as library:
        kit = library.kit([query], pads=16)
    in_slots = {pad.note - 35: pad for pad in kit.pads if 36 <= pad.note <= 51 and pad.path}
    filled = sum(pad.path is not None for pad in kit.pads)
    assert lines[-1] == f"done kit {filled} {len(kit.pads) - filled}"
    # Every slot is emptied first, then each sound lands in the slot its note plays.
    first_load = next(i for i, line in enumerate(lines) if line.startswith("loaded "))
    assert sorted(int(line.split()[1]) for line in lines[:first_load]
                  if line.startswith("empty ")) == list(range(1, 17))
    slots = loaded(lines)
    assert sorted(slots) == sorted(in_slots)
    for slot, pad in in_slots.items():
        assert slots[slot][0] == playable_path(pad.path), (slot, pad.role)
    assert slots[3][0] == str(query)  # the reference keeps its role: snare, note 38, slot 3
    assert 1 in slots and "kick" in Path(slots[1][0]).name  # note 36: a kick
    for note in (43, 47, 50):  # notes without a role stay empty
        assert note - 35 not in slots


def test_another_kit_keeps_the_locked_slots(pd_setup):
    """"another" asks for the next kit: locked slots keep their sound (sent as keep
    NOTE=PATH), the others are emptied and refilled with the server's variation 1, then 2."""
    root, db, pd = pd_setup
    query = root / "Pack 1" / "snare 10.wav"
    pd.send(f"open {pd_escape(str(query))}")
    pd.send("kit")
    first = loaded(pd.until(lambda line: line.startswith("done kit")))
    locked_slot = 1  # the kick, note 36
    assert locked_slot in first
    pd.send(f"lock {locked_slot} 1")
    pd.send("another")
    lines = pd.until(lambda line: line.startswith("done kit"))
    with Library(db) as library:
        kick = first[locked_slot][0]
        expected = library.kit([query], pads=16, variation=1, keep={36: kick})
    wanted = {pad.note - 35: playable_path(pad.path) for pad in expected.pads
              if 36 <= pad.note <= 51 and pad.path}
    emptied = {int(line.split()[1]) for line in lines if line.startswith("empty ")}
    assert locked_slot not in emptied and emptied >= set(first) - {locked_slot}
    second = loaded(lines)
    assert {slot: path for slot, (path, _, _) in second.items()} == wanted
    assert second[locked_slot][0] == kick
    changed = [s for s in first if s != locked_slot and s != 3 and second.get(s, ("",))[0]
               != first[s][0]]
    assert changed, (first, second)  # the rest is another kit
    pd.send("another")
    third = loaded(pd.until(lambda line: line.startswith("done kit")))
    assert third[locked_slot][0] == kick
    with Library(db) as library:
        expected = library.kit([query], pads=16, variation=2, keep={36: kick})
    assert {slot: path for slot, (path, _, _) in third.items()} == {
        pad.note - 35: playable_path(pad.path) for pad in expected.pads
        if 36 <= pad.note <= 51 and pad.path}


def test_save_kit_writes_the_kit_in_the_slots_as_a_hydrogen_drumkit(pd_setup, tmp_path):
    """"save <folder>" (the button opens a folder panel) asks the server to write the current
    kit (same query, variation and locked slots) as a Hydrogen drumkit into the folder."""
    import xml.etree.ElementTree as ET

    root, db, pd = pd_setup
    query = root / "Pack 0" / "snare 00.wav"
    pd.send(f"open {pd_escape(str(query))}")
    pd.send("kit")
    first = loaded(pd.until(lambda line: line.startswith("done kit")))
    pd.send("lock 1 1")
    pd.send("another")
    second = loaded(pd.until(lambda line: line.startswith("done kit")))
    target = tmp_path / "My Pd Kit"
    pd.send(f"save {pd_escape(str(target))}")
    lines = pd.until(lambda line: line.startswith("done kit"))
    saved = next(line for line in lines if line.startswith("saved "))
    assert pd_unescape(saved).startswith(f"saved {target / 'drumkit.xml'} ")
    with Library(db) as library:
        expected = library.kit([query], pads=16, variation=1, keep={36: first[1][0]})
    h2 = "{http://www.hydrogen-music.org/drumkit}"
    notes = [int(i.find(h2 + "midiOutNote").text) for i in
             ET.parse(target / "drumkit.xml").getroot().iter(h2 + "instrument")]
    assert notes == [p.note for p in expected.pads if p.path]
    files = [e.text for e in ET.parse(target / "drumkit.xml").getroot().iter(h2 + "filename")]
    assert [f.split(" - ", 1)[1].rsplit(".", 1)[0] for f in files] == [
        Path(p.path).stem for p in expected.pads if p.path]  # variation 1's sounds
    assert second[1][0] == first[1][0]  # the locked kick stayed, and was saved on note 36
    assert 36 in notes


def test_no_comment_holds_a_semicolon():
    """Pd ends a comment's line at an escaped semicolon: the text after it looks broken."""
    for patch in sorted(PD_FOLDER.glob("*.pd")):
        for line in patch.read_text(encoding="utf-8").splitlines():
            if line.startswith("#X text "):
                assert "\\;" not in line, (patch.name, line)


def test_committed_patches_are_what_the_generator_writes():
    sys.path.insert(0, str(PD_FOLDER))
    try:
        from make_patches import PATCHES
    finally:
        sys.path.remove(str(PD_FOLDER))
    for name, build in PATCHES.items():
        assert (PD_FOLDER / name).read_text(encoding="utf-8") == build().render(), (
            f"{name} is stale: python max_for_live/pd/make_patches.py")


def levels(pd: PureData) -> tuple[float, float]:
    pd.send("level")
    line = pd.until(lambda line: line.startswith("level "))[-1]
    left, right = map(float, line.split()[1:])
    return left, right


def test_a_stereo_file_sounds_on_both_outputs_and_a_mono_file_on_both_sides(pd_setup):
    root, db, pd = pd_setup
    pd.send(f"open {pd_escape(str(root / 'Pack 0' / NASTY))}")
    pd.send("similar")
    slots = loaded(pd.until(lambda line: line.startswith("done similar")))
    (wide,) = [n for n, (path, _, _) in slots.items() if "wide kick.flac" in path]
    mono = min(n for n, (_, _, channels) in slots.items() if channels == 1)
    for slot, expected_difference in ((wide, 20 * np.log10(2)), (mono, 0.0)):
        deadline = time.monotonic() + 30
        while True:  # until the previous sound has ended: levels are measured from silence
            pd.send("reset")
            time.sleep(0.2)
            if levels(pd) == (0.0, 0.0) or time.monotonic() > deadline:
                break
        pd.send(f"play {slot} 127")
        deadline = time.monotonic() + 30  # Pd's DSP runs in real time, on a busy machine
        left, right = levels(pd)
        while (left < 60 or right < 60) and time.monotonic() < deadline:
            left, right = levels(pd)
        # the right channel of the stereo file is the left one at half the level: 6 dB less
        assert left > 60 and right > 60, (slot, left, right)
        assert left - right == pytest.approx(expected_difference, abs=0.5), (slot, left, right)
    pd.drain()
    assert not [line for line in pd.transcript if "no such array" in line or "error" in line]


def test_two_samplers_each_get_exactly_their_own_answers(pd_setup):
    root, db, pd = pd_setup
    kick, snare = root / "Pack 0" / NASTY, root / "Pack 1" / "snare 10.wav"
    pd.send(f"open {pd_escape(str(kick))}")
    pd.send(f"b open {pd_escape(str(snare))}")
    pd.send("similar")
    pd.send("b cluster")
    deadline = time.monotonic() + 30
    while not ("soundalike: done similar 16" in pd.transcript and any(
            line.startswith("other: done mates") for line in pd.transcript)):
        assert time.monotonic() < deadline, "\n".join(pd.transcript[-40:])
        pd.drain(0.2)
    pd.drain()  # anything either might still receive
    a_lines = [line[12:] for line in pd.transcript if line.startswith("soundalike: ")]
    b_lines = [line[7:] for line in pd.transcript if line.startswith("other: ")]
    with Library(db) as library:
        similar = [playable_path(n.path) for n in library.similar([kick], k=16)[0].neighbours]
        mates = [playable_path(n.path) for n in library.mates(snare).mates[:15]]
    assert [path for _, (path, _, _) in sorted(loaded(a_lines).items())] == similar
    assert [path for _, (path, _, _) in sorted(loaded(b_lines).items())] == [str(snare)] + mates
    assert [line.split()[1] for line in a_lines if line.startswith("done ")] == [
        "ping", "similar"]  # the fixture's ping, then its own request: nothing of B's
    assert [line.split()[1] for line in b_lines if line.startswith("done ")] == ["mates"]


def test_labels_show_file_names_and_a_short_answer_clears_the_slots_after_it(pd_setup):
    root, db, pd = pd_setup
    kick = root / "Pack 0" / NASTY
    pd.send(f"open {pd_escape(str(kick))}")
    pd.send("similar")
    lines = pd.until(lambda line: line.startswith("done similar"))
    labels = {int(line.split()[1]): pd_unescape(line.split(" ", 2)[2])
              for line in lines if line.startswith("label ")}
    slots = loaded(lines)
    assert sorted(labels) == list(range(1, 17))
    for slot, (path, _, _) in slots.items():
        assert labels[slot] == Path(path).name
    assert "wide kick.flac.wav" in labels.values()  # a converted copy keeps the original's name

    pd.send("cluster")  # the query in slot 1
    lines = pd.until(lambda line: line.startswith("done mates"))
    assert pd_unescape(next(line for line in lines if line.startswith("label 1 "))) == (
        f"label 1 {NASTY}")  # spaces, commas, accents as they are

    with Library(db) as library:
        smallest = min(library.clusters(), key=lambda cluster: cluster.size)
    assert smallest.size < 16, "the test library needs a cluster smaller than the slots"
    pd.send(f"cluster {smallest.id}")
    lines = pd.until(lambda line: line.startswith("done cluster"))
    assert sorted(loaded(lines)) == list(range(1, smallest.size + 1))
    emptied = sorted(int(line.split()[1]) for line in lines if line.startswith("empty "))
    assert emptied == list(range(smallest.size + 1, 17))


def pd_alone(tmp_path, body: str) -> PureData:
    if shutil.which("pd") is None:
        pytest.skip("needs Pure Data: install puredata-core (apt-get install puredata-core)")
    command_port = free_port()
    driver = tmp_path / "alone.pd"
    driver.write_text("#N canvas 0 50 450 300 12;\n"
                      f"#X obj 10 10 netreceive -u {command_port};\n" + body, encoding="utf-8")
    return PureData(driver, command_port)


def test_no_server_and_unknown_messages_are_said_on_the_error_outlet(tmp_path):
    port = free_port()  # nobody listens there
    pd = pd_alone(tmp_path, f"#X obj 10 40 soundalike.client localhost {port};\n"
                            "#X obj 10 80 print soundalike;\n"
                            "#X connect 0 0 1 0;\n#X connect 1 3 2 0;\n")
    try:
        deadline = time.monotonic() + 20
        while True:  # until Pd listens for commands
            pd.send("blah 1 2")
            try:
                line = pd.until(lambda line: True, timeout=1)[-1]
                break
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
        assert pd_unescape(line) == ("symbol soundalike.client does not understand 'blah' (it "
                                     "takes ping similar mates cluster clusters rescan status "
                                     "kit recording hit connect)")
        pd.send("ping")
        line = pd.until(lambda line: "answering" in line, timeout=30)[-1]
        assert pd_unescape(line) == (f"symbol server not answering on localhost:{port} - start "
                                     "`soundalike serve`")
    finally:
        pd.close()


def test_every_patch_opens_without_errors():
    if shutil.which("pd") is None:
        pytest.skip("needs Pure Data: install puredata-core (apt-get install puredata-core)")
    for patch in sorted(PD_FOLDER.glob("*.pd")):
        result = subprocess.run(
            [shutil.which("pd"), "-nogui", "-nosound", "-noprefs", "-stderr", "-path",
             str(PD_FOLDER), "-open", str(patch), "-send", "pd quit"],
            capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        for line in result.stderr.splitlines():
            assert "error" not in line.lower() and "couldn't" not in line, (patch.name, line)


def test_see_also_opens_the_other_help_patch(tmp_path):
    """Clicks the client help's "see also" message (a [loadbang] does the clicking) and asks
    Pd for the sampler help's window: Pd says "no such object" for a patch that is not open."""
    if shutil.which("pd") is None:
        pytest.skip("needs Pure Data: install puredata-core (apt-get install puredata-core)")
    sys.path.insert(0, str(PD_FOLDER))
    try:
        from make_patches import client_help
    finally:
        sys.path.remove(str(PD_FOLDER))
    patch = client_help()
    (link,) = [box for box in patch.boxes if box.kind == "msg" and box.body == "soundalike.sampler"]
    click = patch.obj(700, 700, "loadbang")
    patch.connect(click, 0, link, 0)
    later = patch.obj(700, 730, "delay 500")
    patch.connect(click, 0, later, 0)
    patch.connect(later, 0, patch.msg(700, 760, "; pd-soundalike.sampler-help.pd dirty 0; "
                                                 "pd-not-open.pd dirty 0; pd quit"), 0)
    folder = tmp_path / "patches"  # a copy of the folder, as a user has it
    shutil.copytree(PD_FOLDER, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    copy = folder / "click-help.pd"
    copy.write_text(patch.render(), encoding="utf-8")
    result = subprocess.run(
        [shutil.which("pd"), "-nogui", "-nosound", "-noprefs", "-stderr", "-path", str(folder),
         "-open", str(copy)], capture_output=True, text=True, timeout=60)
    assert "pd-not-open.pd: no such object" in result.stderr  # the check itself works
    assert "soundalike.sampler-help.pd: no such object" not in result.stderr, result.stderr


def test_a_fixed_reply_port_still_works(tmp_path):
    """Reply port given (for a server that cannot answer the sending port): the client
    listens there with [netreceive] instead, and the answers arrive."""
    root = tmp_path / "samples"
    write_sound(root / "kick.wav", drum("kick", seed=1), 44100)
    write_sound(root / "snare.wav", drum("snare", seed=2), 44100)
    db = tmp_path / "fixed.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    service = LibraryService(db, jobs=1)
    service.load()
    server = OscServer(service, port=0, reply_port=free_port())
    thread = server.start()
    reply_port = free_port()
    pd = pd_alone(tmp_path, f"#X obj 10 40 soundalike.client localhost {server.address[1]} "
                            f"{reply_port};\n#X obj 10 80 print soundalike;\n"
                            "#X connect 0 0 1 0;\n#X connect 1 1 2 0;\n")
    try:
        deadline = time.monotonic() + 20
        while True:  # until Pd listens for commands
            pd.send("ping")
            try:
                line = pd.until(lambda line: line.startswith("ping "), timeout=1)[-1]
                break
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
        assert line.split()[2] == "2"  # ping <version> <size> <scanning>
    finally:
        pd.close()
        server.close()
        thread.join(5)


def test_a_flac_query_in_slot_1_arrives_as_a_wav_copy_and_plays(pd_setup):
    """cluster with a FLAC query: slot 1 holds the server's WAV copy of it, read by Pd."""
    root, db, pd = pd_setup
    query = root / "Pack 1" / "wide kick.flac"
    pd.send(f"open {pd_escape(str(query))}")
    pd.send("cluster")
    lines = pd.until(lambda line: line.startswith("done mates"))
    path, frames, channels = loaded(lines)[1]
    assert path == playable_path(str(query)) and path.endswith("wide kick.flac.wav")
    assert (frames, channels) == (sf.info(query).frames, 2)
    assert not [line for line in pd.transcript if "unknown header format" in line]


def test_a_slot_says_loaded_only_when_pd_read_the_file(tmp_path):
    """An OGG (Pd's [soundfiler] reads WAV, AIFF and CAF only) and a missing file: the slot
    says so, naming the file, and is emptied; a WAV loads."""
    ogg = write_sound(tmp_path / "clap.ogg", drum("clap", seed=3), 44100, fmt="OGG",
                      subtype="VORBIS")
    wav = write_sound(tmp_path / "clap.wav", drum("clap", seed=3), 44100)
    pd = pd_alone(tmp_path, "#X obj 10 40 soundalike.slot 1000 3;\n"
                            "#X obj 10 80 print soundalike;\n"
                            "#X connect 0 0 1 0;\n#X connect 1 0 2 0;\n")
    try:
        deadline = time.monotonic() + 20
        while True:  # until Pd listens for commands
            pd.send(f"load {pd_escape(str(wav))}")
            try:
                pd.until(lambda line: line.startswith("loaded 3 "), timeout=1)
                break
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
        for bad in (ogg, tmp_path / "gone.wav"):
            pd.send(f"load {pd_escape(str(bad))}")
            lines = pd.until(lambda line: line.startswith("error"))
            assert pd_unescape(lines[-1]) == (f"error slot 3: Pd could not read {bad} (see the "
                                              "Pd window)")
            assert "empty 3" in lines and not [ln for ln in lines if ln.startswith("loaded")]
    finally:
        pd.close()
