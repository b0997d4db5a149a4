// soundalike for Ableton Live: the devices' logic (plain ES5, for Max's [js] in Max 8 and 9).
//
// Talks to `soundalike serve` over OSC (outlet 0 -> [udpsend], replies from [udpreceive]
// into inlet 0) and shows what happens in words (outlet 1 -> the status line). Two modes,
// chosen by the [js] box's argument:
// - "sampler" (the soundalike Sampler instrument): the answer goes into the device's own 16
//   pads (outlet 4 -> [buffer~]s played by MIDI notes 36-51), on every Live.
// - "rack" (the soundalike Rack Filler MIDI effect): the answer goes into the pads of the Drum
//   Rack after it, through the Live API (Live 12.4+); it never looks at another track.
// - "listener" (the soundalike Listener audio effect): Find (inlet 2) asks with the track's own
//   audio: the server names a file (/soundalike/recording), the ring of the last seconds is
//   written there (outlet 4 -> [buffer~ ---ring] "writewave <path>"), the server cuts its
//   strongest hit (/soundalike/hit, "start_at": where the ring's oldest sample is, from
//   [record~]'s sync into inlet 16), and the sounds like it are listed. The hit's path also
//   goes to the Set's other soundalike devices (outlet 6 -> [send soundalike-heard], a global
//   name): a Sampler or Rack Filler whose "Follow Listener" is on takes it as a dropped file
//   and asks for sounds like it, as its Similar button does (inlet 17).
// Every instance has its own reply port and request-id prefix, so two devices (or a device
// and a Pd patch) never take each other's answers. When the server does not answer, the
// engine starter ([node.script], outlet 5) starts `soundalike serve`, if the device has one.
//
// Inlets: 0 control (live.thisdevice bang, OSC replies, engine reports), 1 dropped file,
// 2 Similar, 3 Cluster, 4 Fill rack, 5 Swap next, 6 Swap previous, 7 Rescan, 8 From pad,
// 9 pads to fill, 10 first pad, 11 server port, 12 Kit, 13 Another kit, 14 Lock pad (rack: a
// button locking the selected Drum Rack pad; sampler: a number, the pad to lock, 0 unlocks all),
// 15 Save kit (a folder from [opendialog fold]: the current kit written there as SFZ),
// 16 the Listener's ring position, 17 the Listener's hits (a path, from [receive
// soundalike-heard]) and the "Follow Listener" toggle (0/1) of the Sampler and Rack Filler.
// Outlets: 0 OSC to the server, 1 status text, 2 reply-port control for [udpreceive],
// 3 the result list, 4 the device's own pads ("<pad> replace <path>", "<pad> set <name>",
// "<pad> clear"), 5 the engine starter ("start <port>", "stop"), 6 the Listener's hit (its
// path, to [send soundalike-heard]).

inlets = 18;
outlets = 7;
autowatch = 0;

var IN_CONTROL = 0, IN_DROP = 1, IN_SIMILAR = 2, IN_CLUSTER = 3, IN_FILL = 4, IN_NEXT = 5,
    IN_PREVIOUS = 6, IN_RESCAN = 7, IN_FROM_PAD = 8, IN_PADS = 9, IN_FIRST = 10,
    IN_PORT = 11, IN_KIT = 12, IN_ANOTHER = 13, IN_LOCK = 14, IN_SAVE = 15, IN_RING = 16,
    IN_HEARD = 17;
var SAVE_FORMAT = "sfz";  // the open format most samplers read (Live's own cannot import one)
var OUT_OSC = 0, OUT_STATUS = 1, OUT_RECEIVE = 2, OUT_LIST = 3, OUT_PADS = 4, OUT_ENGINE = 5,
    OUT_HEARD = 6;
var FIRST_NOTE = 36;
var PADS = 16;
var SIMPLER = "OriginalSimpler";
var DRUM_SAMPLER = "DrumCellDevice";  // Live 12's Drum Sampler: no API to load a file into it
var DRUM_RACK = "DrumGroupDevice";
var SWAP_CANDIDATES = 16;
var TIMEOUT_MS = 3000;       // no answer in this long: the server is not running
var START_TIMEOUT_MS = 60000;  // a server being started gets this long to answer

