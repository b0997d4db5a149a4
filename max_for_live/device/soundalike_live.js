// soundalike for Ableton Live: the device's logic (plain ES5, for Max's [js] and [v8]).
//
// Talks to `soundalike serve` over OSC (outlet 0 -> [udpsend], replies from [udpreceive]
// into inlet 0), shows what happens in words (outlet 1 -> the status line) and loads the
// returned files into the pads of the Drum Rack on this device's own track through the
// Live API. It never looks at another track.
//
// Inlets: 0 control (live.thisdevice bang, OSC replies), 1 dropped file, 2 Similar,
// 3 Cluster, 4 Fill rack, 5 Swap next, 6 Swap previous, 7 Rescan, 8 From pad, 9 pads to
// fill, 10 first pad, 11 server port, 12 reply port.
// Outlets: 0 OSC to the server, 1 status text, 2 reply-port control for [udpreceive],
// 3 the result list (a fallback the user can read when pads cannot be loaded).

inlets = 13;
outlets = 4;
autowatch = 0;

var IN_CONTROL = 0, IN_DROP = 1, IN_SIMILAR = 2, IN_CLUSTER = 3, IN_FILL = 4, IN_NEXT = 5,
    IN_PREVIOUS = 6, IN_RESCAN = 7, IN_FROM_PAD = 8, IN_PADS = 9, IN_FIRST = 10,
    IN_PORT = 11, IN_REPLY_PORT = 12;
var OUT_OSC = 0, OUT_STATUS = 1, OUT_RECEIVE = 2, OUT_LIST = 3;
var FIRST_NOTE = 36;
var SIMPLER = "OriginalSimpler";
var DRUM_RACK = "DrumGroupDevice";
var SWAP_CANDIDATES = 16;

var state = {
    ready: false,
    nextId: 1,
    query: null,        // the file similar/cluster are asked about
    pending: null,      // {id, kind: "similar"|"mates"|"swap", note}
    results: [],        // paths of the last answer, best first
    pads: 16,
    firstPad: 1,        // 1 = note 36
    port: 9000,
    replyPort: 9001,
    swaps: {},          // note -> {original, candidates, position}
    version: null       // [major, minor] of Live
};

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
    if (inlet === IN_CONTROL) {
        reply(messagename, args);
    } else if (inlet === IN_DROP) {
        setQuery([messagename].concat(args).join(" "));
    }
}

function number(value) {
    if (inlet === IN_PADS) {
        state.pads = clamp(Math.round(value), 1, 16);
    } else if (inlet === IN_FIRST) {
        state.firstPad = clamp(Math.round(value), 1, 16);
    } else if (inlet === IN_PORT) {
        state.port = Math.round(value);
        outlet(OUT_OSC, "port", state.port);
    } else if (inlet === IN_REPLY_PORT) {
        state.replyPort = Math.round(value);
        outlet(OUT_RECEIVE, "port", state.replyPort);
    } else if (value > 0) {
        button(inlet);  // live.text buttons send 1 when pressed
    }
}

function button(which) {
    if (which === IN_SIMILAR) {
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
    }
}

// --- the device is ready: the Live API may be used from now on -----------------------

function ready() {
    state.ready = true;
    state.version = liveVersion();
    outlet(OUT_RECEIVE, "port", state.replyPort);
    request("ping", []);
    status("ready: drop a sample, or take the selected pad's (From pad)");
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
    var id = state.nextId++;
    state.pending = {id: id, kind: kind || verb, note: note};
    if (kind === "swap" || verb === "similar" || verb === "mates") {
        state.results = [];
    }
    outlet(OUT_OSC, ["/soundalike/" + verb, id].concat(args, ["reply_port", state.replyPort]));
    return id;
}

function setQuery(path) {
    state.query = path;
    status("query: " + baseName(path));
}

function similar() {
    if (!state.query) {
        return status("drop a sample first (or use From pad)");
    }
    request("similar", [state.query, Math.max(state.pads, 16)]);
    status("asking for sounds like " + baseName(state.query) + "...");
}

function cluster() {
    if (!state.query) {
        return status("drop a sample first (or use From pad)");
    }
    request("mates", [state.query, 16]);
    status("asking for the cluster of " + baseName(state.query) + "...");
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
    if (!pending || Number(args[0]) !== pending.id) {
        return;  // an answer to an older request: ignore it
    }
    if (verb === "error") {
        state.pending = null;
        return status("error: " + args[1]);
    }
    if (kind === "result" && (verb === "similar" || verb === "mates")) {
        state.results.push(String(args[2]));
    } else if (kind === "done") {
        state.pending = null;
        done(verb, pending, args);
    }
}

function done(verb, pending, args) {
    if (verb === "ping") {
        return status("connected: " + args[2] + " sounds in the library");
    }
    if (pending.kind === "swap") {
        var entry = state.swaps[pending.note];
        entry.candidates = state.results.slice(0);
        return stepSwap(pending.note, 1);
    }
    showList(state.results);
    var what = verb === "mates" ? "cluster-mates" : "similar sounds";
    status(state.results.length + " " + what + ": Fill rack loads them into pads " +
           state.firstPad + "-" + (state.firstPad + Math.min(state.pads, state.results.length) - 1));
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
        status("Live 12.4 or later loads samples into pads (this is " + v +
               "): the sounds are listed below");
        return false;
    }
    return true;
}

function fillRack() {
    if (!state.results.length) {
        return status("ask for Similar or Cluster first");
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
        request("similar", [path, SWAP_CANDIDATES], "swap", note);
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
