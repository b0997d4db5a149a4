"""The ``soundalike`` command: its entry point, global options and the handling of errors,
signals and closed pipes common to every command."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sqlite3
import sys

from .. import __version__
from ..errors import EngineError
from ..index.storage_faults import explain
from ..library import Library
from ..paths import default_db_path
from .parsers import add_commands
from .terminal import printable


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
    add_commands(commands)
    for command in commands.choices.values():  # `soundalike status --db FILE -v` works too
        command.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS,
                             help="library index file (as before the command)")
        command.add_argument("-v", "--verbose", action="store_true",
                             default=argparse.SUPPRESS, help="log what happens")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _stop_like_ctrl_c()
    if args.command != "map":
        _one_blas_thread()
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
                library.store.refuse_damaged()
            if library.live.recategorised:
                print(f"soundalike: a new category model: {library.live.recategorised} sounds "
                      "named again from their stored profiles (no file decoded)", file=sys.stderr)
            code = args.run(library, args)
        sys.stdout.flush()  # here, so a closed pipe is caught below rather than at exit
        return code
    except sqlite3.DatabaseError as exc:  # the index file failed us: say how, not a traceback
        print(f"soundalike: error: {printable(str(explain(exc, _db_path(args))))}", file=sys.stderr)
        return 1
    except EngineError as exc:
        print(f"soundalike: error: {printable(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nsoundalike: interrupted (everything profiled so far is kept)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _closed_pipe()


def _db_path(args: argparse.Namespace):
    return args.db or default_db_path()


def _one_blas_thread() -> None:
    """One BLAS thread: a command's matrix products are small (a query against 100,000
    sounds is one product of 100,000 x 48 numbers), and a second thread cost more than it
    gave, spinning after each product (0.75 s of CPU for `similar` at 100,000 sounds instead
    of 0.46) and waiting for a core on a busy machine. Scan workers, clustering and the
    server run single-threaded BLAS already; the map's layout keeps every core."""
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    threadpool_limits(limits=1, user_api="blas")


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

