// A stand-in for Node for Max's "max-api" module, so the engine starter runs under plain
// Node: each line on stdin is a message to the script ("start 9000"), and every outlet call
// is printed to stdout as one JSON array per line.
"use strict";

const readline = require("node:readline");

const handlers = new Map();

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const [name, ...args] = line.trim().split(/\s+/);
  const handler = handlers.get(name);
  if (handler) handler(...args.map((a) => (/^-?\d+$/.test(a) ? Number(a) : a)));
  else process.stdout.write(JSON.stringify(["unhandled", name]) + "\n");
});

module.exports = {
  addHandler(name, fn) { handlers.set(name, fn); },
  outlet(...args) { process.stdout.write(JSON.stringify(args) + "\n"); },
  post(...args) { process.stderr.write(args.join(" ") + "\n"); },
};