var MODE = (typeof jsarguments !== "undefined" &&
            (jsarguments[1] === "sampler" || jsarguments[1] === "listener")) ? jsarguments[1]
                                                                              : "rack";
//: The Listener's ring ([buffer~ ---ring], written over and over by [record~ @loop 1]).
var RING_SECONDS = 3;
var WRITE_WAIT_MS = 300;  // buffer~ writes its file on Max's low-priority thread

var state = {
    ready: false,
    instance: randomTag(),  // request ids are "<instance>-<n>": replies to others are ignored
    nextId: 1,
    query: null,        // the file similar/cluster are asked about
    pending: null,      // {id, kind: "similar"|"mates"|"swap", note}
    results: [],        // paths of the last answer, best first
    kit: null,          // the last kit: [{note, role, path (null: empty), reason}], by note
    variation: 0,       // which kit for the query: 0 = Kit, then 1, 2... with Another kit
    locked: {},         // note -> path: pads the next kits keep (Lock pad)
    saved: null,        // the kit file the last Save kit wrote
    own: {},            // sampler: pad number -> the path it plays
    pads: 16,
    firstPad: 1,        // 1 = note 36
    port: 9000,
    // one per instance: a random one until the engine starter (Node for Max) names a port
    // that is free (it binds port 0 and reports what the system gave)
    replyPort: 49152 + Math.floor(Math.random() * 16000),
    swaps: {},          // note -> {original, candidates, position}
    version: null,      // [major, minor] of Live
    errors: [],         // errors about the pending request (the answer still counts)
    timer: null,        // the wait for an answer
    engine: "none",     // the engine starter: "none" (absent), "idle", "starting", "running"
    retry: null,        // a request to send again once a started server listens
    unanswered: false,  // the last wait ended with no answer and no engine to start
    ringAt: 0,          // the Listener's ring: where [record~] writes next, 0-1
    heard: null,        // the Listener's last hit: {path, seconds, category}
    follow: false       // Sampler, Rack Filler: a Listener's hit becomes the query, and Similar
};

function randomTag() {
    var letters = "abcdefghijklmnopqrstuvwxyz", tag = "";
    for (var i = 0; i < 4; i++) {
        tag += letters.charAt(Math.floor(Math.random() * letters.length));
    }
    return tag;
}

// --- entry points (Max calls these by message type) ---------------------------------

function bang() {
    if (inlet === IN_CONTROL) {
        ready();
    } else {
        button(inlet);
    }
}

function msg_int(value) {
    number(value);
}

function msg_float(value) {
    number(value);
}

function list() {
    var values = arrayfromargs(arguments);
    if (values.length) {
        number(values[0]);
    }
}

function anything() {
    var args = arrayfromargs(arguments);
    if (inlet === IN_CONTROL && messagename === "engine") {
        engineReport(args);
    } else if (inlet === IN_CONTROL) {
        reply(messagename, args);
    } else if (inlet === IN_DROP) {
        setQuery([messagename].concat(args).join(" "));
    } else if (inlet === IN_HEARD) {
        followHit([messagename].concat(args).join(" "));
    } else if (inlet === IN_SAVE) {
        saveKit([messagename].concat(args).join(" "));
    }
}

function number(value) {
    if (inlet === IN_PADS) {
        state.pads = clamp(Math.round(value), 1, 16);
    } else if (inlet === IN_FIRST) {
        state.firstPad = clamp(Math.round(value), 1, 16);
    } else if (inlet === IN_RING) {
        state.ringAt = value;  // [record~]'s sync, 0-1: where the next sample will be written
    } else if (inlet === IN_HEARD) {
        setFollow(value > 0);  // the "Follow Listener" toggle
    } else if (inlet === IN_PORT) {
        state.port = Math.round(value);
        outlet(OUT_OSC, "port", state.port);
    } else if (inlet === IN_LOCK && MODE === "sampler") {
        lockOwnPad(Math.round(value));
    } else if (value > 0) {
        button(inlet);  // live.text buttons send 1 when pressed
    }
}

