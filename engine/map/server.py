"""``soundalike map --serve``: the map page and its sounds from a small server on this computer.

Browsers refuse some formats (AIFF, for one) and some refuse ``file://`` audio; here every
sound of the map is served over HTTP, converted to WAV when the browser could not play it.
Only the sounds on the map can be fetched, by their number; the server listens on
127.0.0.1 only.
"""

from __future__ import annotations

import io
import logging
import os
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import soundfile

from .page import BROWSER_FORMATS, MapData, render_page

log = logging.getLogger("soundalike.map")
TYPES = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg",
         ".opus": "audio/ogg", ".flac": "audio/flac"}


def make_server(data: MapData, *, port: int = 0, title: str = "soundalike map"
                ) -> ThreadingHTTPServer:
    page = render_page(data, title=title, audio_base="/audio/").encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            if self.path in ("/", "/index.html"):
                return self._send(HTTPStatus.OK, "text/html; charset=utf-8", page)
            if self.path == "/favicon.ico":
                return self._send(HTTPStatus.NO_CONTENT, "image/x-icon", b"")
            if self.path.startswith("/audio/"):
                return self._audio(self.path[len("/audio/"):])
            return self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found")

        def _audio(self, number: str):
            if not number.isdigit() or int(number) >= len(data.paths):
                return self._send(HTTPStatus.NOT_FOUND, "text/plain", b"no such sound")
            path = data.paths[int(number)]
            extension = os.path.splitext(path)[1].decode("latin-1").lower()
            try:
                if extension in BROWSER_FORMATS:
                    with open(path, "rb") as f:
                        body = f.read()
                    return self._send(HTTPStatus.OK, TYPES[extension], body)
                samples, rate = soundfile.read(path, dtype="float32", always_2d=True)
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
