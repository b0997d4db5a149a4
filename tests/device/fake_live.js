// A recording fake of the parts of Max's JavaScript world the device uses: LiveAPI (over a
// small Live set), outlet, post, arrayfromargs, Task, jsarguments. Every Live API access is
// logged, so tests can assert exactly which calls were made, on which objects.
//
// Live versions differ in what the API offers; PROFILES lists, per version the devices are
// tested on, the calls that exist (from Ableton's Live Object Model pages for each version).
// Calling one that does not exist does what Live does: nothing happens, nothing is returned
// (Live posts "invalid function" to the Max window, recorded here as a "missing" entry).
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const DEVICE_JS = path.join(__dirname, "..", "..", "max_for_live", "device", "soundalike_live.js");

const PROFILES = {
  "11.3": { version: [11, 3], calls: [] },
  "12.0": { version: [12, 0], calls: [] },
  "12.3": { version: [12, 3], calls: ["insert_chain", "insert_device"], in_note: true },
  "12.4": { version: [12, 4], calls: ["insert_chain", "insert_device", "replace_sample"],
            in_note: true },
};

function idList(ids) {
  const out = [];
  for (const id of ids) out.push("id", id);
  return out;
}

class FakeLiveSet {
  // tracks: [{rack: {pads: {36: "/a.wav", 37: null, ...}, selected: 36}}, ...]; the device
  // lives on track `deviceTrack`.
  constructor({ profile = "12.4", tracks, deviceTrack = 0, failInsertChain = false,
                deviceClass = "MxDeviceMidiEffect" }) {
    this.objects = new Map();
    this.log = [];
    this.nextId = 1;
    this.profile = PROFILES[profile];
    this.version = this.profile.version;
    this.deviceClass = deviceClass;
    this.failInsertChain = failInsertChain;
    this.add({ path: "live_app", kind: "app" });
    this.tracks = tracks.map((spec, t) => this.buildTrack(spec, t, t === deviceTrack));
  }

  add(object) {
    object.id = this.nextId++;
    this.objects.set(object.id, object);
    return object;
  }

  buildTrack(spec, t, hasDevice) {
    const track = this.add({ path: `live_set tracks ${t}`, kind: "track", devices: [], owned: [] });
    const own = (object) => { track.owned.push(object.id); object.track = t; return object; };
    own(track);
    if (spec.rack) {
      const rackPath = `${track.path} devices 0`;
      const rack = own(this.add({ path: rackPath, kind: "device", class_name: "DrumGroupDevice",
                                  drum_pads: [], chains: [] }));
      rack.view = own(this.add({ path: `${rackPath} view`, kind: "view", selected: null }));
      for (let note = 0; note < 128; note++) {
        const pad = own(this.add({ path: `${rackPath} drum_pads ${note}`, kind: "pad", note,
                                   chains: [] }));
        rack.drum_pads.push(pad.id);
        if (note === spec.rack.selected) rack.view.selected = pad.id;
        const sample = spec.rack.pads[note];
        if (sample !== undefined && sample !== null) {
          const chain = this.newChain(rack, note, own);
          pad.chains.push(chain.id);
          if (sample.startsWith("drum sampler:")) {  // Live 12's Drum Sampler on this pad
            const cell = own(this.add({ path: `${chain.path} devices 0`, kind: "device",
                                        class_name: "DrumCellDevice",
                                        samplePath: sample.slice(13) }));
            chain.devices.push(cell.id);
          } else {
            this.newSimpler(chain, own).samplePath = sample;
          }
        }
      }
      rack.owner = own;
      track.devices.push(rack.id);
    }
    if (hasDevice) {
      const device = own(this.add({ path: `${track.path} devices ${track.devices.length}`,
                                    kind: "device", class_name: this.deviceClass,
                                    parent: track.id }));
      track.devices.push(device.id);
      this.thisDevice = device;
    }
    return track;
  }

