"""Delivering the DAW clients shipped with the package: the Live device and the Pd patches."""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

from .errors import EngineError
from .paths import user_data_dir

DEVICE_NAME = "soundalike.amxd"


def device_bytes() -> bytes:
    """The .amxd, built from the patcher text shipped with the package (same text, same bytes)."""
    from soundalike.max_for_live.amxd import build_amxd

    patcher = resources.files("soundalike.max_for_live") / "device" / "soundalike.maxpat"
    return build_amxd(patcher.read_text(encoding="utf-8"), "midi")


def write_device(folder: str | os.PathLike | None = None) -> Path:
    """Write the device into ``folder`` (default: soundalike's data folder); return its path."""
    target_dir = Path(folder).expanduser() if folder else user_data_dir() / "device"
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / DEVICE_NAME
        data = device_bytes()
        if not target.exists() or target.read_bytes() != data:
            tmp = target.with_suffix(".part")
            tmp.write_bytes(data)
            os.replace(tmp, target)
    except OSError as exc:
        raise EngineError(f"cannot write the device into {target_dir}: {exc.strerror}") from exc
    return target


def copy_pd_patches(folder: str | os.PathLike) -> list[Path]:
    """Copy the Pure Data abstractions and help patches into ``folder``."""
    target_dir = Path(folder).expanduser()
    copied = []
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        source = resources.files("soundalike.max_for_live") / "pd"
        for entry in source.iterdir():
            if entry.name.endswith(".pd"):
                with resources.as_file(entry) as path:
                    copied.append(Path(shutil.copy(path, target_dir / entry.name)))
    except OSError as exc:
        raise EngineError(f"cannot copy the patches into {target_dir}: {exc.strerror}") from exc
    return sorted(copied)
