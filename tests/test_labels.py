"""Corrections that stick: `soundalike label` on a generated library whose instruments are
known by construction. A label is kept by content (it survives a rescan and a move), shows
as yours in search rows and exports, and every filter, kit, cluster and map takes it."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from soundalike.engine import EngineError, Library
from soundalike.engine.cli import main
from soundalike.engine.sound.categories import ALL_CATEGORIES, CATEGORIES
from tests.conftest import write_sound
from tests.synth import drum

FAMILIES = ("kick", "snare", "hat", "tom")  # no clap: nothing is a clap until you say so


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("labels")
    root = base / "samples"
    for p, pack in enumerate(("Pack One", "Pack Two")):
        for f, family in enumerate(FAMILIES):
            for m in range(3):
                write_sound(root / pack / f"{family} {p}-{m}.wav",
                            drum(family, seed=100 * p + 10 * m + f), 44100)
    db = base / "labels.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
        library.clusters()
    return root, db


@pytest.fixture
def lib(scanned, tmp_path):
    """A fresh copy of the scanned index (same sample folders): labels made here stay here."""
    root, db = scanned
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    with Library(copy) as library:
        yield root, copy, library


def test_a_label_changes_the_category_everywhere(lib):
    root, db, library = lib
    hat = root / "Pack One" / "hat 0-1.wav"
    query = root / "Pack One" / "hat 0-0.wav"
    before = library.similar([query], k=30)[0]
    row = next(n for n in before.neighbours if n.path == str(hat))
    model_says = row.category
    # Whatever the model hears in a generated hat (a hat, a cymbal, or other when unsure),
    # it is not a clap: the label below is what makes it one.
    assert model_says not in ("clap", None)
    assert row.category_source == "model"
    clap = next(p for p in library.kit([root / "Pack One" / "kick 0-0.wav"]).pads
                if p.note == 39)
    assert clap.path is None

    report = library.label([hat], "Clap")  # any case: stored as the category's own name
    assert report.category == "clap" and report.changed == 1

    after = library.similar([query], k=30)[0]
    row = next(n for n in after.neighbours if n.path == str(hat))
    assert (row.category, row.category_confidence, row.category_source) == ("clap", 1.0, "you")
    assert [n.path for n in library.similar([query], k=5, category="clap")[0].neighbours] == [
        str(hat)]
    own = library.similar([hat], k=3)[0]
    assert (own.category, own.category_source) == ("clap", "you")
    # The kit now has a clap: the labelled hat, on the clap's note.
    clap = next(p for p in library.kit([root / "Pack One" / "kick 0-0.wav"]).pads
                if p.note == 39)
    assert clap.path == str(hat) and clap.category_source == "you"
    # Clusters: it joined a cluster and reads as a clap there; the map colours it as one.
    catalogue = library.catalogue()
    row_index = catalogue.row_of(os.fsencode(hat))
    detail = library.cluster(int(catalogue.clusters[row_index]))
    member = next(m for m in detail.members if m.path == str(hat))
    assert (member.category, member.category_source) == ("clap", "you")
    data = library.map_data()
    assert int(data.categories[row_index]) == ALL_CATEGORIES.index("clap")
    # what names clusters reads every member's category at once: the same, labels included
    rows = np.arange(catalogue.size)[::-1]
    assert catalogue.categories_of(rows) == [catalogue.category_of(r) for r in rows]

    cleared = library.label([hat], None)
    assert cleared.changed == 1
    row = next(n for n in library.similar([query], k=30)[0].neighbours if n.path == str(hat))
    assert (row.category, row.category_source) == (model_says, "model")


def test_a_kick_labelled_a_snare_joins_a_snare_cluster(lib):
    root, db, library = lib
    kick = root / "Pack Two" / "kick 1-2.wav"
    library.label([kick], "snare")
    catalogue = library.catalogue()
    cluster = int(catalogue.clusters[catalogue.row_of(os.fsencode(kick))])
    summary = next(c for c in library.clusters() if c.id == cluster)
    assert summary.category == "snare", summary
    assert summary.id in {c.id for c in library.clusters(category="snare")}


def test_a_finer_name_than_the_model_knows(lib):
    root, db, library = lib
    hat = root / "Pack Two" / "hat 1-0.wav"
    library.label([hat], "pedal-hat")
    result = library.similar([root / "Pack Two" / "hat 1-1.wav"], k=5, category="pedal hat")[0]
    assert [n.path for n in result.neighbours] == [str(hat)]
    assert result.neighbours[0].category == "pedal hat"
    # Until the model knows pedal hats, one counts as a closed hat.
    catalogue = library.catalogue()
    row = catalogue.row_of(os.fsencode(hat))
    assert ALL_CATEGORIES[int(catalogue.categories[row])] == "closed hat"
    closed = library.similar([root / "Pack Two" / "hat 1-1.wav"], k=30, category="closed hat")
    assert str(hat) in [n.path for n in closed[0].neighbours]


def test_label_errors(lib):
    root, db, library = lib
    with pytest.raises(EngineError, match="unknown category 'bongo'"):
        library.label([root / "Pack One" / "kick 0-0.wav"], "bongo")
    outside = write_sound(Path(db).parent / "elsewhere.wav", drum("kick", seed=5), 44100)
    with pytest.raises(EngineError, match="not in the library"):
        library.label([outside], "kick")
    with pytest.raises(EngineError, match="no such file"):
        library.label([root / "nothing.wav"], "kick")
    with pytest.raises(EngineError, match="at least one FILE"):
        library.label([], "kick")
    # One bad file: nothing is written.
    with pytest.raises(EngineError):
        library.label([root / "Pack One" / "kick 0-0.wav", root / "nothing.wav"], "snare")
    assert library.store.labels() == []


def test_a_label_survives_a_rescan_and_a_move(tmp_path):
    root = tmp_path / "samples"
    for m in range(3):
        write_sound(root / "Pack" / f"snare {m}.wav", drum("snare", seed=m), 44100)
        write_sound(root / "Pack" / f"kick {m}.wav", drum("kick", seed=m), 44100)
    with Library(tmp_path / "db.sqlite") as library:
        library.scan([root], jobs=1)
        library.label([root / "Pack" / "snare 1.wav"], "rim")
        (root / "Moved").mkdir()
        os.rename(root / "Pack" / "snare 1.wav", root / "Moved" / "renamed.wav")
        report = library.rescan()
        assert report.moved == 1
        moved = root / "Moved" / "renamed.wav"
        result = library.similar([moved], k=1)[0]
        assert (result.category, result.category_source) == ("rim", "you")
        # A copy has the same content: the label holds for it too.
        shutil.copy(moved, root / "Pack" / "copy.wav")
        library.rescan()
        copy = library.similar([root / "Pack" / "copy.wav"], k=1)[0]
        assert (copy.category, copy.category_source) == ("rim", "you")


def test_labels_travel_as_csv(lib, scanned, tmp_path):
    root, db, library = lib
    library.label([root / "Pack One" / "tom 0-0.wav", root / "Pack One" / "tom 0-1.wav"],
                  "hand drum")
    target = tmp_path / "labels.csv"
    assert library.export_labels(target) == 2
    with open(target, newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["path"] for r in rows} == {str(root / "Pack One" / f"tom 0-{m}.wav")
                                         for m in range(2)}
    assert {r["category"] for r in rows} == {"hand drum"} and all(r["fingerprint"] for r in rows)
    with pytest.raises(EngineError, match="outside your sample folders"):
        library.export_labels(root / "labels.csv")
    # Into another copy of the index, with no labels yet; a hand-written row by path too.
    other = tmp_path / "other.db"
    shutil.copy(scanned[1], other)
    with open(target, "a", newline="") as f:
        f.write(f",kick,{root / 'Pack Two' / 'snare 1-0.wav'}\n,bongo,x\n")
    with Library(other) as fresh:
        stored, skipped = fresh.import_labels(target)
        assert stored == 3 and len(skipped) == 1 and "bongo" in skipped[0]
        tom = fresh.similar([root / "Pack One" / "tom 0-1.wav"], k=1)[0]
        assert (tom.category, tom.category_source) == ("hand drum", "you")
        snare = fresh.similar([root / "Pack Two" / "snare 1-0.wav"], k=1)[0]
        assert snare.category == "kick"
    # The index export shows the source of each category.
    table = tmp_path / "index.csv"
    library.export_table(table, "csv")
    with open(table, newline="") as f:
        by_path = {r["path"]: r for r in csv.DictReader(f)}
    mine = by_path[str(root / "Pack One" / "tom 0-0.wav")]
    assert (mine["category"], mine["category_confidence"], mine["category_source"]) == (
        "hand drum", "1.0", "you")
    assert by_path[str(root / "Pack One" / "kick 0-0.wav")]["category_source"] == "model"


def test_label_command_line(lib, tmp_path, capsys):
    root, db, library = lib
    library.close()
    snare = root / "Pack One" / "snare 0-0.wav"
    assert main(["--db", str(db), "label", str(snare), "--category", "rim"]) == 0
    assert "1 sounds labelled rim" in capsys.readouterr().out
    assert main(["--db", str(db), "similar", str(root / "Pack One" / "snare 0-1.wav"),
                 "-k", "30", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    mine = next(n for n in result["neighbours"] if n["path"] == str(snare))
    assert (mine["category"], mine["category_source"]) == ("rim", "you")
    assert main(["--db", str(db), "similar", str(root / "Pack One" / "snare 0-1.wav"),
                 "-k", "30"]) == 0
    assert "rim (you)" in capsys.readouterr().out
    assert main(["--db", str(db), "label", "--export", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("fingerprint,category,path\n") and f",rim,{snare}" in out
    assert main(["--db", str(db), "label", str(snare), "--clear"]) == 0
    assert "1 of 1 sounds back to the model's category" in capsys.readouterr().out
    assert main(["--db", str(db), "label", str(snare), "--category", "bongo"]) == 1
    assert "unknown category 'bongo'" in capsys.readouterr().err
    assert main(["--db", str(db), "label", "--import", str(tmp_path / "none.csv")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_label_over_osc(lib):
    """/soundalike/label from a real OSC client: the next similar rows carry it, as yours;
    every client hears that the library changed."""
    from tests.test_bridge import serving

    root, db, library = lib
    library.close()
    snare = str(root / "Pack Two" / "snare 1-1.wav")
    query = str(root / "Pack Two" / "snare 1-0.wav")
    with serving(db) as (server, client, sender):
        sender.send_message("/soundalike/label", [3, snare, "rim"])
        replies = client.receive("/label/done")
        assert ("/soundalike/library/updated" in [r.address for r in replies])
        assert replies[-1].address == "/soundalike/label/done"
        assert replies[-1].args == (3, snare, "rim", "you")
        sender.send_message("/soundalike/similar", [4, query, 30])
        rows = [r.args for r in client.receive("/similar/done")
                if r.address == "/soundalike/similar/result"]
        mine = next(r for r in rows if r[2] == snare)
        assert mine[5:] == ("rim", "you")
        assert all(r[6] == "model" for r in rows if r[2] != snare)
        sender.send_message("/soundalike/similar", [5, query, 30, "category", "rim"])
        rows = [r.args for r in client.receive("/similar/done")
                if r.address == "/soundalike/similar/result"]
        assert [r[2] for r in rows] == [snare]
        sender.send_message("/soundalike/label", [6, snare, "model"])
        done = client.receive("/label/done")[-1]
        assert done.args[0] == 6 and done.args[3] == "model" and done.args[2] != "rim"
        sender.send_message("/soundalike/label", [7, snare, "bongo"])
        error = client.receive("/label/done")[-1]
        assert error.address == "/soundalike/error" and "unknown category 'bongo'" in error.args[1]


def test_your_crash_ride_and_pedal_hat_go_on_their_own_pads(lib):
    """While the model knows only "cymbal" and "closed hat", corrections decide between
    crash and ride, closed and pedal hat: each labelled sound on its own pad, never on the
    sibling's."""
    root, db, library = lib
    reference = root / "Pack One" / "snare 0-0.wav"
    first, second = root / "Pack One" / "tom 0-0.wav", root / "Pack One" / "tom 0-1.wav"
    pedal = root / "Pack One" / "hat 0-0.wav"
    library.label([first], "crash")
    library.label([second], "ride")
    library.label([pedal], "pedal hat")
    pads = {p.note: p for p in library.kit([reference]).pads}
    assert pads[49].path == str(first) and pads[51].path == str(second)
    assert pads[44].path == str(pedal) and pads[42].path != str(pedal)
    assert pads[49].category_source == "you"
    assert pads[49].category == ("crash" if "crash" in CATEGORIES else "cymbal")
    library.label([first], "ride")
    library.label([second], "crash")
    pads = {p.note: p for p in library.kit([reference]).pads}
    assert pads[49].path == str(second) and pads[51].path == str(first)
    # A reference you labelled "ride" keeps the ride pad.
    kit = library.kit([first])
    assert next(p for p in kit.pads if p.note == 51).path == str(first)


def test_a_role_takes_the_finer_category_once_the_model_has_it(monkeypatch):
    from soundalike.engine.kits import build, roles  # the role table lives in roles

    crash = next(r for r in build.LAYOUT if r.name == "crash")
    pedal = next(r for r in build.LAYOUT if r.name == "pedal hat")
    shipped = "crash" if "crash" in roles.CATEGORIES else "cymbal"
    assert (crash.category, pedal.category) == (shipped, "closed hat")  # the shipped model
    finer = (*roles.CATEGORIES, "crash", "ride", "other cymbal", "pedal hat")
    monkeypatch.setattr(roles, "CATEGORIES", finer)
    assert (crash.category, pedal.category) == ("crash", "pedal hat")
    # A model that replaced "cymbal" by finer names: the crash pad still has its category.
    monkeypatch.setattr(roles, "CATEGORIES", tuple(c for c in finer if c != "cymbal"))
    assert crash.category == "crash"