function button(which) {
    if (MODE === "listener" && which === IN_SIMILAR) {
        find();
    } else if (which === IN_SIMILAR) {
        similar();
    } else if (which === IN_CLUSTER) {
        cluster();
    } else if (which === IN_FILL) {
        fillRack();
    } else if (which === IN_NEXT) {
        swap(1);
    } else if (which === IN_PREVIOUS) {
        swap(-1);
    } else if (which === IN_RESCAN) {
        rescan();
    } else if (which === IN_FROM_PAD) {
        queryFromPad();
    } else if (which === IN_KIT) {
        kit();
    } else if (which === IN_ANOTHER) {
        anotherKit();
    } else if (which === IN_LOCK) {
        lockSelectedPad();
    }
}

// --- the device is ready: the Live API may be used from now on -----------------------

function ready() {
    state.ready = true;
    state.version = liveVersion();
    outlet(OUT_RECEIVE, "port", state.replyPort);
    request("ping", []);
    status(modeLine() + ": drop a sample" + (MODE === "rack" ? ", or take a pad's (From pad)"
                                                              : ""));
}

function versionText() {
    return state.version ? "Live " + state.version.join(".") : "Live (version unknown)";
}

function modeLine() {
    // what this device can do on this Live, said once, up front
    if (MODE === "sampler") {
        return versionText() + ", own 16 pads (notes 36-51)";
    }
    if (MODE === "listener") {
        return versionText() + ", listening to this track";
    }
    return versionText() + (versionAtLeast(12, 4) ? ", fills the Drum Rack after it"
                                                  : ", lists sounds (filling a Drum Rack " +
                                                    "needs Live 12.4; use soundalike Sampler)");
}

function liveVersion() {
    var app = new LiveAPI("live_app");
    if (!app || Number(app.id) === 0) {
        return null;
    }
    return [Number(app.call("get_major_version")), Number(app.call("get_minor_version"))];
}

function versionAtLeast(major, minor) {
    var v = state.version;
    return v !== null && (v[0] > major || (v[0] === major && v[1] >= minor));
}

// --- asking the server ---------------------------------------------------------------

function request(verb, args, kind, note) {
    var id = state.instance + "-" + state.nextId++;
    state.pending = {id: id, kind: kind || verb, note: note, verb: verb, args: args};
    state.errors = [];
    if (kind === "swap" || verb === "similar" || verb === "mates") {
        state.results = [];
    }
    if (kind !== "swap" && (verb === "similar" || verb === "mates" || verb === "kit")) {
        state.kit = verb === "kit" ? [] : null;  // Fill rack loads what was asked last
    }
    send(state.pending);
    return id;
}

//: Requests whose results the Sampler loads into [buffer~]: it asks for playable copies
//: ("wav 1": FLAC, OGG, MP3... arrive as WAV copies from soundalike's cache folder; WAV and
//: AIFF as they are). The Rack Filler does not: Live reads those formats itself, and a Drum
//: Rack keeps the original file, not a cached copy.
var LOADED_VERBS = {similar: true, mates: true, cluster: true, kit: true};

function send(pending) {
    var playable = MODE === "sampler" && LOADED_VERBS[pending.verb] ? ["wav", 1] : [];
    outlet(OUT_OSC, ["/soundalike/" + pending.verb, pending.id].concat(
        pending.args, playable, ["reply_port", state.replyPort]));
    wait(state.engine === "starting" ? START_TIMEOUT_MS : TIMEOUT_MS);
}

// --- no answer: say so, and start the server when the device can -------------------

function wait(ms) {
    stopWaiting();
    state.timer = new Task(noAnswer, this);
    state.timer.schedule(ms);
}

function stopWaiting() {
    if (state.timer) {
        state.timer.cancel();
        state.timer = null;
    }
}

function noAnswer() {
    state.timer = null;
    var where = "server not answering on port " + state.port;
    if (state.engine === "idle") {
        state.engine = "starting";
        state.retry = state.pending;
        outlet(OUT_ENGINE, "start", state.port);
        wait(START_TIMEOUT_MS);
        return status(where + ": starting soundalike serve...");
    }
    if (state.engine === "starting") {
        return status(where + ": soundalike serve was started but does not answer");
    }
    state.unanswered = true;
    status(where + ": start `soundalike serve` in a terminal");
}

