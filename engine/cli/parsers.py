"""The command line's grammar: every command with its options, help text and the function
that runs it."""

from __future__ import annotations

import argparse
import math

from ..sound.categories import ALL_CATEGORIES
from ..sound.category_names import label_names, query_names
from .commands import (
    run_check,
    run_cluster,
    run_clusters,
    run_duplicates,
    run_export,
    run_forget,
    run_kit,
    run_label,
    run_mates,
    run_scan,
    run_similar,
    run_status,
)
from .serving import run_device, run_map, run_serve


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


def positive_number(text: str) -> float:
    """An argparse type: a finite number above 0."""
    value = finite_number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
    return value


def add_commands(commands) -> None:
    """Every command, its options and the function that runs it."""

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
        "--dask", metavar="ADDRESS",
        help="profile on the workers of a Dask cluster (e.g. tcp://host:8786) that mount the "
        "same folders; needs pip install 'soundalike[dask]' (see docs/scale.md)",
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
    copies = similar.add_mutually_exclusive_group()
    copies.add_argument(
        "--duplicates",
        dest="no_duplicates",
        action="store_false",
        help="keep copies of the query and of better results (left out by default)",
    )
    copies.add_argument(
        "--no-duplicates",
        dest="no_duplicates",
        action="store_true",
        default=True,
        help="leave out copies of the query and of better results (the default)",
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
        choices=query_names(),
        metavar="C",
        help="only sounds of this instrument category (yours where you labelled them): "
        + ", ".join(ALL_CATEGORIES) + "; or several at once: cymbal (crash + ride + other "
        "cymbal), hats, percussion, drums, non-drum",
    )
    similar.add_argument(
        "--kind",
        choices=("same", "one-shot", "loop", "any"),
        default="same",
        help="one-shots, loops or any; by default the query's own kind: a loop finds loops, a "
        "one-shot finds one-shots (the other kind fills in if the library has too few)",
    )
    similar.add_argument(
        "--json", action="store_true", help="one JSON object per query, one per line"
    )
    similar.set_defaults(run=run_similar)

    add_kit_parser(commands)
    add_label_parser(commands)

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
    clusters.add_argument("--category", choices=query_names(), metavar="C",
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


def add_kit_parser(commands) -> None:
    from ..kits.roles import DEFAULT_PADS, LAYOUT

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
    kit.add_argument("--variation", type=int, default=0, metavar="N",
                     help="the N-th next kit for the same references: no sound of kit N-1 "
                          "again unless the library has nothing else for a role (default 0)")
    kit.add_argument("--keep", action="append", default=[], metavar="NOTE=FILE",
                     help="lock a pad: FILE stays on NOTE (or role: --keep snare=FILE) "
                          "whatever else changes; repeatable")
    kit.add_argument("--save", nargs=2, metavar=("FORMAT", "FOLDER"),
                     help="also write the kit as an instrument into FOLDER (new or empty, "
                          "outside your sample folders), its samples copied beside it: "
                          "hydrogen (a Hydrogen drumkit), drumgizmo (a DrumGizmo kit and "
                          "MIDI map) or sfz (an SFZ instrument)")
    kit.add_argument("--json", action="store_true", help="print the kit as JSON")
    kit.set_defaults(run=run_kit)


def add_label_parser(commands) -> None:
    label = commands.add_parser(
        "label", help="correct a sound's instrument category (it sticks)",
        description="Say what FILEs are when the model got them wrong (--category), or forget "
                    "what you said (--clear). The correction is kept in the index by the "
                    "sound's content, so it survives rescans, moves and renames; search "
                    "filters, kits, clusters and the map use it, and results show it as "
                    "yours. Categories: " + ", ".join(label_names()) + ". --export writes the "
                    "library's corrections as CSV, --import reads them (e.g. from another "
                    "computer).")
    label.add_argument("files", nargs="*", metavar="FILE")
    what = label.add_mutually_exclusive_group(required=True)
    what.add_argument("--category", metavar="C", help="what the FILEs are")
    what.add_argument("--clear", action="store_true",
                      help="back to the model's category for the FILEs")
    what.add_argument("--export", metavar="FILE.csv",
                      help="write every correction as CSV (- for standard output)")
    what.add_argument("--import", dest="import_file", metavar="FILE.csv",
                      help="read corrections from a CSV written by --export")
    label.add_argument("--json", action="store_true", help="print the result as JSON")
    label.set_defaults(run=run_label)


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
    serve.add_argument("--deadline", type=positive_number, default=1.0, metavar="S",
                       help="a request not started within S seconds of its arrival is answered "
                            "/soundalike/error ID \"busy: ...\" instead of late (default 1)")
    serve.set_defaults(run=run_serve)


