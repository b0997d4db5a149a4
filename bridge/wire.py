"""OSC on the wire: decoding datagrams and encoding replies with explicit type tags.

python-osc parses and builds the packets. Replies carry only int32, float32
and string arguments (what Pd's ``[oscparse]`` and Max's ``[udpreceive]``
understand); anything else a caller passes is a bug and raises.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass

from pythonosc import osc_packet

#: python-osc's own servers drop datagrams over 8 KiB without a word; we read up to UDP's limit.
MAX_DATAGRAM = 65535
#: Pd cuts strings at 999 bytes and garbles the rest of the message.
MAX_STRING_BYTES = 999
#: No reply datagram is larger (macOS refuses to send more than 9,216 bytes).
MAX_REPLY_BYTES = 8192
INT32 = (-(2**31), 2**31 - 1)


class WireError(ValueError):
    """A datagram that is not a well-formed OSC packet."""


@dataclass(frozen=True)
class Message:
    address: str
    args: tuple


def decode(datagram: bytes) -> list[Message]:
    """Every message in a datagram (bundles flattened; their timetags are ignored, so a
    bundle timed in the future never stalls the server)."""
    simple = _simple_message(datagram)
    if simple is not None:
        return [simple]
    try:
        packet = osc_packet.OscPacket(datagram)
        return [Message(m.message.address, tuple(m.message.params)) for m in packet.messages]
    except osc_packet.ParseError as exc:
        raise WireError(str(exc) or "not an OSC packet") from exc
    except Exception as exc:  # noqa: BLE001 - python-osc raises assorted errors on hostile input
        raise WireError(f"{type(exc).__name__}: {exc}") from exc


def _simple_message(datagram: bytes) -> Message | None:
    """A message of ``i``, ``f`` and ``s`` arguments (every request a patch sends), read
    directly: python-osc's parser costs a request as much as the search it asks for.
    Anything else, or anything python-osc would read differently or refuse (a bundle,
    another type, a short or odd datagram), is None: python-osc reads it."""
    if datagram[:1] != b"/":
        return None
    try:
        address, index = _read_string(datagram, 0)
        if index == len(datagram):
            return Message(address, ())
        tags, index = _read_string(datagram, index)
        if tags[:1] != ",":
            return None
        args: list = []
        for tag in tags[1:]:
            if tag == "s":
                value, index = _read_string(datagram, index)
                args.append(value)
            elif tag in "if" and index + 4 <= len(datagram):
                args.append(struct.unpack_from(">i" if tag == "i" else ">f", datagram, index)[0])
                index += 4
            else:
                return None
        return Message(address, tuple(args))
    except (ValueError, UnicodeDecodeError):
        return None


def _read_string(datagram: bytes, start: int) -> tuple[str, int]:
    """An OSC string at ``start`` and where the next item starts, as python-osc reads it."""
    end = datagram.index(b"\x00", start)
    after = start + -(-(end - start + 1) // 4) * 4
    if after > len(datagram):
        raise ValueError("too short")
    return datagram[start:end].decode("utf-8"), after


def _osc_string(text: str) -> bytes:
    data = text.encode("utf-8") + b"\x00"
    return data + b"\x00" * (-len(data) % 4)


def encode(address: str, args: tuple | list) -> bytes:
    """One OSC 1.0 message with ``i``, ``f`` and ``s`` arguments only.

    Written out directly (a few microseconds) rather than with python-osc's
    builder (tens): a reply of 16 results is 17 messages, on every request.
    Tests check that python-osc and liblo read these bytes back.
    """
    tags = [","]
    payload = []
    for value in args:
        if isinstance(value, bool) or value is None:
            raise TypeError(f"cannot send {value!r} to a patch: use an int")
        if isinstance(value, int):
            if not INT32[0] <= value <= INT32[1]:
                raise TypeError(f"{value} does not fit an int32")
            tags.append("i")
            payload.append(struct.pack(">i", value))
        elif isinstance(value, float):
            tags.append("f")
            payload.append(struct.pack(">f", value))
        elif isinstance(value, str):
            tags.append("s")
            payload.append(_osc_string(value))
        else:
            raise TypeError(f"cannot send {type(value).__name__} over OSC here")
    return _head(address, "".join(tags)) + b"".join(payload)


@functools.lru_cache(maxsize=256)
def _head(address: str, tags: str) -> bytes:
    """A message's address and type tags, made once: 16 results share them."""
    return _osc_string(address) + _osc_string(tags)


def clip(text: str, limit: int = MAX_STRING_BYTES) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes (never inside a character)."""
    data = text.encode("utf-8", "replace")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "..."


def string_fits(text: str) -> bool:
    """True when a string reaches Pd and Max intact."""
    try:
        return len(text.encode("utf-8")) <= MAX_STRING_BYTES
    except UnicodeEncodeError:
        return False