function engineReport(args) {
    // from the engine starter: ready | started <pid> | output <line> | listening |
    // failed <reason> | exited <code>
    var what = String(args[0]);
    if (what === "ready") {
        if (state.engine === "none") {
            state.engine = "idle";
        }
        outlet(OUT_ENGINE, "freeport");  // a reply port no other program holds
    } else if (what === "port") {
        var port = Number(args[1]);
        if (port > 0 && port < 65536 && port !== state.replyPort) {
            state.replyPort = port;
            outlet(OUT_RECEIVE, "port", port);
        }
        if (state.unanswered && state.pending) {
            noAnswer();  // the engine came up after the wait ended: start the server now
        }
    } else if (what === "started") {
        status("starting soundalike serve (process " + args[1] + ")...");
    } else if (what === "output") {
        status("soundalike serve: " + args.slice(1).join(" "));
    } else if (what === "listening") {
        state.engine = "running";
        var again = state.retry;
        state.retry = null;
        if (again && state.pending === again) {
            send(again);  // the request that found no server, now that there is one
        }
        status("soundalike serve started");
    } else if (what === "failed" || what === "exited") {
        state.engine = "idle";
        stopWaiting();
        status("soundalike serve " + (what === "failed" ? "could not start: " : "stopped: ") +
               args.slice(1).join(" "));
    }
}

function setQuery(path) {
    state.query = path;
    status("query: " + baseName(path));
}

function similar() {
    if (!state.query) {
        return status(MODE === "rack" ? "drop a sample first (or use From pad)"
                                      : "drop a sample first");
    }
    request("similar", [state.query, Math.max(state.pads, 16)]);
    status("asking for sounds like " + baseName(state.query) + "...");
}

function cluster() {
    if (!state.query) {
        return status(MODE === "rack" ? "drop a sample first (or use From pad)"
                                      : "drop a sample first");
    }
    request("mates", [state.query, PADS]);
    status("asking for the cluster of " + baseName(state.query) + "...");
}

function kit() {
    // a kit around the query: one sound per role, each for the pad of its General MIDI note
    if (!state.query) {
        return status(MODE === "rack" ? "drop a sample first (or use From pad)"
                                      : "drop a sample first");
    }
    state.variation = 0;
    request("kit", kitArgs());
    status("asking for a kit around " + baseName(state.query) + "...");
}

function anotherKit() {
    // the next kit for the same query; locked pads keep their sounds
    if (!state.query) {
        return status("drop a sample first");
    }
    state.variation++;
    request("kit", kitArgs());
    status("asking for kit " + (state.variation + 1) + " around " + baseName(state.query) + "...");
}

function saveKit(folder) {
    // the current kit (same query, variation and locked pads) written into the folder
    if (!state.query) {
        return status("drop a sample first");
    }
    state.saved = null;
    request("kit", kitArgs().concat(["save", SAVE_FORMAT, "save_to", folder]));
    status("saving the kit into " + folder + "...");
}

function kitArgs() {
    var args = [state.query, PADS];
    if (state.variation) {
        args.push("variation", state.variation);
    }
    var notes = Object.keys(state.locked).sort();
    for (var i = 0; i < notes.length; i++) {
        args.push("keep", notes[i] + "=" + state.locked[notes[i]]);
    }
    return args;
}

function lockOwnPad(pad) {
    // sampler: Lock pad n keeps pad n in the next kits; 0 unlocks every pad
    if (pad <= 0) {
        var had = Object.keys(state.locked).length;
        state.locked = {};
        return had ? status("no pad locked") : undefined;  // (also the number's initial 0)
    }
    if (!state.own[pad]) {
        return status("pad " + pad + " is empty: nothing to lock");
    }
    state.locked[FIRST_NOTE + pad - 1] = state.own[pad];
    status("pad " + pad + " locked (" + baseName(state.own[pad]) + "): Another kit keeps it");
}

function lockSelectedPad() {
    // rack: Lock pad locks the selected Drum Rack pad, or unlocks it when it was locked
    var rack = drumRack();
    var pad = rack && selectedPad(rack);
    if (!pad) {
        return status("select a pad of the Drum Rack first");
    }
    var note = Number(first(pad.get("note")));
    if (state.locked[note]) {
        delete state.locked[note];
        return status("note " + note + " unlocked");
    }
    var path = padSample(pad);
    if (!path) {
        return status("the selected pad has no sample to lock");
    }
    state.locked[note] = path;
    status("note " + note + " locked (" + baseName(path) + "): Another kit keeps it");
}

