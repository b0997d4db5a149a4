"""Delivering the DAW clients shipped with the package: the Live device and the Pd patches."""

from __future__ import annotations

import os
import shutil
import sys
from importlib import resources
from pathlib import Path

from .errors import EngineError
from .paths import user_data_dir

#: The devices `soundalike device` builds: file name -> (patcher in the package, device type).
DEVICES = {
    "soundalike Sampler.amxd": ("soundalike_sampler.maxpat", "instrument"),
    "soundalike Rack Filler.amxd": ("soundalike_rack.maxpat", "midi"),
    "soundalike Listener.amxd": ("soundalike_listener.maxpat", "audio"),
}
#: Scripts the devices run, written beside them: Max 8's [js] cannot embed its code, and
#: Node for Max runs a script file.
SCRIPTS = ("soundalike_live.js", "soundalike_engine.js")


def soundalike_command() -> str | None:
    """The absolute path of the `soundalike` command of this installation (beside the
    running Python, as pip and pipx install it; else the one on PATH), or None."""
    here = Path(sys.executable).parent
    for name in ("soundalike", "soundalike.exe"):
        if (here / name).is_file():
            return str((here / name).absolute())
    found = shutil.which("soundalike")
    return str(Path(found).absolute()) if found else None


def device_bytes(name: str = "soundalike Sampler.amxd", command: str | None = None) -> bytes:
    """One .amxd, built from the patcher text shipped with the package (same text and
    command, same bytes); ``command`` is what its engine starter runs."""
    from soundalike.max_for_live.amxd import build_amxd, with_command

    patcher_name, device_type = DEVICES[name]
    text = (resources.files("soundalike.max_for_live") / "device" / patcher_name).read_text(
        encoding="utf-8")
    return build_amxd(with_command(text, command) if command else text, device_type)


def write_device(folder: str | os.PathLike | None = None) -> list[Path]:
    """Write both devices and their scripts into ``folder`` (default: soundalike's data
    folder), the engine starter set to this installation's `soundalike`; return the paths."""
    target_dir = Path(folder).expanduser() if folder else user_data_dir() / "device"
    command = soundalike_command()
    written = []
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        files = {name: device_bytes(name, command) for name in DEVICES}
        source = resources.files("soundalike.max_for_live") / "device"
        for script in SCRIPTS:
            files[script] = (source / script).read_bytes()
        for name, data in files.items():
            target = target_dir / name
            if not target.exists() or target.read_bytes() != data:
                tmp = target.with_name(target.name + ".part")
                tmp.write_bytes(data)
                os.replace(tmp, target)
            written.append(target)
    except OSError as exc:
        raise EngineError(f"cannot write the devices into {target_dir}: {exc.strerror}") from exc
    return written


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
