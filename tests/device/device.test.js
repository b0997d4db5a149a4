// The Max for Live device's JavaScript under Node, against a recording fake of Live.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { FakeLiveSet, loadDevice, DEVICE_JS } = require("./fake_live.js");

const IN = { similar: 2, cluster: 3, fill: 4, next: 5, previous: 6, rescan: 7, fromPad: 8,
             pads: 9, first: 10, port: 11, replyPort: 12 };

function twoTracks(options = {}) {
  return new FakeLiveSet({
    tracks: [
      { rack: { pads: { 36: "/kits/a kick.wav", 38: "/kits/a snare.wav" }, selected: 36 } },
      { rack: { pads: { 36: "/other/kick.wav", 37: "/other/rim.wav" }, selected: 37 } },
    ],
    ...options,
  });
}

function answer(device, id, verb, paths) {
  paths.forEach((p, i) => device.osc(`/soundalike/${verb}/result`, id, i + 1, p, 0.1 * (i + 1), 3));
  device.osc(`/soundalike/${verb}/done`, id, paths.length);
}

function startedDevice(live) {
  const device = loadDevice(live);
  device.bang(0);  // live.thisdevice: ready
  return device;
}

test("similar sends one OSC request with an id, the path, k and the reply port", () => {
  const device = startedDevice(twoTracks());
  device.drop("/my samples/Très bébé kick.wav");
  device.number(IN.similar, 1);
  const requests = device.requests();
  assert.deepEqual(requests[0], ["/soundalike/ping", 1, "reply_port", 9001]);
  assert.deepEqual(requests[1], ["/soundalike/similar", 2, "/my samples/Très bébé kick.wav", 16,
                                 "reply_port", 9001]);
  device.number(IN.replyPort, 9100);
  device.number(IN.cluster, 1);
  assert.deepEqual(device.requests()[2], ["/soundalike/mates", 3, "/my samples/Très bébé kick.wav",
                                          16, "reply_port", 9100]);
  assert.ok(device.sent.some((m) => m[0] === 2 && m[1] === "port" && m[2] === 9100));
});

test("fill rack loads filled pads, creates empty ones, and never touches another track", () => {
  const live = twoTracks();
  const device = startedDevice(live);
  device.drop("/q.wav");
  device.number(IN.pads, 3);
  device.number(IN.similar, 1);
  answer(device, 2, "similar", ["/lib/one.wav", "/lib/two two.wav", "/lib/three.wav"]);
  live.log.length = 0;
  device.number(IN.fill, 1);

  assert.equal(live.sampleOn(36), "/lib/one.wav");
  assert.equal(live.sampleOn(37), "/lib/two two.wav");  // was empty: chain + Simpler created
  assert.equal(live.sampleOn(38), "/lib/three.wav");
  const calls = live.log.filter((e) => e.op === "call" || e.op === "set")
    .map((e) => [live.objects.get(e.id).path, e.name, ...(e.args || [])]);
  assert.deepEqual(calls, [
    ["live_set tracks 0 devices 0 chains 0 devices 0", "replace_sample", "/lib/one.wav"],
    ["live_set tracks 0 devices 0", "insert_chain"],
    ["live_set tracks 0 devices 0 chains 2", "in_note", 37],
    ["live_set tracks 0 devices 0 chains 2", "insert_device", "Simpler"],
    ["live_set tracks 0 devices 0 chains 2 devices 0", "replace_sample", "/lib/two two.wav"],
    ["live_set tracks 0 devices 0 chains 1 devices 0", "replace_sample", "/lib/three.wav"],
  ]);
  const otherTrack = new Set(live.tracks[1].owned);
  for (const id of live.touched()) assert.ok(!otherTrack.has(id), `touched track 2 object ${id}`);
  assert.equal(live.sampleOn(36, 1), "/other/kick.wav");
  assert.match(device.status(), /loaded 3 pads/);
});

test("the first pad setting shifts the notes", () => {
  const live = twoTracks();
  const device = startedDevice(live);
  device.drop("/q.wav");
  device.number(IN.pads, 2);
  device.number(IN.first, 3);  // pad 3 = note 38
  device.number(IN.similar, 1);
  answer(device, 2, "similar", ["/lib/x.wav", "/lib/y.wav"]);
  device.number(IN.fill, 1);
  assert.equal(live.sampleOn(38), "/lib/x.wav");
  assert.equal(live.sampleOn(39), "/lib/y.wav");
  assert.equal(live.sampleOn(36), "/kits/a kick.wav");
});

