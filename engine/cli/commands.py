"""The commands that ask the library something and print the answer: scan, forget, check,
status, similar, mates, clusters, cluster, duplicates, kit, export."""

from __future__ import annotations

import argparse
import json
import math
import sys

from ..errors import EngineError
from ..index.storage_faults import damaged_advice
from ..library import Library
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
    printable,
)


def run_kit(library: Library, args: argparse.Namespace) -> int:
    if not args.files and args.from_cluster is None and not args.keep:
        raise EngineError("give reference FILEs or --from-cluster ID")
    keep = {}
    for pair in args.keep:
        note, sep, file = pair.partition("=")
        if not sep or not note.strip() or not file:
            raise EngineError(f"--keep takes NOTE=FILE (e.g. --keep 38=snare.wav), not {pair!r}")
        keep[note.strip()] = file
    kit = library.kit(args.files, pads=args.pads, cluster=args.from_cluster,
                      other_folders=args.other_folders, variation=args.variation, keep=keep)
    if args.save:
        kit.saved = library.save_kit(kit, *args.save)
    print(kit.model_dump_json(indent=2) if args.json else format_kit(kit))
    if args.save and not args.json:
        print(f"saved as {kit.saved.format}: {kit.saved.file} ({len(kit.saved.samples)} "
              f"samples copied beside it, {kit.saved.converted} converted to WAV)")
    return 0


def run_label(library: Library, args: argparse.Namespace) -> int:
    if args.export or args.import_file:
        if args.files:
            raise EngineError("--export and --import take no FILEs")
        if args.export:
            count = library.export_labels(args.export)
            if args.export != "-":
                print(f"{count:,} corrections written to {args.export}", file=sys.stderr)
            return 0
        stored, skipped = library.import_labels(args.import_file)
        for reason in skipped:
            print(f"soundalike: skipped {reason}", file=sys.stderr)
        print(f"{stored:,} corrections read from {args.import_file}"
              + (f" ({len(skipped)} rows skipped)" if skipped else ""))
        return 0
    report = library.label(args.files, None if args.clear else args.category)
    if args.json:
        print(report.model_dump_json(indent=2))
    elif report.category is None:
        print(f"{report.changed} of {len(report.files)} sounds back to the model's category")
    else:
        print(f"{len(report.files)} sounds labelled {report.category}")
    return 0


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
        kind=args.kind,
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
        print(f"{count:,} links written under {printable(args.target)}", file=sys.stderr)
    else:
        count = library.export_table(args.target, args.format)
        if args.target != "-":
            print(f"{count:,} files written to {printable(args.target)}", file=sys.stderr)
    return 0


def run_scan(library: Library, args: argparse.Namespace) -> int:
    show_progress = not args.quiet and not args.json and sys.stderr.isatty()
    bar = ProgressBar() if show_progress else None
    try:
        if args.rebuild:
            if args.match:
                raise EngineError("--rebuild keeps each folder's --match: give no --match")
            aside, report = library.rebuild(args.folders or None, jobs=args.jobs,
                                            descriptor=args.descriptor, dask=args.dask,
                                            progress=bar)
        else:
            report = library.scan(
                args.folders or None,
                match=args.match,
                jobs=args.jobs,
                descriptor=args.descriptor,
                dask=args.dask,
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