  newChain(rack, note, own) {
    const chain = own(this.add({ path: `${rack.path} chains ${rack.chains.length}`, kind: "chain",
                                 in_note: note, devices: [], rack: rack.id }));
    rack.chains.push(chain.id);
    return chain;
  }

  newSimpler(chain, own) {
    const simpler = own(this.add({ path: `${chain.path} devices ${chain.devices.length}`,
                                   kind: "device", class_name: "OriginalSimpler",
                                   samplePath: null }));
    chain.devices.push(simpler.id);
    return simpler;
  }

  resolve(target) {
    if (target === "live_app") return this.objects.get(1);
    if (target === "this_device") return this.thisDevice;
    const byId = /^id (\d+)$/.exec(target);
    if (byId) return this.objects.get(Number(byId[1])) || null;
    for (const object of this.objects.values()) if (object.path === target) return object;
    return null;
  }

  padOf(note, track = 0) {
    const rack = this.objects.get(this.tracks[track].devices[0]);
    return this.objects.get(rack.drum_pads[note]);
  }

  sampleOn(note, track = 0) {
    const pad = this.padOf(note, track);
    if (!pad.chains.length) return null;
    const chain = this.objects.get(pad.chains[0]);
    for (const id of chain.devices) {
      const device = this.objects.get(id);
      if (device.class_name === "OriginalSimpler" || device.class_name === "DrumCellDevice") {
        return device.samplePath;
      }
    }
    return null;
  }

  // The class the device's code sees as LiveAPI.
  api() {
    const live = this;
    return function LiveAPI(target) {
      const object = live.resolve(String(target));
      live.log.push({ op: "open", target: String(target), id: object ? object.id : 0 });
      this.id = object ? object.id : 0;
      this.path = object ? `"${object.path}"` : "";
      this.unquotedpath = object ? object.path : "";
      this.get = (property) => {
        live.log.push({ op: "get", id: this.id, name: property });
        if (!object) return [];
        return live.property(object, property);
      };
      this.set = (property, value) => {
        if (property === "in_note" && !live.profile.in_note) {
          live.log.push({ op: "missing", id: this.id, name: property });
          return;
        }
        live.log.push({ op: "set", id: this.id, name: property, args: [value] });
        if (object) object[property] = value;
      };
      this.call = (name, ...args) => {
        const versionCall = name === "get_major_version" || name === "get_minor_version";
        if (!versionCall && !live.profile.calls.includes(name)) {
          live.log.push({ op: "missing", id: this.id, name });
          return undefined;
        }
        live.log.push({ op: "call", id: this.id, name, args });
        return object ? live.invoke(object, name, args) : undefined;
      };
    };
  }

  property(object, name) {
    switch (name) {
      case "canonical_parent": return ["id", object.parent || 0];
      case "devices": case "drum_pads": case "chains": return idList(object[name] || []);
      case "class_name": return [object.class_name];
      case "note": return [object.note];
      case "selected_drum_pad": return ["id", object.selected || 0];
      case "sample":
        if (!object.samplePath) return ["id", 0];
        if (!object.sampleId) object.sampleId = this.add({ kind: "sample", simpler: object.id,
                                                            path: `${object.path} sample` }).id;
        return ["id", object.sampleId];
      case "file_path": return [this.objects.get(object.simpler).samplePath];
      default: return [object[name]];
    }
  }

  invoke(object, name, args) {
    if (name === "get_major_version") return this.version[0];
    if (name === "get_minor_version") return this.version[1];
    if (name === "insert_chain") {
      if (this.failInsertChain) return undefined;
      this.newChain(object, 0, object.owner);
      return undefined;
    }
    if (name === "insert_device" && args[0] === "Simpler") {
      const rack = this.objects.get(object.rack);
      this.newSimpler(object, rack.owner);
      const pad = this.objects.get(rack.drum_pads[object.in_note]);
      if (!pad.chains.includes(object.id)) pad.chains.push(object.id);
      return undefined;
    }
    if (name === "replace_sample") {
      object.samplePath = args[0];
      return undefined;
    }
    throw new Error(`the fake Live does not know ${name}`);
  }