test("an older Live is said plainly and the results are listed instead", () => {
  const live = twoTracks({ version: [12, 2] });
  const device = startedDevice(live);
  device.drop("/q.wav");
  device.number(IN.similar, 1);
  answer(device, 2, "similar", ["/lib/one.wav", "/lib/two.wav"]);
  live.log.length = 0;
  device.sent.length = 0;
  device.number(IN.fill, 1);
  assert.match(device.status(), /Live 12\.4 or later.*this is 12\.2/);
  assert.equal(live.log.filter((e) => e.op === "call").length, 0);
  const listed = device.sent.filter((m) => m[0] === 3);
  assert.deepEqual(listed, [[3, "clear"], [3, "append", "/lib/one.wav"], [3, "append", "/lib/two.wav"]]);
  assert.equal(live.sampleOn(36), "/kits/a kick.wav");
});

test("a failed call (id 0) is reported, not hidden", () => {
  const live = twoTracks({ failInsertChain: true });
  const device = startedDevice(live);
  device.drop("/q.wav");
  device.number(IN.pads, 2);
  device.number(IN.similar, 1);
  answer(device, 2, "similar", ["/lib/one.wav", "/lib/two.wav"]);
  device.number(IN.fill, 1);
  assert.equal(live.sampleOn(36), "/lib/one.wav");
  assert.equal(live.sampleOn(37), null);
  assert.match(device.status(), /loaded 1 of 2 pads; could not add a chain for pad 37/);
});

test("no Drum Rack on the device's track: said, and nothing else is searched", () => {
  const live = new FakeLiveSet({ tracks: [{}, { rack: { pads: { 36: "/x.wav" }, selected: 36 } }] });
  const device = startedDevice(live);
  device.drop("/q.wav");
  device.number(IN.similar, 1);
  answer(device, 2, "similar", ["/lib/one.wav"]);
  device.number(IN.fill, 1);
  assert.match(device.status(), /Drum Rack/);
  const otherTrack = new Set(live.tracks[1].owned);
  for (const id of live.touched()) assert.ok(!otherTrack.has(id));
});

test("swap steps the selected pad through its nearest sounds, and back", () => {
  const live = twoTracks();
  const device = startedDevice(live);
  device.number(IN.next, 1);
  const ask = device.requests().pop();
  assert.deepEqual(ask, ["/soundalike/similar", 2, "/kits/a kick.wav", 16, "reply_port", 9001]);
  answer(device, 2, "similar", ["/lib/k1.wav", "/lib/k2.wav"]);
  assert.equal(live.sampleOn(36), "/lib/k1.wav");
  device.number(IN.next, 1);
  assert.equal(live.sampleOn(36), "/lib/k2.wav");
  device.number(IN.previous, 1);
  assert.equal(live.sampleOn(36), "/lib/k1.wav");
  device.number(IN.previous, 1);
  assert.equal(live.sampleOn(36), "/kits/a kick.wav");
  assert.match(device.status(), /back to a kick\.wav/);
});

test("from pad takes the selected pad's sample as the query", () => {
  const live = twoTracks();
  const device = startedDevice(live);
  device.number(IN.fromPad, 1);
  device.number(IN.similar, 1);
  assert.equal(device.requests().pop()[2], "/kits/a kick.wav");
});

test("replies to older requests, errors and rescan progress", () => {
  const device = startedDevice(twoTracks());
  device.drop("/q.wav");
  device.number(IN.similar, 1);
  device.osc("/soundalike/similar/result", 99, 1, "/stale.wav", 0.1, 0);
  device.osc("/soundalike/error", 2, "no such file: /q.wav");
  assert.equal(device.status(), "error: no such file: /q.wav");
  device.number(IN.rescan, 1);
  device.osc("/soundalike/rescan/progress", 3, "profiling", 40, 100, 1);
  assert.equal(device.status(), "rescan: profiling 40/100 (1 failed)");
  device.osc("/soundalike/rescan/done", 3, 2, 0, 1, 0, 500);
  assert.match(device.status(), /rescan done: 2 new, 0 changed, 1 removed, 0 failed; 500 sounds/);
});

test("the device code is plain ES5", () => {
  const source = fs.readFileSync(DEVICE_JS, "utf8").replace(/\/\/.*$/gm, "").replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const [what, pattern] of [["let", /\blet\s/], ["const", /\bconst\s/], ["arrow function", /=>/],
                                 ["class", /\bclass\s/], ["template literal", /`/], ["spread", /\.\.\./],
                                 ["default parameter", /function\s*\w*\([^)]*=/]]) {
    assert.ok(!pattern.test(source), `uses ${what}`);
  }
});
