"""``/soundalike/kit`` answered over real UDP on loopback, to python-osc and to liblo's
oscsend/oscdump: one row per pad by note, empty roles said so, then done."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from soundalike.engine import Library
from tests.conftest import write_sound
from tests.synth import drum
from tests.test_bridge import serving
from tests.test_kit import label_families

FAMILIES = ("kick", "snare", "hat", "tom", "bell")  # no clap: the clap pad stays empty


@pytest.fixture(scope="module")
def kit_library(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("bridge_kit")
    root = base / "Samples"
    for p in range(2):
        for f, family in enumerate(FAMILIES):
            for m in range(3):
                write_sound(root / f"Pack {p}" / f"{family} {p}{m}.wav",
                            drum(family, seed=100 * p + 10 * m + f), 44100)
    db = base / "kit.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
        label_families(library, root, {"kick": "kick", "snare": "snare", "hat": "closed hat",
                                       "tom": "tom", "bell": "metal percussion"})
    return root, db


@pytest.fixture
def served(kit_library):
    root, db = kit_library
    with serving(db) as (server, client, sender):
        yield root, db, server, client, sender


def test_kit_with_python_osc(served):
    root, db, server, client, sender = served
    reference = str(root / "Pack 0" / "snare 01.wav")
    sender.send_message("/soundalike/kit", [5, reference, 8])
    replies = client.receive("/kit/done")
    done = replies[-1]
    assert done.address == "/soundalike/kit/done"
    results = [r for r in replies if r.address == "/soundalike/kit/result"]
    empty = [r for r in replies if r.address == "/soundalike/kit/empty"]
    assert done.args == (5, len(results), len(empty)) and len(results) + len(empty) == 8
    with Library(db) as library:
        expected = library.kit([reference], pads=8)
    assert [r.args[1:4] for r in results] == [(p.note, p.role, p.path) for p in expected.pads
                                              if p.path]
    by_note = {r.args[1]: r.args for r in results}
    assert by_note[38][3] == reference and by_note[38][4] == 0.0
    assert "kick" in Path(by_note[36][3]).name
    assert (5, 39, "clap", "the library has no clap") in [r.args for r in empty]
    notes = [r.args[1] for r in replies[:-1]]
    assert notes == sorted(notes)  # in note order


def test_kit_with_liblo(served):
    oscsend, oscdump = shutil.which("oscsend"), shutil.which("oscdump")
    if not (oscsend and oscdump):
        pytest.skip("needs liblo's oscsend/oscdump: install liblo-tools (apt-get install "
                    "liblo-tools)")
    root, db, server, client, sender = served
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    dump_port = probe.getsockname()[1]
    probe.close()
    dump = subprocess.Popen([oscdump, "-L", str(dump_port)], stdout=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        time.sleep(0.5)
        subprocess.run([oscsend, "localhost", str(server.address[1]), "/soundalike/kit", "ssisisi",
                        "liblo", str(root / "Pack 1" / "kick 10.wav"), "6", "other_folders", "1",
                        "reply_port", str(dump_port)], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            line = dump.stdout.readline()
            if line:
                lines.append(line.strip())
            if "/soundalike/kit/done" in line or "/soundalike/error" in line:
                break
    finally:
        dump.terminate()
        dump.wait()
    rows = [line for line in lines if "/soundalike/kit/" in line]
    assert rows and '/soundalike/kit/done sii "liblo"' in rows[-1], lines
    results = [line for line in rows if "/soundalike/kit/result" in line]
    assert any(" 36 \"kick\" " in line and "kick 10.wav" in line for line in results)
    # other_folders: everything but the reference comes from the other pack.
    others = [line for line in results if "kick 10.wav" not in line]
    assert others and all("/Pack 0/" in line for line in others)
    assert any('/soundalike/kit/empty siss "liblo" 39 "clap"' in line for line in rows)


def test_another_kit_with_locked_pads_over_osc(served):
    """variation and repeated keep options: the rows are the engine's kit for them."""
    root, db, server, client, sender = served
    reference = str(root / "Pack 0" / "snare 01.wav")
    kick, hat = str(root / "Pack 1" / "kick 10.wav"), str(root / "Pack 1" / "hat 12.wav")
    sender.send_message("/soundalike/kit", [9, reference, 8, "variation", 1,
                                            "keep", f"36={kick}", "keep", f"42={hat}"])
    replies = client.receive("/kit/done")
    assert replies[-1].address == "/soundalike/kit/done"
    results = {r.args[1]: r.args[3] for r in replies if r.address == "/soundalike/kit/result"}
    assert results[36] == kick and results[42] == hat
    with Library(db) as library:
        expected = library.kit([reference], pads=8, variation=1, keep={36: kick, 42: hat})
        first = library.kit([reference], pads=8, keep={36: kick, 42: hat})
    assert results == {p.note: p.path for p in expected.pads if p.path}
    assert results != {p.note: p.path for p in first.pads if p.path}
    sender.send_message("/soundalike/kit", [10, reference, 8, "keep", "kick"])
    error = client.receive("/kit/done")[-1]
    assert error.address == "/soundalike/error" and "keep takes NOTE=PATH" in error.args[1]


def test_save_a_kit_over_osc(served, tmp_path):
    """save/save_to write the kit as an instrument; a folder in the library is refused."""
    root, db, server, client, sender = served
    reference = str(root / "Pack 0" / "snare 01.wav")
    target = tmp_path / "Saved Kit"
    sender.send_message("/soundalike/kit", [11, reference, 8, "save", "sfz",
                                            "save_to", str(target)])
    replies = client.receive("/kit/done")
    saved = [r for r in replies if r.address == "/soundalike/kit/saved"]
    filled = replies[-1].args[1]
    assert saved and saved[0].args == (11, str(target / "Saved Kit.sfz"), filled)
    assert (target / "Saved Kit.sfz").read_text().count("<region>") == filled
    sender.send_message("/soundalike/kit", [12, reference, 8, "save", "hydrogen",
                                            "save_to", str(root / "Pack 0" / "kit")])
    error = client.receive("/kit/done")[-1]
    assert error.address == "/soundalike/error" and "outside your sample folders" in error.args[1]
    assert not (root / "Pack 0" / "kit").exists()
    sender.send_message("/soundalike/kit", [13, reference, 8, "save", "sfz"])
    error = client.receive("/kit/done")[-1]
    assert error.address == "/soundalike/error" and "save and save_to go together" in error.args[1]
