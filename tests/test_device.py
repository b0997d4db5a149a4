"""The Max for Live device: its container, its patcher, its OSC addresses, its JavaScript."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from soundalike.bridge.address_space import BY_ADDRESS, REQUESTS
from soundalike.engine.clients import device_bytes
from soundalike.max_for_live.amxd import AmxdError, build_amxd, parse_amxd

HERE = Path(__file__).resolve().parent
DEVICE = HERE.parent / "max_for_live" / "device"
sys.path.insert(0, str(DEVICE))
import make_device  # noqa: E402

sys.path.remove(str(DEVICE))


def patcher_text() -> str:
    return (DEVICE / "soundalike.maxpat").read_text(encoding="utf-8")


def test_the_committed_patcher_is_what_the_generator_writes():
    assert patcher_text() == make_device.render(), (
        "soundalike.maxpat is stale: python max_for_live/device/make_device.py")


def test_the_amxd_parses_back_into_its_source_and_builds_reproducibly():
    data = device_bytes()
    assert data == device_bytes() == build_amxd(patcher_text(), "midi")
    assert data[:4] == b"ampf" and data[8:12] == b"mmmm" and data[12:16] == b"meta"
    device = parse_amxd(data)
    assert device.device_type == "midi"
    assert device.patcher_text == patcher_text()
    size = int.from_bytes(data[28:32], "little")
    assert data[24:28] == b"ptch" and size == len(data) - 32 and data.endswith(b"\x00")
    with pytest.raises(AmxdError):
        parse_amxd(data[:-5])
    with pytest.raises(AmxdError):
        parse_amxd(b"ampf\x04\x00\x00\x00zzzz" + data[12:])


def test_every_box_is_known_and_every_cord_fits():
    patcher = json.loads(patcher_text())["patcher"]
    boxes = {b["box"]["id"]: b["box"] for b in patcher["boxes"]}
    for box in boxes.values():
        kind = box["text"].split()[0] if box["maxclass"] == "newobj" else box["maxclass"]
        if kind == "v8":
            expected = (make_device.V8_INLETS, make_device.V8_OUTLETS)
        else:
            assert kind in make_device.OBJECTS, f"unknown object {kind}"
            expected = make_device.OBJECTS[kind][:2]
        assert (box["numinlets"], box["numoutlets"]) == expected, kind
        assert kind != "print", "no [print] in a device"
    for line in patcher["lines"]:
        (source, outlet), (destination, inlet) = (line["patchline"]["source"],
                                                  line["patchline"]["destination"])
        assert source in boxes and destination in boxes
        assert 0 <= outlet < boxes[source]["numoutlets"]
        assert 0 <= inlet < boxes[destination]["numinlets"]
    names = [b["saved_attribute_attributes"]["valueof"]["parameter_longname"]
             for b in boxes.values() if b.get("parameter_enable")]
    assert len(names) == len(set(names)), "Live parameter names must be unique"


def test_the_script_is_embedded_and_agrees_with_the_box():
    patcher = json.loads(patcher_text())["patcher"]
    (v8,) = [b["box"] for b in patcher["boxes"] if b["box"].get("text", "").startswith("v8")]
    code = (DEVICE / "soundalike_live.js").read_text(encoding="utf-8")
    assert v8["textfile"]["text"] == code and v8["textfile"]["embed"] == 1
    assert f"inlets = {make_device.V8_INLETS};" in code
    assert f"outlets = {make_device.V8_OUTLETS};" in code


def test_every_osc_address_the_device_uses_exists():
    code = (DEVICE / "soundalike_live.js").read_text(encoding="utf-8")
    verbs = set(re.findall(r'request\("(\w+)"', code))
    assert verbs == {"ping", "similar", "mates", "rescan"}
    for verb in verbs:
        assert f"/soundalike/{verb}" in BY_ADDRESS
    replies = {request.reply_address(r.suffix) for request in REQUESTS for r in request.replies}
    for verb, kind in [("similar", "result"), ("similar", "done"), ("mates", "result"),
                       ("mates", "done"), ("ping", "done"), ("rescan", "started"),
                       ("rescan", "progress"), ("rescan", "done"), ("library", "updated")]:
        assert f"/soundalike/{verb}/{kind}" in replies
        assert f'"{kind}"' in code and f'"{verb}"' in code
    patcher = json.loads(patcher_text())["patcher"]
    texts = [b["box"].get("text", "") for b in patcher["boxes"]]
    assert "udpsend 127.0.0.1 9000" in texts and "udpreceive 9001 @defer 1" in texts


def test_the_device_script_under_node():
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js to run the device's JavaScript: install nodejs")
    result = subprocess.run([node, "--test", str(HERE / "device")], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^# pass (\d+)", result.stdout, re.M).group(1) != "0"


def test_soundalike_device_writes_the_device(tmp_path):
    out = subprocess.run([sys.executable, "-m", "soundalike.engine.cli", "device", "--install",
                          str(tmp_path / "User Library"), "--pd", str(tmp_path / "pd")],
                         capture_output=True, text=True, check=True)
    written = tmp_path / "User Library" / "soundalike.amxd"
    assert str(written) in out.stdout
    assert written.read_bytes() == device_bytes()
    assert (tmp_path / "pd" / "soundalike.sampler.pd").exists()
