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


def _one_by_one(catalogue, z, k, allowed):
    """The rule as first written: each candidate, in order, against the query and against
    every candidate kept before it."""

    from soundalike.engine.search.duplicates import DUPLICATE_DISTANCE, raw_distances_to

    scale, want = catalogue.space.scale_, k * 3
    while True:
        rows, distances = catalogue.index.search(z, want, allowed=allowed)
        to_query = raw_distances_to(catalogue.index, scale, z, rows)
        kept: list[int] = []
        for i, row in enumerate(rows):
            if to_query[i] <= DUPLICATE_DISTANCE or (kept and raw_distances_to(
                    catalogue.index, scale, catalogue.index.rows(row),
                    rows[kept]).min() <= DUPLICATE_DISTANCE):
                continue
            kept.append(i)
            if len(kept) == k:
                break
        if len(kept) == k or len(rows) < want:
            return rows[kept], distances[kept]
        want *= 4


def test_a_sound_in_many_packs_is_left_out_as_one_by_one(tmp_path):
    """A library holding each sound many times over (the same hits in many packs, resampled
    or at another gain): the answers leave out the same copies as checking every candidate
    one by one against the ones kept, and hold no two copies."""
    import numpy as np

    from soundalike.engine.search import similar as search
    from soundalike.engine.search.duplicates import DUPLICATE_DISTANCE, raw_distances_to
    from tests.synth import resample

    root = tmp_path / "Samples"
    for i, family in enumerate(("kick", "snare", "hat", "tom", "clap", "bell") * 2):
        y = drum(family, seed=40 + i)
        for pack in range(8):
            gain = 0.5 + 0.06 * pack
            if pack % 2:
                write_sound(root / f"Pack {pack}" / f"{family} {i}.wav",
                            gain * resample(y, 44100, 48000), 48000)
            else:
                write_sound(root / f"Pack {pack}" / f"{family} {i}.wav", gain * y, 44100)
    with Library(tmp_path / "many.db") as library:
        library.scan([root], jobs=1)
        catalogue = library.catalogue()
        scale = catalogue.space.scale_
        skipped = 0
        for row in range(0, catalogue.size, 3):
            path, z, row, _ = search.query_vector(catalogue, catalogue.paths[row])
            allowed = np.ones(catalogue.size, dtype=bool)
            allowed[row] = False
            for k in (3, 8):
                rows, distances = search._nearest_distinct(catalogue, z, k, allowed, None)
                expected = _one_by_one(catalogue, z, k, allowed)
                assert rows.tolist() == expected[0].tolist()
                assert distances.tolist() == expected[1].tolist()
                assert (raw_distances_to(catalogue.index, scale, z, rows)
                        > DUPLICATE_DISTANCE).all()
                for i in range(1, len(rows)):
                    assert raw_distances_to(catalogue.index, scale, catalogue.index.rows(
                        rows[i]), rows[:i]).min() > DUPLICATE_DISTANCE
                plain, _ = catalogue.index.search(z, k, allowed=allowed)
                skipped += len(set(plain.tolist()) - set(rows.tolist()))
        assert skipped > 50  # copies were there to leave out
