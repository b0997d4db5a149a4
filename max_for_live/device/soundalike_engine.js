// soundalike's engine starter, run by Node for Max's [node.script] inside the devices.
//
// No terminal needed: when the device finds no server, it sends "start <port>" here, and
// this starts `soundalike serve --port <port>` (the absolute path of the installed command
// is the script's first argument, written into the device by `soundalike device`), reports
// its progress, and says "listening" once the server answers a ping. It stops the server
// when told ("stop") or when Node for Max ends (the device removed, Live closed), and only
// a server it started itself.
//
// Reports, out of the outlet as "engine <what> ...": ready | started <pid> |
// output <line> | listening | failed <reason> | exited <code or signal>.
"use strict";

const { spawn } = require("child_process");
const dgram = require("dgram");
const maxApi = require("max-api");

const COMMAND = process.argv[2] || "soundalike";
const PING_EVERY_MS = 500;
const GIVE_UP_MS = 60000;

let child = null;
let pinger = null;

function report(...words) {
  maxApi.outlet("engine", ...words);
}

// --- OSC, just enough to ping: /soundalike/ping ,si "engine" reply_port... ------------

function oscString(text) {
  const bytes = Buffer.from(text + "\0", "utf8");
  const padded = Buffer.alloc(Math.ceil(bytes.length / 4) * 4);
  bytes.copy(padded);
  return padded;
}

function oscInt(value) {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

function pingPacket() {
  // reply_port 0: answer the port this ping leaves from
  return Buffer.concat([oscString("/soundalike/ping"), oscString(",ssi"), oscString("engine"),
                        oscString("reply_port"), oscInt(0)]);
}

function waitUntilListening(port) {
  stopPinging();
  const socket = dgram.createSocket("udp4");
  const started = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - started > GIVE_UP_MS) {
      stopPinging();
      report("failed", `no answer on port ${port} after ${GIVE_UP_MS / 1000} s`);
      return;
    }
    socket.send(pingPacket(), port, "127.0.0.1", () => {});
  }, PING_EVERY_MS);
  socket.on("message", () => {
    stopPinging();
    report("listening");
  });
  socket.on("error", () => {});  // an unanswered ping may come back as "refused": keep trying
  socket.bind(0, "127.0.0.1");
  pinger = { socket, timer };
}

function stopPinging() {
  if (pinger) {
    clearInterval(pinger.timer);
    pinger.socket.close();
    pinger = null;
  }
}

// --- the server process ----------------------------------------------------------------

function start(port) {
  port = Number(port) || 9000;
  if (child) {
    waitUntilListening(port);  // already started by us: just see that it answers
    return;
  }
  let process_;
  try {
    process_ = spawn(COMMAND, ["serve", "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    report("failed", `${COMMAND}: ${error.message}`);
    return;
  }
  child = process_;
  process_.on("error", (error) => {  // e.g. ENOENT: the command is not there
    if (child === process_) child = null;
    stopPinging();
    report("failed", `${COMMAND}: ${error.message}`);
  });
  process_.on("exit", (code, signal) => {
    if (child === process_) child = null;
    stopPinging();
    report("exited", code === null ? String(signal) : String(code));
  });
  for (const stream of [process_.stdout, process_.stderr]) {
    let pending = "";
    stream.on("data", (data) => {
      pending += data.toString("utf8");
      const lines = pending.split(/\r?\n/);
      pending = lines.pop();
      for (const line of lines) if (line.trim()) report("output", line.trim());
    });
  }
  if (process_.pid) report("started", process_.pid);
  waitUntilListening(port);
}

function stop() {
  stopPinging();
  if (child) {
    child.kill("SIGTERM");
  }
}

maxApi.addHandler("start", start);
maxApi.addHandler("stop", stop);

// Node for Max ends this process when the device goes away or Live closes: take the
// server we started with us (and only that one).
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.on(signal, () => {
    stop();
    process.exit(0);
  });
}
process.on("exit", () => {
  if (child) child.kill("SIGTERM");
});

report("ready");
