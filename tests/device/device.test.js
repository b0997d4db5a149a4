// The Max for Live device's JavaScript under Node, against a recording fake of Live.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { FakeLiveSet, loadDevice, DEVICE_JS, PROFILES } = require("./fake_live.js");

const IN = { similar: 2, cluster: 3, fill: 4, next: 5, previous: 6, rescan: 7, fromPad: 8,
             pads: 9, first: 10, port: 11, kit: 12, another: 13, lock: 14 };

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

function startedDevice(live, mode = "rack") {
  const device = loadDevice(live, mode);
  device.bang(0);  // live.thisdevice: ready
  return device;
}

test("similar sends one OSC request with an id, the path, k and the instance's reply port", () => {
  const device = startedDevice(twoTracks());
  const port = device.replyPort;
  assert.ok(port >= 49152 && port < 65536);
  assert.ok(device.sent.some((m) => m[0] === 2 && m[1] === "port" && m[2] === port));
  device.drop("/my samples/Très bébé kick.wav");
  device.number(IN.similar, 1);
  const requests = device.requests();
  assert.deepEqual(requests[0], ["/soundalike/ping", device.id(1), "reply_port", port]);
  assert.deepEqual(requests[1], ["/soundalike/similar", device.id(2), "/my samples/Très bébé kick.wav",
                                 16, "reply_port", port]);
  device.number(IN.cluster, 1);
  assert.deepEqual(device.requests()[2], ["/soundalike/mates", device.id(3),
                                          "/my samples/Très bébé kick.wav", 16, "reply_port", port]);
});

test("fill rack loads filled pads, creates empty ones, and never touches another track", () => {
  const live = twoTracks();
  const device = startedDevice(live);
  device.drop("/q.wav");
  device.number(IN.pads, 3);
  device.number(IN.similar, 1);
  answer(device, device.id(2), "similar", ["/lib/one.wav", "/lib/two two.wav", "/lib/three.wav"]);
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
  answer(device, device.id(2), "similar", ["/lib/x.wav", "/lib/y.wav"]);
  device.number(IN.fill, 1);
  assert.equal(live.sampleOn(38), "/lib/x.wav");
  assert.equal(live.sampleOn(39), "/lib/y.wav");
  assert.equal(live.sampleOn(36), "/kits/a kick.wav");
});

