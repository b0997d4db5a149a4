"""The commands that keep running or build something to open elsewhere: the OSC server, the
library map (a page, a picture, or served), and the Max for Live devices and Pd patches."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

from ..errors import EngineError
from ..library import Library
from .terminal import printable


def run_device(library: Library | None, args: argparse.Namespace) -> int:
    from ..clients import copy_pd_patches, write_device

    roots = _library_roots(args.db)
    if args.pd:
        for path in copy_pd_patches(args.pd, roots):
            print(printable(str(path)))
    if args.install or not args.pd:
        for path in write_device(args.install, roots):
            print(printable(str(path)))
    return 0


def _library_roots(db: str | None) -> list[bytes]:
    """The library's folders, if there is an index to read them from (`device` needs no
    index, but must not write into the library either)."""
    import sqlite3

    from ..paths import default_db_path

    path = Path(db) if db else default_db_path()
    if not path.exists():
        return []
    try:
        with Library(path) as library:
            return [root.path for root in library.roots()]
    except (sqlite3.DatabaseError, EngineError):  # a damaged index: say so, but build
        logging.warning("cannot read the library's folders from %s", path)
        return []


def run_serve(library: Library, args: argparse.Namespace) -> int:
    from soundalike.bridge.log_limits import limit_logging
    from soundalike.bridge.server import OscServer
    from soundalike.bridge.service import LibraryService

    logging.getLogger().setLevel(logging.DEBUG if args.verbose else logging.INFO)
    limit_logging()  # a flood of bad packets must not fill an unread stderr pipe and block us
    db_path = library.db_path
    library.close()
    service = LibraryService(db_path, jobs=args.jobs)
    service.load()
    try:
        server = OscServer(service, host=args.host, port=args.port, reply_port=args.reply_port,
                           allow=args.allow, deadline=args.deadline)
    except OSError as exc:
        raise EngineError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from exc
    except ValueError as exc:
        raise EngineError(str(exc)) from exc
    if args.host not in ("127.0.0.1", "::1", "localhost") and not args.allow:
        logging.warning("listening on %s but no --allow given: only this computer may talk",
                        args.host)

    def stop(signum, frame):
        # Once only: a launcher may signal twice (Node for Max's child_process does), and a
        # handler run again while the first is inside Event.set() or a log call would wait
        # on a lock its own thread holds, forever.
        if stopping:
            return
        stopping.append(signum)
        logging.info("stopping (%s)", signal.Signals(signum).name)
        server.shutdown()

    stopping: list[int] = []

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    if args.rescan_on_start:
        service.start_rescan(None, lambda p: None,
                             lambda report, snapshot, swapped: logging.info(
                                 "rescan done: %d new, %d changed, %d removed, %d failed",
                                 report.new, report.changed, report.removed, report.failed),
                             lambda reason: logging.warning("rescan failed: %s", reason))
    print(f"soundalike serving {service.size:,} sounds on {server.address[0]}:{server.address[1]}"
          f" (replies to port {args.reply_port}); Ctrl-C stops", file=sys.stderr, flush=True)
    server.serve_forever()
    server.close()
    service.stop()  # a running rescan stops as after Ctrl-C: what it profiled is kept
    return 0


def run_map(library: Library, args: argparse.Namespace) -> int:
    import webbrowser

    from ..map.page import render_page, render_png
    from ..output import check_file_target, write_bytes, write_text

    roots = [root.path for root in library.roots()]
    # Every refusal before the layout (which can take minutes on a big library).
    if args.png:
        check_file_target(args.png, roots, what="the map picture", index=library.db_path)
    if not args.serve:
        check_file_target(args.out, roots, what="the map", index=library.db_path)
    data = library.map_data(progress=_map_progress() if sys.stderr.isatty() else None)
    if args.png:
        write_bytes(args.png, render_png(data), roots, what="the map picture",
                    index=library.db_path)
        print(f"wrote {printable(args.png)}", file=sys.stderr)
    if args.serve:
        from ..map.server import make_server

        try:
            server = make_server(data, port=args.port)
        except OSError as exc:
            raise EngineError(f"cannot listen on port {args.port}: {exc.strerror}") from exc
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"map of {len(data.paths):,} sounds at {url} (Ctrl-C stops)", file=sys.stderr)
        if args.open:
            webbrowser.open(url)
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return 0
    written = Path(os.fsdecode(write_text(args.out, render_page(data), roots, what="the map",
                                          index=library.db_path)))
    size = written.stat().st_size / 1e6
    print(f"wrote {printable(args.out)} ({len(data.paths):,} sounds, {size:.1f} MB)",
          file=sys.stderr)
    if args.open:
        webbrowser.open(written.as_uri())
    return 0


def _map_progress():
    """Each step of the map's layout on its own terminal line, with the time it started."""
    import time

    started = time.monotonic()

    def show(step: str) -> None:
        print(f"[{time.monotonic() - started:5.1f} s] {step}...", file=sys.stderr, flush=True)

    return show


