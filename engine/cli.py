"""The ``soundalike`` command: everything the patches do, for people at a terminal."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import os
import signal
import sqlite3
import sys

from . import __version__
from .categories import ALL_CATEGORIES
from .errors import EngineError
from .library import Library
from .paths import default_db_path
from .storage_faults import DamagedIndexError, damaged_advice, explain
from .terminal import (
    ProgressBar,
    Ticker,
    format_cluster,
    format_clusters,
    format_duplicates,
    format_forget_report,
    format_kit,
    format_mates,
    format_scan_report,
    format_similar,
    format_status,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="soundalike",
        description="Find the samples in your library that sound alike.",
    )
    parser.add_argument("--version", action="version", version=f"soundalike {__version__}")
    parser.add_argument(
        "--db",
        metavar="FILE",
        help="library index file (default: $SOUNDALIKE_DB or ~/.local/share/soundalike/library.db)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    _build_commands(commands)
    for command in commands.choices.values():  # `soundalike status --db FILE -v` works too
        command.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS,
                             help="library index file (as before the command)")
        command.add_argument("-v", "--verbose", action="store_true",
                             default=argparse.SUPPRESS, help="log what happens")
    return parser


def port_number(text: str) -> int:
    """An argparse type: a UDP/TCP port, 0 (any free port) to 65535."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give a number from 1 to 65535")
    return value


