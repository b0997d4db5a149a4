"""The ``soundalike`` command: everything the patches do, for people at a terminal."""

from __future__ import annotations

import argparse
import logging
import sys

from . import __version__
from .errors import EngineError
from .library import Library
from .terminal import ProgressBar, format_scan_report, format_status


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
    scan.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary")
    scan.add_argument("--json", action="store_true", help="print the summary as JSON")
    scan.set_defaults(run=run_scan)

    status = commands.add_parser(
        "status",
        help="what the library holds",
        description="Folders, counts, index size, descriptor, last scan "
        "and the files that could not be profiled.",
    )
    status.add_argument("--json", action="store_true", help="print as JSON")
    status.add_argument("--all-failures", action="store_true", help="list every failed file")
    status.set_defaults(run=run_status)
    return parser


def run_scan(library: Library, args: argparse.Namespace) -> int:
    show_progress = not args.quiet and not args.json and sys.stderr.isatty()
    bar = ProgressBar() if show_progress else None
    try:
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
    if args.json:
        print(report.model_dump_json(indent=2))
    elif not args.quiet:
        print(format_scan_report(report))
    return 0


def run_status(library: Library, args: argparse.Namespace) -> int:
    status = library.status(failures=None if args.all_failures else 50)
    print(status.model_dump_json(indent=2) if args.json else format_status(status))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="soundalike: %(levelname)s: %(message)s",
    )
    try:
        with Library(args.db) as library:
            return args.run(library, args)
    except EngineError as exc:
        print(f"soundalike: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nsoundalike: interrupted (everything profiled so far is kept)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