function rescan() {
    request("rescan", []);
    status("rescan requested...");
}

// --- replies -------------------------------------------------------------------------

function reply(address, args) {
    var parts = address.split("/");  // ["", "soundalike", verb, kind]
    if (parts[1] !== "soundalike") {
        return;
    }
    var verb = parts[2], kind = parts[3];
    if (verb === "library" && kind === "updated") {
        return status("library updated: " + args[0] + " sounds");
    }
    if (verb === "rescan") {
        return rescanReply(kind, args);
    }
    var pending = state.pending;
    if (!pending || String(args[0]) !== pending.id) {
        return;  // another instance's answer, or one to an older request: not ours
    }
    stopWaiting();  // the server is there
    state.unanswered = false;
    if (verb === "error") {
        // about one result, or the whole request: either way what did arrive still counts
        state.errors.push(String(args[1]));
        return status("error: " + args[1]);
    }
    if (kind === "done" && (verb === "recording" || verb === "hit")) {
        state.pending = null;
        return verb === "recording" ? writeRing(String(args[1])) : heard(args);
    }
    if (kind === "result" && (verb === "similar" || verb === "mates")) {
        state.results.push(String(args[2]));  // rank, path, ...: later fields may be added
    } else if (verb === "kit" && kind === "saved") {
        state.saved = String(args[1]);  // file, samples
    } else if (verb === "kit" && (kind === "result" || kind === "empty") && state.kit) {
        // result: note, role, path, distance; empty: note, role, reason
        state.kit.push({note: Number(args[1]), role: String(args[2]),
                        path: kind === "result" ? String(args[3]) : null,
                        reason: kind === "empty" ? String(args[3]) : null});
    } else if (kind === "done") {
        state.pending = null;
        done(verb, pending, args);
    }
}

function done(verb, pending, args) {
    if (verb === "ping") {
        return status(modeLine() + "; connected: " + args[2] + " sounds in the library");
    }
    var problems = state.errors.length ? " (" + state.errors.length + " error" +
        (state.errors.length > 1 ? "s" : "") + ": " + state.errors[0] + ")" : "";
    if (pending.kind === "swap") {
        var entry = state.swaps[pending.note];
        entry.candidates = state.results.slice(0);
        return stepSwap(pending.note, 1);
    }
    if (verb === "kit") {
        return kitDone(problems);
    }
    showList(state.results);
    var what = verb === "mates" ? "cluster-mates" : "similar sounds";
    if (MODE === "listener" && state.heard) {
        return status(state.results.length + " sounds like the " + state.heard.category +
                      " that played" + problems);
    }
    if (MODE === "sampler") {
        fillOwnPads(state.results);
        return status(state.results.length + " " + what + " in the pads (notes 36-" +
                      (FIRST_NOTE + Math.max(state.results.length, 1) - 1) + ")" + problems);
    }
    status(state.results.length + " " + what + ": Fill rack loads them into pads " +
           state.firstPad + "-" + (state.firstPad + Math.min(state.pads, state.results.length) - 1) +
           problems);
}

function kitDone(problems) {
    var filled = [], empty = [];
    for (var i = 0; i < state.kit.length; i++) {
        (state.kit[i].path ? filled : empty).push(state.kit[i]);
    }
    var lines = [];
    for (var j = 0; j < state.kit.length; j++) {
        var pad = state.kit[j];
        lines.push(pad.note + " " + pad.role + ": " + (pad.path ? pad.path : "(" + pad.reason + ")"));
    }
    outlet(OUT_LIST, "clear");
    for (var k = 0; k < lines.length; k++) {
        outlet(OUT_LIST, "append", lines[k]);
    }
    var missing = empty.length ? "; empty: " + empty[0].role + " (" + empty[0].reason + ")" +
        (empty.length > 1 ? " and " + (empty.length - 1) + " more" : "") : "";
    if (state.saved) {
        missing += "; saved as " + state.saved;
        state.saved = null;
    }
    if (MODE === "sampler") {
        var outside = fillOwnPadsByNote(state.kit);
        return status("kit: " + (filled.length - outside) + " sounds on notes 36-51" +
                      (outside ? " (" + outside + " roles outside them left out)" : "") +
                      missing + problems);
    }
    status("kit of " + filled.length + " sounds: Fill rack loads each on its note" + missing +
           problems);
}

