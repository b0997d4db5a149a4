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