test("an older Live is said plainly and the results are listed instead", () => {
  const live = twoTracks({ profile: "12.3" });
  const device = startedDevice(live);
  device.drop("/q.wav");
  device.number(IN.similar, 1);
  answer(device, device.id(2), "similar", ["/lib/one.wav", "/lib/two.wav"]);
  live.log.length = 0;
  device.sent.length = 0;
  device.number(IN.fill, 1);
  assert.match(device.status(), /Live 12\.4 or later.*this is 12\.3/);
  assert.equal(live.log.filter((e) => e.op === "call" || e.op === "missing").length, 0);
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
  answer(device, device.id(2), "similar", ["/lib/one.wav", "/lib/two.wav"]);
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
  answer(device, device.id(2), "similar", ["/lib/one.wav"]);
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
  assert.deepEqual(ask, ["/soundalike/similar", device.id(2), "/kits/a kick.wav", 16,
                         "no_duplicates", 1, "reply_port", device.replyPort]);
  answer(device, device.id(2), "similar", ["/lib/k1.wav", "/lib/k2.wav"]);
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
  device.osc("/soundalike/similar/result", device.id(99), 1, "/stale.wav", 0.1, 0);
  device.osc("/soundalike/error", device.id(2), "no such file: /q.wav");
  assert.equal(device.status(), "error: no such file: /q.wav");
  device.number(IN.rescan, 1);
  device.osc("/soundalike/rescan/progress", device.id(3), "profiling", 40, 100, 1);
  assert.equal(device.status(), "rescan: profiling 40/100 (1 failed)");
  device.osc("/soundalike/rescan/done", device.id(3), 2, 0, 1, 0, 500);
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

// --- what each Live gets: own pads (Sampler) on every Live, a filled rack (Rack Filler) on 12.4

for (const profile of Object.keys(PROFILES)) {
  test(`Live ${profile}: the Sampler fills its own 16 pads and touches no track`, () => {
    const live = twoTracks({ profile, deviceClass: "MxDeviceInstrument" });
    const device = startedDevice(live, "sampler");
    assert.match(device.status(), new RegExp(`^Live ${profile.replace(".", "\\.")}, own 16 pads`));
    device.drop("/q.wav");
    device.number(IN.similar, 1);
    live.log.length = 0;
    device.sent.length = 0;
    answer(device, device.id(2), "similar", ["/lib/one.wav", "/lib/two two.wav", "/lib/three.wav"]);
    const pads = device.pads();
    assert.deepEqual(pads.slice(0, 6), [
      [1, "replace", "/lib/one.wav"], [1, "set", "one.wav"],
      [2, "replace", "/lib/two two.wav"], [2, "set", "two two.wav"],
      [3, "replace", "/lib/three.wav"], [3, "set", "three.wav"]]);
    // a short answer empties the pads after it: no sound of an older answer stays behind
    for (let pad = 4; pad <= 16; pad++) {
      assert.ok(pads.some((m) => m[0] === pad && m[1] === "clear"), `pad ${pad} cleared`);
    }
    assert.equal(live.log.filter((e) => e.op === "call" || e.op === "set").length, 0);
    assert.match(device.status(), /3 similar sounds in the pads \(notes 36-38\)/);
  });

  test(`Live ${profile}: the Rack Filler fills the rack on 12.4, and says plainly otherwise`, () => {
    const live = twoTracks({ profile });
    const device = startedDevice(live);
    device.drop("/q.wav");
    device.number(IN.pads, 2);
    device.number(IN.similar, 1);
    answer(device, device.id(2), "similar", ["/lib/one.wav", "/lib/two.wav"]);
    live.log.length = 0;
    device.number(IN.fill, 1);
    const otherTrack = new Set(live.tracks[1].owned);
    for (const id of live.touched()) assert.ok(!otherTrack.has(id), `touched track 2 object ${id}`);
    assert.equal(live.log.filter((e) => e.op === "missing").length, 0, "called what this Live lacks");
    if (profile === "12.4") {
      assert.equal(live.sampleOn(36), "/lib/one.wav");
      assert.equal(live.sampleOn(37), "/lib/two.wav");
      assert.match(device.status(), /loaded 2 pads/);
    } else {
      assert.equal(live.sampleOn(36), "/kits/a kick.wav");
      assert.match(device.status(), new RegExp(`Live 12.4 or later.*this is ${profile.replace(".", "\\.")}.*soundalike Sampler`));
      assert.deepEqual(device.sent.filter((m) => m[0] === 3).slice(-2),
                       [[3, "append", "/lib/one.wav"], [3, "append", "/lib/two.wav"]]);
    }
  });
}

test("a pad holding Live 12's Drum Sampler is skipped with a plain message, the others load", () => {
  const live = new FakeLiveSet({ tracks: [{ rack: { pads: { 36: "drum sampler:/kits/cell.wav",
                                                           37: "/kits/b.wav" }, selected: 36 } }] });
  const device = startedDevice(live);
  device.drop("/q.wav");
  device.number(IN.pads, 2);
  device.number(IN.similar, 1);
  answer(device, device.id(2), "similar", ["/lib/one.wav", "/lib/two.wav"]);
  device.number(IN.fill, 1);
  assert.equal(live.sampleOn(36), "/kits/cell.wav");  // left as it was
  assert.equal(live.sampleOn(37), "/lib/two.wav");
  assert.match(device.status(), /loaded 1 of 2 pads; pad 36 holds a Drum Sampler.*skipped/);
});

test("two instances never take each other's replies", () => {
  const live = twoTracks();
  const a = startedDevice(live);
  const b = startedDevice(live);
  assert.notEqual(a.id(1), b.id(1));
  assert.notEqual(a.replyPort, b.replyPort);
  a.drop("/a.wav");
  b.drop("/b.wav");
  a.number(IN.similar, 1);
  b.number(IN.similar, 1);
  // both see both answers (say they share a port by chance): each keeps only its own
  for (const device of [a, b]) {
    answer(device, a.id(2), "similar", ["/lib/for-a.wav"]);
    answer(device, b.id(2), "similar", ["/lib/for-b1.wav", "/lib/for-b2.wav"]);
  }
  assert.deepEqual([...a.context.state.results], ["/lib/for-a.wav"]);
  assert.deepEqual([...b.context.state.results], ["/lib/for-b1.wav", "/lib/for-b2.wav"]);
});

test("an error about one result does not drop the others", () => {
  const device = startedDevice(twoTracks());
  device.drop("/q.wav");
  device.number(IN.similar, 1);
  const id = device.id(2);
  device.osc("/soundalike/similar/result", id, 1, "/lib/one.wav", 0.1, 3);
  device.osc("/soundalike/error", id, "cannot read /lib/broken.flac");
  device.osc("/soundalike/similar/result", id, 3, "/lib/three.wav", 0.3, 3, "kick");  // + category
  device.osc("/soundalike/similar/done", id, 2);
  assert.deepEqual([...device.context.state.results], ["/lib/one.wav", "/lib/three.wav"]);
  assert.match(device.status(), /2 similar sounds.*\(1 error: cannot read \/lib\/broken\.flac\)/);
});

test("no server and no engine starter: the timeout names the port", () => {
  const device = startedDevice(twoTracks());
  assert.equal(device.tasks.pending.length, 1);  // waiting for the ping's answer
  device.tasks.fireAll();
  assert.equal(device.status(), "server not answering on port 9000: start `soundalike serve` in a terminal");
  device.number(IN.port, 9100);
  device.number(IN.rescan, 1);
  device.tasks.fireAll();
  assert.match(device.status(), /not answering on port 9100/);
});

test("an answer stops the wait: no timeout message after it", () => {
  const device = startedDevice(twoTracks());
  device.osc("/soundalike/ping/done", device.id(1), "0.1.0", 500, 0);
  assert.equal(device.tasks.pending.length, 0);
  assert.match(device.status(), /^Live 12\.4, fills the Drum Rack after it; connected: 500 sounds/);
});

test("no server, with the engine starter: it is started, and the request is sent again", () => {
  const device = loadDevice(twoTracks());
  device.engine("ready");
  device.bang(0);
  device.drop("/q.wav");
  device.number(IN.similar, 1);
  const asked = device.requests().pop();
  device.tasks.fireAll();
  assert.deepEqual(device.sent.filter((m) => m[0] === 5 && m[1] !== "freeport"),
                   [[5, "start", 9000]]);
  assert.match(device.status(), /not answering on port 9000: starting soundalike serve/);
  device.engine("started", 4242);
  assert.match(device.status(), /process 4242/);
  device.sent.length = 0;
  device.engine("listening");
  assert.deepEqual(device.requests(), [asked]);  // the same request, the same id
  answer(device, asked[1], "similar", ["/lib/one.wav"]);
  assert.match(device.status(), /1 similar sounds/);
  device.engine("exited", 0);
  assert.match(device.status(), /soundalike serve stopped/);
});

// --- Kit: one sound per role, each on the pad of its General MIDI note

function answerKit(device, id) {
  device.osc("/soundalike/kit/result", id, 35, "kick 2", "/lib/kick two.wav", 0.9);
  device.osc("/soundalike/kit/result", id, 36, "kick", "/lib/kick.wav", 0.8);
  device.osc("/soundalike/kit/result", id, 38, "snare", "/q.wav", 0.0);
  device.osc("/soundalike/kit/empty", id, 39, "clap", "the library has no clap");
  device.osc("/soundalike/kit/result", id, 42, "closed hat", "/lib/hat.wav", 0.7);
  device.osc("/soundalike/kit/result", id, 56, "cowbell", "/lib/bell.wav", 1.1);
  device.osc("/soundalike/kit/done", id, 5, 1);
}

for (const profile of Object.keys(PROFILES)) {
  test(`Live ${profile}: the Sampler's Kit puts each sound on the pad of its note`, () => {
    const live = twoTracks({ profile, deviceClass: "MxDeviceInstrument" });
    const device = startedDevice(live, "sampler");
    device.drop("/q.wav");
    device.number(IN.kit, 1);
    const port = device.replyPort;
    assert.deepEqual(device.requests()[1], ["/soundalike/kit", device.id(2), "/q.wav", 16,
                                            "wav", 1, "reply_port", port]);
    live.log.length = 0;
    answerKit(device, device.id(2));
    const pads = device.pads();
    const replaced = pads.filter((m) => m[1] === "replace").map((m) => [m[0], m[2]]);
    assert.deepEqual(replaced, [[1, "/lib/kick.wav"], [3, "/q.wav"], [7, "/lib/hat.wav"]]);
    assert.ok(pads.some((m) => m[0] === 1 && m[1] === "set" && m[2] === "kick: kick.wav"));
    for (const pad of [2, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16]) {  // clap (39) too
      assert.ok(pads.some((m) => m[0] === pad && m[1] === "clear"), `pad ${pad} cleared`);
    }
    assert.equal(live.log.filter((e) => e.op === "call" || e.op === "set").length, 0);
    assert.match(device.status(),
                 /^kit: 3 sounds on notes 36-51 \(2 roles outside them left out\); empty: clap \(the library has no clap\)/);
  });

  test(`Live ${profile}: the Rack Filler's Kit fills the Drum Rack by note on 12.4`, () => {
    const live = twoTracks({ profile });
    const device = startedDevice(live);
    device.drop("/q.wav");
    device.number(IN.kit, 1);
    answerKit(device, device.id(2));
    assert.match(device.status(), /kit of 5 sounds: Fill rack loads each on its note; empty: clap/);
    live.log.length = 0;
    device.number(IN.fill, 1);
    assert.equal(live.log.filter((e) => e.op === "missing").length, 0, "called what this Live lacks");
    const otherTrack = new Set(live.tracks[1].owned);
    for (const id of live.touched()) assert.ok(!otherTrack.has(id), `touched track 2 object ${id}`);
    if (profile === "12.4") {
      assert.equal(live.sampleOn(35), "/lib/kick two.wav");
      assert.equal(live.sampleOn(36), "/lib/kick.wav");
      assert.equal(live.sampleOn(38), "/q.wav");
      assert.equal(live.sampleOn(42), "/lib/hat.wav");
      assert.equal(live.sampleOn(56), "/lib/bell.wav");
      assert.equal(live.sampleOn(39), null);  // the empty role leaves its pad as it was
      assert.match(device.status(), /kit: loaded 5 of 5 pads by note/);
    } else {
      assert.equal(live.sampleOn(36), "/kits/a kick.wav");
      assert.match(device.status(), /Live 12.4 or later/);
    }
  });
}

test("similar after a kit: Fill rack loads the similar sounds, not the old kit", () => {
  const live = twoTracks();
  const device = startedDevice(live);
  device.drop("/q.wav");
  device.number(IN.kit, 1);
  answerKit(device, device.id(2));
  device.number(IN.pads, 1);
  device.number(IN.similar, 1);
  answer(device, device.id(3), "similar", ["/lib/one.wav"]);
  device.number(IN.fill, 1);
  assert.equal(live.sampleOn(36), "/lib/one.wav");
  assert.equal(live.sampleOn(42), null);
  assert.match(device.status(), /loaded 1 pads/);
});

test("the Sampler asks for playable copies (wav 1), the Rack Filler for the originals", () => {
  const sampler = startedDevice(twoTracks({ deviceClass: "MxDeviceInstrument" }), "sampler");
  sampler.drop("/my samples/clap.ogg");
  sampler.number(IN.similar, 1);
  sampler.number(IN.cluster, 1);
  const asked = sampler.requests();
  assert.deepEqual(asked[1], ["/soundalike/similar", sampler.id(2), "/my samples/clap.ogg", 16,
                              "wav", 1, "reply_port", sampler.replyPort]);
  assert.deepEqual(asked[2].slice(-4), ["wav", 1, "reply_port", sampler.replyPort]);
  assert.deepEqual(asked[0], ["/soundalike/ping", sampler.id(1), "reply_port", sampler.replyPort]);
  const rack = startedDevice(twoTracks());
  rack.drop("/my samples/clap.ogg");
  rack.number(IN.similar, 1);
  assert.ok(!rack.requests()[1].includes("wav"));  // a Drum Rack keeps the original file
});

test("the engine starter's free port becomes the device's reply port", () => {
  const device = startedDevice(twoTracks());
  const first = device.replyPort;
  device.sent.length = 0;
  device.engine("ready");
  assert.ok(device.sent.some((m) => m[0] === 5 && m[1] === "freeport"));
  const free = first === 50001 ? 50002 : 50001;
  device.engine("port", free);
  assert.equal(device.replyPort, free);
  assert.ok(device.sent.some((m) => m[0] === 2 && m[1] === "port" && m[2] === free));
  device.drop("/q.wav");
  device.number(IN.similar, 1);
  assert.deepEqual(device.requests().at(-1).slice(-2), ["reply_port", free]);
});

// --- the Listener: ask with what the track played

test("the Listener's Find writes its ring where the server says, asks for the hit, then lists sounds like it", () => {
  const device = startedDevice(twoTracks({ deviceClass: "MxDeviceAudioEffect" }), "listener");
  assert.match(device.status(), /listening to this track/);
  device.context.inlet = 16;
  device.context.msg_float(0.25);  // [record~] writes next at 0.75 s of the 3 s ring
  device.number(IN.similar, 1);    // Find
  let asked = device.requests();
  assert.deepEqual(asked.at(-1), ["/soundalike/recording", device.id(2), "reply_port", device.replyPort]);
  device.sent.length = 0;
  device.osc("/soundalike/recording/done", device.id(2), "/cache/recordings/abc.wav");
  assert.deepEqual(device.pads(), [["writewave", "/cache/recordings/abc.wav"]]);
  assert.equal(device.requests().length, 0);  // the file is written on Max's low-priority thread
  device.tasks.fireAll();
  asked = device.requests();
  assert.deepEqual(asked, [["/soundalike/hit", device.id(3), "/cache/recordings/abc.wav", 2.0,
                            "start_at", 0.75, "reply_port", device.replyPort]]);
  device.osc("/soundalike/hit/done", device.id(3), "/cache/hits/hit-1.wav", 1.2, 0.4, "snare", 7);
  assert.deepEqual(device.requests().at(-1), ["/soundalike/similar", device.id(4),
                                              "/cache/hits/hit-1.wav", 16, "reply_port", device.replyPort]);
  assert.match(device.status(), /heard a snare \(0\.40 s\)/);
  answer(device, device.id(4), "similar", ["/lib/snare one.wav", "/lib/snare two.wav"]);
  const list = device.sent.filter((m) => m[0] === 3);
  assert.deepEqual(list.slice(-2), [[3, "append", "/lib/snare one.wav"], [3, "append", "/lib/snare two.wav"]]);
  assert.match(device.status(), /2 sounds like the snare that played/);
  assert.deepEqual(device.pads().filter((m) => m[0] !== "writewave"), []);  // no pads of its own
});

test("the Listener says so when nothing was playing", () => {
  const device = startedDevice(twoTracks({ deviceClass: "MxDeviceAudioEffect" }), "listener");
  device.number(IN.similar, 1);
  device.osc("/soundalike/recording/done", device.id(2), "/cache/recordings/abc.wav");
  device.tasks.fireAll();
  device.osc("/soundalike/error", device.id(3), "the recording is silent: nothing was playing");
  assert.match(device.status(), /error: the recording is silent: nothing was playing/);
});

test("a Listener's hit reaches the Samplers and Rack Fillers that follow it, and only those", () => {
  const listener = startedDevice(twoTracks({ deviceClass: "MxDeviceAudioEffect" }), "listener");
  const follows = startedDevice(twoTracks({ deviceClass: "MxDeviceInstrument" }), "sampler");
  const ignores = startedDevice(twoTracks({ deviceClass: "MxDeviceInstrument" }), "sampler");
  const rack = startedDevice(twoTracks());
  follows.follow(true);  // the "Follow Listener" toggle
  assert.match(follows.status(), /follows the Listener/);
  rack.follow(true);
  ignores.follow(false);  // the toggle's initial value: off, and nothing said
  assert.doesNotMatch(ignores.status(), /Listener/);
  ignores.drop("/my samples/kick.wav");
  const ignoresBefore = { requests: ignores.requests().length, status: ignores.status(),
                          sent: ignores.sent.length };

  listener.number(IN.similar, 1);  // Find
  listener.osc("/soundalike/recording/done", listener.id(2), "/cache/recordings/abc.wav");
  listener.tasks.fireAll();
  assert.deepEqual(listener.hits(), []);  // nothing is sent before the hit is cut
  listener.osc("/soundalike/hit/done", listener.id(3), "/cache/hits/hit 1.wav", 1.2, 0.4, "snare", 7);
  assert.deepEqual(listener.hits(), [["/cache/hits/hit 1.wav"]]);

  // [send soundalike-heard] reaches every [receive soundalike-heard] of the Set
  for (const [path] of listener.hits()) {
    for (const device of [follows, ignores, rack]) device.heard(path);
  }
  assert.deepEqual(follows.requests().at(-1), ["/soundalike/similar", follows.id(2),
                                               "/cache/hits/hit 1.wav", 16, "wav", 1,
                                               "reply_port", follows.replyPort]);
  assert.equal(follows.context.state.query, "/cache/hits/hit 1.wav");
  assert.match(follows.status(), /asking for sounds like hit 1\.wav/);
  answer(follows, follows.id(2), "similar", ["/lib/snare one.wav", "/lib/snare two.wav"]);
  assert.deepEqual(follows.pads().filter((m) => m[1] === "replace").map((m) => [m[0], m[2]]),
                   [[1, "/lib/snare one.wav"], [2, "/lib/snare two.wav"]]);
  assert.deepEqual(rack.requests().at(-1), ["/soundalike/similar", rack.id(2),
                                            "/cache/hits/hit 1.wav", 16, "reply_port", rack.replyPort]);

  // the one that does not follow: no request, the same query, nothing said or loaded
  assert.equal(ignores.requests().length, ignoresBefore.requests);
  assert.equal(ignores.sent.length, ignoresBefore.sent);
  assert.equal(ignores.status(), ignoresBefore.status);
  assert.equal(ignores.context.state.query, "/my samples/kick.wav");

  // turned off again: the next hit changes nothing
  follows.follow(false);
  assert.match(follows.status(), /does not follow the Listener/);
  const asked = follows.requests().length;
  follows.heard("/cache/hits/hit 2.wav");
  assert.equal(follows.requests().length, asked);
  assert.equal(follows.context.state.query, "/cache/hits/hit 1.wav");
});

test("the Sampler and the Rack Filler send no hits, and a Listener ignores one", () => {
  const sampler = startedDevice(twoTracks({ deviceClass: "MxDeviceInstrument" }), "sampler");
  sampler.drop("/q.wav");
  sampler.number(IN.similar, 1);
  answer(sampler, sampler.id(2), "similar", ["/lib/one.wav"]);
  assert.deepEqual(sampler.hits(), []);
  const listener = startedDevice(twoTracks({ deviceClass: "MxDeviceAudioEffect" }), "listener");
  listener.follow(true);
  listener.heard("/cache/hits/other.wav");
  assert.equal(listener.requests().length, 1);  // the ping only
});

// --- Another kit, locked pads

test("the Sampler's Another kit asks for the next variation and keeps the locked pads", () => {
  const live = twoTracks({ deviceClass: "MxDeviceInstrument" });
  const device = startedDevice(live, "sampler");
  device.drop("/q.wav");
  device.number(IN.lock, 0);  // the number's initial value: no message, nothing locked
  device.number(IN.kit, 1);
  answerKit(device, device.id(2));
  device.number(IN.lock, 2);
  assert.match(device.status(), /pad 2 is empty: nothing to lock/);
  device.number(IN.lock, 1);  // the kick, note 36
  assert.match(device.status(), /pad 1 locked \(kick.wav\): Another kit keeps it/);
  device.number(IN.another, 1);
  const port = device.replyPort;
  assert.deepEqual(device.requests()[2], ["/soundalike/kit", device.id(3), "/q.wav", 16,
                                          "variation", 1, "keep", "36=/lib/kick.wav",
                                          "wav", 1, "reply_port", port]);
  answerKit(device, device.id(3));
  device.number(IN.another, 1);
  assert.deepEqual(device.requests()[3].slice(3, 8), [16, "variation", 2, "keep",
                                                      "36=/lib/kick.wav"]);
  device.number(IN.kit, 1);  // Kit starts again at the first kit, locks still kept
  assert.deepEqual(device.requests()[4].slice(2), ["/q.wav", 16, "keep", "36=/lib/kick.wav",
                                                   "wav", 1, "reply_port", port]);
  device.number(IN.lock, 0);
  assert.match(device.status(), /no pad locked/);
  device.number(IN.another, 1);
  assert.deepEqual(device.requests()[5].slice(2), ["/q.wav", 16, "variation", 1,
                                                   "wav", 1, "reply_port", port]);
});

test("the Rack Filler's Lock pad locks the selected Drum Rack pad, and unlocks it", () => {
  const live = twoTracks();
  const device = startedDevice(live);
  device.drop("/q.wav");
  device.number(IN.lock, 1);  // pad 36 is selected: "/kits/a kick.wav"
  assert.match(device.status(), /note 36 locked \(a kick.wav\)/);
  device.number(IN.another, 1);
  assert.deepEqual(device.requests()[1].slice(2, 7), ["/q.wav", 16, "variation", 1, "keep"]);
  assert.equal(device.requests()[1][7], "36=/kits/a kick.wav");
  device.number(IN.lock, 1);
  assert.match(device.status(), /note 36 unlocked/);
  device.number(IN.another, 1);
  assert.deepEqual(device.requests()[2].slice(2, 6), ["/q.wav", 16, "variation", 2]);
  assert.equal(device.requests()[2][6], "reply_port");
});

test("Save kit asks for the current kit with save sfz and the chosen folder, and says where", () => {
  const live = twoTracks({ deviceClass: "MxDeviceInstrument" });
  const device = startedDevice(live, "sampler");
  device.drop("/q.wav");
  device.number(IN.kit, 1);
  answerKit(device, device.id(2));
  device.number(IN.lock, 1);
  device.number(IN.another, 1);
  answerKit(device, device.id(3));
  device.save("/Users/me/My Kits/new kit");
  const port = device.replyPort;
  assert.deepEqual(device.requests()[3], ["/soundalike/kit", device.id(4), "/q.wav", 16,
                                          "variation", 1, "keep", "36=/lib/kick.wav", "save",
                                          "sfz", "save_to", "/Users/me/My Kits/new kit",
                                          "wav", 1, "reply_port", port]);
  device.osc("/soundalike/kit/saved", device.id(4), "/Users/me/My Kits/new kit/new kit.sfz", 5);
  answerKit(device, device.id(4));
  assert.match(device.status(), /saved as \/Users\/me\/My Kits\/new kit\/new kit.sfz/);
});