// --- the device's own pads (sampler mode): on every Live ------------------------------

function fillOwnPadsByNote(pads) {
    // pad n plays note 35 + n: each sound goes to the pad of its note, the others are emptied
    var byPad = {}, outside = 0;
    for (var i = 0; i < pads.length; i++) {
        var number = pads[i].note - FIRST_NOTE + 1;
        if (!pads[i].path) {
            continue;
        }
        if (number >= 1 && number <= PADS) {
            byPad[number] = pads[i];
        } else {
            outside++;
        }
    }
    for (var pad = 1; pad <= PADS; pad++) {
        state.own[pad] = byPad[pad] ? byPad[pad].path : null;
        if (byPad[pad]) {
            outlet(OUT_PADS, pad, "replace", byPad[pad].path);
            outlet(OUT_PADS, pad, "set", byPad[pad].role + ": " + baseName(byPad[pad].path));
        } else {
            outlet(OUT_PADS, pad, "clear");
            outlet(OUT_PADS, pad, "set", "-");
        }
    }
    return outside;
}

function fillOwnPads(paths) {
    for (var pad = 1; pad <= PADS; pad++) {
        state.own[pad] = pad <= paths.length ? paths[pad - 1] : null;
        if (pad <= paths.length) {
            outlet(OUT_PADS, pad, "replace", paths[pad - 1]);
            outlet(OUT_PADS, pad, "set", baseName(paths[pad - 1]));
        } else {
            outlet(OUT_PADS, pad, "clear");  // no sound of an older answer stays behind
            outlet(OUT_PADS, pad, "set", "-");
        }
    }
}

function rescanReply(kind, args) {
    if (kind === "started") {
        status("rescan started");
    } else if (kind === "progress") {
        status("rescan: " + args[1] + " " + args[2] + "/" + args[3] +
               (Number(args[4]) ? " (" + args[4] + " failed)" : ""));
    } else if (kind === "done") {
        status("rescan done: " + args[1] + " new, " + args[2] + " changed, " + args[3] +
               " removed, " + args[4] + " failed; " + args[5] + " sounds");
    }
}

// --- the Drum Rack on this track -----------------------------------------------------

function api(idOrPath) {
    var target = typeof idOrPath === "number" ? "id " + idOrPath : idOrPath;
    var object = new LiveAPI(target);
    if (!object || Number(object.id) === 0) {
        return null;
    }
    return object;
}

function ids(values) {
    // LiveAPI lists are ["id", 3, "id", 7, ...]
    var found = [];
    for (var i = 0; i + 1 < values.length; i += 2) {
        if (values[i] === "id" && Number(values[i + 1]) !== 0) {
            found.push(Number(values[i + 1]));
        }
    }
    return found;
}

function first(values) {
    return values && values.length ? values[0] : null;
}

function drumRack() {
    if (!state.ready) {
        status("the device is not ready yet");
        return null;
    }
    var device = api("this_device");
    var track = device && api(ids(device.get("canonical_parent"))[0]);
    if (!track) {
        status("cannot find this device's track (Live API)");
        return null;
    }
    var devices = ids(track.get("devices"));
    for (var i = 0; i < devices.length; i++) {
        var candidate = api(devices[i]);
        if (candidate && first(candidate.get("class_name")) === DRUM_RACK) {
            return candidate;
        }
    }
    status("put this device on a track with a Drum Rack (none found on this track)");
    return null;
}

function padFor(rack, note) {
    var pads = ids(rack.get("drum_pads"));
    for (var i = 0; i < pads.length; i++) {
        var pad = api(pads[i]);
        if (pad && Number(first(pad.get("note"))) === note) {
            return pad;
        }
    }
    return null;
}

