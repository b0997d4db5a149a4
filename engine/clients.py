"""Delivering the DAW clients shipped with the package: the Live device and the Pd patches."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from .errors import EngineError
from .output import refuse_inside, write_bytes
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


def write_device(folder: str | os.PathLike | None = None,
                 roots: Iterable[bytes] = ()) -> list[Path]:
    """Write both devices and their scripts into ``folder`` (default: soundalike's data
    folder), the engine starter set to this installation's `soundalike`; return the paths.
    Like every output (see :mod:`.output`), never inside a library folder of ``roots``, and
    each file whole or not at all."""
    target_dir = Path(folder).expanduser() if folder else user_data_dir() / "device"
    roots = list(roots)
    refuse_inside(target_dir, roots, what="the devices")
    command = soundalike_command()
    written = []
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        files = {name: device_bytes(name, command) for name in DEVICES}
        source = resources.files("soundalike.max_for_live") / "device"
        for script in SCRIPTS:
            files[script] = (source / script).read_bytes()
    except OSError as exc:
        raise EngineError(f"cannot write the devices into {target_dir}: {exc.strerror}") from exc
    for name, data in files.items():
        target = target_dir / name
        if not target.exists() or target.read_bytes() != data:
            write_bytes(target, data, roots, what="the devices")
        written.append(target)
    return written


def copy_pd_patches(folder: str | os.PathLike, roots: Iterable[bytes] = ()) -> list[Path]:
    """Copy the Pure Data abstractions and help patches into ``folder`` (never inside a
    library folder of ``roots``; see :mod:`.output`)."""
    target_dir = Path(folder).expanduser()
    roots = list(roots)
    refuse_inside(target_dir, roots, what="the patches")
    copied = []
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        source = resources.files("soundalike.max_for_live") / "pd"
        patches = {entry.name: entry.read_bytes() for entry in source.iterdir()
                   if entry.name.endswith(".pd")}
    except OSError as exc:
        raise EngineError(f"cannot copy the patches into {target_dir}: {exc.strerror}") from exc
    for name, data in patches.items():
        write_bytes(target_dir / name, data, roots, what="the patches")
        copied.append(target_dir / name)
    return sorted(copied)
