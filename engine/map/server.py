"""``soundalike map --serve``: the map page and its sounds from a small server on this computer.

Browsers refuse some formats (AIFF, for one) and some refuse ``file://`` audio; here every
sound of the map is served over HTTP, converted to WAV when the browser could not play it.
Only the sounds on the map can be fetched, by their number; the server listens on
127.0.0.1 only and answers only requests whose Host header names this computer (``localhost``,
``127.0.0.1`` or ``[::1]``, with the server's port): a web page elsewhere that points its own
name at 127.0.0.1 (DNS rebinding) gets 403, not the library's paths and sounds. Any path it
does not serve, malformed or not, is a 404.
"""

from __future__ import annotations

import io
import logging
import os
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import soundfile

from ..sound.decode import open_sound
from .page import BROWSER_FORMATS, MapData, render_page

log = logging.getLogger("soundalike.map")
TYPES = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg",
         ".opus": "audio/ogg", ".flac": "audio/flac"}


#: Names of this computer a browser may put in the Host header.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
_SOUND_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits only: "²" is a digit to str.isdigit


def host_is_loopback(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this computer (and this server's port, if it
    names a port)."""
    if not host:
        return False
    host = host.strip().lower()
    if host.startswith("["):  # an IPv6 address: [::1] or [::1]:PORT
        address, _, rest = host.partition("]")
        name = address + "]"
        if rest and not rest.startswith(":"):
            return False
        given = rest[1:]
    else:
        name, _, given = host.partition(":")
    return name in LOOPBACK_NAMES and given in ("", str(port))


def make_server(data: MapData, *, port: int = 0, title: str = "soundalike map"
                ) -> ThreadingHTTPServer:
    page = render_page(data, title=title, audio_base="/audio/").encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            if not host_is_loopback(self.headers.get("Host"), self.server.server_address[1]):
                return self._send(HTTPStatus.FORBIDDEN, "text/plain",
                                  b"this map answers only http://127.0.0.1 or localhost")
            try:
                path = urlsplit(self.path).path
            except ValueError:
                path = ""
            if path in ("/", "/index.html"):
                return self._send(HTTPStatus.OK, "text/html; charset=utf-8", page)
            if path == "/favicon.ico":
                return self._send(HTTPStatus.NO_CONTENT, "image/x-icon", b"")
            if path.startswith("/audio/"):
                return self._audio(path[len("/audio/"):])
            return self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found")

        def _audio(self, number: str):
            if not _SOUND_NUMBER.fullmatch(number) or int(number) >= len(data.paths):
                return self._send(HTTPStatus.NOT_FOUND, "text/plain", b"no such sound")
            path = data.paths[int(number)]
            extension = os.path.splitext(path)[1].decode("latin-1").lower()
            try:
                if extension in BROWSER_FORMATS:
                    with open(path, "rb") as f:
                        body = f.read()
                    return self._send(HTTPStatus.OK, TYPES[extension], body)
                with open_sound(path) as sound:  # deep folders too (see open_sound)
                    rate = sound.samplerate
                    samples = sound.read(dtype="float32", always_2d=True)
                buffer = io.BytesIO()
                soundfile.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
                return self._send(HTTPStatus.OK, "audio/wav", buffer.getvalue())
            except (OSError, RuntimeError) as exc:
                log.warning("cannot serve %r: %s", path, exc)
                return self._send(HTTPStatus.NOT_FOUND, "text/plain", b"cannot read this sound")

        def _send(self, status, content_type: str, body: bytes):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002 - the http.server API
            log.debug(format, *args)

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)
