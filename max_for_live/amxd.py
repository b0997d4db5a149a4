"""The .amxd container of a Max for Live device: chunks around the patcher JSON.

Each chunk is a 4-byte ASCII tag, a 4-byte little-endian length and the data:
``ampf`` (the device type: ``aaaa`` audio effect, ``mmmm`` MIDI effect, ``iiii``
instrument), ``meta`` (4 bytes) and ``ptch`` (the patcher JSON, then a NUL byte).
This is what Ableton's maxdevtools (maxdiff/amxd_textconv.py) reads. ``meta`` is 1,
as in the unfrozen devices Max 8 and 9 save (maxdevtools' Test.amxd); frozen devices,
which carry their dependencies after the patcher, have 7. Building is a pure function
of the patcher text, so the same source gives the same bytes.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass

DEVICE_TYPES = {"audio": b"aaaa", "midi": b"mmmm", "instrument": b"iiii"}
META = struct.pack("<I", 1)


class AmxdError(ValueError):
    """Bytes that are not a device container we understand."""


def chunk(tag: bytes, data: bytes) -> bytes:
    return tag + struct.pack("<I", len(data)) + data


def build_amxd(patcher_text: str, device_type: str = "midi") -> bytes:
    """The .amxd bytes of a device from its patcher JSON text."""
    json.loads(patcher_text)  # refuse to package a broken patcher
    return (chunk(b"ampf", DEVICE_TYPES[device_type]) + chunk(b"meta", META)
            + chunk(b"ptch", patcher_text.encode("utf-8") + b"\x00"))


@dataclass(frozen=True)
class Device:
    device_type: str
    meta: bytes
    patcher_text: str

    @property
    def patcher(self) -> dict:
        return json.loads(self.patcher_text)


ENGINE_BOX = "node.script soundalike_engine.js "
#: What the engine starter runs in a device built without knowing where `soundalike` is.
COMMAND_PLACEHOLDER = "soundalike"


def with_command(patcher_text: str, command: str) -> str:
    """The patcher with its engine starter running ``command`` (the absolute path of the
    installed `soundalike`, so the device finds it without a terminal's PATH), quoted for
    Max so that a path with spaces stays one argument."""
    patcher = json.loads(patcher_text)
    quoted = '"' + command.replace("\\", "/").replace('"', "") + '"'
    for entry in patcher["patcher"]["boxes"]:
        box = entry["box"]
        if box.get("text", "").startswith(ENGINE_BOX + COMMAND_PLACEHOLDER + " "):
            box["text"] = ENGINE_BOX + quoted + box["text"][len(ENGINE_BOX +
                                                                  COMMAND_PLACEHOLDER):]
    return json.dumps(patcher, indent="\t", ensure_ascii=False) + "\n"


def parse_amxd(data: bytes) -> Device:
    chunks: list[tuple[bytes, bytes]] = []
    offset = 0
    while offset < len(data):
        if offset + 8 > len(data):
            raise AmxdError(f"truncated chunk header at byte {offset}")
        tag = data[offset : offset + 4]
        (size,) = struct.unpack("<I", data[offset + 4 : offset + 8])
        body = data[offset + 8 : offset + 8 + size]
        if len(body) != size:
            raise AmxdError(f"chunk {tag!r} claims {size} bytes, has {len(body)}")
        chunks.append((tag, body))
        offset += 8 + size
    tags = [tag for tag, _ in chunks]
    if tags != [b"ampf", b"meta", b"ptch"]:
        raise AmxdError(f"unexpected chunks {tags}")
    kinds = {v: k for k, v in DEVICE_TYPES.items()}
    device_type = kinds.get(chunks[0][1])
    if device_type is None:
        raise AmxdError(f"unknown device type {chunks[0][1]!r}")
    patcher = chunks[2][1]
    if not patcher.endswith(b"\x00"):
        raise AmxdError("the patcher does not end with a NUL byte")
    return Device(device_type, chunks[1][1], patcher[:-1].decode("utf-8"))
