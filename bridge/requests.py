"""Checking an incoming message against the address space: a request, or a reason why not.

Numbers are accepted as int or float (Pd sends every number as a float32);
the request id may be an int, an integral float or a string, and is echoed
back as an int or a string.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .address_space import BY_ADDRESS, FLOAT, ID, INT, NUMBER, STRING, Arg, Request
from .wire import MAX_STRING_BYTES, Message


class RequestError(ValueError):
    """A message that is not a valid request. ``request_id`` is set when it could be read."""

    def __init__(self, reason: str, request_id: int | str | None = None):
        super().__init__(reason)
        self.request_id = request_id


@dataclass(frozen=True)
class ParsedRequest:
    spec: Request
    id: int | str
    args: dict
    options: dict

    @property
    def verb(self) -> str:
        return self.spec.verb


#: The id of error replies to requests whose own id could not be read.
UNREADABLE_ID = 0


def parse_request(message: Message) -> ParsedRequest:
    values = list(message.args)
    request_id = _request_id(values[0]) if values else None
    spec = BY_ADDRESS.get(message.address)
    if request_id is None:
        got = f"got {_shorten(values[0])}" if values else "got nothing"
        raise RequestError(f"{_shorten(message.address)} needs a request id first: an int, a "
                           f"whole number or a string of 1-200 bytes ({got}); this error "
                           f"carries id {UNREADABLE_ID}", UNREADABLE_ID)
    if spec is None:
        known = ", ".join(sorted(BY_ADDRESS))
        raise RequestError(f"unknown address {_shorten(message.address)} (known: {known})",
                           request_id)
    rest = values[1:]
    args: dict = {}
    taken = 0
    for arg in spec.args[1:]:
        if taken < len(rest) and not _is_option_key(rest[taken], spec):
            args[arg.name] = _convert(arg, rest[taken], spec, request_id)
            taken += 1
        elif arg.optional:
            args[arg.name] = arg.default
        else:
            raise RequestError(f"{spec.address} needs {arg.name} ({arg.doc or arg.kind})",
                               request_id)
    extra = rest[taken:]
    options = {option.name: () if option.repeat else option.default for option in spec.options}
    if len(extra) % 2:
        raise RequestError(f"{spec.address}: options come in pairs (name value); "
                           f"got {len(extra)} values", request_id)
    by_name = {option.name: option for option in spec.options}
    for key, value in zip(extra[::2], extra[1::2], strict=True):
        option = by_name.get(key) if isinstance(key, str) else None
        if option is None:
            names = ", ".join(by_name) or "none"
            raise RequestError(f"{spec.address}: unknown option {_shorten(key)} "
                               f"(options: {names})", request_id)
        value = _convert(option, value, spec, request_id)
        options[key] = options[key] + (value,) if option.repeat else value
    port = options.get("reply_port", -1)
    if port != -1 and not 0 <= port <= 65535:
        raise RequestError(f"{spec.address} reply_port must be 0 (the sender's port) or a "
                           f"port from 1 to 65535, not {port}", request_id)
    return ParsedRequest(spec, request_id, args, options)


def asked_reply_port(message: Message) -> int | None:
    """The ``reply_port`` a message asks for, read even when the rest of it is invalid, so
    that an error reaches the route the client listens on. ``None``: none, or not valid."""
    args = message.args
    for key, value in zip(args, args[1:], strict=False):
        if key == "reply_port" and isinstance(value, (int, float)) and not isinstance(
                value, bool) and float(value).is_integer() and 0 <= value <= 65535:
            return int(value)
    return None


def _shorten(value, limit: int = 120) -> str:
    """A value echoed in an error, cut short: a 9,000-byte option name must not make a
    reply datagram that macOS refuses to deliver."""
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def _is_option_key(value, spec: Request) -> bool:
    return isinstance(value, str) and any(value == o.name for o in spec.options)


def _request_id(value) -> int | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**31:
        return int(value)
    if isinstance(value, str) and 0 < len(value.encode("utf-8", "replace")) <= 200:
        return value
    return None


def _convert(arg: Arg, value, spec: Request, request_id):
    where = f"{spec.address} {arg.name}"
    if arg.kind == STRING:
        if not isinstance(value, str):
            raise RequestError(f"{where} must be a string, not {_kind(value)}", request_id)
        if len(value.encode("utf-8", "surrogateescape")) > MAX_STRING_BYTES:
            raise RequestError(f"{where} is longer than {MAX_STRING_BYTES} bytes, more than Pd "
                               "and Max can pass intact", request_id)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(f"{where} must be a number, not {_kind(value)}", request_id)
    if isinstance(value, float) and not math.isfinite(value):
        raise RequestError(f"{where} must be a finite number, not {value}", request_id)
    if arg.kind == INT:
        if isinstance(value, float) and not value.is_integer():
            raise RequestError(f"{where} must be a whole number, not {value}", request_id)
        if not -(2**31) <= value < 2**31:
            raise RequestError(f"{where} is out of range: {value}", request_id)
        return int(value)
    if arg.kind in (FLOAT, NUMBER):
        return float(value)
    if arg.kind == ID:
        return _request_id(value)
    raise AssertionError(arg.kind)


def _kind(value) -> str:
    if isinstance(value, bytes):
        return "a blob"
    if value is None or isinstance(value, bool):
        return repr(value)
    return type(value).__name__
