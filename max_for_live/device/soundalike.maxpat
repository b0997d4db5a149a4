{
	"patcher": {
		"fileversion": 1,
		"appversion": {
			"major": 9,
			"minor": 0,
			"revision": 0,
			"architecture": "x64",
			"modernui": 1
		},
		"classnamespace": "box",
		"rect": [
			100.0,
			100.0,
			900.0,
			600.0
		],
		"openinpresentation": 1,
		"default_fontsize": 10.0,
		"default_fontface": 0,
		"default_fontname": "Ableton Sans Medium",
		"gridsize": [
			8.0,
			8.0
		],
		"devicewidth": 440.0,
		"description": "soundalike: fill a Drum Rack with sounds like the one you drop, from your own library (needs `soundalike serve`).",
		"boxes": [
			{
				"box": {
					"id": "obj-1",
					"maxclass": "newobj",
					"numinlets": 13,
					"numoutlets": 4,
					"outlettype": [
						"",
						"",
						"",
						""
					],
					"patching_rect": [
						20.0,
						300.0,
						520.0,
						22.0
					],
					"text": "v8 4 13 @embed 1",
					"saved_object_attributes": {
						"embed": 1,
						"parameter_enable": 0
					},
					"textfile": {
						"text": "// soundalike for Ableton Live: the device's logic (plain ES5, for Max's [js] and [v8]).\n//\n// Talks to `soundalike serve` over OSC (outlet 0 -> [udpsend], replies from [udpreceive]\n// into inlet 0), shows what happens in words (outlet 1 -> the status line) and loads the\n// returned files into the pads of the Drum Rack on this device's own track through the\n// Live API. It never looks at another track.\n//\n// Inlets: 0 control (live.thisdevice bang, OSC replies), 1 dropped file, 2 Similar,\n// 3 Cluster, 4 Fill rack, 5 Swap next, 6 Swap previous, 7 Rescan, 8 From pad, 9 pads to\n// fill, 10 first pad, 11 server port, 12 reply port.\n// Outlets: 0 OSC to the server, 1 status text, 2 reply-port control for [udpreceive],\n// 3 the result list (a fallback the user can read when pads cannot be loaded).\n\ninlets = 13;\noutlets = 4;\nautowatch = 0;\n\nvar IN_CONTROL = 0, IN_DROP = 1, IN_SIMILAR = 2, IN_CLUSTER = 3, IN_FILL = 4, IN_NEXT = 5,\n    IN_PREVIOUS = 6, IN_RESCAN = 7, IN_FROM_PAD = 8, IN_PADS = 9, IN_FIRST = 10,\n    IN_PORT = 11, IN_REPLY_PORT = 12;\nvar OUT_OSC = 0, OUT_STATUS = 1, OUT_RECEIVE = 2, OUT_LIST = 3;\nvar FIRST_NOTE = 36;\nvar SIMPLER = \"OriginalSimpler\";\nvar DRUM_RACK = \"DrumGroupDevice\";\nvar SWAP_CANDIDATES = 16;\n\nvar state = {\n    ready: false,\n    nextId: 1,\n    query: null,        // the file similar/cluster are asked about\n    pending: null,      // {id, kind: \"similar\"|\"mates\"|\"swap\", note}\n    results: [],        // paths of the last answer, best first\n    pads: 16,\n    firstPad: 1,        // 1 = note 36\n    port: 9000,\n    replyPort: 9001,\n    swaps: {},          // note -> {original, candidates, position}\n    version: null       // [major, minor] of Live\n};\n\n// --- entry points (Max calls these by message type) ---------------------------------\n\nfunction bang() {\n    if (inlet === IN_CONTROL) {\n        ready();\n    } else {\n        button(inlet);\n    }\n}\n\nfunction msg_int(value) {\n    number(value);\n}\n\nfunction msg_float(value) {\n    number(value);\n}\n\nfunction list() {\n    var values = arrayfromargs(arguments);\n    if (values.length) {\n        number(values[0]);\n    }\n}\n\nfunction anything() {\n    var args = arrayfromargs(arguments);\n    if (inlet === IN_CONTROL) {\n        reply(messagename, args);\n    } else if (inlet === IN_DROP) {\n        setQuery([messagename].concat(args).join(\" \"));\n    }\n}\n\nfunction number(value) {\n    if (inlet === IN_PADS) {\n        state.pads = clamp(Math.round(value), 1, 16);\n    } else if (inlet === IN_FIRST) {\n        state.firstPad = clamp(Math.round(value), 1, 16);\n    } else if (inlet === IN_PORT) {\n        state.port = Math.round(value);\n        outlet(OUT_OSC, \"port\", state.port);\n    } else if (inlet === IN_REPLY_PORT) {\n        state.replyPort = Math.round(value);\n        outlet(OUT_RECEIVE, \"port\", state.replyPort);\n    } else if (value > 0) {\n        button(inlet);  // live.text buttons send 1 when pressed\n    }\n}\n\nfunction button(which) {\n    if (which === IN_SIMILAR) {\n        similar();\n    } else if (which === IN_CLUSTER) {\n        cluster();\n    } else if (which === IN_FILL) {\n        fillRack();\n    } else if (which === IN_NEXT) {\n        swap(1);\n    } else if (which === IN_PREVIOUS) {\n        swap(-1);\n    } else if (which === IN_RESCAN) {\n        rescan();\n    } else if (which === IN_FROM_PAD) {\n        queryFromPad();\n    }\n}\n\n// --- the device is ready: the Live API may be used from now on -----------------------\n\nfunction ready() {\n    state.ready = true;\n    state.version = liveVersion();\n    outlet(OUT_RECEIVE, \"port\", state.replyPort);\n    request(\"ping\", []);\n    status(\"ready: drop a sample, or take the selected pad's (From pad)\");\n}\n\nfunction liveVersion() {\n    var app = new LiveAPI(\"live_app\");\n    if (!app || Number(app.id) === 0) {\n        return null;\n    }\n    return [Number(app.call(\"get_major_version\")), Number(app.call(\"get_minor_version\"))];\n}\n\nfunction versionAtLeast(major, minor) {\n    var v = state.version;\n    return v !== null && (v[0] > major || (v[0] === major && v[1] >= minor));\n}\n\n// --- asking the server ---------------------------------------------------------------\n\nfunction request(verb, args, kind, note) {\n    var id = state.nextId++;\n    state.pending = {id: id, kind: kind || verb, note: note};\n    if (kind === \"swap\" || verb === \"similar\" || verb === \"mates\") {\n        state.results = [];\n    }\n    outlet(OUT_OSC, [\"/soundalike/\" + verb, id].concat(args, [\"reply_port\", state.replyPort]));\n    return id;\n}\n\nfunction setQuery(path) {\n    state.query = path;\n    status(\"query: \" + baseName(path));\n}\n\nfunction similar() {\n    if (!state.query) {\n        return status(\"drop a sample first (or use From pad)\");\n    }\n    request(\"similar\", [state.query, Math.max(state.pads, 16)]);\n    status(\"asking for sounds like \" + baseName(state.query) + \"...\");\n}\n\nfunction cluster() {\n    if (!state.query) {\n        return status(\"drop a sample first (or use From pad)\");\n    }\n    request(\"mates\", [state.query, 16]);\n    status(\"asking for the cluster of \" + baseName(state.query) + \"...\");\n}\n\nfunction rescan() {\n    request(\"rescan\", []);\n    status(\"rescan requested...\");\n}\n\n// --- replies -------------------------------------------------------------------------\n\nfunction reply(address, args) {\n    var parts = address.split(\"/\");  // [\"\", \"soundalike\", verb, kind]\n    if (parts[1] !== \"soundalike\") {\n        return;\n    }\n    var verb = parts[2], kind = parts[3];\n    if (verb === \"library\" && kind === \"updated\") {\n        return status(\"library updated: \" + args[0] + \" sounds\");\n    }\n    if (verb === \"rescan\") {\n        return rescanReply(kind, args);\n    }\n    var pending = state.pending;\n    if (!pending || Number(args[0]) !== pending.id) {\n        return;  // an answer to an older request: ignore it\n    }\n    if (verb === \"error\") {\n        state.pending = null;\n        return status(\"error: \" + args[1]);\n    }\n    if (kind === \"result\" && (verb === \"similar\" || verb === \"mates\")) {\n        state.results.push(String(args[2]));\n    } else if (kind === \"done\") {\n        state.pending = null;\n        done(verb, pending, args);\n    }\n}\n\nfunction done(verb, pending, args) {\n    if (verb === \"ping\") {\n        return status(\"connected: \" + args[2] + \" sounds in the library\");\n    }\n    if (pending.kind === \"swap\") {\n        var entry = state.swaps[pending.note];\n        entry.candidates = state.results.slice(0);\n        return stepSwap(pending.note, 1);\n    }\n    showList(state.results);\n    var what = verb === \"mates\" ? \"cluster-mates\" : \"similar sounds\";\n    status(state.results.length + \" \" + what + \": Fill rack loads them into pads \" +\n           state.firstPad + \"-\" + (state.firstPad + Math.min(state.pads, state.results.length) - 1));\n}\n\nfunction rescanReply(kind, args) {\n    if (kind === \"started\") {\n        status(\"rescan started\");\n    } else if (kind === \"progress\") {\n        status(\"rescan: \" + args[1] + \" \" + args[2] + \"/\" + args[3] +\n               (Number(args[4]) ? \" (\" + args[4] + \" failed)\" : \"\"));\n    } else if (kind === \"done\") {\n        status(\"rescan done: \" + args[1] + \" new, \" + args[2] + \" changed, \" + args[3] +\n               \" removed, \" + args[4] + \" failed; \" + args[5] + \" sounds\");\n    }\n}\n\n// --- the Drum Rack on this track -----------------------------------------------------\n\nfunction api(idOrPath) {\n    var target = typeof idOrPath === \"number\" ? \"id \" + idOrPath : idOrPath;\n    var object = new LiveAPI(target);\n    if (!object || Number(object.id) === 0) {\n        return null;\n    }\n    return object;\n}\n\nfunction ids(values) {\n    // LiveAPI lists are [\"id\", 3, \"id\", 7, ...]\n    var found = [];\n    for (var i = 0; i + 1 < values.length; i += 2) {\n        if (values[i] === \"id\" && Number(values[i + 1]) !== 0) {\n            found.push(Number(values[i + 1]));\n        }\n    }\n    return found;\n}\n\nfunction first(values) {\n    return values && values.length ? values[0] : null;\n}\n\nfunction drumRack() {\n    if (!state.ready) {\n        status(\"the device is not ready yet\");\n        return null;\n    }\n    var device = api(\"this_device\");\n    var track = device && api(ids(device.get(\"canonical_parent\"))[0]);\n    if (!track) {\n        status(\"cannot find this device's track (Live API)\");\n        return null;\n    }\n    var devices = ids(track.get(\"devices\"));\n    for (var i = 0; i < devices.length; i++) {\n        var candidate = api(devices[i]);\n        if (candidate && first(candidate.get(\"class_name\")) === DRUM_RACK) {\n            return candidate;\n        }\n    }\n    status(\"put this device on a track with a Drum Rack (none found on this track)\");\n    return null;\n}\n\nfunction padFor(rack, note) {\n    var pads = ids(rack.get(\"drum_pads\"));\n    for (var i = 0; i < pads.length; i++) {\n        var pad = api(pads[i]);\n        if (pad && Number(first(pad.get(\"note\"))) === note) {\n            return pad;\n        }\n    }\n    return null;\n}\n\nfunction simplerOf(chain) {\n    var devices = ids(chain.get(\"devices\"));\n    for (var i = 0; i < devices.length; i++) {\n        var device = api(devices[i]);\n        if (device && first(device.get(\"class_name\")) === SIMPLER) {\n            return device;\n        }\n    }\n    return null;\n}\n\nfunction newChainFor(rack, note) {\n    // Live 12.3+: a chain for an empty pad, with a Simpler in it.\n    if (!versionAtLeast(12, 3)) {\n        return null;\n    }\n    var before = ids(rack.get(\"chains\")).length;\n    rack.call(\"insert_chain\");\n    var chains = ids(rack.get(\"chains\"));\n    if (chains.length <= before) {\n        return null;  // the call failed (Live answers id 0, it does not throw)\n    }\n    var chain = api(chains[chains.length - 1]);\n    if (!chain) {\n        return null;\n    }\n    chain.set(\"in_note\", note);\n    chain.call(\"insert_device\", \"Simpler\");\n    return chain;\n}\n\nfunction loadPad(rack, note, path) {\n    var pad = padFor(rack, note);\n    if (!pad) {\n        return \"no pad for note \" + note;\n    }\n    var chain = api(ids(pad.get(\"chains\"))[0]);\n    if (!chain) {\n        chain = newChainFor(rack, note);\n        if (!chain) {\n            return versionAtLeast(12, 3) ? \"could not add a chain for pad \" + note\n                                         : \"pad \" + note + \" is empty (Live 12.3+ fills empty pads)\";\n        }\n    }\n    var simpler = simplerOf(chain);\n    if (!simpler) {\n        chain.call(\"insert_device\", \"Simpler\");\n        simpler = simplerOf(chain);\n        if (!simpler) {\n            return \"no Simpler on pad \" + note;\n        }\n    }\n    simpler.call(\"replace_sample\", path);\n    return null;\n}\n\nfunction canLoad() {\n    if (!versionAtLeast(12, 4)) {\n        var v = state.version ? state.version.join(\".\") : \"unknown\";\n        status(\"Live 12.4 or later loads samples into pads (this is \" + v +\n               \"): the sounds are listed below\");\n        return false;\n    }\n    return true;\n}\n\nfunction fillRack() {\n    if (!state.results.length) {\n        return status(\"ask for Similar or Cluster first\");\n    }\n    var rack = drumRack();\n    if (!rack || !canLoad()) {\n        return showList(state.results);\n    }\n    var count = Math.min(state.pads, state.results.length, 17 - state.firstPad);\n    var problems = [];\n    for (var i = 0; i < count; i++) {\n        var note = FIRST_NOTE + state.firstPad - 1 + i;\n        var problem = loadPad(rack, note, state.results[i]);\n        if (problem) {\n            problems.push(problem);\n        } else {\n            delete state.swaps[note];\n        }\n    }\n    if (problems.length) {\n        status(\"loaded \" + (count - problems.length) + \" of \" + count + \" pads; \" + problems[0]);\n    } else {\n        status(\"loaded \" + count + \" pads (each load is its own undo step)\");\n    }\n}\n\n// --- the selected pad ----------------------------------------------------------------\n\nfunction selectedPad(rack) {\n    var view = api(rack.unquotedpath + \" view\");\n    return view && api(ids(view.get(\"selected_drum_pad\"))[0]);\n}\n\nfunction padSample(pad) {\n    var chain = api(ids(pad.get(\"chains\"))[0]);\n    var simpler = chain && simplerOf(chain);\n    var sample = simpler && api(ids(simpler.get(\"sample\"))[0]);\n    return sample ? String(first(sample.get(\"file_path\"))) : null;\n}\n\nfunction queryFromPad() {\n    var rack = drumRack();\n    var pad = rack && selectedPad(rack);\n    if (!pad) {\n        return status(\"select a pad of the Drum Rack first\");\n    }\n    var path = padSample(pad);\n    if (!path) {\n        return status(\"the selected pad has no sample\");\n    }\n    setQuery(path);\n}\n\nfunction swap(step) {\n    var rack = drumRack();\n    var pad = rack && selectedPad(rack);\n    if (!pad) {\n        return status(\"select a pad of the Drum Rack first\");\n    }\n    if (!canLoad()) {\n        return showList(state.results);\n    }\n    var note = Number(first(pad.get(\"note\")));\n    var entry = state.swaps[note];\n    if (!entry) {\n        var path = padSample(pad);\n        if (!path) {\n            return status(\"the selected pad has no sample to swap\");\n        }\n        state.swaps[note] = {original: path, candidates: null, position: 0};\n        request(\"similar\", [path, SWAP_CANDIDATES], \"swap\", note);\n        return status(\"finding sounds like \" + baseName(path) + \"...\");\n    }\n    if (!entry.candidates) {\n        return status(\"still waiting for the server\");\n    }\n    stepSwap(note, step);\n}\n\nfunction stepSwap(note, step) {\n    var entry = state.swaps[note];\n    var rack = drumRack();\n    if (!rack) {\n        return;\n    }\n    entry.position = clamp(entry.position + step, 0, entry.candidates.length);\n    var path = entry.position === 0 ? entry.original : entry.candidates[entry.position - 1];\n    var problem = loadPad(rack, note, path);\n    if (problem) {\n        return status(problem);\n    }\n    status(entry.position === 0 ? \"pad \" + note + \" is back to \" + baseName(path)\n                                : \"pad \" + note + \": \" + baseName(path) + \" (\" + entry.position +\n                                  \"/\" + entry.candidates.length + \")\");\n}\n\n// --- showing things ------------------------------------------------------------------\n\nfunction status(text) {\n    outlet(OUT_STATUS, \"set\", text);\n}\n\nfunction showList(paths) {\n    outlet(OUT_LIST, \"clear\");\n    for (var i = 0; i < paths.length; i++) {\n        outlet(OUT_LIST, \"append\", paths[i]);\n    }\n}\n\nfunction baseName(path) {\n    var parts = String(path).split(\"/\");\n    return parts[parts.length - 1];\n}\n\nfunction clamp(value, low, high) {\n    return Math.max(low, Math.min(high, value));\n}\n",
						"filename": "soundalike_live.js",
						"flags": 0,
						"embed": 1,
						"autowatch": 0
					},
					"varname": "---logic"
				}
			},
			{
				"box": {
					"id": "obj-2",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"bang",
						"int",
						"int"
					],
					"patching_rect": [
						20.0,
						20.0,
						90.0,
						22.0
					],
					"text": "live.thisdevice"
				}
			},
			{
				"box": {
					"id": "obj-3",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						120.0,
						20.0,
						140.0,
						22.0
					],
					"text": "udpreceive 9001 @defer 1"
				}
			},
			{
				"box": {
					"id": "obj-4",
					"maxclass": "live.drop",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						280.0,
						20.0,
						140.0,
						60.0
					],
					"presentation": 1,
					"presentation_rect": [
						8.0,
						8.0,
						144.0,
						60.0
					],
					"legend": "Drop a sample",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Query",
							"parameter_shortname": "Query",
							"parameter_type": 4,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-5",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						160.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						160.0,
						8.0,
						68.0,
						18.0
					],
					"text": "Similar",
					"mode": 0,
					"texton": "Similar",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Similar",
							"parameter_shortname": "Similar",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-6",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						230.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						160.0,
						30.0,
						68.0,
						18.0
					],
					"text": "Cluster",
					"mode": 0,
					"texton": "Cluster",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Cluster",
							"parameter_shortname": "Cluster",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-7",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						300.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						160.0,
						52.0,
						68.0,
						18.0
					],
					"text": "Fill rack",
					"mode": 0,
					"texton": "Fill rack",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Fill rack",
							"parameter_shortname": "Fill rack",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-8",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						370.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						235.0,
						8.0,
						68.0,
						18.0
					],
					"text": "Swap next",
					"mode": 0,
					"texton": "Swap next",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Swap next",
							"parameter_shortname": "Swap next",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-9",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						440.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						235.0,
						30.0,
						68.0,
						18.0
					],
					"text": "Swap prev",
					"mode": 0,
					"texton": "Swap prev",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Swap prev",
							"parameter_shortname": "Swap prev",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-10",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						510.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						235.0,
						52.0,
						68.0,
						18.0
					],
					"text": "Rescan",
					"mode": 0,
					"texton": "Rescan",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Rescan",
							"parameter_shortname": "Rescan",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-11",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						580.0,
						120.0,
						64.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						8.0,
						74.0,
						68.0,
						18.0
					],
					"text": "From pad",
					"mode": 0,
					"texton": "From pad",
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "From pad",
							"parameter_shortname": "From pad",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-12",
					"maxclass": "comment",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						650.0,
						170.0,
						60.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						312.0,
						8.0,
						62.0,
						18.0
					],
					"text": "Pads"
				}
			},
			{
				"box": {
					"id": "obj-13",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"patching_rect": [
						650.0,
						200.0,
						50.0,
						15.0
					],
					"presentation": 1,
					"presentation_rect": [
						376.0,
						8.0,
						56.0,
						15.0
					],
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Pads",
							"parameter_shortname": "Pads",
							"parameter_type": 1,
							"parameter_mmin": 1.0,
							"parameter_mmax": 16.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								16.0
							],
							"parameter_invisible": 0
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-14",
					"maxclass": "comment",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						720.0,
						170.0,
						60.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						312.0,
						30.0,
						62.0,
						18.0
					],
					"text": "First pad"
				}
			},
			{
				"box": {
					"id": "obj-15",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"patching_rect": [
						720.0,
						200.0,
						50.0,
						15.0
					],
					"presentation": 1,
					"presentation_rect": [
						376.0,
						30.0,
						56.0,
						15.0
					],
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "First pad",
							"parameter_shortname": "First pad",
							"parameter_type": 1,
							"parameter_mmin": 1.0,
							"parameter_mmax": 16.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								1.0
							],
							"parameter_invisible": 0
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-16",
					"maxclass": "comment",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						790.0,
						170.0,
						60.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						312.0,
						52.0,
						62.0,
						18.0
					],
					"text": "Port"
				}
			},
			{
				"box": {
					"id": "obj-17",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"patching_rect": [
						790.0,
						200.0,
						50.0,
						15.0
					],
					"presentation": 1,
					"presentation_rect": [
						376.0,
						52.0,
						56.0,
						15.0
					],
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Port",
							"parameter_shortname": "Port",
							"parameter_type": 1,
							"parameter_mmin": 1.0,
							"parameter_mmax": 65535.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								9000.0
							],
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-18",
					"maxclass": "comment",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						860.0,
						170.0,
						60.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						312.0,
						74.0,
						62.0,
						18.0
					],
					"text": "Reply port"
				}
			},
			{
				"box": {
					"id": "obj-19",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"patching_rect": [
						860.0,
						200.0,
						50.0,
						15.0
					],
					"presentation": 1,
					"presentation_rect": [
						376.0,
						74.0,
						56.0,
						15.0
					],
					"parameter_enable": 1,
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Reply port",
							"parameter_shortname": "Reply port",
							"parameter_type": 1,
							"parameter_mmin": 1.0,
							"parameter_mmax": 65535.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								9001.0
							],
							"parameter_invisible": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-20",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						20.0,
						360.0,
						140.0,
						22.0
					],
					"text": "udpsend 127.0.0.1 9000"
				}
			},
			{
				"box": {
					"id": "obj-21",
					"maxclass": "comment",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						180.0,
						360.0,
						420.0,
						18.0
					],
					"presentation": 1,
					"presentation_rect": [
						8.0,
						96.0,
						424.0,
						18.0
					],
					"text": "soundalike: start `soundalike serve`, then drop a sample"
				}
			},
			{
				"box": {
					"id": "obj-22",
					"maxclass": "umenu",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"int",
						"",
						""
					],
					"patching_rect": [
						180.0,
						400.0,
						420.0,
						22.0
					],
					"presentation": 1,
					"presentation_rect": [
						8.0,
						118.0,
						424.0,
						22.0
					],
					"items": [],
					"parameter_enable": 0
				}
			},
			{
				"box": {
					"id": "obj-23",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						"int"
					],
					"patching_rect": [
						620.0,
						20.0,
						50.0,
						22.0
					],
					"text": "midiin"
				}
			},
			{
				"box": {
					"id": "obj-24",
					"maxclass": "newobj",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						620.0,
						60.0,
						55.0,
						22.0
					],
					"text": "midiout"
				}
			}
		],
		"lines": [
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-2",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-3",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						1
					],
					"source": [
						"obj-4",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						2
					],
					"source": [
						"obj-5",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						3
					],
					"source": [
						"obj-6",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						4
					],
					"source": [
						"obj-7",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						5
					],
					"source": [
						"obj-8",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						6
					],
					"source": [
						"obj-9",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						7
					],
					"source": [
						"obj-10",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						8
					],
					"source": [
						"obj-11",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						9
					],
					"source": [
						"obj-13",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						10
					],
					"source": [
						"obj-15",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						11
					],
					"source": [
						"obj-17",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						12
					],
					"source": [
						"obj-19",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-20",
						0
					],
					"source": [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-21",
						0
					],
					"source": [
						"obj-1",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-3",
						0
					],
					"source": [
						"obj-1",
						2
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-22",
						0
					],
					"source": [
						"obj-1",
						3
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-24",
						0
					],
					"source": [
						"obj-23",
						0
					]
				}
			}
		],
		"dependency_cache": [],
		"autosave": 0
	}
}
