// soundalike's engine starter, run by Node for Max's [node.script] inside the devices.
//
// No terminal needed: when the device finds no server, it sends "start <port>" here, and
// this starts `soundalike serve --port <port>` (the `soundalike` on PATH, else in the usual
// install places, else the path the device names: the script's first argument, written into
// the device by `soundalike device`, or a "command <path>" message), reports
// its progress, and says "listening" once the server answers a ping. It stops the server
// when told ("stop") or when Node for Max ends (the device removed, Live closed), and only
// a server it started itself.
//
// Reports, out of the outlet as "engine <what> ...": ready | started <pid> |
// output <line> | listening | failed <reason> | exited <code or signal> | port <free port>
// (asked with "freeport") | which <command or none> <places looked> (asked with "which").
"use strict";

const { spawn } = require("child_process");
const dgram = require("dgram");
const maxApi = require("max-api");

const fs = require("fs");
const os = require("os");
const path = require("path");

//: The command the device names (written by `soundalike device --install`, or set with a
//: "command <path>" message): tried last, after PATH and the usual install places, so a
//: moved environment or a Set opened on another computer still finds an installed soundalike.
let configured = process.argv[2] && process.argv[2] !== "soundalike" ? process.argv[2] : "";
const NAMES = process.platform === "win32" ? ["soundalike.exe", "soundalike.cmd", "soundalike"]
                                           : ["soundalike"];

function usualPlaces() {
  // where pip --user, pipx, Homebrew and python.org installs put console scripts
  const home = os.homedir();
  const places = [path.join(home, ".local", "bin"), "/opt/homebrew/bin", "/usr/local/bin",
                  "/usr/bin"];
  const pythonUser = path.join(home, "Library", "Python");  // macOS pip --user
  try {
    for (const version of fs.readdirSync(pythonUser)) places.push(path.join(pythonUser, version, "bin"));
  } catch (error) { /* none */ }
  if (process.platform === "win32") {
    const appData = process.env.APPDATA || path.join(home, "AppData", "Roaming");
    const local = process.env.LOCALAPPDATA || path.join(home, "AppData", "Local");
    for (const base of [path.join(appData, "Python"), path.join(local, "Programs", "Python")]) {
      try {
        for (const version of fs.readdirSync(base)) places.push(path.join(base, version, "Scripts"));
      } catch (error) { /* none */ }
    }
  }
  return places;
}

function runnable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch (error) {
    return false;
  }
}

//: The soundalike command to run: on PATH, then the usual places, then the device's own path,
//: in that order; null when none is there. Also says where it looked.
function findCommand() {
  const looked = [];
  const pathDirs = (process.env.PATH || "").split(path.delimiter).filter(Boolean);
  for (const dir of [...pathDirs, ...usualPlaces()]) {
    for (const name of NAMES) {
      const file = path.join(dir, name);
      if (runnable(file)) return { command: file, looked };
    }
    looked.push(dir);
  }
  if (configured) {
    if (runnable(configured)) return { command: configured, looked };
    looked.push(configured);
  }
  return { command: null, looked };
}
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
  const { command: COMMAND } = findCommand();
  if (!COMMAND) {
    report("failed", "soundalike is not installed where the device looks (PATH, ~/.local/bin, " +
           "/opt/homebrew/bin, /usr/local/bin" + (configured ? ", " + configured : "") +
           "): install it (pip install soundalike) and run `soundalike device --install`, " +
           "or start `soundalike serve` in a terminal");
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

// a free reply port for the device: the system's choice for port 0, reported and released
function freePort() {
  const socket = dgram.createSocket("udp4");
  socket.on("error", (error) => report("failed", `no free port: ${error.message}`));
  socket.bind(0, "127.0.0.1", () => {
    const { port } = socket.address();
    socket.close(() => report("port", port));
  });
}

maxApi.addHandler("start", start);
maxApi.addHandler("stop", stop);
maxApi.addHandler("freeport", freePort);
maxApi.addHandler("command", (file) => { configured = String(file || ""); });
maxApi.addHandler("which", () => {
  const { command, looked } = findCommand();
  report("which", command || "none", ...looked);
});

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
