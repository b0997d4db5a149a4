"""Writes the three soundalike Max for Live devices' patchers, from named boxes.

    python max_for_live/device/make_device.py     # rewrites the .maxpat files beside this file

- **soundalike Sampler** (an instrument, ``soundalike_sampler.maxpat``): 16 pads of its own
  (``[buffer~]`` + ``[play~]``, MIDI notes 36-51, velocity, stereo, a name per pad) that
  "Similar", "Cluster" and "Kit" (each sound on the pad of its General MIDI note) fill, on
  every Live that runs Max for Live (Live 11 with Max 8, Live 12 with Max 8 or 9).
- **soundalike Rack Filler** (a MIDI effect, ``soundalike_rack.maxpat``): fills the Drum Rack
  after it through the Live API (Live 12.4 and later), a kit by note ("Kit", then "Fill rack"),
  swaps a pad through its neighbours.
- **soundalike Listener** (an audio effect, ``soundalike_listener.maxpat``): on any track, keeps
  the last seconds of its audio in a ring (``[record~ @loop 1]``); "Find" has the server cut
  the strongest hit from them and lists the sounds of the library most like it. *Find* is
  a Live parameter that Live can automate and MIDI-map (``parameter_invisible`` 0).

The Listener sends each hit's path to the other devices of the Set through a global Max name
(``[send soundalike-heard]``, not a ``---`` device-local one); the Sampler and the Rack Filler
``[receive soundalike-heard]`` into their script, which takes the hit as a dropped file and asks
for sounds like it (as Similar does) only when their "Follow Listener" toggle is on (off by
default, so a Listener never changes a device the user did not ask it to follow).

A MIDI effect cannot make sound and an instrument cannot sit before a Drum Rack, hence two
devices. Both run the same script (``soundalike_live.js``, plain ES5) in ``[js]``, which
Max 8 and 9 both have (``[v8]`` exists only in Max 9, so Live 11 and 12.0 could not load a
device using it). ``[js]`` cannot embed its code (only Max 9's ``[v8]`` can), so the script
travels beside the device: ``soundalike device`` writes it there, and the device's project
block lists it as a local file of the device. The same goes for the engine starter
(``soundalike_engine.js``, run by Node for Max's ``[node.script]``), which starts
``soundalike serve`` when nothing answers; the path of the ``soundalike`` command is written
into the device when it is installed (``amxd.with_command``).

The patchers carry the keys Max itself saves in a device (the ``project`` block with the
device type, ``parameters``, ``openrect``, ``latency``, ``is_mpe``, ``minimum_live_version``:
compare Ableton/maxdevtools' test devices). A test checks that the committed .maxpat files
are what this script writes.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = "soundalike_live.js"
ENGINE = "soundalike_engine.js"
#: The command the engine starter runs when the device was built without knowing where
#: `soundalike` is installed (`soundalike device` replaces it with an absolute path).
COMMAND_PLACEHOLDER = "soundalike"
DEVICE_WIDTH = 440
PADS = 16
FIRST_NOTE = 36

#: Every kind of box the devices use: (inlets, outlets, outlet types) for the box as the
#: devices create it, as Cycling '74's reference pages (docs.cycling74.com/reference/<name>)
#: and Max-saved patchers (Ableton/maxdevtools, maxdiff/known_objects.py) give them. Objects
#: whose counts follow their arguments are computed in :func:`io_counts`.
OBJECTS = {
    "live.thisdevice": (1, 3, ["bang", "int", "int"]),
    "live.drop": (1, 2, ["", ""]),
    "live.text": (1, 2, ["", ""]),
    "live.numbox": (1, 2, ["", "float"]),
    "udpsend": (1, 0, []),
    "udpreceive": (1, 1, [""]),
    "midiin": (1, 1, ["int"]),
    "midiout": (1, 0, []),
    "midiparse": (1, 8, ["", "", "", "int", "int", "", "int", ""]),
    "stripnote": (2, 2, ["int", "int"]),
    "pack": (2, 1, [""]),
    "prepend": (1, 1, [""]),
    "comment": (1, 0, []),
    "umenu": (1, 3, ["int", "", ""]),
    "message": (2, 1, [""]),
    "buffer~": (1, 2, ["float", "bang"]),
    "*~": (2, 1, ["signal"]),
    "/": (2, 1, ["float"]),
    "plugout~": (2, 2, ["signal", "signal"]),
    "node.script": (1, 2, ["", ""]),
    # the Listener: the track's audio in and out, and a ring of its last seconds
    "plugin~": (1, 2, ["signal", "signal"]),
    "record~": (4, 1, ["signal"]),  # 2 channels: 2 signal inlets, start and end points
    "snapshot~": (2, 1, ["float"]),
    "loadbang": (1, 1, ["bang"]),
    "opendialog": (1, 2, ["", "bang"]),
    "sel": (2, 2, ["bang", ""]),
    "conformpath": (1, 2, ["", "int"]),
    # the Listener's hits to the Set's other devices ("receive <name>": no inlet)
    "send": (1, 0, []),
    "receive": (0, 1, [""]),
}
JS_INLETS, JS_OUTLETS = 18, 7
#: The global Max name (no ``---``: every device of the Set shares it) the Listener's hits
#: travel on, and the script's inlet and outlet for them.
HEARD = "soundalike-heard"
IN_HEARD, OUT_HEARD = 17, 6


def io_counts(kind: str, args: list[str]) -> tuple[int, int, list[str]]:
    """Inlets, outlets and outlet types of a box, including those set by its arguments."""
    if kind == "js":
        return JS_INLETS, JS_OUTLETS, [""] * JS_OUTLETS
    if kind == "route":  # one outlet per argument, and one for the rest
        return 2, len(args) + 1, [""] * (len(args) + 1)
    if kind in ("t", "trigger"):
        types = {"b": "bang", "f": "float", "i": "int", "s": "", "l": "", "a": ""}
        return 1, len(args), [types[a] for a in args]
    if kind == "play~":  # one signal per channel, then a bang when done
        channels = int(args[1]) if len(args) > 1 else 1
        return 1, channels + 1, ["signal"] * channels + ["bang"]
    return OBJECTS[kind]


def four_cc(tag: bytes) -> int:
    """The ``amxdtype`` of a device: its ``ampf`` type code read as a little-endian int
    (b"mmmm" is 1835887981, as in Max-saved MIDI effects)."""
    return struct.unpack("<I", tag)[0]


class Device:
    def __init__(self, name: str, device_type: str, description: str):
        self.name = name
        self.device_type = device_type
        self.description = description
        self.boxes: list[dict] = []
        self.lines: list[dict] = []
        self.parameters: dict[str, list] = {}

    def box(self, maxclass: str, rect, text: str | None = None, presentation=None, **extra) -> str:
        box_id = f"obj-{len(self.boxes) + 1}"
        if maxclass in ("newobj", "message"):
            words = text.split()
            kind, args = (words[0], words[1:]) if maxclass == "newobj" else ("message", [])
        else:
            kind, args = maxclass, []
        inlets, outlets, types = io_counts(kind, args)
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
        if box.get("parameter_enable"):
            values = box["saved_attribute_attributes"]["valueof"]
            self.parameters[box_id] = [values["parameter_longname"],
                                       values["parameter_shortname"], 0]
        self.boxes.append({"box": box})
        return box_id

    def connect(self, source: str, outlet: int, destination: str, inlet: int) -> None:
        self.lines.append({"patchline": {"destination": [destination, inlet],
                                         "source": [source, outlet]}})

    def patcher(self) -> dict:
        code = {name: {"kind": "javascript", "local": 1} for name in (SCRIPT, ENGINE)}
        return {"patcher": {
            "fileversion": 1,
            "appversion": {"major": 8, "minor": 5, "revision": 5, "architecture": "x64",
                           "modernui": 1},
            "classnamespace": "box",
            "rect": [100.0, 100.0, 1000.0, 700.0],
            "openrect": [0.0, 0.0, float(DEVICE_WIDTH), 169.0],
            "openinpresentation": 1,
            "default_fontsize": 10.0,
            "default_fontface": 0,
            "default_fontname": "Ableton Sans Medium",
            "gridsize": [8.0, 8.0],
            "boxanimatetime": 500,
            "devicewidth": float(DEVICE_WIDTH),
            "description": self.description,
            "boxes": self.boxes,
            "lines": self.lines,
            "parameters": dict(self.parameters, inherited_shortname=1),
            "dependency_cache": [
                {"name": name, "bootpath": ".", "type": "TEXT", "implicit": 1}
                for name in (SCRIPT, ENGINE)],
            "latency": 0,
            "is_mpe": 0,
            "external_mpe_tuning_enabled": 0,
            "minimum_live_version": "",
            "minimum_max_version": "",
            "platform_compatibility": 0,
            "project": {
                "version": 1,
                "creationdate": 3814387200,  # fixed: the same source builds the same bytes
                "modificationdate": 3814387200,
                "viewrect": [25.0, 106.0, 300.0, 500.0],
                "autoorganize": 1,
                "hideprojectwindow": 1,
                "showdependencies": 1,
                "autolocalize": 0,
                "contents": {"patchers": {}, "media": {}, "code": code, "data": {},
                             "other": {}},
                "layout": {},
                "searchpath": {},
                "detailsvisible": 0,
                "amxdtype": four_cc(DEVICE_TYPES[self.device_type]),
                "readonly": 0,
                "devpathtype": 0,
                "devpath": ".",
                "sortmode": 0,
                "viewmode": 0,
                "includepackages": 0,
            },
            "autosave": 0,
        }}


DEVICE_TYPES = {"audio": b"aaaa", "midi": b"mmmm", "instrument": b"iiii"}


def parameter(longname: str, shortname: str, kind: int, **values) -> dict:
    """A Live parameter (name, type 0 float / 1 int / 2 enum) with its range and initial value."""
    attributes = {"parameter_longname": longname, "parameter_shortname": shortname,
                  "parameter_type": kind}
    attributes.update(values)
    return {"parameter_enable": 1, "saved_attribute_attributes": {"valueof": attributes}}


def common(d: Device, mode: str, buttons, numbers, list_shown: bool = True,
           mappable=()) -> str:
    """What both devices have: the script, the OSC ports, the engine starter, the drop zone,
    buttons and numbers, the status line and the result list. Returns the [js] box.
    Buttons named in ``mappable`` are parameters Live can automate and MIDI-map
    (``parameter_invisible`` 0); the others are stored with the Set only."""
    logic = d.box("newobj", [20, 300, 520, 22], text=f"js {SCRIPT} {mode}",
                  saved_object_attributes={"filename": SCRIPT, "parameter_enable": 0},
                  varname="---logic")
    ready = d.box("newobj", [20, 20, 90, 22], text="live.thisdevice")
    d.connect(ready, 0, logic, 0)
    # port 0: the system picks a free one until the script names the device's own
    receive = d.box("newobj", [120, 20, 140, 22], text="udpreceive 0 @defer 1")
    d.connect(receive, 0, logic, 0)
    drop = d.box("live.drop", [280, 20, 140, 60], presentation=[8, 8, 144, 60],
                 legend="Drop a sample", **parameter("Query", "Query", 4,
                                                      parameter_invisible=1))
    d.connect(drop, 0, logic, 1)
    for label, inlet, x, y in buttons:
        button = d.box("live.text", [20 + 70 * inlet, 120, 64, 18], presentation=[x, y, 68, 18],
                       mode=0, text=label, texton=label,
                       **parameter(label, label, 2, parameter_enum=["off", "on"],
                                   parameter_mmax=1,
                                   parameter_invisible=0 if label in mappable else 1))
        d.connect(button, 0, logic, inlet)
    for label, inlet, low, high, initial, y in numbers:
        d.box("comment", [20 + 70 * inlet, 170, 60, 18], text=label,
              presentation=[312, y, 62, 18])
        number = d.box("live.numbox", [20 + 70 * inlet, 200, 50, 15],
                       presentation=[376, y, 56, 15],
                       **parameter(label, label, 1, parameter_mmin=float(low),
                                   parameter_mmax=float(high), parameter_initial_enable=1,
                                   parameter_initial=[float(initial)],
                                   parameter_invisible=1 if label == "Port" else 0))
        d.connect(number, 0, logic, inlet)
    # Save kit: a folder panel, its path in POSIX form, to the script
    save = d.box("live.text", [20 + 70 * 15, 120, 64, 18], presentation=[312, 74, 68, 18],
                 mode=0, text="Save kit", texton="Save kit",
                 **parameter("Save kit", "Save kit", 2, parameter_enum=["off", "on"],
                             parameter_mmax=1, parameter_invisible=1))
    pressed = d.box("newobj", [20 + 70 * 15, 150, 40, 22], text="sel 1")
    d.connect(save, 0, pressed, 0)
    dialog = d.box("newobj", [20 + 70 * 15 + 50, 150, 100, 22], text="opendialog fold")
    d.connect(pressed, 0, dialog, 0)
    posix = d.box("newobj", [20 + 70 * 15, 180, 140, 22], text="conformpath slash boot")
    d.connect(dialog, 0, posix, 0)
    d.connect(posix, 0, logic, 15)
    send = d.box("newobj", [20, 360, 140, 22], text="udpsend 127.0.0.1 9000")
    d.connect(logic, 0, send, 0)
    status = d.box("comment", [180, 360, 420, 18], presentation=[8, 96, 424, 18],
                   text="soundalike: starting...")
    d.connect(logic, 1, status, 0)
    d.connect(logic, 2, receive, 0)
    results = d.box("umenu", [180, 400, 420, 22],
                    presentation=[8, 118, 424, 22] if list_shown else None,
                    items=[], parameter_enable=0)
    d.connect(logic, 3, results, 0)
    # the engine starter: Node for Max, started with the device, spawns `soundalike serve`
    # only when asked (the script asks when the server does not answer)
    engine = d.box("newobj", [20, 440, 400, 22],
                   text=f"node.script {ENGINE} {COMMAND_PLACEHOLDER} @autostart 1 @watch 0",
                   saved_object_attributes={"autostart": 1, "defer": 0, "watch": 0},
                   textfile={"filename": ENGINE, "flags": 0, "embed": 0, "autowatch": 0})
    d.connect(logic, 5, engine, 0)
    d.connect(engine, 0, logic, 0)
    return logic


def follow_listener(d: Device, logic: str, presentation) -> None:
    """The Sampler's and Rack Filler's side of the Listener: its hits from the global name
    into the script, and the "Follow Listener" toggle (off by default) that lets them in."""
    heard = d.box("newobj", [20 + 70 * IN_HEARD, 90, 150, 22], text=f"receive {HEARD}")
    d.connect(heard, 0, logic, IN_HEARD)
    toggle = d.box("live.text", [20 + 70 * IN_HEARD, 120, 90, 18], presentation=presentation,
                   mode=1, text="Follow Listener", texton="Following Listener",
                   **parameter("Follow Listener", "Follow", 2, parameter_enum=["off", "on"],
                               parameter_mmax=1, parameter_initial_enable=1,
                               parameter_initial=[0.0], parameter_invisible=1))
    d.connect(toggle, 0, logic, IN_HEARD)


def rack_filler() -> Device:
    d = Device("soundalike Rack Filler", "midi",
               "soundalike Rack Filler: fill the Drum Rack after this device with sounds like "
               "the one you drop, from your own library (Live 12.4 and later load the pads).")
    buttons = [  # (label, js inlet, presentation x, y)
        ("Similar", 2, 160, 8), ("Cluster", 3, 160, 30), ("Fill rack", 4, 160, 52),
        ("Swap next", 5, 235, 8), ("Swap prev", 6, 235, 30), ("Rescan", 7, 235, 52),
        ("From pad", 8, 8, 74), ("Kit", 12, 85, 74), ("Another", 13, 160, 74),
        ("Lock pad", 14, 235, 74),
    ]
    numbers = [  # (label, js inlet, min, max, initial, y)
        ("Pads", 9, 1, 16, 16, 8), ("First pad", 10, 1, 16, 1, 30),
        ("Port", 11, 1, 65535, 9000, 52),
    ]
    logic = common(d, "rack", buttons, numbers)
    follow_listener(d, logic, presentation=[8, 146, 144, 18])  # under the list
    # MIDI passes through to the Drum Rack after this device.
    midi_in = d.box("newobj", [620, 20, 50, 22], text="midiin")
    midi_out = d.box("newobj", [620, 60, 55, 22], text="midiout")
    d.connect(midi_in, 0, midi_out, 0)
    return d


def sampler() -> Device:
    d = Device("soundalike Sampler", "instrument",
               "soundalike Sampler: 16 pads filled with sounds like the one you drop, from "
               "your own library; MIDI notes 36-51 play them (any Live with Max for Live).")
    buttons = [("Similar", 2, 160, 8), ("Cluster", 3, 160, 30), ("Rescan", 7, 160, 52),
               ("Kit", 12, 235, 8), ("Another", 13, 235, 30)]
    numbers = [("Port", 11, 1, 65535, 9000, 8), ("Lock pad", 14, 0, 16, 0, 30)]
    logic = common(d, "sampler", buttons, numbers, list_shown=False)  # the pads show them
    follow_listener(d, logic, presentation=[8, 74, 144, 18])  # under the drop zone
    # notes: note-ons 36-51 pick a pad, velocity its level
    midi_in = d.box("newobj", [620, 20, 50, 22], text="midiin")
    parse = d.box("newobj", [620, 50, 100, 22], text="midiparse")
    d.connect(midi_in, 0, parse, 0)
    note_ons = d.box("newobj", [620, 80, 70, 22], text="stripnote")
    d.connect(parse, 0, note_ons, 0)
    note = d.box("newobj", [620, 110, 60, 22], text="pack 0 0")
    d.connect(note_ons, 0, note, 0)
    d.connect(note_ons, 1, note, 1)
    by_note = d.box("newobj", [620, 140, 500, 22],
                    text="route " + " ".join(str(FIRST_NOTE + n) for n in range(PADS)))
    d.connect(note, 0, by_note, 0)
    # loads and names: "<pad> replace <path>", "<pad> set <name>", "<pad> clear" from the script
    by_pad = d.box("newobj", [20, 500, 500, 22],
                   text="route " + " ".join(str(n) for n in range(1, PADS + 1)))
    d.connect(logic, 4, by_pad, 0)
    out = d.box("newobj", [620, 700, 100, 22], text="plugout~")
    for n in range(1, PADS + 1):
        x = 20 + (n - 1) * 110
        kind = d.box("newobj", [x, 540, 100, 22], text="route replace set clear")
        d.connect(by_pad, n - 1, kind, 0)
        replace = d.box("newobj", [x, 570, 90, 22], text="prepend replace")
        d.connect(kind, 0, replace, 0)
        buffer = d.box("newobj", [x, 600, 100, 22], text=f"buffer~ ---pad{n}")
        d.connect(replace, 0, buffer, 0)
        clear = d.box("message", [x + 50, 570, 40, 22], text="clear")
        d.connect(kind, 2, clear, 0)
        d.connect(clear, 0, buffer, 0)
        name = d.box("newobj", [x, 630, 80, 22], text="prepend set")
        d.connect(kind, 1, name, 0)
        column, row = (n - 1) % 4, (n - 1) // 4  # pad 1 bottom left, as in a Drum Rack
        label = d.box("comment", [x, 660, 100, 18], text=f"{n}: -", fontsize=9.0,
                      presentation=[8 + column * 106, 114 + 14 * (3 - row), 104, 13])
        d.connect(name, 0, label, 0)
        hit = d.box("newobj", [x, 720, 60, 22], text="t b f")
        d.connect(by_note, n - 1, hit, 0)
        level = d.box("newobj", [x, 750, 60, 22], text="/ 127.")
        d.connect(hit, 1, level, 0)
        start = d.box("message", [x, 780, 40, 22], text="start")
        d.connect(hit, 0, start, 0)
        player = d.box("newobj", [x, 810, 100, 22], text=f"play~ ---pad{n} 2")
        d.connect(start, 0, player, 0)
        for side in (0, 1):
            gain = d.box("newobj", [x + side * 50, 840, 45, 22], text="*~ 0.")
            d.connect(player, side, gain, 0)
            d.connect(level, 0, gain, 1)
            d.connect(gain, 0, out, side)
    return d


#: Seconds of the track the Listener keeps (the script's RING_SECONDS).
RING_SECONDS = 3


def listener() -> Device:
    d = Device("soundalike Listener", "audio",
               "soundalike Listener: put it on any track; Find takes the strongest hit of the "
               "last seconds the track played and lists the sounds of your library most like "
               "it (audio passes through untouched).")
    buttons = [("Find", 2, 160, 8), ("Rescan", 7, 160, 52)]
    numbers = [("Port", 11, 1, 65535, 9000, 8)]
    # Find: a parameter Live can MIDI-map (Rescan stays stored only)
    logic = common(d, "listener", buttons, numbers, mappable=("Find",))
    # each hit's path to the Set's Samplers and Rack Fillers (those that follow take it)
    hits = d.box("newobj", [20, 480, 150, 22], text=f"send {HEARD}")
    d.connect(logic, OUT_HEARD, hits, 0)
    # the track's audio passes through; a ring keeps its last seconds
    plugin = d.box("newobj", [620, 20, 60, 22], text="plugin~")
    out = d.box("newobj", [620, 200, 60, 22], text="plugout~")
    d.connect(plugin, 0, out, 0)
    d.connect(plugin, 1, out, 1)
    ring = d.box("newobj", [720, 140, 160, 22], text=f"buffer~ ---ring {RING_SECONDS * 1000} 2")
    d.connect(logic, 4, ring, 0)  # "writewave <path>" from the script
    recorder = d.box("newobj", [720, 80, 140, 22], text="record~ ---ring 2")
    d.connect(plugin, 0, recorder, 0)
    d.connect(plugin, 1, recorder, 1)
    start = d.box("newobj", [720, 20, 60, 22], text="loadbang")
    loop = d.box("message", [720, 50, 60, 22], text="loop 1, 1")
    d.connect(start, 0, loop, 0)
    d.connect(loop, 0, recorder, 0)
    where = d.box("newobj", [720, 110, 90, 22], text="snapshot~ 50")
    d.connect(recorder, 0, where, 0)
    d.connect(where, 0, logic, 16)  # where the ring is written next, 0-1
    return d


DEVICES = {"soundalike_rack.maxpat": rack_filler, "soundalike_sampler.maxpat": sampler,
           "soundalike_listener.maxpat": listener}


def render(build) -> str:
    return json.dumps(build().patcher(), indent="\t", ensure_ascii=False) + "\n"


if __name__ == "__main__":
    for file_name, build in DEVICES.items():
        (HERE / file_name).write_text(render(build), encoding="utf-8")
        print(f"wrote {HERE / file_name}")