def finite_number(text: str) -> float:
    """An argparse type: a real number (nan and inf are refused, not silently matched)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _build_commands(commands) -> None:

    scan = commands.add_parser(
        "scan",
        help="profile the audio files under folders (or rescan the library)",
        description="Profile every audio file under the folders into the library index and "
        "remember the folders. Without FOLDER, rescan every folder of the library. "
        "Only new and changed files are decoded again.",
    )
    scan.add_argument("folders", nargs="*", metavar="FOLDER")
    scan.add_argument(
        "--match",
        metavar="WORD",
        help="keep only files whose name contains WORD (case-insensitive); "
        "remembered for these folders",
    )
    scan.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="worker processes (default: all cores)"
    )
    scan.add_argument(
        "--descriptor",
        metavar="NAME",
        help="'soundalike' (default) or 'seed' (the original script's profile)",
    )
    scan.add_argument("--rebuild", action="store_true",
                      help="build a new index from the library's folders (or FOLDER...), "
                      "keeping the old file aside: for a damaged index")
    scan.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary")
    scan.add_argument("--json", action="store_true", help="print the summary as JSON")
    scan.set_defaults(run=run_scan)

    forget = commands.add_parser(
        "forget",
        help="take folders out of the library (the files themselves are not touched)",
        description="Take folders given to `scan` out of the library: their sounds leave "
        "search, clusters and exports, and rescans skip them. Nothing on disk is touched; "
        "`soundalike scan FOLDER` brings a folder back.",
    )
    forget.add_argument("folders", nargs="+", metavar="FOLDER")
    forget.add_argument("--json", action="store_true", help="print the summary as JSON")
    forget.set_defaults(run=run_forget)

    check = commands.add_parser(
        "check", help="check the index file for damage (SQLite's integrity check)",
        description="Runs SQLite's integrity check on the index. Exit status 0 when it is "
        "sound, 1 when it is damaged (then `soundalike scan --rebuild` builds a new one).")
    check.set_defaults(run=run_check)

    status = commands.add_parser(
        "status",
        help="what the library holds",
        description="Folders, counts, index size, descriptor, last scan "
        "and the files that could not be profiled.",
    )
    status.add_argument("--json", action="store_true", help="print as JSON")
    status.add_argument("--all-failures", action="store_true", help="list every failed file")
    status.set_defaults(run=run_status)

    similar = commands.add_parser(
        "similar",
        help="the samples that sound most like FILE",
        description="The k most similar samples in the library for each FILE, whether FILE is "
        "in the library or anywhere else (then it is profiled now, not added).",
    )
    similar.add_argument("files", nargs="+", metavar="FILE")
    similar.add_argument("-k", type=int, default=10, metavar="N", help="how many (default 10)")
    similar.add_argument(
        "--other-folders",
        action="store_true",
        help="no results from the query's own pack (top folder under the root)",
    )
    similar.add_argument("--under", metavar="DIR", help="only results under DIR")
    similar.add_argument("--min-duration", type=finite_number, metavar="SECONDS")
    similar.add_argument("--max-duration", type=finite_number, metavar="SECONDS")
    similar.add_argument(
        "--no-duplicates",
        action="store_true",
        help="leave out copies of the query and of better results",
    )
    similar.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="ASPECT=W",
        help="lean the search: sound (the learned similarity), attack, body, tail, envelope, "
        "brightness, pitch (e.g. --weight attack=2, or --weight sound=0 --weight tail=1)",
    )
    similar.add_argument(
        "--category",
        choices=ALL_CATEGORIES,
        metavar="C",
        help="only sounds of this instrument category: " + ", ".join(ALL_CATEGORIES),
    )
    similar.add_argument(
        "--json", action="store_true", help="one JSON object per query, one per line"
    )
    similar.set_defaults(run=run_similar)

    add_kit_parser(commands)

    mates = commands.add_parser("mates", help="FILE's cluster-mates, most similar first")
    mates.add_argument("file", metavar="FILE")
    mates.add_argument("--json", action="store_true")
    mates.set_defaults(run=run_mates)

    clusters = commands.add_parser(
        "clusters",
        help="the library grouped into clusters of similar sounds",
        description="Kit-sized clusters (about 16: one Drum Rack page) by default. --size or "
        "--count clusters the library again that way, and later scans keep it.",
    )
    group = clusters.add_mutually_exclusive_group()
    group.add_argument("--size", type=int, metavar="N", help="about N members per cluster")
    group.add_argument("--count", type=int, metavar="K", help="exactly K clusters (k-means)")
    clusters.add_argument("--mixed", action="store_true",
                          help="kit-sized clusters that may mix instruments (by default each "
                               "stays within one instrument category)")
    clusters.add_argument("--category", choices=ALL_CATEGORIES, metavar="C",
                          help="only the clusters mostly of this category: "
                               + ", ".join(ALL_CATEGORIES))
    clusters.add_argument("--json", action="store_true")
    clusters.set_defaults(run=run_clusters)

    cluster = commands.add_parser("cluster", help="one cluster's members, most typical first")
    cluster.add_argument("id", type=int, metavar="ID")
    cluster.add_argument("--json", action="store_true")
    cluster.set_defaults(run=run_cluster)

    duplicates = commands.add_parser(
        "duplicates",
        help="groups of near-identical samples",
        description="The same hit in several packs, re-encoded, resampled or at another gain. "
        "The first path of each group is the one worth keeping (lossless, highest "
        "rate, largest).",
    )
    duplicates.add_argument("--json", action="store_true")
    duplicates.set_defaults(run=run_duplicates)

    export = commands.add_parser(
        "export",
        help="write clusters as folders of links, or the index as CSV/JSON",
        description="links OUTDIR: one folder per cluster of symbolic links to the originals. "
        "csv FILE / json FILE: every file with its facts and cluster (FILE - for "
        "standard output).",
    )
    export.add_argument("format", choices=["links", "csv", "json"])
    export.add_argument("target", metavar="OUTDIR|FILE")
    export.set_defaults(run=run_export)
    add_serve_parser(commands)

    map_command = commands.add_parser(
        "map", help="a map of the library in your browser: near means similar",
        description="Writes a self-contained HTML page with every sound as a point placed by "
                    "similarity and coloured by instrument category (a legend with counts: click a "
                    "category to hide it): hover for names and clusters, click to hear, arrows "
                    "to step through neighbours, a box and a menu to filter. --serve serves it "
                    "(and the sounds, converted where browsers cannot play them) on this "
                    "computer. --png also writes a picture with the legend.")
    map_command.add_argument("--out", metavar="FILE", default="soundalike-map.html",
                             help="the page to write (default soundalike-map.html)")
    map_command.add_argument("--open", action="store_true", help="open it in your browser")
    map_command.add_argument("--serve", action="store_true",
                             help="serve the page and the sounds at http://127.0.0.1:PORT/")
    map_command.add_argument("--port", type=port_number, default=8765, help="port for --serve")
    map_command.add_argument("--png", metavar="FILE", help="also write a picture of the map")
    map_command.set_defaults(run=run_map)

    device = commands.add_parser(
        "device", help="the Max for Live devices (and the Pure Data patches)",
        description="Builds the Max for Live devices (soundalike Sampler, soundalike Rack "
                    "Filler) with their scripts and tells where they are, or writes them into "
                    "a folder (e.g. your Live User Library). The devices start `soundalike "
                    "serve` themselves, with the absolute path of this installation's command. "
                    "--pd copies the Pure Data patches into a folder.")
    device.add_argument("--install", metavar="DIR",
                        help="write the devices and their scripts into DIR")
    device.add_argument("--pd", metavar="DIR", help="copy the Pure Data patches into DIR")
    device.set_defaults(run=run_device, needs_library=False)


def run_device(library: Library | None, args: argparse.Namespace) -> int:
    from .clients import copy_pd_patches, write_device

    if args.pd:
        for path in copy_pd_patches(args.pd):
            print(path)
    if args.install or not args.pd:
        for path in write_device(args.install):
            print(path)
    return 0


def add_kit_parser(commands) -> None:
    from .kits import DEFAULT_PADS, LAYOUT

    kit = commands.add_parser(
        "kit", help="a playable kit around sounds you like, one sound per role",
        description="A kit that goes with the reference FILEs (or a cluster): a kick, snare, "
                    "hats, clap, toms, cymbals... each on its General MIDI / Drum Rack note ("
                    + ", ".join(f"{r.note} {r.name}" for r in LAYOUT)
                    + "). The references' own pack supplies every role it has; other roles "
                    "take the sound nearest in sound and recording colour. A reference keeps "
                    "its own role; a role with no confident sound stays empty and says so.")
    kit.add_argument("files", nargs="*", metavar="FILE")
    kit.add_argument("--pads", type=int, default=DEFAULT_PADS, metavar="N",
                     help=f"how many roles, in the order above (default {DEFAULT_PADS}, "
                          f"at most {len(LAYOUT)})")
    kit.add_argument("--from-cluster", type=int, metavar="ID",
                     help="build around a cluster: its most typical sound of each category")
    kit.add_argument("--other-folders", action="store_true",
                     help="take nothing else from the references' own packs")
    kit.add_argument("--json", action="store_true", help="print the kit as JSON")
    kit.set_defaults(run=run_kit)


def run_kit(library: Library, args: argparse.Namespace) -> int:
    if not args.files and args.from_cluster is None:
        raise EngineError("give reference FILEs or --from-cluster ID")
    kit = library.kit(args.files, pads=args.pads, cluster=args.from_cluster,
                      other_folders=args.other_folders)
    print(kit.model_dump_json(indent=2) if args.json else format_kit(kit))
    return 0


def add_serve_parser(commands) -> None:
    serve = commands.add_parser(
        "serve", help="answer Ableton Live, Max and Pure Data over OSC",
        description="An OSC (UDP) server over the library: the address space is in docs/osc.md. "
                    "Bound to this computer only unless --host says otherwise.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this computer only; "
                            "0.0.0.0 opens it to your network, then see --allow)")
    serve.add_argument("--port", type=port_number, default=9000,
                       help="port to listen on (default 9000)")
    serve.add_argument("--reply-port", type=port_number, default=9001,
                       help="port replies go to on the requester's host (default 9001)")
    serve.add_argument("--allow", action="append", default=[], metavar="ADDR",
                       help="with --host: an address or network (192.168.1.0/24) that may talk "
                            "to the server; repeatable. Others are ignored and logged.")
    serve.add_argument("--rescan-on-start", action="store_true",
                       help="rescan the library in the background when starting")
    serve.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes for rescans")
    serve.set_defaults(run=run_serve)


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
                           allow=args.allow)
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
    from pathlib import Path

    from .map_page import render_page, render_png

    data = library.map_data(progress=_map_progress() if sys.stderr.isatty() else None)
    if args.png:
        Path(args.png).write_bytes(render_png(data))
        print(f"wrote {args.png}", file=sys.stderr)
    if args.serve:
        from .map_server import make_server

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
    out = Path(args.out)
    out.write_text(render_page(data), encoding="utf-8")
    print(f"wrote {out} ({len(data.paths):,} sounds, {out.stat().st_size / 1e6:.1f} MB)",
          file=sys.stderr)
    if args.open:
        webbrowser.open(out.resolve().as_uri())
    return 0


def _map_progress():
    """Each step of the map's layout on its own terminal line, with the time it started."""
    import time

    started = time.monotonic()

    def show(step: str) -> None:
        print(f"[{time.monotonic() - started:5.1f} s] {step}...", file=sys.stderr, flush=True)

    return show


