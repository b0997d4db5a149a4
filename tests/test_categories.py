"""Category names people type, for the coarse model (soundalike-3) and the fine one."""

from __future__ import annotations

import pytest

from soundalike.engine.sound.categories import (
    ALIASES,
    COARSE,
    COARSE_CATEGORIES,
    FINE_CATEGORIES,
    NAMES,
    members,
    resolve,
)


def test_old_names_are_aliases_of_the_fine_categories():
    assert members("cymbal", FINE_CATEGORIES) == ("crash", "ride", "other cymbal")
    assert members("hats", FINE_CATEGORIES) == ("closed hat", "open hat")
    assert members("crash", FINE_CATEGORIES) == ("crash",)
    assert members("china", FINE_CATEGORIES) == ("other cymbal",)
    assert set(members("non-drum", FINE_CATEGORIES)) == {"loop", "vocal", "fx", "tonal"}
    assert resolve("ride", FINE_CATEGORIES) == "ride"
    assert members("banjo", FINE_CATEGORIES) == ()


def test_fine_names_fall_back_to_the_coarse_model():
    assert members("crash", COARSE_CATEGORIES) == ("cymbal",)
    assert members("cymbal", COARSE_CATEGORIES) == ("cymbal",)
    assert members("loop", COARSE_CATEGORIES) == ("other",)
    assert resolve("ride", COARSE_CATEGORIES) == "cymbal"
    with pytest.raises(ValueError):
        resolve("hats", COARSE_CATEGORIES)  # two categories: not one pad's


def test_every_name_means_something_whichever_model():
    assert {COARSE[c] for c in FINE_CATEGORIES} <= {*COARSE_CATEGORIES, "other"}
    for name in [*NAMES, *ALIASES]:
        assert members(name, FINE_CATEGORIES) or name in COARSE_CATEGORIES, name
        assert members(name, COARSE_CATEGORIES), name


def test_drums_under_the_coarse_model_include_its_cymbals():
    assert "cymbal" in members("drums", COARSE_CATEGORIES)
    assert "other" not in members("drums", COARSE_CATEGORIES)
    assert members("non-drum", COARSE_CATEGORIES) == ("other",)


def test_an_alias_filters_a_library(tmp_path):
    """``--category hats`` / ``drums`` / ``cymbal`` keep only sounds of the categories the name
    stands for, through a real scan and search."""
    from soundalike.engine import Library
    from tests.conftest import write_sound
    from tests.synth import FAMILIES, drum

    for family in FAMILIES:
        for m in range(4):
            write_sound(tmp_path / "lib" / f"{family} {m}.wav", drum(family, seed=m), 44100)
    with Library(tmp_path / "a.db") as library:
        library.scan([tmp_path / "lib"], jobs=1)
        query = tmp_path / "lib" / "kick 0.wav"
        everything = library.similar([query], k=40)[0].neighbours
        for alias in ("percussion", "drums", "hats", "cymbal"):
            found = library.similar([query], k=40, category=alias)[0].neighbours
            wanted = set(members(alias))
            assert all(n.category in wanted for n in found), alias
            assert len(found) == sum(n.category in wanted for n in everything), alias
            if alias in ("percussion", "drums"):  # the generated bells and hats, kicks...
                assert found, alias
        with pytest.raises(Exception, match="unknown category 'banjo'"):
            library.similar([query], k=5, category="banjo")
