"""A tiny writer of Pure Data patch files, so patches are built from named boxes.

Pd's file format refers to boxes by their position in the file; hand-editing
connections by index is how patches break. Here a box is a Python object and
a connection names its two ends; :meth:`Patch.render` numbers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def escape(text: str) -> str:
    """Pd's file escaping: ``$`` is ``\\$``, commas and semicolons are ``\\,`` and ``\\;``."""
    return text.replace("$", "\\$").replace(",", " \\,").replace(";", " \\;")


@dataclass
class Box:
    kind: str  # "obj", "msg", "text", "symbolatom", "floatatom", "sub" (a [pd name] subpatch)
    x: int
    y: int
    body: str
    index: int = -1
    inner: Patch | None = None


@dataclass
class Patch:
    width: int = 900
    height: int = 700
    font: int = 12
    boxes: list[Box] = field(default_factory=list)
    wires: list[tuple[Box, int, Box, int]] = field(default_factory=list)
    #: Graph on parent: the (x, y, width, height) of the patch shown inside its parent's box.
    gop: tuple[int, int, int, int] | None = None

    def _add(self, kind: str, x: int, y: int, body: str) -> Box:
        box = Box(kind, x, y, body, len(self.boxes))
        self.boxes.append(box)
        return box

    def obj(self, x: int, y: int, text: str) -> Box:
        return self._add("obj", x, y, escape(text))

    def msg(self, x: int, y: int, text: str) -> Box:
        return self._add("msg", x, y, escape(text))

    def comment(self, x: int, y: int, text: str, width: int | None = None) -> Box:
        body = escape(text) + (f", f {width}" if width else "")
        return self._add("text", x, y, body)

    def symbolatom(self, x: int, y: int, width: int, receive: str = "-", send: str = "-",
                   label: str = "-") -> Box:
        return self._add("symbolatom", x, y,
                         f"{width} 0 0 0 {escape(label)} {escape(receive)} {escape(send)}")

    def floatatom(self, x: int, y: int, width: int, receive: str = "-", send: str = "-",
                  label: str = "-") -> Box:
        return self._add("floatatom", x, y,
                         f"{width} 0 0 0 {escape(label)} {escape(receive)} {escape(send)}")

    def bang(self, x: int, y: int, label: str = "empty", send: str = "empty",
             receive: str = "empty") -> Box:
        label = escape(label.replace(" ", "_"))
        return self._add("obj", x, y, f"bng 25 250 50 0 {escape(send)} {escape(receive)} "
                                      f"{label} 30 12 0 12 #fcfcfc #000000 #000000")

    def toggle(self, x: int, y: int, label: str = "empty", send: str = "empty",
               receive: str = "empty", size: int = 15) -> Box:
        """A [tgl] (off at load) that sends 1 or 0 to ``send``."""
        label = escape(label.replace(" ", "_"))
        return self._add("obj", x, y, f"tgl {size} 0 {escape(send)} {escape(receive)} "
                                      f"{label} {size + 4} 7 0 10 #fcfcfc #000000 #000000 0 1")

    def canvas(self, x: int, y: int, width: int, height: int, label: str = "empty",
               receive: str = "empty", size: int = 1, color: str = "#fcfcfc",
               font_size: int = 12) -> Box:
        """A [cnv]: a coloured rectangle, and (through its receive name) a label a patch can
        set with ``label <symbol>``, which shows spaces as spaces (a symbol atom shows
        them escaped)."""
        return self._add("obj", x, y, f"cnv {size} {width} {height} empty {escape(receive)} "
                                      f"{escape(label.replace(' ', '_'))} 2 {height // 2} 0 "
                                      f"{font_size} {color} #000000 0")

    def subpatch(self, x: int, y: int, name: str, inner: Patch) -> Box:
        """A ``[pd name]`` box holding ``inner`` (help patches keep their reference in one)."""
        box = self._add("sub", x, y, escape(name))
        box.inner = inner
        return box

    def prefixed(self, source: tuple[Box, int], x: int, y: int, words: str, dy: int = 25) -> Box:
        """``source`` -> ``[list prepend words]`` -> ``[list trim]``: what the source outlet sends,
        as a message whose selector is ``words``. Returns the ``[list trim]`` box."""
        prepend = self.obj(x, y, f"list prepend {words}")
        self.connect(source[0], source[1], prepend, 0)
        trim = self.obj(x, y + dy, "list trim")
        self.connect(prepend, 0, trim, 0)
        return trim

    def connect(self, source: Box, outlet: int, sink: Box, inlet: int) -> None:
        self.wires.append((source, outlet, sink, inlet))

    def chain(self, *boxes: Box) -> None:
        """Connect outlet 0 of each box to inlet 0 of the next."""
        for a, b in zip(boxes, boxes[1:], strict=False):
            self.connect(a, 0, b, 0)

    def render(self) -> str:
        return "\n".join(self._lines(f"#N canvas 40 40 {self.width} {self.height} {self.font};")
                         ) + "\n"

    def _lines(self, header: str) -> list[str]:
        lines = [header]
        for box in self.boxes:
            if box.kind == "sub":
                lines.extend(box.inner._lines(
                    f"#N canvas 80 80 {box.inner.width} {box.inner.height} {box.body} 0;"))
                lines.append(f"#X restore {box.x} {box.y} pd {box.body};")
            else:
                lines.append(f"#X {box.kind} {box.x} {box.y} {box.body};")
        for source, outlet, sink, inlet in self.wires:
            lines.append(f"#X connect {source.index} {outlet} {sink.index} {inlet};")
        if self.gop:
            x, y, width, height = self.gop
            # flags 3: graph on parent, its name hidden (the patch shows its own title)
            lines.append(f"#X coords 0 -1 1 1 {width} {height} 3 {x} {y};")
        return lines
