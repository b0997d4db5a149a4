"""One default everywhere: copies of a sound are left out of similar-sound answers (the CLI,
OSC; the Pd and Max clients send no option and get the server's default)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from soundalike.engine import Library
from tests.conftest import write_sound
from tests.synth import drum
from tests.test_bridge import serving

COMMAND = str(Path(sys.executable).parent / "soundalike")


@pytest.fixture(scope="module")
def with_copies(tmp_path_factory):
    """A kick, an exact copy of it in another pack, and other sounds."""
    root = tmp_path_factory.mktemp("copies") / "Samples"
    kick = write_sound(root / "A" / "kick.wav", drum("kick", seed=1), 44100)
    (root / "B").mkdir()
    shutil.copy(kick, root / "B" / "kick copy.wav")
    for i, family in enumerate(("kick", "snare", "hat", "tom")):
        write_sound(root / "C" / f"{family} {i}.wav", drum(family, seed=20 + i), 44100)
    db = root.parent / "copies.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    return root, db


def test_the_command_line_leaves_copies_out_unless_asked(with_copies):
    root, db = with_copies
    query = str(root / "A" / "kick.wav")

    def paths(*options):
        out = subprocess.run([COMMAND, "--db", str(db), "similar", "--json", "-k", "3", query,
                              *options], capture_output=True, text=True, check=True, timeout=120)
        return [n["path"] for n in json.loads(out.stdout)["neighbours"]]

    copy = str(root / "B" / "kick copy.wav")
    assert copy not in paths() and copy not in paths("--no-duplicates")
    assert paths("--duplicates")[0] == copy


def test_osc_leaves_copies_out_unless_asked(with_copies):
    root, db = with_copies
    query = str(root / "A" / "kick.wav")
    copy = str(root / "B" / "kick copy.wav")
    with serving(db) as (server, client, sender):
        sender.send_message("/soundalike/similar", [1, query, 3])
        assert copy not in [m.args[2] for m in client.receive("done")[:-1]]
        sender.send_message("/soundalike/similar", [2, query, 3, "no_duplicates", 0])
        assert client.receive("done")[0].args[2] == copy
