"""The help patches are laid out as Pd's own: no box over another, no cord across text.

Every box's rectangle is computed from the generated patch as Pd 0.51-0.54 draws it at font
size 12 (DejaVu Sans Mono: 7 x 16 pixels a character; boxes wrap at 60 characters or their
``f`` width; a graph-on-parent abstraction is as big as its graph), and every cord as the
segment from its outlet to its inlet (Pd spreads inlets and outlets evenly over a box's
width). The check fails on two boxes that overlap (with a 2-pixel margin), a cord that crosses
a box other than its ends, and anything outside the window.
"""

from __future__ import annotations

import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

PD_FOLDER = Path(__file__).resolve().parents[1] / "max_for_live" / "pd"
sys.path.insert(0, str(PD_FOLDER))
try:
    import make_patches
    from pdpatch import Box, Patch
finally:
    sys.path.remove(str(PD_FOLDER))

CHAR_W, LINE_H = 7, 16  # font size 12
PAD = 2  # the margin two boxes keep
IOWIDTH = 7

#: (inlets, outlets) of the objects the help patches use; a new one must be added here.
IO = {
    "soundalike.client": (1, 4), "soundalike.sampler": (1, 3), "soundalike.listen~": (2, 2),
    "print": (1, 0), "dac~": (2, 0), "openpanel": (1, 1), "symbol": (2, 1), "list": (2, 1),
    "t": None, "pack": None, "pdcontrol": (1, 1), "vline~": (3, 1), "*~": (2, 1),
    "osc~": (2, 1), "+~": (2, 1), "noise~": (1, 1), "hip~": (2, 1), "route": None,
    "unpack": None, "f": (2, 1), "oscformat": (1, 1), "oscparse": (1, 1), "netsend": (1, 2),
    "soundfiler": (1, 2), "tabplay~": (2, 2), "tabwrite~": (2, 0), "list split": (2, 3),
    "bng": (1, 1), "cnv": (0, 0), "loadbang": (0, 1), "s": (1, 0), "r": (0, 1),
    "inlet": (0, 1), "outlet": (1, 0),
}


@dataclass
class Rect:
    box: Box
    x1: int
    y1: int
    x2: int
    y2: int
    label: str

    def overlaps(self, other: Rect) -> bool:
        return not (self.x2 + PAD <= other.x1 or other.x2 + PAD <= self.x1 or
                    self.y2 + PAD <= other.y1 or other.y2 + PAD <= self.y1)


def unescape(body: str) -> str:
    return body.replace(" \\,", ",").replace(" \\;", ";").replace("\\$", "$")


def wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]


def gop_size(name: str) -> tuple[int, int] | None:
    build = make_patches.PATCHES.get(f"{name}.pd")
    if build is None:
        return None
    patch = build()
    return patch.gop[2:] if patch.gop else None


def io_count(box: Box) -> tuple[int, int]:
    words = unescape(box.body).split()
    name = words[0]
    if box.kind == "msg":
        return 1, 1
    if box.kind == "sub":
        bodies = [b.body.split()[0] for b in box.inner.boxes if b.kind == "obj" and b.body]
        return (sum(b in ("inlet", "inlet~") for b in bodies),
                sum(b in ("outlet", "outlet~") for b in bodies))
    if name in ("t", "trigger"):
        return 1, len(words) - 1
    if name == "pack":
        return len(words) - 1, 1
    if name == "unpack":
        return 1, len(words) - 1
    if name == "route":
        return 2, len(words)
    if " ".join(words[:2]) in IO:
        return IO[" ".join(words[:2])]
    assert name in IO and IO[name], f"add [{name}]'s inlets and outlets to IO"
    return IO[name]


