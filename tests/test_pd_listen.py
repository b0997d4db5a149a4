"""[soundalike.listen~] in a real, headless Pd against a real server: a synthetic kick, then a
hat, played into it with [tabplay~]; its answers fill a [soundalike.sampler]'s slots."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from soundalike.bridge.server import OscServer
from soundalike.bridge.service import LibraryService
from soundalike.engine import Library
from tests.conftest import write_sound
from tests.synth import FAMILIES, drum
from tests.test_pd import PureData, free_port, loaded, pd_unescape

SR = 44100
SECONDS = 1.5  # the listener's memory: short, so the hat is asked about without the kick

DRIVER = """#N canvas 0 50 450 300 12;
#X obj 10 10 netreceive -u {command_port};
#X obj 10 40 route kick hat listen;
#X obj 10 80 tabplay~ kick;
#X obj 120 80 tabplay~ hat;
#X obj 10 120 soundalike.listen~ localhost {port} 0 {seconds};
#X obj 10 160 soundalike.sampler localhost {port};
#X obj 10 200 print soundalike;
#X obj 250 160 print heard;
#X obj 300 10 loadbang;
#X msg 300 40 read -resize {kick} kick \\, read -resize {hat} hat;
#X obj 300 70 soundfiler;
#X obj 500 10 array define kick;
#X obj 500 40 array define hat;
#X msg 300 100 \\; pd dsp 1;
#X connect 0 0 1 0;
#X connect 1 0 2 0;
#X connect 1 1 3 0;
#X connect 1 2 4 1;
#X connect 1 3 5 0;
#X connect 2 0 4 0;
#X connect 3 0 4 0;
#X connect 4 0 5 0;
#X connect 4 1 7 0;
#X connect 5 0 6 0;
#X connect 8 0 9 0;
#X connect 9 0 10 0;
#X connect 8 0 13 0;
"""


@pytest.fixture
def listening(tmp_path):
    if shutil.which("pd") is None:
        pytest.skip("needs Pure Data: install puredata-core (apt-get install puredata-core)")
    root = tmp_path / "Samples"
    for p in range(2):
        for family in FAMILIES:
            for m in range(3):
                write_sound(root / f"Pack {p}" / f"{family} {p}{m}.wav",
                            drum(family, seed=10 * p + m + 3), SR)
    db = tmp_path / "listen.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    played = tmp_path / "played"  # what the synth plays: hits that are not in the library
    kick = write_sound(played / "kick.wav", drum("kick", seed=4242), SR)
    hat = write_sound(played / "hat.wav", drum("hat", seed=4343), SR)
    with Library(db) as library:
        categories = {name: library.similar([path], k=1)[0].category
                      for name, path in (("kick", kick), ("hat", hat))}
    os.environ["SOUNDALIKE_CACHE"] = str(tmp_path / "cache")
    service = LibraryService(db, jobs=1)
    service.load()
    server = OscServer(service, port=0, reply_port=free_port())
    thread = server.start()
    command_port = free_port()
    driver = tmp_path / "driver.pd"
    driver.write_text(DRIVER.format(command_port=command_port, port=server.address[1],
                                    seconds=SECONDS, kick=kick, hat=hat), encoding="utf-8")
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
        yield pd, db, categories, tmp_path / "cache"
    finally:
        pd.close()
        server.close()
        thread.join(5)
        os.environ.pop("SOUNDALIKE_CACHE", None)


def heard(pd: PureData) -> list[list[str]]:
    """The listener's "heard" lines, as atoms: heard <hit> <start> <seconds> <category>
    <cluster>."""
    return [[pd_unescape(atom) for atom in re.split(r"(?<!\\) ", line[len("heard: "):])]
            for line in pd.others if line.startswith("heard: heard ")]


def test_a_kick_then_a_hat_fill_the_slots_with_their_kind(listening):
    pd, db, categories, cache = listening
    assert categories["kick"] == "kick" and categories["hat"] != "kick"
    for family in ("kick", "hat"):
        pd.send(family)
        time.sleep(0.8)  # it plays in real time
        pd.send("listen similar")
        lines = pd.until(lambda line: line.startswith("done similar"), timeout=30)
        assert lines[-1] == "done similar 16"
        _, hit, start, seconds, category, cluster = heard(pd)[-1]
        assert category == categories[family]
        assert Path(hit).parent == cache / "hits" and 0.05 < float(seconds) < 1.2, hit
        slots = loaded(lines)
        assert sorted(slots) == list(range(1, 17))
        nearest = [Path(slots[n][0]).name for n in (1, 2, 3, 4)]
        assert all(name.startswith(family) for name in nearest), (family, nearest)
        time.sleep(SECONDS + 0.3)  # until it has been forgotten


def test_kit_and_mates_from_what_is_playing(listening):
    pd, db, categories, cache = listening
    pd.send("kick")
    time.sleep(0.8)
    pd.send("listen kit")
    lines = pd.until(lambda line: line.startswith("done kit"), timeout=30)
    slots = loaded(lines)
    # the reference keeps its role: the kick that played is on note 36 (slot 1), the
    # library's snare and hats around it
    assert Path(slots[1][0]).parent == cache / "hits"
    assert 3 in slots and Path(slots[3][0]).name.startswith("snare")  # note 38
    assert all(Path(path).parent.parent.name == "Samples"
               for slot, (path, _, _) in slots.items() if slot != 1)
    pd.send("listen mates")
    lines = pd.until(lambda line: line.startswith("done cluster"), timeout=30)
    cluster = int(heard(pd)[-1][-1])
    with Library(db) as library:
        members = library.cluster(cluster).members
    assert lines[-1].split()[:4] == ["done", "cluster", str(min(16, len(members))),
                                     str(cluster)]
    assert [path for _, (path, _, _) in sorted(loaded(lines).items())] == [
        m.path for m in members[:16]]


def test_silence_is_said_in_words(listening):
    pd, db, categories, cache = listening
    time.sleep(SECONDS + 0.2)  # nothing has played
    pd.send("listen similar")
    line = pd.until(lambda line: line.startswith("error"), timeout=20, prefix="heard: ")[-1]
    assert "the recording is silent: nothing was playing" in pd_unescape(line)
