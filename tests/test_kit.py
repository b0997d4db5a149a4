"""Kits by role on a generated library whose instruments are known by construction.

Kicks, snares, hats, toms and bells in two packs, and no claps: a kit around a snare puts
each family on its General MIDI note, takes what it can from the snare's own pack, never
uses a sound twice, and leaves the clap pad empty, saying so.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from soundalike.engine import EngineError, Library
from soundalike.engine.cli import main
from soundalike.engine.kits.build import LAYOUT, MIN_CONFIDENCE
from tests.conftest import write_sound
from tests.synth import drum

#: The synthetic families the model recognises, and the category each one is.
FAMILIES = {"kick": "kick", "snare": "snare", "hat": "closed hat", "tom": "tom",
            "bell": "metal percussion"}
PACKS = ("Pack One", "Pack Two")


def family_of(path: str) -> str:
    return os.path.basename(path).split(" ")[0]


@pytest.fixture(scope="module")
def kit_library(tmp_path_factory) -> tuple[Path, Path]:
    """30 sounds: 5 families x 2 packs x 3 members, no clap; (library root, index file)."""
    base = tmp_path_factory.mktemp("kits")
    root = base / "samples"
    for p, pack in enumerate(PACKS):
        for f, family in enumerate(FAMILIES):
            for m in range(3):
                write_sound(root / pack / f"{family} {p}-{m}.wav",
                            drum(family, seed=100 * p + 10 * m + f), 44100)
    db = base / "kits.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
        label_families(library, root, FAMILIES)
    return root, db


def label_families(library: Library, root: Path, categories: dict[str, str]) -> None:
    """Every generated sound labelled with its family's category, as a person would: these
    tests are about kits (roles, notes, packs, locks), not about how a model hears generated
    drums (``bench_quality.py`` measures that on real kits, ``test_model.py`` on these)."""
    for family, category in categories.items():
        library.label(sorted(root.rglob(f"{family} *.wav")), category)


@pytest.fixture
def library(kit_library):
    with Library(kit_library[1]) as lib:
        yield lib


def test_roles_land_on_their_general_midi_notes(kit_library, library):
    root, _ = kit_library
    reference = root / "Pack One" / "snare 0-1.wav"
    kit = library.kit([reference])
    pads = {pad.note: pad for pad in kit.pads}
    assert [pad.note for pad in kit.pads] == sorted(role.note for role in LAYOUT[:16])
    assert pads[38].reference and pads[38].path == str(reference)
    assert family_of(pads[36].path) == "kick"
    assert family_of(pads[42].path) == "hat"
    assert family_of(pads[56].path) == "bell"
    toms = [pads[n].path for n in (41, 45, 48) if pads[n].path]
    assert toms and all(family_of(p) == "tom" for p in toms)
    # Same pack first: the snare's pack has a kick, hats and a bell.
    for note in (36, 42, 56):
        assert "/Pack One/" in pads[note].path
    assert kit.pack == str(root / "Pack One")
    filled = [pad for pad in kit.pads if pad.path]
    assert len({pad.path for pad in filled}) == len(filled)  # no sound twice
    for pad in filled:
        assert pad.reference or pad.category_confidence >= MIN_CONFIDENCE
        if family_of(pad.path) in FAMILIES and not pad.reference:
            assert pad.distance > 0
    right = [FAMILIES[family_of(p.path)] == p.category for p in filled]
    assert sum(right) >= 0.85 * len(right), [(p.role, p.path) for p in filled]


def test_a_library_without_claps_leaves_the_clap_pad_empty_and_says_so(kit_library, library):
    root, _ = kit_library
    kit = library.kit([root / "Pack Two" / "kick 1-0.wav"])
    clap = next(pad for pad in kit.pads if pad.note == 39)
    assert clap.role == "clap" and clap.path is None
    assert clap.empty == "the library has no clap"
    assert any(note.startswith("clap (note 39): empty") for note in kit.notes)


def test_other_folders_takes_nothing_else_from_the_references_pack(kit_library, library):
    root, _ = kit_library
    reference = root / "Pack One" / "hat 0-0.wav"
    kit = library.kit([reference], pads=8, other_folders=True)
    assert len(kit.pads) == 8
    placed = [pad for pad in kit.pads if pad.path and not pad.reference]
    assert placed and all("/Pack Two/" in pad.path for pad in placed)
    assert kit.pack == str(root / "Pack Two")


def test_two_references_keep_their_roles(kit_library, library):
    root, _ = kit_library
    snare, kick = root / "Pack Two" / "snare 1-2.wav", root / "Pack One" / "kick 0-1.wav"
    kit = library.kit([snare, kick])
    pads = {pad.note: pad for pad in kit.pads}
    assert pads[38].path == str(snare) and pads[38].reference
    assert pads[36].path == str(kick) and pads[36].reference
    assert sum(pad.reference for pad in kit.pads) == 2


def test_kit_from_a_cluster(library):
    cluster = library.clusters()[0].id
    kit = library.kit(cluster=cluster)
    members = {m.path for m in library.cluster(cluster).members}
    assert kit.references and set(kit.references) <= members
    assert any(pad.reference for pad in kit.pads)


def test_kit_errors(kit_library, library):
    root, _ = kit_library
    with pytest.raises(EngineError, match="pads must be between"):
        library.kit([root / "Pack One" / "snare 0-1.wav"], pads=0)
    with pytest.raises(EngineError, match="at least one reference"):
        library.kit([])
    with pytest.raises(EngineError, match="no such file"):
        library.kit([root / "nothing.wav"])


def test_kit_command_line(kit_library, capsys):
    root, db = kit_library
    reference = root / "Pack One" / "snare 0-1.wav"
    assert main(["--db", str(db), "kit", str(reference), "--pads", "6", "--json"]) == 0
    kit = json.loads(capsys.readouterr().out)
    assert [p["role"] for p in kit["pads"]] == ["kick", "snare", "clap", "closed hat",
                                                 "open hat", "crash"]
    assert kit["pads"][1]["path"] == str(reference)
    assert main(["--db", str(db), "kit", str(reference), "--pads", "6"]) == 0
    text = capsys.readouterr().out
    assert "  38  snare" in text and "(reference)" in text
    assert "(empty: the library has no clap)" in text
    assert main(["--db", str(db), "kit"]) == 1
    assert "give reference FILEs or --from-cluster" in capsys.readouterr().err


def _sounds(kit) -> dict[int, str]:
    return {pad.note: pad.path for pad in kit.pads if pad.path and not pad.reference}


def test_another_kit_changes_every_role_that_can_change(kit_library, library):
    from collections import Counter

    from soundalike.engine.index.probabilities import category_probabilities
    from soundalike.engine.sound.categories import CATEGORIES

    root, _ = kit_library
    reference = root / "Pack One" / "snare 0-1.wav"
    first, second = library.kit([reference], variation=0), library.kit([reference], variation=1)
    assert library.kit([reference], variation=1) == second  # deterministic
    catalogue = library.catalogue()
    p = category_probabilities(catalogue)
    confident = {c: int((p[:, i] >= MIN_CONFIDENCE).sum()) for i, c in enumerate(CATEGORIES)}
    pads_of = Counter(pad.category for pad in first.pads)
    before, after = _sounds(first), _sounds(second)
    changed = 0
    for note, path in before.items():
        category = next(pad.category for pad in first.pads if pad.note == note)
        # Enough sounds of this category for a whole second set of its pads (+1 reference).
        if confident[category] >= 2 * pads_of[category] + 1:
            assert after.get(note) not in set(before.values()), (note, path, after.get(note))
            changed += 1
    assert changed >= 4, (before, confident)
    assert next(p for p in second.pads if p.note == 38).path == str(reference)  # still there
    third = _sounds(library.kit([reference], variation=2))
    assert third != after


def test_locked_pads_never_change(kit_library, library):
    root, _ = kit_library
    reference = root / "Pack One" / "snare 0-1.wav"
    kick, hat = root / "Pack Two" / "kick 1-2.wav", root / "Pack Two" / "hat 1-0.wav"
    keep = {36: kick, "closed hat": hat}
    kits = [library.kit([reference], variation=n, keep=keep) for n in range(4)]
    for kit in kits:
        pads = {pad.note: pad for pad in kit.pads}
        assert pads[36].path == str(kick) and pads[36].locked
        assert pads[42].path == str(hat) and pads[42].locked
        paths = [pad.path for pad in kit.pads if pad.path]
        assert len(paths) == len(set(paths))  # a locked sound is not used again elsewhere
    assert len({tuple(sorted(_sounds(k).items())) for k in kits}) == 4  # the rest changes
    with pytest.raises(EngineError, match="cannot lock 99: it is not a pad of this kit"):
        library.kit([reference], keep={99: kick})
    with pytest.raises(EngineError, match="variation must be between 0 and 99"):
        library.kit([reference], variation=-1)
    # Locked sounds alone make the references.
    alone = library.kit(keep={38: reference})
    assert alone.references == [str(reference)] and alone.pads[3].path == str(reference)


def test_another_kit_and_locks_on_the_command_line(kit_library, capsys):
    root, db = kit_library
    reference = root / "Pack One" / "snare 0-1.wav"
    kick = root / "Pack Two" / "kick 1-2.wav"
    assert main(["--db", str(db), "kit", str(reference), "--variation", "1", "--keep",
                 f"36={kick}", "--json"]) == 0
    kit = json.loads(capsys.readouterr().out)
    pads = {p["note"]: p for p in kit["pads"]}
    assert pads[36]["path"] == str(kick) and pads[36]["locked"]
    assert main(["--db", str(db), "kit", str(reference), "--keep", f"36={kick}"]) == 0
    assert "(locked)" in capsys.readouterr().out
    assert main(["--db", str(db), "kit", str(reference), "--keep", "36"]) == 1
    assert "--keep takes NOTE=FILE" in capsys.readouterr().err