function simplerOf(chain) {
    var devices = ids(chain.get("devices"));
    for (var i = 0; i < devices.length; i++) {
        var device = api(devices[i]);
        if (device && first(device.get("class_name")) === SIMPLER) {
            return device;
        }
    }
    return null;
}

function holds(chain, className) {
    var devices = ids(chain.get("devices"));
    for (var i = 0; i < devices.length; i++) {
        var device = api(devices[i]);
        if (device && first(device.get("class_name")) === className) {
            return true;
        }
    }
    return false;
}

function newChainFor(rack, note) {
    // Live 12.3+: a chain for an empty pad, with a Simpler in it.
    if (!versionAtLeast(12, 3)) {
        return null;
    }
    var before = ids(rack.get("chains")).length;
    rack.call("insert_chain");
    var chains = ids(rack.get("chains"));
    if (chains.length <= before) {
        return null;  // the call failed (Live answers id 0, it does not throw)
    }
    var chain = api(chains[chains.length - 1]);
    if (!chain) {
        return null;
    }
    chain.set("in_note", note);
    chain.call("insert_device", "Simpler");
    return chain;
}

function loadPad(rack, note, path) {
    var pad = padFor(rack, note);
    if (!pad) {
        return "no pad for note " + note;
    }
    var chain = api(ids(pad.get("chains"))[0]);
    if (!chain) {
        chain = newChainFor(rack, note);
        if (!chain) {
            return versionAtLeast(12, 3) ? "could not add a chain for pad " + note
                                         : "pad " + note + " is empty (Live 12.3+ fills empty pads)";
        }
    }
    var simpler = simplerOf(chain);
    if (!simpler && holds(chain, DRUM_SAMPLER)) {
        // Live offers no call to load a file into a Drum Sampler: leave the pad as it is
        return "pad " + note + " holds a Drum Sampler, which the Live API cannot load: skipped";
    }
    if (!simpler) {
        chain.call("insert_device", "Simpler");
        simpler = simplerOf(chain);
        if (!simpler) {
            return "no Simpler on pad " + note;
        }
    }
    simpler.call("replace_sample", path);
    return null;
}

function canLoad() {
    if (!versionAtLeast(12, 4)) {
        var v = state.version ? state.version.join(".") : "unknown";
        status("Live 12.4 or later loads samples into a Drum Rack (this is " + v +
               "): the sounds are listed below; soundalike Sampler plays them on any Live");
        return false;
    }
    return true;
}

function fillRack() {
    if (state.kit && state.kit.length) {
        return fillRackWithKit();
    }
    if (!state.results.length) {
        return status("ask for Similar, Cluster or Kit first");
    }
    var rack = drumRack();
    if (!rack || !canLoad()) {
        return showList(state.results);
    }
    var count = Math.min(state.pads, state.results.length, 17 - state.firstPad);
    var problems = [];
    for (var i = 0; i < count; i++) {
        var note = FIRST_NOTE + state.firstPad - 1 + i;
        var problem = loadPad(rack, note, state.results[i]);
        if (problem) {
            problems.push(problem);
        } else {
            delete state.swaps[note];
        }
    }
    if (problems.length) {
        status("loaded " + (count - problems.length) + " of " + count + " pads; " + problems[0]);
    } else {
        status("loaded " + count + " pads (each load is its own undo step)");
    }
}

function fillRackWithKit() {
    // each sound on the pad of its note; a role the kit left empty leaves its pad as it was
    var rack = drumRack();
    var paths = [];
    for (var i = 0; i < state.kit.length; i++) {
        if (state.kit[i].path) {
            paths.push(state.kit[i].path);
        }
    }
    if (!rack || !canLoad()) {
        return showList(paths);
    }
    var problems = [], loaded = 0;
    for (var j = 0; j < state.kit.length; j++) {
        var pad = state.kit[j];
        if (!pad.path) {
            continue;
        }
        var problem = loadPad(rack, pad.note, pad.path);
        if (problem) {
            problems.push(problem);
        } else {
            loaded++;
            delete state.swaps[pad.note];
        }
    }
    status("kit: loaded " + loaded + " of " + paths.length + " pads by note" +
           (problems.length ? "; " + problems[0] : " (each load is its own undo step)"));
}

// --- the selected pad ----------------------------------------------------------------