def _weights(pairs: list[str]) -> dict[str, float]:
    weights = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not math.isfinite(weights[name.strip()]):
            raise EngineError(f"--weight takes ASPECT=NUMBER (a finite number), not {pair!r}")
    return weights


def run_similar(library: Library, args: argparse.Namespace) -> int:
    results = library.similar(
        args.files,
        args.k,
        other_folders=args.other_folders,
        under=args.under,
        min_duration=args.min_duration,
        max_duration=args.max_duration,
        no_duplicates=args.no_duplicates,
        weights=_weights(args.weight),
        category=args.category,
    )
    for result in results:
        if args.json:
            print(result.model_dump_json())
        else:
            print(format_similar(result))
    return 0


def run_mates(library: Library, args: argparse.Namespace) -> int:
    result = library.mates(args.file)
    print(result.model_dump_json(indent=2) if args.json else format_mates(result))
    return 0


def _print_all(items: list, as_json: bool, formatter) -> int:
    """A list of report models as a JSON array, or as text for people."""
    if as_json:
        print(json.dumps([item.model_dump() for item in items], indent=2, ensure_ascii=False))
    else:
        print(formatter(items))
    return 0


def run_clusters(library: Library, args: argparse.Namespace) -> int:
    if args.mixed and args.count is not None:
        raise EngineError("--count clusters already mix instruments: --mixed goes with --size")
    with Ticker("Grouping similar sounds into clusters"):
        if args.size is not None or args.count is not None or args.mixed:
            library.recluster(size=args.size, count=args.count, mixed=args.mixed)
        clusters = library.clusters(category=args.category)
    return _print_all(clusters, args.json, format_clusters)


