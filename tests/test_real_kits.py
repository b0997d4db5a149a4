"""Real drum kits (Debian's hydrogen-drumkits): WAV, FLAC, AIFF at 44.1-96 kHz, mono and stereo."""

from __future__ import annotations

from pathlib import Path

import pytest

from soundalike.engine import Library

HYDROGEN_KITS = Path("/usr/share/hydrogen/data/drumkits")


@pytest.fixture(scope="module")
def kits() -> Path:
    if not HYDROGEN_KITS.is_dir():
        pytest.skip(
            "needs real drum kits: install hydrogen-drumkits (apt-get install hydrogen-drumkits)"
        )
    return HYDROGEN_KITS


def test_real_kits_scan_without_failures(kits, tmp_path):
    with Library(tmp_path / "kits.db") as library:
        report = library.scan([kits])
        assert report.failed == 0, report.failures
        assert report.profiled > 700
        # The two kits ship an intentionally empty placeholder sample; it is flagged, not failed.
        assert report.silent <= 2
        status = library.status()
        assert status.files == report.new
        rescan = library.scan()
        assert rescan.unchanged == report.new and rescan.profiled == 0
