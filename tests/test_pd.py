"""The Pure Data sampler driven by a real, headless Pd against a real soundalike server."""

from __future__ import annotations

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
        threading.Thread(target=self._read, daemon=True).start()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.target = ("127.0.0.1", command_port)

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def send(self, message: str) -> None:
        self.sock.sendto((message + ";\n").encode("utf-8"), self.target)

    def until(self, predicate, timeout: float = 15.0) -> list[str]:
        """Lines printed by the driver (prefix stripped) up to the first that matches."""
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.transcript.append(line)
            if not line.startswith("soundalike: "):
                continue
            line = line[len("soundalike: "):]
            seen.append(line)
            if predicate(line):
                return seen
        raise AssertionError("Pd did not answer in time; it printed:\n" +
                             "\n".join(self.transcript[-40:]))

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
    command_port, reply_port = free_port(), free_port()
    driver = tmp_path / "driver.pd"
    driver.write_text(
        "#N canvas 0 50 450 300 12;\n"
        f"#X obj 10 10 netreceive -u {command_port};\n"
        f"#X obj 10 40 soundalike.sampler localhost {server.address[1]} {reply_port};\n"
        "#X obj 10 80 print soundalike;\n"
        "#X connect 0 0 1 0;\n#X connect 1 0 2 0;\n", encoding="utf-8")
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


def test_committed_patches_are_what_the_generator_writes():
    sys.path.insert(0, str(PD_FOLDER))
    try:
        from make_patches import PATCHES
    finally:
        sys.path.remove(str(PD_FOLDER))
    for name, build in PATCHES.items():
        assert (PD_FOLDER / name).read_text(encoding="utf-8") == build().render(), (
            f"{name} is stale: python max_for_live/pd/make_patches.py")
