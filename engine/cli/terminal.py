"""Presenting engine reports to people at a terminal: progress bar and summaries.

File names are data: every line printed goes through :func:`printable`, so a name holding
an escape sequence cannot retitle or clear the terminal, and a newline in a name cannot break a
table. JSON output (``--json``) and exports carry the names unchanged.
"""

from __future__ import annotations

import re
import shutil
import sys
import threading
import time
from typing import TextIO

from ..reports import (
    ClusterDetail,
    ClusterSummary,
    DuplicateGroup,
    ForgetReport,
    KitResult,
    LibraryStatus,
    MatesResult,
    Neighbour,
    ScanProgress,
    ScanReport,
    SimilarResult,
)

#: Shown escaped: C0 and C1 control characters and DEL (escape sequences, bells, newlines,
#: carriage returns), the line and paragraph separators, and the bidirectional overrides that
#: could reorder a line as it is shown.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\n``): one
    line, nothing a terminal would act on."""
    return _UNPRINTABLE.sub(_escape, text)


def _join(lines: list[str]) -> str:
    """Lines for the terminal: each made printable, then joined."""
    return "\n".join(printable(line) for line in lines)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Ticker:
    """A line that says what is going on and for how long, for steps with no count to show
    (laying out the map, clustering): redrawn twice a second on a thread until closed.

    Does nothing unless ``stream`` is a terminal, so pipes and logs stay clean.
    """

    def __init__(self, text: str, stream: TextIO = sys.stderr, interval: float = 0.5,
                 delay: float = 0.5):
        self.text = text
        self.stream = stream
        self.interval = interval
        self.delay = delay  # quick steps print nothing
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = time.monotonic()
        self._drawn = False

    def __enter__(self) -> Ticker:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        if self._thread is None and _is_terminal(self.stream):
            self._thread = threading.Thread(target=self._run, name="soundalike-ticker",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        self._drawn = True
        while True:
            width = shutil.get_terminal_size((80, 20)).columns
            line = f"{self.text}... {_clock(time.monotonic() - self._started)}"
            self.stream.write("\r" + line[: width - 1].ljust(width - 1))
            self.stream.flush()
            if self._stop.wait(self.interval):
                return

    def close(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
            if not self._drawn:
                return
            width = shutil.get_terminal_size((80, 20)).columns
            self.stream.write("\r" + " " * (width - 1) + "\r")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ProgressBar:
    """One self-rewriting line on a terminal: bar, done/total, files/s, ETA, failures."""

    def __init__(self, stream: TextIO = sys.stderr, min_interval: float = 0.1):
        self.stream = stream
        self.min_interval = min_interval
        self._last = 0.0
        self._shown = False
        self._ticker: Ticker | None = None

    def __call__(self, progress: ScanProgress) -> None:
        if progress.phase == "clustering":  # no count to show: a ticking clock instead
            if self._ticker is None:
                self._ticker = Ticker("Grouping similar sounds into clusters", self.stream)
                self._ticker.start()
            self._shown = True
            return
        now = time.monotonic()
        if now - self._last < self.min_interval and progress.done < progress.total:
            return
        self._last = now
        width = shutil.get_terminal_size((80, 20)).columns
        if progress.phase == "walking":
            line = "Looking for audio files..."
        elif progress.phase == "finishing":
            line = "Finishing..."
        else:
            counts = (
                f" {progress.done:,}/{progress.total:,}  {progress.rate:,.0f} files/s"
                f"  ETA {_clock(progress.eta)}"
                + (f"  {progress.failed:,} failed" if progress.failed else "")
            )
            # once after an upgrade: files that may be loops, read again (see scan.loop_recount)
            label = "Finding loops " if progress.phase == "loops" else ""
            bar_width = max(10, min(40, width - len(counts) - len(label) - 4))
            filled = (
                int(bar_width * progress.done / progress.total) if progress.total else bar_width
            )
            line = label + "[" + "#" * filled + "-" * (bar_width - filled) + "]" + counts
        self.stream.write("\r" + line[: width - 1].ljust(width - 1))
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._ticker is not None:
            self._ticker.close()
            self._ticker = None
        if self._shown:
            width = shutil.get_terminal_size((80, 20)).columns
            self.stream.write("\r" + " " * (width - 1) + "\r")
            self.stream.flush()


def format_scan_report(report: ScanReport, *, max_failures: int = 20) -> str:
    seen = report.new + report.changed + report.unchanged + report.moved
    rate = (
        (report.profiled + report.silent + report.failed) / report.elapsed if report.elapsed else 0
    )
    folders = len(report.roots)
    lines = [
        f"Scanned {folders} folder{'s' if folders != 1 else ''} in {report.elapsed:.1f} s: "
        f"{seen:,} audio files ({rate:,.0f} files/s profiled), descriptor {report.descriptor}",
        f"  new {report.new:,} · changed {report.changed:,} · unchanged {report.unchanged:,} · "
        f"moved {report.moved:,} · removed {report.removed:,} · failed {report.failed:,} · "
        f"silent {report.silent:,}"
        + (f" · tried again {report.retried:,} ({report.recovered:,} profiled)"
           if report.retried else ""),
    ]
    if report.loops_found:
        lines.append(f"  {report.loops_found:,} more named loop (a better loop rule: longer files "
                     "read once more, none profiled again)")
    if report.loops_unnamed:
        lines.append(f"  {report.loops_unnamed:,} short files no longer named loop (under a "
                     "second, too few hits to be one: profiled again)")
    if report.loops_placed:
        lines.append(f"  {report.loops_placed:,} loops placed by all their hits, not the first "
                     "(their first seconds read once more: loops now find loops like them)")
    for root in report.offline_roots:
        lines.append(f"  offline (not found, index kept as it was): {root}")
    if report.failures:
        lines.append("Could not profile:")
        for failure in report.failures[:max_failures]:
            lines.append(f"  {failure.path}: {failure.reason}")
        hidden = report.failed - min(len(report.failures), max_failures)
        if hidden > 0:
            lines.append(f"  ... and {hidden:,} more (soundalike status lists them all)")
    return _join(lines)


def format_forget_report(report: ForgetReport) -> str:
    sounds = "sound" if report.files == 1 else "sounds"
    return _join([f"Forgot {len(report.folders)} folder(s); {report.files:,} {sounds} left the "
                  "index (the files on disk are untouched):"]
                 + [f"  {folder}" for folder in report.folders])


def format_status(status: LibraryStatus) -> str:
    lines = [
        f"Index      {status.db} ({status.db_bytes / 1e6:.1f} MB, schema {status.schema_version})",
        f"Descriptor {status.descriptor}"
        + (f" (searches use {status.search_descriptor} until every sound is reprofiled)"
           if status.search_descriptor and status.search_descriptor != status.descriptor
           else ""),
        f"Files      {status.files:,}: {status.profiled:,} profiled, {status.silent:,} silent, "
        f"{status.failed:,} failed, {status.long:,} long"
        + (f", {status.stale:,} to reprofile at the next scan" if status.stale else ""),
    ]
    if status.retrying:
        lines.append(f"           {status.retrying:,} failure(s) tried again at the next scan "
                     "(the file could not be read; the cause can pass)")
    if status.categories:
        lines.append("Categories " + ", ".join(f"{name} {n:,}" for name, n in
                                               status.categories.items()))
    if status.last_scan_finished:
        lines.append(f"Last scan  {status.last_scan_finished}")
    lines.append("Folders" if status.roots else "Folders    none yet: run `soundalike scan FOLDER`")
    for root in status.roots:
        extra = f"  (only names containing {root.match!r})" if root.match else ""
        state = "" if root.online else "  [offline: `soundalike forget` it if it is gone for good]"
        lines.append(f"  {root.path}{extra}{state}")
    if status.failures:
        lines.append("Failed files")
        for failure in status.failures:
            notes = [note for note, on in (("earlier profile kept", failure.kept_profile),
                                           ("tried again at the next scan", failure.retry)) if on]
            extra = f" ({'; '.join(notes)})" if notes else ""
            lines.append(f"  {failure.path}: {failure.reason}{extra}")
        if status.failed > len(status.failures):
            lines.append(
                f"  ... and {status.failed - len(status.failures):,} more "
                "(soundalike status --all-failures)"
            )
    return _join(lines)


def _neighbour_line(n: Neighbour) -> str:
    cluster = f"  [cluster {n.cluster}]" if n.cluster else ""
    mine = " (you)" if n.category_source == "you" else ""  # a correction, not the model's
    category = f"{n.category + mine:16s}  " if n.category else ""
    return f"{n.rank:4d}  {n.distance:6.3f}  {n.duration:6.2f}s  {category}{n.path}{cluster}"


def format_similar(result: SimilarResult) -> str:
    where = "" if result.in_library else "  (not in the library: profiled now)"
    what = f" ({result.category}, {result.category_confidence:.0%} sure)" if result.category else ""
    if result.category_source == "you":
        what = f" ({result.category}, your label)"
    heading = "rank  distance  length  " + ("category          " if what else "") + "path"
    lines = [f"Similar to {result.query}{what}{where}", heading]
    lines += [_neighbour_line(n) for n in result.neighbours]
    if not result.neighbours:
        lines.append("  (nothing matches these filters)")
    return _join(lines)


def format_mates(result: MatesResult) -> str:
    lines = [
        f"Cluster {result.cluster} ({result.label}) of {result.query}",
        "rank  distance  length  path",
    ]
    lines += [_neighbour_line(n) for n in result.mates]
    return _join(lines)


def format_clusters(clusters: list[ClusterSummary]) -> str:
    lines = ["  id  size  label"]
    lines += [f"{c.id:4d}  {c.size:4d}  {c.label}" for c in clusters]
    lines.append(f"{len(clusters):,} clusters (soundalike cluster ID lists one)")
    return _join(lines)


def format_cluster(detail: ClusterDetail) -> str:
    lines = [f"Cluster {detail.id}: {detail.label} ({detail.size} sounds, most typical first)"]
    lines += [f"{m.rank:4d}  {m.duration:6.2f}s  {m.path}" for m in detail.members]
    return _join(lines)


def format_duplicates(groups: list[DuplicateGroup]) -> str:
    if not groups:
        return "No near-identical samples found."
    lines = []
    for number, group in enumerate(groups, start=1):
        lines.append(
            f"Group {number} ({len(group.paths)} copies, distance up to "
            f"{group.distance:.3f}); keep the first:"
        )
        lines += [f"  {path}" for path in group.paths]
    spare = sum(len(g.paths) - 1 for g in groups)
    lines.append(f"{len(groups):,} groups, {spare:,} spare copies")
    return _join(lines)


def format_kit(kit: KitResult) -> str:
    """One line per pad in note order: note, role, sound (or why the pad is empty)."""
    lines = [f"kit around {', '.join(kit.references)}"]
    if kit.pack:
        lines.append(f"taken from {kit.pack} first")
    for pad in kit.pads:
        head = f"{pad.note:>4}  {pad.role:<11}"
        if pad.path is None:
            lines.append(f"{head} (empty: {pad.empty})")
            continue
        mark = ("  (reference)" if pad.reference else "  (locked)" if pad.locked
                else f"  {pad.distance:.3f}")
        confidence = (f"  {pad.category_confidence:.0%} {pad.category}"
                      if pad.category_confidence is not None else "")
        lines.append(f"{head} {pad.path}{mark}{confidence}")
    filled = sum(p.path is not None for p in kit.pads)
    lines.append(f"{filled} of {len(kit.pads)} pads filled")
    return _join(lines)
