"""Writes soundalike.maxpat, the Max for Live device, with its JavaScript embedded.

    python max_for_live/device/make_device.py     # rewrites soundalike.maxpat beside this file

The patcher is text in git (this script writes it from named boxes, so every
patch cord names its ends); `soundalike device` builds the .amxd from it. The
device's logic lives in soundalike_live.js (tested under Node) and is embedded
in the [v8] box, because scripts lying next to an .amxd are not found when the
device runs inside Live. A test checks that the committed .maxpat is what this
script writes.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "soundalike_live.js"
PATCHER = HERE / "soundalike.maxpat"
DEVICE_WIDTH = 440

#: Every kind of box the device uses: (inlets, outlets, outlet types), as documented in
#: Cycling '74's reference pages (docs.cycling74.com/reference/<name>).
OBJECTS = {
    "live.thisdevice": (1, 3, ["bang", "int", "int"]),
    "live.drop": (1, 2, ["", ""]),
    "live.text": (1, 2, ["", ""]),
    "live.numbox": (1, 2, ["", "float"]),
    "udpsend": (1, 0, []),
    "udpreceive": (1, 1, [""]),
    "midiin": (1, 1, ["int"]),
    "midiout": (1, 0, []),
    "comment": (1, 0, []),
    "umenu": (1, 3, ["int", "", ""]),
}
BUTTONS = [  # (label, v8 inlet, presentation x, y)
    ("Similar", 2, 160, 8), ("Cluster", 3, 160, 30), ("Fill rack", 4, 160, 52),
    ("Swap next", 5, 235, 8), ("Swap prev", 6, 235, 30), ("Rescan", 7, 235, 52),
    ("From pad", 8, 8, 74),
]
NUMBERS = [  # (label, v8 inlet, min, max, initial, y)
    ("Pads", 9, 1, 16, 16, 8), ("First pad", 10, 1, 16, 1, 30),
    ("Port", 11, 1, 65535, 9000, 52), ("Reply port", 12, 1, 65535, 9001, 74),
]
V8_INLETS, V8_OUTLETS = 13, 4


class Device:
    def __init__(self):
        self.boxes: list[dict] = []
        self.lines: list[dict] = []

    def box(self, maxclass: str, rect, text: str | None = None, presentation=None, **extra) -> str:
        box_id = f"obj-{len(self.boxes) + 1}"
        if maxclass == "newobj":
            kind = text.split()[0]
        else:
            kind = maxclass
        inlets, outlets, types = (V8_INLETS, V8_OUTLETS, [""] * V8_OUTLETS) if kind == "v8" \
            else OBJECTS[kind]
        box = {"id": box_id, "maxclass": maxclass, "numinlets": inlets, "numoutlets": outlets}
        if types:
            box["outlettype"] = types
        box["patching_rect"] = [float(v) for v in rect]
        if presentation is not None:
            box["presentation"] = 1
            box["presentation_rect"] = [float(v) for v in presentation]
        if text is not None:
            box["text"] = text
        box.update(extra)
        self.boxes.append({"box": box})
        return box_id

    def connect(self, source: str, outlet: int, destination: str, inlet: int) -> None:
        self.lines.append({"patchline": {"destination": [destination, inlet],
                                         "source": [source, outlet]}})

    def patcher(self) -> dict:
        return {"patcher": {
            "fileversion": 1,
            "appversion": {"major": 9, "minor": 0, "revision": 0, "architecture": "x64",
                           "modernui": 1},
            "classnamespace": "box",
            "rect": [100.0, 100.0, 900.0, 600.0],
            "openinpresentation": 1,
            "default_fontsize": 10.0,
            "default_fontface": 0,
            "default_fontname": "Ableton Sans Medium",
            "gridsize": [8.0, 8.0],
            "devicewidth": float(DEVICE_WIDTH),
            "description": "soundalike: fill a Drum Rack with sounds like the one you drop, "
                           "from your own library (needs `soundalike serve`).",
            "boxes": self.boxes,
            "lines": self.lines,
            "dependency_cache": [],
            "autosave": 0,
        }}


def parameter(longname: str, shortname: str, kind: int, **values) -> dict:
    """A Live parameter (name, type 0 float / 1 int / 2 enum) with its range and initial value."""
    attributes = {"parameter_longname": longname, "parameter_shortname": shortname,
                  "parameter_type": kind}
    attributes.update(values)
    return {"parameter_enable": 1, "saved_attribute_attributes": {"valueof": attributes}}


def build() -> dict:
    d = Device()
    code = SCRIPT.read_text(encoding="utf-8")
    logic = d.box(
        "newobj", [20, 300, 520, 22], text=f"v8 {V8_OUTLETS} {V8_INLETS} @embed 1",
        saved_object_attributes={"embed": 1, "parameter_enable": 0},
        textfile={"text": code, "filename": SCRIPT.name, "flags": 0, "embed": 1,
                  "autowatch": 0},
        varname="---logic",
    )
    ready = d.box("newobj", [20, 20, 90, 22], text="live.thisdevice")
    d.connect(ready, 0, logic, 0)
    receive = d.box("newobj", [120, 20, 140, 22], text="udpreceive 9001 @defer 1")
    d.connect(receive, 0, logic, 0)
    drop = d.box("live.drop", [280, 20, 140, 60], presentation=[8, 8, 144, 60],
                 legend="Drop a sample", **parameter("Query", "Query", 4,
                                                      parameter_invisible=1))
    d.connect(drop, 0, logic, 1)
    for label, inlet, x, y in BUTTONS:
        button = d.box("live.text", [20 + 70 * inlet, 120, 64, 18], presentation=[x, y, 68, 18],
                       mode=0, text=label, texton=label,
                       **parameter(label, label, 2, parameter_enum=["off", "on"],
                                   parameter_mmax=1, parameter_invisible=1))
        d.connect(button, 0, logic, inlet)
    for label, inlet, low, high, initial, y in NUMBERS:
        d.box("comment", [20 + 70 * inlet, 170, 60, 18], text=label,
              presentation=[312, y, 62, 18])
        number = d.box("live.numbox", [20 + 70 * inlet, 200, 50, 15],
                       presentation=[376, y, 56, 15],
                       **parameter(label, label, 1, parameter_mmin=float(low),
                                   parameter_mmax=float(high), parameter_initial_enable=1,
                                   parameter_initial=[float(initial)],
                                   parameter_invisible=1 if "port" in label.lower() else 0))
        d.connect(number, 0, logic, inlet)
    send = d.box("newobj", [20, 360, 140, 22], text="udpsend 127.0.0.1 9000")
    d.connect(logic, 0, send, 0)
    status = d.box("comment", [180, 360, 420, 18], presentation=[8, 96, 424, 18],
                   text="soundalike: start `soundalike serve`, then drop a sample")
    d.connect(logic, 1, status, 0)
    d.connect(logic, 2, receive, 0)
    results = d.box("umenu", [180, 400, 420, 22], presentation=[8, 118, 424, 22],
                    items=[], parameter_enable=0)
    d.connect(logic, 3, results, 0)
    # MIDI passes through to the Drum Rack after this device.
    midi_in = d.box("newobj", [620, 20, 50, 22], text="midiin")
    midi_out = d.box("newobj", [620, 60, 55, 22], text="midiout")
    d.connect(midi_in, 0, midi_out, 0)
    return d.patcher()


def render() -> str:
    return json.dumps(build(), indent="\t", ensure_ascii=False) + "\n"


if __name__ == "__main__":
    PATCHER.write_text(render(), encoding="utf-8")
    print(f"wrote {PATCHER}")