def run_cluster(library: Library, args: argparse.Namespace) -> int:
    detail = library.cluster(args.id)
    print(detail.model_dump_json(indent=2) if args.json else format_cluster(detail))
    return 0


def run_duplicates(library: Library, args: argparse.Namespace) -> int:
    return _print_all(library.duplicates(), args.json, format_duplicates)


def run_export(library: Library, args: argparse.Namespace) -> int:
    if args.format == "links":
        count = library.export_links(args.target)
        print(f"{count:,} links written under {args.target}", file=sys.stderr)
    else:
        count = library.export_table(args.target, args.format)
        if args.target != "-":
            print(f"{count:,} files written to {args.target}", file=sys.stderr)
    return 0


def run_scan(library: Library, args: argparse.Namespace) -> int:
    show_progress = not args.quiet and not args.json and sys.stderr.isatty()
    bar = ProgressBar() if show_progress else None
    try:
        if args.rebuild:
            if args.match:
                raise EngineError("--rebuild keeps each folder's --match: give no --match")
            aside, report = library.rebuild(args.folders or None, jobs=args.jobs,
                                            descriptor=args.descriptor, progress=bar)
        else:
            report = library.scan(
                args.folders or None,
                match=args.match,
                jobs=args.jobs,
                descriptor=args.descriptor,
                progress=bar,
            )
    finally:
        if bar is not None:
            bar.close()
    if args.rebuild:
        print(f"a new index was built; the old one is kept as {aside}", file=sys.stderr)
    if args.json:
        print(report.model_dump_json(indent=2))
    elif not args.quiet:
        print(format_scan_report(report))
    return 0


def run_forget(library: Library, args: argparse.Namespace) -> int:
    report = library.forget(args.folders)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(format_forget_report(report))
    return 0


def run_check(library: Library, args: argparse.Namespace) -> int:
    problems = library.check()
    if not problems:
        print(f"{library.db_path}: ok (SQLite integrity check)")
        return 0
    print(f"{library.db_path} is damaged:", *problems[:20], sep="\n  ")
    print(f"soundalike: error: the index is damaged: {damaged_advice(library.db_path)}",
          file=sys.stderr)
    return 1


def run_status(library: Library, args: argparse.Namespace) -> int:
    status = library.status(failures=None if args.all_failures else 50)
    print(status.model_dump_json(indent=2) if args.json else format_status(status))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _stop_like_ctrl_c()
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="soundalike: %(levelname)s: %(message)s",
    )
    try:
        if not getattr(args, "needs_library", True):
            code = args.run(None, args)
            sys.stdout.flush()
            return code
        with Library(args.db) as library:
            if args.command != "check" and not getattr(args, "rebuild", False):
                _refuse_damaged(library)
            code = args.run(library, args)
        sys.stdout.flush()  # here, so a closed pipe is caught below rather than at exit
        return code
    except sqlite3.DatabaseError as exc:  # the index file failed us: say how, not a traceback
        print(f"soundalike: error: {explain(exc, _db_path(args))}", file=sys.stderr)
        return 1
    except EngineError as exc:
        print(f"soundalike: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nsoundalike: interrupted (everything profiled so far is kept)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _closed_pipe()


def _refuse_damaged(library: Library) -> None:
    """No command answers from a damaged index: what it reads may come from intact pages
    and look like success. SQLite's quick check reads the file once (fast next to loading
    the library, which reads all of it anyway)."""
    problems = library.check(quick=True)
    if problems:
        raise DamagedIndexError(f"the index {library.db_path} is damaged ({problems[0]}). "
                                + damaged_advice(library.db_path))


def _db_path(args: argparse.Namespace):
    return args.db or default_db_path()


def _stop_like_ctrl_c() -> None:
    """SIGTERM (kill, a service manager) and SIGHUP (the terminal closed) stop a command as
    Ctrl-C does: a scan keeps what it profiled and its workers are shut down, instead of the
    process vanishing mid-transaction. `serve` installs its own handlers."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.default_int_handler)


def _closed_pipe() -> int:
    """The reader went away (`soundalike status --json | head`): stop quietly, as `cat` does.

    Standard output is pointed at /dev/null so Python's flush at exit raises nothing more.
    """
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 141  # 128 + SIGPIPE, what a shell reports for a command killed by a closed pipe


if __name__ == "__main__":
    sys.exit(main())