  touched() {
    // ids of every object the device looked at or changed
    return new Set(this.log.map((entry) => entry.id).filter((id) => id));
  }
}

// Max's Task: scheduled by the device, fired by the test (no clock: nothing is timed).
class FakeTasks {
  constructor() { this.pending = []; }
  klass() {
    const tasks = this;
    return function Task(fn, owner) {
      this.schedule = (ms) => { this.ms = ms; if (!tasks.pending.includes(this)) tasks.pending.push(this); };
      this.cancel = () => { tasks.pending = tasks.pending.filter((t) => t !== this); };
      this.fire = () => { this.cancel(); fn.call(owner); };
    };
  }
  fireAll() {
    const due = this.pending.slice();
    for (const task of due) task.fire();
    return due.length;
  }
}

// Max's Task on Node's clock, for sessions against a real server.
function RealTask(fn, owner) {
  let timer = null;
  this.schedule = (ms) => { this.cancel(); timer = setTimeout(() => { timer = null; fn.call(owner); }, ms); };
  this.cancel = () => { if (timer) clearTimeout(timer); timer = null; };
}

// The device's script in a fresh context. onOutlet(number, args) sees every outlet call;
// realTime: Task runs on Node's timers instead of being fired by the test.
function loadDevice(live, mode = "rack", { onOutlet = null, realTime = false } = {}) {
  const source = fs.readFileSync(DEVICE_JS, "utf8");
  const sent = [];
  const tasks = new FakeTasks();
  const context = {
    Task: realTime ? RealTask : tasks.klass(),
    jsarguments: ["soundalike_live.js", mode],
    Math,
    LiveAPI: live.api(),
    outlet: (number, ...args) => {
      const flat = [number].concat(...args.map((a) => (Array.isArray(a) ? a : [a])));
      sent.push(flat);
      if (onOutlet) onOutlet(flat[0], flat.slice(1));
    },
    post: () => {},
    arrayfromargs: (args) => Array.prototype.slice.call(args),
    inlet: 0,
    messagename: "",
  };
  vm.createContext(context);
  vm.runInContext(source, context, { filename: "soundalike_live.js" });
  return {
    context,
    sent,
    tasks,
    get id() { return (n) => `${context.state.instance}-${n}`; },
    get replyPort() { return context.state.replyPort; },
    engine(...args) { context.inlet = 0; context.messagename = "engine"; context.anything(...args); },
    pads() { return sent.filter((m) => m[0] === 4).map((m) => m.slice(1)); },
    bang(inlet) { context.inlet = inlet; context.bang(); },
    number(inlet, value) { context.inlet = inlet; context.msg_int(value); },
    drop(path) { context.inlet = 1; context.messagename = path; context.anything(); },
    save(folder) { context.inlet = 15; context.messagename = folder; context.anything(); },
    // a Listener's hit from [receive soundalike-heard], and the "Follow Listener" toggle
    heard(path) { context.inlet = 17; context.messagename = path; context.anything(); },
    follow(on) { context.inlet = 17; context.msg_int(on ? 1 : 0); },
    // what the Listener sends to [send soundalike-heard]
    hits() { return sent.filter((m) => m[0] === 6).map((m) => m.slice(1)); },
    osc(address, ...args) { context.inlet = 0; context.messagename = address; context.anything(...args); },
    status() {
      const lines = sent.filter((m) => m[0] === 1);
      return lines.length ? lines[lines.length - 1].slice(2).join(" ") : "";
    },
    requests() { return sent.filter((m) => m[0] === 0 && String(m[1]).startsWith("/soundalike/")).map((m) => m.slice(1)); },
  };
}

module.exports = { FakeLiveSet, loadDevice, DEVICE_JS, PROFILES };
