// One session of a device against the real world, but for Live: the device's script (under
// the fake LiveAPI of a Live version profile) talks OSC over real UDP to a real server on
// loopback, and its engine starter is the real soundalike_engine.js (with the max-api
// stand-in), which starts the real `soundalike serve` when nothing answers.
//
//   node live_session.js <mode> <profile> <soundalike command> <port> <query path>
//
// Steps: the device starts (its ping finds no server), waits for "connected", asks for
// sounds like the query, fills (Rack Filler), and prints one JSON line with what happened.
"use strict";

const dgram = require("node:dgram");
const path = require("node:path");
const readline = require("node:readline");
const { spawn } = require("node:child_process");
const { FakeLiveSet, loadDevice } = require("./fake_live.js");

const [mode, profile, command, portText, query] = process.argv.slice(2);
const port = Number(portText);
const IN = { similar: 2, fill: 4, port: 11 };
const LIMIT_MS = 120000;  // for a hung session, not a measurement

// --- OSC: strings, int32 and float32, as the server sends and reads ----------------------

function oscString(text) {
  const bytes = Buffer.from(text + "\0", "utf8");
  const padded = Buffer.alloc(Math.ceil(bytes.length / 4) * 4);
  bytes.copy(padded);
  return padded;
}

function encode(address, args) {
  let tags = ",";
  const parts = [];
  for (const arg of args) {
    if (typeof arg === "string") {
      tags += "s";
      parts.push(oscString(arg));
    } else if (Number.isInteger(arg)) {
      tags += "i";
      const b = Buffer.alloc(4); b.writeInt32BE(arg); parts.push(b);
    } else {
      tags += "f";
      const b = Buffer.alloc(4); b.writeFloatBE(arg); parts.push(b);
    }
  }
  return Buffer.concat([oscString(address), oscString(tags), ...parts]);
}

function readString(data, offset) {
  const end = data.indexOf(0, offset);
  return [data.toString("utf8", offset, end), Math.ceil((end + 1) / 4) * 4];
}

function decode(data) {
  let [address, offset] = readString(data, 0);
  let tags;
  [tags, offset] = readString(data, offset);
  const args = [];
  for (const tag of tags.slice(1)) {
    if (tag === "s") { let s; [s, offset] = readString(data, offset); args.push(s); }
    else if (tag === "i") { args.push(data.readInt32BE(offset)); offset += 4; }
    else if (tag === "f") { args.push(data.readFloatBE(offset)); offset += 4; }
  }
  return [address, args];
}

// --- the session ---------------------------------------------------------------------------

const live = new FakeLiveSet({
  profile,
  deviceClass: mode === "sampler" ? "MxDeviceInstrument" : "MxDeviceMidiEffect",
  tracks: [
    { rack: { pads: { 36: "/kits/a kick.wav", 38: "/kits/a snare.wav" }, selected: 36 } },
    { rack: { pads: { 36: "/other/kick.wav" }, selected: 36 } },
  ],
});
const sender = dgram.createSocket("udp4");
let receiver = null;
const engine = spawn(process.execPath, [path.join(__dirname, "..", "..", "max_for_live", "device",
                                                  "soundalike_engine.js"), command],
                     { stdio: ["pipe", "pipe", "inherit"],
                       env: { ...process.env, NODE_PATH: path.join(__dirname, "fake_modules") } });
const statuses = [];
let device = null;

function onOutlet(number, args) {
  if (number === 0 && String(args[0]).startsWith("/")) {
    sender.send(encode(args[0], args.slice(1)), port, "127.0.0.1");
  } else if (number === 1) {
    statuses.push(args.slice(1).join(" "));
  } else if (number === 2 && args[0] === "port") {
    if (receiver) receiver.close();
    receiver = dgram.createSocket("udp4");
    receiver.on("message", (data) => { const [address, values] = decode(data); device.osc(address, ...values); });
    receiver.bind(args[1], "127.0.0.1");
  } else if (number === 5) {
    engine.stdin.write(args.join(" ") + "\n");
  }
}

device = loadDevice(live, mode, { onOutlet, realTime: true });
device.context.state.port = port;  // the hidden Port number box, as set in Live
readline.createInterface({ input: engine.stdout }).on("line", (line) => {
  const report = JSON.parse(line);
  if (report[0] === "engine") device.engine(...report.slice(1));
});

function until(pattern) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (statuses.some((s) => pattern.test(s))) { clearInterval(poll); resolve(); }
      else if (Date.now() - started > LIMIT_MS) {
        clearInterval(poll);
        reject(new Error(`no status like ${pattern}; statuses: ${JSON.stringify(statuses)}`));
      }
    }, 50);
  });
}

async function main() {
  await new Promise((resolve) => setTimeout(resolve, 0));
  device.bang(0);  // live.thisdevice: the device is ready, pings, finds nobody
  await until(/connected: \d+ sounds/);
  device.drop(query);
  live.log.length = 0;
  device.number(IN.similar, 1);
  await until(/\d+ similar sounds/);
  if (mode === "rack") device.number(IN.fill, 1);
  const otherTrack = new Set(live.tracks[1].owned);
  const samples = {};
  for (let note = 36; note < 52; note++) samples[note] = live.sampleOn(note);
  process.stdout.write(JSON.stringify({
    statuses,
    requests: device.requests(),
    pads: device.pads(),
    samples,
    touchedOtherTrack: [...live.touched()].some((id) => otherTrack.has(id)),
    missingCalls: live.log.filter((e) => e.op === "missing").map((e) => e.name),
  }) + "\n");
  engine.kill("SIGTERM");  // as Node for Max ends with Live: the engine stops its server
  engine.on("exit", () => { sender.close(); if (receiver) receiver.close(); process.exit(0); });
}

main().catch((error) => {
  process.stderr.write(String(error.stack || error) + "\n");
  engine.kill("SIGTERM");
  process.exit(1);
});
