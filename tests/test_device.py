"""The Max for Live devices: containers, patchers, OSC addresses, their JavaScript under Node,
and the engine starter starting a real `soundalike serve`."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket

from soundalike.bridge.address_space import BY_ADDRESS, REQUESTS
from soundalike.engine import Library
from soundalike.engine.clients import DEVICES, SCRIPTS, device_bytes, soundalike_command
from soundalike.max_for_live.amxd import AmxdError, build_amxd, parse_amxd, with_command
from tests.conftest import write_sound
from tests.synth import drum

HERE = Path(__file__).resolve().parent
DEVICE = HERE.parent / "max_for_live" / "device"
sys.path.insert(0, str(DEVICE))
import make_device  # noqa: E402

sys.path.remove(str(DEVICE))

#: The first 32 bytes of an unfrozen MIDI effect saved by Max 9 (Ableton/maxdevtools,
#: maxdiff/tests/test_files/Test.amxd), but for the patcher's length: tags, sizes, meta 1.
MAX_SAVED_HEADER = b"ampf\x04\x00\x00\x00mmmmmeta\x04\x00\x00\x00\x01\x00\x00\x00ptch"
#: The top-level keys of that device's patcher (the rest of what Max saves, e.g. styles, is
#: optional), and of its project block.
MAX_SAVED_KEYS = {"fileversion", "appversion", "classnamespace", "rect", "openrect",
                  "default_fontsize", "default_fontname", "gridsize", "boxanimatetime", "boxes",
                  "lines", "parameters", "dependency_cache", "latency", "is_mpe",
                  "external_mpe_tuning_enabled", "minimum_live_version", "minimum_max_version",
                  "platform_compatibility", "project", "autosave"}
MAX_SAVED_PROJECT_KEYS = {"version", "creationdate", "modificationdate", "viewrect",
                          "autoorganize", "hideprojectwindow", "showdependencies",
                          "autolocalize", "contents", "layout", "searchpath", "detailsvisible",
                          "amxdtype", "readonly", "devpathtype", "devpath", "sortmode",
                          "viewmode", "includepackages"}


def patcher_text(file_name: str) -> str:
    return (DEVICE / file_name).read_text(encoding="utf-8")


def patchers():
    for name, (file_name, device_type) in DEVICES.items():
        yield name, device_type, json.loads(patcher_text(file_name))["patcher"]


def test_the_committed_patchers_are_what_the_generator_writes():
    assert set(make_device.DEVICES) == {file_name for file_name, _ in DEVICES.values()}
    for file_name, build in make_device.DEVICES.items():
        assert patcher_text(file_name) == make_device.render(build), (
            f"{file_name} is stale: python max_for_live/device/make_device.py")


@pytest.mark.parametrize("name", sorted(DEVICES))
def test_the_amxd_is_an_unfrozen_device_as_max_saves_it(name):
    file_name, device_type = DEVICES[name]
    data = device_bytes(name)
    assert data == device_bytes(name) == build_amxd(patcher_text(file_name), device_type)
    tag = {"midi": b"mmmm", "instrument": b"iiii", "audio": b"aaaa"}[device_type]
    assert data[:28] == MAX_SAVED_HEADER.replace(b"mmmm", tag)
    assert parse_amxd(data).meta == (1).to_bytes(4, "little")
    device = parse_amxd(data)
    assert device.device_type == device_type
    assert device.patcher_text == patcher_text(file_name)
    size = int.from_bytes(data[28:32], "little")
    assert size == len(data) - 32 and data.endswith(b"\x00")
    with pytest.raises(AmxdError):
        parse_amxd(data[:-5])
    with pytest.raises(AmxdError):
        parse_amxd(b"ampf\x04\x00\x00\x00zzzz" + data[12:])


def test_the_patchers_carry_what_max_saves_in_a_device():
    for _, device_type, patcher in patchers():
        assert set(patcher) >= MAX_SAVED_KEYS, MAX_SAVED_KEYS - set(patcher)
        project = patcher["project"]
        assert set(project) >= MAX_SAVED_PROJECT_KEYS, MAX_SAVED_PROJECT_KEYS - set(project)
        expected = {"midi": 1835887981, "instrument": 1768515945,
                    "audio": 1633771873}[device_type]  # "aaaa", as Max saves audio effects
        assert project["amxdtype"] == expected
        assert set(project["contents"]["code"]) == set(SCRIPTS)  # the files it needs, local
        boxes = {b["box"]["id"]: b["box"] for b in patcher["boxes"]}
        with_parameters = {i for i, b in boxes.items() if b.get("parameter_enable")}
        assert set(patcher["parameters"]) - {"inherited_shortname"} == with_parameters
        for box_id in with_parameters:
            longname = boxes[box_id]["saved_attribute_attributes"]["valueof"][
                "parameter_longname"]
            assert patcher["parameters"][box_id][0] == longname


def test_every_box_is_known_and_every_cord_fits():
    for name, _, patcher in patchers():
        boxes = {b["box"]["id"]: b["box"] for b in patcher["boxes"]}
        for box in boxes.values():
            if box["maxclass"] == "newobj":
                kind, *args = box["text"].split()
            else:
                kind, args = ("message" if box["maxclass"] == "message" else box["maxclass"]), []
            assert kind not in ("v8", "print"), f"{name}: [{kind}] (Max 9 only / no print)"
            assert kind in make_device.OBJECTS or kind in ("js", "route", "t", "play~"), (
                f"{name}: unknown object {kind}")
            inlets, outlets, _ = make_device.io_counts(kind, args)
            assert (box["numinlets"], box["numoutlets"]) == (inlets, outlets), box["text"]
            assert len(box.get("outlettype", [])) == outlets
        for line in patcher["lines"]:
            (source, outlet), (destination, inlet) = (line["patchline"]["source"],
                                                      line["patchline"]["destination"])
            assert source in boxes and destination in boxes
            assert 0 <= outlet < boxes[source]["numoutlets"]
            assert 0 <= inlet < boxes[destination]["numinlets"]
        names = [b["saved_attribute_attributes"]["valueof"]["parameter_longname"]
                 for b in boxes.values() if b.get("parameter_enable")]
        assert len(names) == len(set(names)), "Live parameter names must be unique"


def test_the_sampler_has_16_stereo_pads_on_notes_36_to_51():
    patcher = json.loads(patcher_text("soundalike_sampler.maxpat"))["patcher"]
    texts = [b["box"].get("text", "") for b in patcher["boxes"]]
    assert "route " + " ".join(str(n) for n in range(36, 52)) in texts
    for n in range(1, 17):
        assert f"buffer~ ---pad{n}" in texts and f"play~ ---pad{n} 2" in texts
    assert "plugout~" in texts and "stripnote" in texts


def test_the_listener_passes_the_track_through_and_keeps_a_ring_of_it():
    patcher = json.loads(patcher_text("soundalike_listener.maxpat"))["patcher"]
    boxes = {b["box"]["id"]: b["box"] for b in patcher["boxes"]}
    by_text = {box.get("text", ""): box_id for box_id, box in boxes.items()}
    cords = {(line["patchline"]["source"][0], line["patchline"]["source"][1],
              line["patchline"]["destination"][0], line["patchline"]["destination"][1])
             for line in patcher["lines"]}
    plugin, plugout = by_text["plugin~"], by_text["plugout~"]
    recorder, ring = by_text["record~ ---ring 2"], by_text["buffer~ ---ring 3000 2"]
    logic = by_text["js soundalike_live.js listener"]
    assert {(plugin, 0, plugout, 0), (plugin, 1, plugout, 1)} <= cords  # audio untouched
    assert {(plugin, 0, recorder, 0), (plugin, 1, recorder, 1)} <= cords
    assert (logic, 4, ring, 0) in cords  # "writewave <path>"
    where = by_text["snapshot~ 50"]
    assert {(recorder, 0, where, 0), (where, 0, logic, 16)} <= cords
    assert (by_text["loop 1, 1"], 0, recorder, 0) in cords
    code = (DEVICE / "soundalike_live.js").read_text(encoding="utf-8")
    assert "var RING_SECONDS = 3;" in code and make_device.RING_SECONDS == 3
    assert patcher["project"]["amxdtype"] == 1633771873  # an audio effect


def structure(file_name: str):
    patcher = json.loads(patcher_text(file_name))["patcher"]
    boxes = {b["box"]["id"]: b["box"] for b in patcher["boxes"]}
    by_text = {box.get("text", ""): box_id for box_id, box in boxes.items()}
    cords = {(line["patchline"]["source"][0], line["patchline"]["source"][1],
              line["patchline"]["destination"][0], line["patchline"]["destination"][1])
             for line in patcher["lines"]}
    return boxes, by_text, cords


def valueof(box: dict) -> dict:
    return box["saved_attribute_attributes"]["valueof"]


def test_the_listener_hands_its_hit_to_the_devices_that_follow_it():
    name = make_device.HEARD
    assert not name.startswith("---")  # a global name: every device of the Set shares it
    boxes, by_text, cords = structure("soundalike_listener.maxpat")
    logic = by_text["js soundalike_live.js listener"]
    assert (logic, make_device.OUT_HEARD, by_text[f"send {name}"], 0) in cords
    assert f"receive {name}" not in by_text
    for file_name, mode in [("soundalike_sampler.maxpat", "sampler"),
                            ("soundalike_rack.maxpat", "rack")]:
        boxes, by_text, cords = structure(file_name)
        logic = by_text[f"js soundalike_live.js {mode}"]
        assert f"send {name}" not in by_text
        assert (by_text[f"receive {name}"], 0, logic, make_device.IN_HEARD) in cords
        (toggle,) = [i for i, b in boxes.items() if b.get("text") == "Follow Listener"]
        assert boxes[toggle]["maxclass"] == "live.text" and boxes[toggle]["mode"] == 1
        assert boxes[toggle]["presentation"] == 1
        values = valueof(boxes[toggle])
        assert values["parameter_longname"] == "Follow Listener"
        assert values["parameter_initial_enable"] == 1 and values["parameter_initial"] == [0.0]
        assert (toggle, 0, logic, make_device.IN_HEARD) in cords
    code = (DEVICE / "soundalike_live.js").read_text(encoding="utf-8")
    assert f"IN_HEARD = {make_device.IN_HEARD};" in code
    assert f"OUT_HEARD = {make_device.OUT_HEARD};" in code


def test_the_listeners_find_can_be_midi_mapped():
    # Live maps (and automates) only parameters that are "Automated and Stored"
    boxes, _, cords = structure("soundalike_listener.maxpat")
    (find,) = [i for i, b in boxes.items() if b.get("text") == "Find"]
    assert boxes[find]["maxclass"] == "live.text" and boxes[find]["presentation"] == 1
    assert boxes[find]["parameter_enable"] == 1
    assert valueof(boxes[find])["parameter_invisible"] == 0
    assert any(source == find for source, *_ in cords)


def test_the_script_runs_in_js_with_the_mode_and_counts_it_declares():
    code = (DEVICE / "soundalike_live.js").read_text(encoding="utf-8")
    assert f"inlets = {make_device.JS_INLETS};" in code
    assert f"outlets = {make_device.JS_OUTLETS};" in code
    for name, _, patcher in patchers():
        (box,) = [b["box"] for b in patcher["boxes"] if b["box"].get("text", "").startswith("js ")]
        mode = ("sampler" if "Sampler" in name else "listener" if "Listener" in name
                else "rack")
        assert box["text"] == f"js soundalike_live.js {mode}"


def test_every_osc_address_the_devices_use_exists():
    code = (DEVICE / "soundalike_live.js").read_text(encoding="utf-8")
    verbs = set(re.findall(r'request\("(\w+)"', code))
    assert verbs == {"ping", "similar", "mates", "rescan", "kit", "recording", "hit"}
    for verb in verbs:
        assert f"/soundalike/{verb}" in BY_ADDRESS
    assert "no_duplicates" in {o.name for o in BY_ADDRESS["/soundalike/similar"].options}
    assert "start_at" in {o.name for o in BY_ADDRESS["/soundalike/hit"].options}
    replies = {request.reply_address(r.suffix) for request in REQUESTS for r in request.replies}
    for verb, kind in [("similar", "result"), ("similar", "done"), ("mates", "result"),
                       ("mates", "done"), ("ping", "done"), ("rescan", "started"),
                       ("rescan", "progress"), ("rescan", "done"), ("library", "updated"),
                       ("kit", "result"), ("kit", "empty"), ("kit", "done"),
                       ("recording", "done"), ("hit", "done")]:
        assert f"/soundalike/{verb}/{kind}" in replies
        assert f'"{kind}"' in code and f'"{verb}"' in code


def node_or_skip() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js to run the devices' JavaScript: install nodejs")
    return node


def test_the_device_script_under_node():
    result = subprocess.run([node_or_skip(), "--test", str(HERE / "device")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^# pass (\d+)", result.stdout, re.M).group(1) != "0"


# --- the engine starter, under Node, starting the real `soundalike serve` ------------------

def port_is_free(port: int) -> bool:
    """Nobody listens on this UDP port (we can bind it ourselves)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Engine:
    """soundalike_engine.js under Node, with a stand-in for Node for Max's max-api: messages
    in on stdin, the outlet's reports out on stdout (one JSON list a line)."""

    def __init__(self, command: str, env: dict):
        self.process = subprocess.Popen(
            [node_or_skip(), str(DEVICE / "soundalike_engine.js"), command],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(env, NODE_PATH=str(HERE / "device" / "fake_modules")))
        self.reports: queue.Queue = queue.Queue()
        self.seen: list = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.reports.put(json.loads(line))

    def send(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def until(self, what: str, limit: float = 90.0) -> list:
        deadline = time.monotonic() + limit  # a limit for a hung test, not a measurement
        while time.monotonic() < deadline:
            try:
                report = self.reports.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(report)
            if report[:2] == ["engine", what]:
                return report
        raise AssertionError(f"no 'engine {what}'; the engine said {self.seen}")


def ask(port: int, verb: str, *args) -> list:
    """One request from a python-osc-built packet on a fresh socket; every reply to it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(30)
        builder = OscMessageBuilder(f"/soundalike/{verb}")
        for value in ("t-1", *args, "reply_port", 0):
            builder.add_arg(value)
        sock.sendto(builder.build().dgram, ("127.0.0.1", port))
        replies = []
        while not replies or not replies[-1][0].endswith(("/done", "/error")):
            data, _ = sock.recvfrom(65536)
            for message in OscPacket(data).messages:
                replies.append((message.message.address, list(message.message.params)))
        return replies


@pytest.fixture
def library_env(tmp_path):
    root = tmp_path / "samples"
    for n, family in enumerate(("kick", "snare", "hat", "kick", "snare", "hat")):
        write_sound(root / f"{family} {n}.wav", drum(family, seed=n + 1), 44100)
    db = tmp_path / "library.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    return root, dict(os.environ, SOUNDALIKE_DB=str(db))


def test_the_engine_starter_starts_the_server_and_stops_it_with_node(library_env):
    root, env = library_env
    command = soundalike_command()
    assert command and Path(command).is_absolute()
    port = free_port()
    assert port_is_free(port)  # no server there: the device's ping would go unanswered
    engine = Engine(command, env)
    try:
        engine.until("ready")
        engine.send(f"start {port}")
        started = engine.until("started")
        assert started[2] > 0
        engine.until("listening")
        query = root / "kick 0.wav"
        replies = ask(port, "similar", str(query), 3)
        assert replies[-1] == ("/soundalike/similar/done", ["t-1", 3])
        with Library(Path(env["SOUNDALIKE_DB"])) as library:
            expected = [n.path for n in library.similar([query], k=3)[0].neighbours]
        assert [args[2] for _, args in replies[:-1]] == expected  # this library's answer
        engine.send(f"start {port}")  # asked again: it is ours and it answers
        engine.until("listening")
        assert not port_is_free(port)
    finally:
        engine.process.terminate()  # as Node for Max does when Live closes
        engine.process.wait(30)
    deadline = time.monotonic() + 30
    while not port_is_free(port):  # the server it started went with it
        assert time.monotonic() < deadline, "the server outlived the engine starter"
        time.sleep(0.1)


def test_the_engine_starter_stops_its_server_when_told_and_reports_a_missing_command(
        library_env, tmp_path):
    _, env = library_env
    port = free_port()
    engine = Engine(soundalike_command(), env)
    try:
        engine.until("ready")
        engine.send(f"start {port}")
        engine.until("listening")
        engine.send("stop")
        assert engine.until("exited")[2] in ("SIGTERM", "0", "-15", "143")
        assert port_is_free(port)
    finally:
        engine.process.terminate()
        engine.process.wait(30)
    if any((Path(place) / "soundalike").exists() for place in FIXED_PLACES):
        pytest.skip("a soundalike is installed system-wide here: it cannot be missing")
    nowhere = dict(env, PATH=str(tmp_path / "empty"), HOME=str(tmp_path))
    missing = Engine(str(tmp_path / "no such soundalike"), nowhere)
    try:
        missing.until("ready")
        missing.send(f"start {port}")
        failed = missing.until("failed")
        assert "soundalike is not installed where the device looks" in failed[2]
        assert "no such soundalike" in failed[2] and "pip install soundalike" in failed[2]
    finally:
        missing.process.terminate()
        missing.process.wait(30)


#: The install places the engine starter looks in whatever HOME is (see soundalike_engine.js).
FIXED_PLACES = ("/opt/homebrew/bin", "/usr/local/bin", "/usr/bin")


def fake_command(folder: Path, real: str) -> Path:
    """A `soundalike` in ``folder`` that runs the real one."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "soundalike"
    script.write_text(f'#!/bin/sh\nexec "{real}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return script


def test_the_engine_starter_finds_soundalike_on_path_then_usual_places_then_the_device(
        library_env, tmp_path):
    """No absolute path baked in: PATH first, then ~/.local/bin (and the other usual places),
    then the path the device names; a server started from the first one found answers."""
    _, env = library_env
    if any((Path(place) / "soundalike").exists() for place in FIXED_PLACES):
        pytest.skip("a soundalike is installed system-wide here: the order cannot be seen")
    real = soundalike_command()
    on_path = fake_command(tmp_path / "bin", real)
    user = fake_command(tmp_path / "home" / ".local" / "bin", real)
    device = fake_command(tmp_path / "device", real)
    cases = [
        (dict(env, PATH=f"{tmp_path / 'empty'}:{on_path.parent}", HOME=str(tmp_path / "home")),
         on_path),
        (dict(env, PATH=str(tmp_path / "empty"), HOME=str(tmp_path / "home")), user),
        (dict(env, PATH=str(tmp_path / "empty"), HOME=str(tmp_path / "nohome")), device),
    ]
    for case_env, expected in cases:
        engine = Engine(str(device), case_env)
        try:
            engine.until("ready")
            engine.send("which")
            assert engine.until("which")[2] == str(expected)
        finally:
            engine.process.terminate()
            engine.process.wait(30)
    port = free_port()
    engine = Engine("soundalike", cases[1][0])  # the device names no path: found all the same
    try:
        engine.until("ready")
        engine.send(f"start {port}")
        engine.until("listening")
        assert ask(port, "ping")[-1][0] == "/soundalike/ping/done"
    finally:
        engine.process.terminate()
        engine.process.wait(30)


def test_the_engine_starter_names_a_free_reply_port_for_each_device(library_env):
    """Two devices loading at once each get a port nobody holds, on the first try."""
    _, env = library_env
    engines = [Engine(soundalike_command(), env) for _ in range(2)]
    try:
        ports = []
        for engine in engines:
            engine.until("ready")
            engine.send("freeport")
            ports.append(engine.until("port")[2])
        for port in ports:
            assert 0 < port < 65536 and port_is_free(port)
    finally:
        for engine in engines:
            engine.process.terminate()
            engine.process.wait(30)


def test_soundalike_device_installs_both_devices_with_the_command_path(tmp_path):
    out = subprocess.run([sys.executable, "-m", "soundalike.engine.cli", "device", "--install",
                          str(tmp_path / "User Library"), "--pd", str(tmp_path / "pd")],
                         capture_output=True, text=True, check=True)
    command = soundalike_command()
    folder = tmp_path / "User Library"
    for name in DEVICES:
        written = folder / name
        assert str(written) in out.stdout
        assert written.read_bytes() == device_bytes(name, command)
        patcher = parse_amxd(written.read_bytes()).patcher["patcher"]
        (engine,) = [b["box"]["text"] for b in patcher["boxes"]
                     if b["box"].get("text", "").startswith("node.script")]
        assert engine == f'node.script soundalike_engine.js "{command}" @autostart 1 @watch 0'
    for script in SCRIPTS:
        assert (folder / script).read_bytes() == (DEVICE / script).read_bytes()
    assert (tmp_path / "pd" / "soundalike.sampler.pd").exists()


def test_a_command_path_with_spaces_stays_one_argument():
    text = patcher_text("soundalike_sampler.maxpat")
    patched = json.loads(with_command(text, "/Users/me/My Tools/bin/soundalike"))
    texts = [b["box"].get("text", "") for b in patched["patcher"]["boxes"]]
    assert ('node.script soundalike_engine.js "/Users/me/My Tools/bin/soundalike" '
            "@autostart 1 @watch 0") in texts


@pytest.mark.parametrize(("mode", "profile"), [("sampler", "11.3"), ("sampler", "12.0"),
                                               ("rack", "12.0"), ("rack", "12.4")])
def test_a_device_session_starts_the_server_and_fills_what_this_live_can(library_env, mode,
                                                                          profile):
    """The device's script with a Live profile, the real engine starter and the real server
    over loopback: its ping finds nobody, the engine starts `soundalike serve`, the ping is
    sent again and answered, and "Similar" fills the Sampler's own pads on any Live, the Drum
    Rack on 12.4, or says plainly why not."""
    root, env = library_env
    node = node_or_skip()
    port = free_port()
    assert port_is_free(port)
    query = root / "kick 0.wav"
    result = subprocess.run([node, str(HERE / "device" / "live_session.js"), mode, profile,
                             soundalike_command(), str(port), str(query)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    session = json.loads(result.stdout.splitlines()[-1])
    statuses = session["statuses"]
    assert any(f"server not answering on port {port}: starting soundalike serve" in s
               for s in statuses), statuses
    assert any(s.startswith(f"Live {profile}") and "connected" in s for s in statuses)
    pings = [r for r in session["requests"] if r[0] == "/soundalike/ping"]
    # sent again, same id, once it listens (to the free reply port the engine starter named)
    assert len(pings) == 2 and pings[0][:3] == pings[1][:3]
    with Library(Path(env["SOUNDALIKE_DB"])) as library:
        expected = [n.path for n in library.similar([query], k=16)[0].neighbours]
    assert 0 < len(expected) < 16
    assert not session["touchedOtherTrack"] and not session["missingCalls"]
    if mode == "sampler":
        loads = [pad for pad in session["pads"] if pad[1] == "replace"]
        assert loads == [[n + 1, "replace", p] for n, p in enumerate(expected)]
        cleared = sorted(pad[0] for pad in session["pads"] if pad[1] == "clear")
        assert cleared == list(range(len(expected) + 1, 17))
    elif profile == "12.4":
        for n, p in enumerate(expected):
            assert session["samples"][str(36 + n)] == p
    else:
        assert session["samples"]["36"] == "/kits/a kick.wav"
        assert "Live 12.4 or later" in statuses[-1] and "this is 12.0" in statuses[-1]
    deadline = time.monotonic() + 30
    while not port_is_free(port):  # the engine took its server with it
        assert time.monotonic() < deadline, "the server outlived the session"
        time.sleep(0.1)