function selectedPad(rack) {
    var view = api(rack.unquotedpath + " view");
    return view && api(ids(view.get("selected_drum_pad"))[0]);
}

function padSample(pad) {
    var chain = api(ids(pad.get("chains"))[0]);
    var simpler = chain && simplerOf(chain);
    var sample = simpler && api(ids(simpler.get("sample"))[0]);
    return sample ? String(first(sample.get("file_path"))) : null;
}

function queryFromPad() {
    var rack = drumRack();
    var pad = rack && selectedPad(rack);
    if (!pad) {
        return status("select a pad of the Drum Rack first");
    }
    var path = padSample(pad);
    if (!path) {
        return status("the selected pad has no sample");
    }
    setQuery(path);
}

function swap(step) {
    var rack = drumRack();
    var pad = rack && selectedPad(rack);
    if (!pad) {
        return status("select a pad of the Drum Rack first");
    }
    if (!canLoad()) {
        return showList(state.results);
    }
    var note = Number(first(pad.get("note")));
    var entry = state.swaps[note];
    if (!entry) {
        var path = padSample(pad);
        if (!path) {
            return status("the selected pad has no sample to swap");
        }
        state.swaps[note] = {original: path, candidates: null, position: 0};
        // no copies of the pad's sound (or of each other): each step is a different sound
        request("similar", [path, SWAP_CANDIDATES, "no_duplicates", 1], "swap", note);
        return status("finding sounds like " + baseName(path) + "...");
    }
    if (!entry.candidates) {
        return status("still waiting for the server");
    }
    stepSwap(note, step);
}

function stepSwap(note, step) {
    var entry = state.swaps[note];
    var rack = drumRack();
    if (!rack) {
        return;
    }
    entry.position = clamp(entry.position + step, 0, entry.candidates.length);
    var path = entry.position === 0 ? entry.original : entry.candidates[entry.position - 1];
    var problem = loadPad(rack, note, path);
    if (problem) {
        return status(problem);
    }
    status(entry.position === 0 ? "pad " + note + " is back to " + baseName(path)
                                : "pad " + note + ": " + baseName(path) + " (" + entry.position +
                                  "/" + entry.candidates.length + ")");
}

// --- showing things ------------------------------------------------------------------

// --- the Listener: ask with what the track played ------------------------------------

function find() {
    request("recording", []);
    status("listening: writing the last " + RING_SECONDS + " seconds...");
}

function writeRing(path) {
    outlet(OUT_PADS, "writewave", path);
    var oldest = Math.round(clamp(Number(state.ringAt) || 0, 0, 1) * RING_SECONDS * 1000) / 1000;
    var ask = new Task(function () {
        request("hit", [path, 2.0, "start_at", oldest]);
    }, this);
    ask.schedule(WRITE_WAIT_MS);
}

function heard(args) {
    // <path> <start> <seconds> <category> <cluster>
    var hit = String(args[1]), category = String(args[4] || "sound");
    state.query = hit;
    state.heard = {path: hit, seconds: Number(args[3]), category: category};
    outlet(OUT_HEARD, hit);  // to the Samplers and Rack Fillers of the Set that follow
    request("similar", [hit, 16]);
    status("heard a " + category + " (" + Number(args[3]).toFixed(2) + " s): asking...");
}

// --- the Sampler and the Rack Filler: following a Listener -----------------------------

function setFollow(on) {
    if (on !== state.follow) {
        state.follow = on;
        status(on ? "follows the Listener: its next hit is the query, then Similar"
                  : "does not follow the Listener");
    }
}

function followHit(path) {
    // a Listener's hit: taken as a dropped file, then asked about as Similar does; a device
    // that does not follow (the default) is left as it is
    if (MODE === "listener" || !state.follow) {
        return;
    }
    setQuery(path);
    similar();
}

function status(text) {
    outlet(OUT_STATUS, "set", text);
}

function showList(paths) {
    outlet(OUT_LIST, "clear");
    for (var i = 0; i < paths.length; i++) {
        outlet(OUT_LIST, "append", paths[i]);
    }
}

function baseName(path) {
    var parts = String(path).split("/");
    return parts[parts.length - 1];
}

function clamp(value, low, high) {
    return Math.max(low, Math.min(high, value));
}