def rectangle(box: Box) -> Rect:
    body = unescape(box.body)
    words = body.split()
    if box.kind == "obj" and words[0] == "bng":
        size, label = int(words[1]), words[8].replace("_", " ")
        label_width = 0 if label == "empty" else 8 + len(label) * CHAR_W
        return Rect(box, box.x, box.y, box.x + size + label_width, box.y + size, label)
    if box.kind == "obj" and words[0] == "cnv":
        width, height = int(words[2]), int(words[3])
        return Rect(box, box.x, box.y, box.x + width, box.y + max(height, 1), "cnv")
    if box.kind == "obj" and gop_size(words[0]):
        width, height = gop_size(words[0])
        return Rect(box, box.x, box.y, box.x + width, box.y + height, words[0])
    width = 60
    match = re.search(r", f (\d+)$", body)
    if match:
        width, body = int(match.group(1)), body[: match.start()]
    if box.kind == "sub":
        body = "pd " + body
    if box.kind == "msg":  # Pd starts a new line after each semicolon of a message
        lines = [line for part in body.split(";") for line in wrapped(part.strip(), width)]
    else:
        lines = wrapped(body, width)
    chars = max(len(line) for line in lines)
    if box.kind == "text":
        return Rect(box, box.x, box.y, box.x + chars * CHAR_W + 4, box.y + len(lines) * LINE_H
                    + 2, body[:30])
    extra = 6 if box.kind == "msg" else 0  # a message box's flag
    return Rect(box, box.x, box.y, box.x + max(chars, 3) * CHAR_W + 6 + extra,
                box.y + len(lines) * LINE_H + 5, body[:30])


def cord_crosses(a: tuple[float, float], b: tuple[float, float], r: Rect) -> bool:
    """Whether the segment a-b passes through the inside of ``r`` (Liang-Barsky)."""
    x1, y1, x2, y2 = r.x1 + 1, r.y1 + 1, r.x2 - 1, r.y2 - 1
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - x1), (dx, x2 - a[0]), (-dy, a[1] - y1), (dy, y2 - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def problems(patch: Patch, name: str) -> list[str]:
    rects = [rectangle(box) for box in patch.boxes]
    found = []
    for i, a in enumerate(rects):
        if a.x2 > patch.width or a.y2 > patch.height:
            found.append(f"{name}: {a.label!r} ends at ({a.x2}, {a.y2}), outside the "
                         f"{patch.width}x{patch.height} window")
        for b in rects[i + 1:]:
            if a.label == "cnv" and b.label == "cnv":
                continue
            if a.overlaps(b):
                found.append(f"{name}: {a.label!r} at ({a.x1}, {a.y1}) overlaps {b.label!r} at "
                             f"({b.x1}, {b.y1})")
    by_box = {id(r.box): r for r in rects}
    for source, outlet, sink, inlet in patch.wires:
        s, t = by_box[id(source)], by_box[id(sink)]
        outs, ins = io_count(source)[1], io_count(sink)[0]
        sx = s.x1 + (0 if outs <= 1 else (s.x2 - s.x1 - IOWIDTH) * outlet / (outs - 1))
        tx = t.x1 + (0 if ins <= 1 else (t.x2 - t.x1 - IOWIDTH) * inlet / (ins - 1))
        a, b = (sx + 2, s.y2), (tx + 2, t.y1)
        for r in rects:
            if r is s or r is t or r.label == "cnv":
                continue
            if cord_crosses(a, b, r):
                found.append(f"{name}: the cord {s.label!r} -> {t.label!r} crosses {r.label!r}")
    for box in patch.boxes:
        if box.inner is not None:
            found += problems(box.inner, f"{name} [pd {box.body}]")
    return found


HELP = [name for name in make_patches.PATCHES if name.endswith("-help.pd")]


@pytest.mark.parametrize("name", HELP)
def test_help_patch_has_no_overlaps_and_no_cord_across_a_box(name):
    assert not problems(make_patches.PATCHES[name](), name)


def test_the_check_finds_what_it_is_for():
    patch = Patch(300, 200)
    text = patch.comment(10, 10, "a comment that runs on for a while", 40)
    over = patch.msg(60, 12, "bang")
    top, bottom = patch.msg(100, 100, "bang"), patch.obj(10, 150, "print")
    patch.connect(top, 0, bottom, 0)
    patch.comment(40, 125, "in the way")
    outside = patch.obj(280, 10, "print far")
    found = problems(patch, "test")
    assert any("overlaps" in f and "bang" in f for f in found)
    assert any("crosses 'in the way'" in f for f in found)
    assert any("outside" in f and "print far" in f for f in found)
    del text, over, outside
    assert len(HELP) == 3
