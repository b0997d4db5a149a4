"""Writes the soundalike Pure Data patches (vanilla Pd 0.51+, no externals).

    python max_for_live/pd/make_patches.py       # rewrites the .pd files beside this script

The .pd files are the product and are committed; this script is how they are
made, so that every connection is named rather than numbered. A test checks
that the committed files are what this script writes.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdpatch import Patch  # noqa: E402

HERE = Path(__file__).resolve().parent
VERBS = ("ping", "similar", "mates", "cluster", "clusters", "rescan", "status", "kit",
         "recording", "hit")
SLOTS = 16
FIRST_NOTE = 36
#: How long the client waits for any answer before saying the server is not answering.
TIMEOUT_MS = 5000


def client() -> Patch:
    """soundalike.client: requests in with request ids, replies out by kind."""
    p = Patch(1100, 760)
    p.comment(20, 10, "soundalike.client: talks to `soundalike serve` over OSC. Arguments: host "
              "port reply-port (default localhost 9000 0). See the help patch.", 110)

    # --- connecting: creation arguments, with defaults, or a "connect host port reply" message
    inlet = p.obj(20, 60, "inlet")
    load = p.obj(620, 60, "loadbang")
    args = p.obj(620, 90, "list append $1 $2 $3")
    p.chain(load, args)
    defaults = p.obj(620, 120, "soundalike.defaults")
    p.connect(args, 0, defaults, 0)
    verbs = p.obj(20, 100, "route " + " ".join(VERBS) + " connect")
    p.connect(inlet, 0, verbs, 0)
    p.connect(verbs, len(VERBS), defaults, 0)
    settings = p.obj(620, 150, "t a a a")
    p.connect(defaults, 0, settings, 0)
    connect = p.msg(620, 180, "disconnect, connect $1 $2")
    listen = p.obj(800, 180, "list split 2")
    p.connect(settings, 2, connect, 0)
    p.connect(settings, 1, listen, 0)
    reply_port = p.obj(800, 210, "t f f")
    p.connect(listen, 1, reply_port, 0)
    # reply port 0 (the default): the server answers the port [netsend] sends from, and
    # [netsend]'s right outlet hands the answers back, so every instance has its own
    # port; a fixed reply port > 0 is listened to with [netreceive] ("listen 0" closes it).
    listen_msg = p.msg(800, 240, "listen $1")
    p.connect(reply_port, 1, listen_msg, 0)
    # what to say when nobody answers: "server not answering on host:port ..."
    address = p.obj(940, 180, "list split 2")
    p.connect(settings, 0, address, 0)
    host_port = p.msg(940, 210, "symbol $1:$2")
    p.connect(address, 0, host_port, 0)
    not_answering = p.obj(940, 240, "makefilename server\\ not\\ answering\\ on\\ %s\\ -"
                                     "\\ start\\ `soundalike\\ serve`")
    p.connect(host_port, 0, not_answering, 0)
    silence = p.obj(940, 270, "symbol")
    p.connect(not_answering, 0, silence, 1)
    timeout = p.obj(860, 300, f"delay {TIMEOUT_MS}")
    p.connect(timeout, 0, silence, 0)

    # --- requests: "verb args" -> [id args... reply_port N] -> /soundalike/verb
    counter = p.obj(20, 330, "f 0")
    plus = p.obj(70, 330, "+ 1")
    p.connect(counter, 0, plus, 0)
    p.connect(plus, 0, counter, 1)
    netsend = p.obj(20, 560, "netsend -u -b")
    p.connect(connect, 0, netsend, 0)
    for i, verb in enumerate(VERBS):
        x = 20 + i * 150
        trigger = p.obj(x, 140 + (i % 2) * 25, "t a b")
        p.connect(verbs, i, trigger, 0)
        p.connect(trigger, 1, counter, 0)
        p.connect(trigger, 1, timeout, 0)  # (re)starts the wait for an answer
        stamp = p.obj(x, 380 + (i % 2) * 25, "list prepend")
        p.connect(counter, 0, stamp, 1)
        p.connect(trigger, 0, stamp, 0)
        port = p.obj(x, 430 + (i % 2) * 25, "list append")
        p.connect(stamp, 0, port, 0)
        wav = "wav 1 " if verb in ("similar", "mates", "cluster", "kit") else ""
        options = p.msg(x + 80, 280 + (i % 2) * 25, f"{wav}reply_port $1")
        p.connect(reply_port, 0, options, 0)
        p.connect(options, 0, port, 1)
        osc = p.obj(x, 480 + (i % 2) * 25, f"oscformat soundalike {verb}")
        p.connect(port, 0, osc, 0)
        p.connect(osc, 0, netsend, 0)

    # --- replies: /soundalike/verb/kind id args... -> outlets by kind, id dropped
    receive = p.obj(120, 600, "netreceive -u -b")
    p.connect(listen_msg, 0, receive, 0)
    parse = p.obj(20, 630, "oscparse")
    p.connect(netsend, 1, parse, 0)
    p.connect(receive, 0, parse, 0)
    heard = p.obj(20, 655, "t a b")
    p.connect(parse, 0, heard, 0)
    stop = p.msg(200, 655, "stop")
    p.connect(heard, 1, stop, 0)
    p.connect(stop, 0, timeout, 0)
    trim = p.obj(20, 680, "list trim")
    top = p.obj(20, 705, "route soundalike")
    p.chain(heard, trim, top)
    by_verb = p.obj(20, 720, "route similar mates cluster clusters status ping rescan library "
                             "error kit recording hit")
    p.connect(top, 0, by_verb, 0)

    results = p.obj(20, 900, "outlet")
    done = p.obj(300, 900, "outlet")
    progress = p.obj(580, 900, "outlet")
    errors = p.obj(860, 900, "outlet")
    p.comment(20, 930, "results")
    p.comment(300, 930, "done")
    p.comment(580, 930, "rescan progress, library updates")
    p.comment(860, 930, "errors, in words")

    for i, verb in enumerate(("similar", "mates", "cluster", "clusters", "status", "ping")):
        x = 20 + i * 140
        kinds = p.obj(x, 760, "route result done")
        p.connect(by_verb, i, kinds, 0)
        for outlet, target, dy in ((0, results, 0), (1, done, 60)):
            strip = p.obj(x + outlet * 10, 790 + dy, "list split 1")
            p.connect(kinds, outlet, strip, 0)
            untyped = p.prefixed((strip, 1), x + outlet * 10, 815 + dy, verb)
            p.connect(untyped, 0, target, 0)
    rescan = p.obj(860, 760, "route started progress done")
    p.connect(by_verb, 6, rescan, 0)
    for outlet, kind in enumerate(("started", "progress", "done")):
        strip = p.obj(860 + outlet * 90, 790, "list split 1")
        p.connect(rescan, outlet, strip, 0)
        untyped = p.prefixed((strip, 1), 860 + outlet * 90, 815, kind)
        p.connect(untyped, 0, progress, 0)
    library = p.obj(1000, 720, "route updated")
    p.connect(by_verb, 7, library, 0)
    updated = p.msg(1000, 750, "updated $1 $2")
    p.connect(library, 0, updated, 0)
    p.connect(updated, 0, progress, 0)
    error = p.obj(1100, 760, "list split 1")
    p.connect(by_verb, 8, error, 0)
    reason = p.msg(1100, 790, "symbol $1")
    p.connect(error, 1, reason, 0)
    p.connect(reason, 0, errors, 0)
    p.connect(silence, 0, errors, 0)
    # kit: "kit <note> <role> <path> <distance>" per filled pad and "kit-empty <note> <role>
    # <reason>" per role left empty, on the results outlet; "kit <filled> <empty>" when done
    kit_kinds = p.obj(20, 960, "route result empty done saved")
    p.connect(by_verb, 9, kit_kinds, 0)
    for outlet, (target, kind) in enumerate(((results, "kit"), (results, "kit-empty"),
                                             (done, "kit"), (results, "kit-saved"))):
        strip = p.obj(20 + outlet * 160, 990, "list split 1")
        p.connect(kit_kinds, outlet, strip, 0)
        untyped = p.prefixed((strip, 1), 20 + outlet * 160, 1015, kind)
        p.connect(untyped, 0, target, 0)
    # recording <path>: where to write a recording; hit <path> <start> <seconds> <category>
    # <cluster>: the hit the server cut from it (both on the done outlet)
    for i, kind in enumerate(("recording", "hit")):
        x = 500 + i * 160
        finished = p.obj(x, 960, "route done")
        p.connect(by_verb, 10 + i, finished, 0)
        strip = p.obj(x, 990, "list split 1")
        p.connect(finished, 0, strip, 0)
        p.connect(p.prefixed((strip, 1), x, 1015, kind), 0, done, 0)
    # anything else is a mistake worth saying, not something to drop
    unknown = p.obj(20, 250, "list split 1")
    p.connect(verbs, len(VERBS) + 1, unknown, 0)
    complaint = p.msg(20, 275, "symbol soundalike.client\\ does\\ not\\ understand\\ '$1'\\ "
                               "(it\\ takes\\ " + "\\ ".join(VERBS) + "\\ connect)")
    p.connect(unknown, 0, complaint, 0)
    p.connect(complaint, 0, errors, 0)
    return p


def defaults() -> Patch:
    """soundalike.defaults: "host port reply" with missing values (0) replaced by defaults."""
    p = Patch(520, 400)
    inlet = p.obj(20, 20, "inlet")
    p.comment(200, 20, "host port reply-port -> defaults for zeros: localhost 9000 (the reply "
              "port stays 0: answers come back to the port requests leave from)", 40)
    split = p.obj(20, 50, "list split 1")
    p.connect(inlet, 0, split, 0)
    host = p.obj(20, 80, "route float")
    p.connect(split, 0, host, 0)
    localhost = p.msg(20, 110, "symbol localhost")
    p.connect(host, 0, localhost, 0)
    host_value = p.obj(20, 140, "list")
    p.connect(localhost, 0, host_value, 0)
    p.connect(host, 1, host_value, 0)
    ports = p.obj(140, 80, "unpack f f")
    p.connect(split, 1, ports, 0)
    port_zero = p.obj(140, 110, "sel 0")
    p.connect(ports, 0, port_zero, 0)
    port_default = p.msg(140, 140, "9000")
    p.connect(port_zero, 0, port_default, 0)
    port = p.obj(140, 180, "f")
    reply = p.obj(260, 180, "f")
    p.connect(port_default, 0, port, 0)
    p.connect(port_zero, 1, port, 0)
    p.connect(ports, 1, reply, 0)
    # host (hot) last: pack the ports first, then the host triggers the output
    pack = p.obj(20, 230, "pack s f f")
    p.connect(port, 0, pack, 1)
    p.connect(reply, 0, pack, 2)
    order = p.obj(20, 200, "t a")
    p.connect(host_value, 0, order, 0)
    p.connect(order, 0, pack, 0)
    outlet = p.obj(20, 270, "outlet")
    p.connect(pack, 0, outlet, 0)
    return p


def basename() -> Patch:
    """soundalike.basename: the file name of a path (what follows the last slash)."""
    p = Patch(620, 520)
    p.comment(250, 10, "path in -> file name out (vanilla: no [file] object before Pd 0.52)", 40)
    inlet = p.obj(20, 20, "inlet")
    as_list = p.obj(20, 50, "list")
    p.connect(inlet, 0, as_list, 0)
    as_symbol = p.msg(20, 80, "symbol $1")
    p.connect(as_list, 0, as_symbol, 0)
    chars = p.obj(20, 110, "list fromsymbol")
    p.connect(as_symbol, 0, chars, 0)
    fan = p.obj(20, 140, "t a a a b")
    p.connect(chars, 0, fan, 0)
    reset = p.msg(300, 170, "-1")
    last_slash = p.obj(300, 380, "f -1")
    p.connect(fan, 3, reset, 0)
    p.connect(reset, 0, last_slash, 1)
    store = p.obj(120, 300, "list store")
    p.connect(fan, 2, store, 1)
    length = p.obj(200, 170, "list length")
    p.connect(fan, 1, length, 0)
    zero = p.msg(120, 200, "0")
    loop = p.obj(200, 200, "until")
    p.connect(length, 0, loop, 0)
    counter = p.obj(200, 230, "f")
    step = p.obj(250, 230, "+ 1")
    p.connect(loop, 0, counter, 0)
    p.connect(counter, 0, step, 0)
    p.connect(step, 0, counter, 1)
    p.connect(fan, 3, zero, 0)
    p.connect(zero, 0, counter, 1)
    index = p.obj(200, 260, "t f f")
    p.connect(counter, 0, index, 0)
    here = p.obj(380, 330, "f")
    p.connect(index, 1, here, 1)
    get = p.msg(200, 290, "get $1 1")
    p.connect(index, 0, get, 0)
    p.connect(get, 0, store, 0)
    slash = p.obj(120, 330, "sel 47")
    p.connect(store, 0, slash, 0)
    p.connect(slash, 0, here, 0)
    p.connect(here, 0, last_slash, 1)
    # after the loop (trigger's leftmost outlet fires last): split after the last slash
    after = p.obj(20, 380, "t a b")
    p.connect(fan, 0, after, 0)
    p.connect(after, 1, last_slash, 0)
    plus = p.obj(300, 410, "+ 1")
    p.connect(last_slash, 0, plus, 0)
    split = p.obj(20, 440, "list split")
    p.connect(plus, 0, split, 1)
    p.connect(after, 0, split, 0)
    name = p.obj(120, 470, "list tosymbol")
    p.connect(split, 1, name, 0)
    p.connect(split, 2, name, 0)  # no slash at all: the whole path is the name
    outlet = p.obj(120, 500, "outlet")
    p.connect(name, 0, outlet, 0)
    return p


def slot() -> Patch:
    """soundalike.slot: one sampler slot. Arguments: the sampler's $0 and the slot number."""
    p = Patch(760, 600)
    p.comment(330, 10, "one slot: load <path> | play [velocity 0-127] | bang | clear | keep "
              "(keep <note>=<path> out of the right outlet when locked) | free (clear unless "
              "locked). Stereo files play both channels, mono files play on both sides.", 50)
    inlet = p.obj(20, 20, "inlet")
    hit = p.obj(200, 20, "r $1-hit$2")
    route = p.obj(20, 60, "route load play bang clear keep free")
    p.connect(inlet, 0, route, 0)
    p.obj(520, 100, "array define $1-L$2")  # the slot's sound, left and right
    p.obj(520, 130, "array define $1-R$2")
    info_out = p.obj(20, 560, "outlet")
    # load: remember the path, show its name, read both channels
    fan = p.obj(20, 100, "t a a a")
    p.connect(route, 0, fan, 0)
    name = p.obj(240, 130, "soundalike.basename")
    p.connect(fan, 2, name, 0)
    named = p.obj(240, 160, "t s s")
    p.connect(name, 0, named, 0)
    label = p.msg(240, 190, "label $1")
    p.connect(named, 1, label, 0)
    show = p.obj(240, 215, "s $1-label$2")
    p.connect(label, 0, show, 0)
    # ... and tell the patch, so what the label shows can be checked without a screen
    said = p.obj(330, 190, "list prepend $2")
    p.connect(named, 0, said, 0)
    p.connect(p.prefixed((said, 0), 330, 215, "label"), 0, info_out, 0)
    path_list = p.obj(130, 130, "list")
    p.connect(fan, 1, path_list, 0)
    path_symbol = p.msg(130, 160, "symbol $1")
    p.connect(path_list, 0, path_symbol, 0)
    path = p.obj(130, 330, "symbol")
    p.connect(path_symbol, 0, path, 1)
    read = p.obj(20, 130, "list prepend read -resize")
    p.connect(fan, 0, read, 0)
    arrays = p.obj(20, 160, "list append $1-L$2 $1-R$2")
    p.connect(read, 0, arrays, 0)
    trim = p.obj(20, 190, "list trim")
    p.connect(arrays, 0, trim, 0)
    soundfiler = p.obj(20, 220, "soundfiler")
    p.connect(trim, 0, soundfiler, 0)
    info = p.obj(200, 250, "unpack f f f f s")
    p.connect(soundfiler, 1, info, 0)
    channels = p.obj(200, 330, "f")
    p.connect(info, 2, channels, 1)
    # the right player reads the right array of a stereo file, the left one of a mono file
    mono = p.obj(330, 280, "sel 1")
    p.connect(info, 2, mono, 0)
    mono_name = p.obj(330, 310, "symbol $1-L$2")
    stereo_name = p.obj(450, 310, "symbol $1-R$2")
    p.connect(mono, 0, mono_name, 0)
    stereo = p.obj(450, 280, "t b")  # [sel]'s right outlet passes the float: make it a bang
    p.connect(mono, 1, stereo, 0)
    p.connect(stereo, 0, stereo_name, 0)
    set_right = p.msg(330, 340, "set $1")
    p.connect(mono_name, 0, set_right, 0)
    p.connect(stereo_name, 0, set_right, 0)
    # report: loaded <slot> <path> <frames> <channels>, only when [soundfiler] read frames:
    # on a file it cannot read it logs an error and outputs 0 (and leaves the arrays as they
    # were): the slot is emptied and says which file
    order = p.obj(20, 280, "t b b b f")
    read_ok = p.obj(20, 250, "moses 1")
    p.connect(soundfiler, 0, read_ok, 0)
    p.connect(read_ok, 1, order, 0)
    failed = p.obj(600, 250, "t b b")
    p.connect(read_ok, 0, failed, 0)
    unread = p.obj(600, 280, "symbol")
    p.connect(path_symbol, 0, unread, 1)
    p.connect(failed, 0, unread, 0)
    unread_slot = p.obj(600, 310, "list append $2")
    p.connect(unread, 0, unread_slot, 0)
    complaint = p.msg(600, 340, "error slot $2: Pd could not read $1 (see the Pd window)")
    p.connect(unread_slot, 0, complaint, 0)
    p.connect(complaint, 0, info_out, 0)
    report = p.obj(20, 380, "pack f s f f")
    number = p.obj(20, 330, "f $2")
    p.connect(order, 0, number, 0)
    p.connect(order, 1, path, 0)
    p.connect(path, 0, report, 1)
    p.connect(order, 3, report, 2)
    p.connect(order, 2, channels, 0)
    p.connect(channels, 0, report, 3)
    p.connect(number, 0, report, 0)
    untyped = p.prefixed((report, 0), 20, 410, "loaded", dy=30)
    p.connect(untyped, 0, info_out, 0)
    # play: velocity scales the level
    full = p.msg(380, 60, "127")
    p.connect(route, 2, full, 0)
    p.connect(hit, 0, full, 0)
    given = p.obj(380, 30, "route bang")
    p.connect(route, 1, given, 0)
    p.connect(given, 0, full, 0)
    velocity = p.obj(380, 90, "/ 127")
    p.connect(given, 1, velocity, 0)
    p.connect(full, 0, velocity, 0)
    start = p.obj(380, 120, "t b f")
    p.connect(velocity, 0, start, 0)
    left_player = p.obj(520, 380, "tabplay~ $1-L$2")
    right_player = p.obj(650, 380, "tabplay~ $1-R$2")
    p.connect(set_right, 0, right_player, 0)
    p.connect(start, 0, left_player, 0)
    p.connect(start, 0, right_player, 0)
    left_gain = p.obj(520, 420, "*~ 0")
    right_gain = p.obj(650, 420, "*~ 0")
    p.connect(left_player, 0, left_gain, 0)
    p.connect(right_player, 0, right_gain, 0)
    p.connect(start, 1, left_gain, 1)
    p.connect(start, 1, right_gain, 1)
    p.connect(left_gain, 0, p.obj(520, 460, "throw~ $1-L"), 0)
    p.connect(right_gain, 0, p.obj(650, 460, "throw~ $1-R"), 0)
    # clear: silence, an empty label, and "empty <slot>" out, so a short answer leaves no
    # sound of an older one behind
    clear = p.obj(20, 470, "t b b b b")
    p.connect(route, 3, clear, 0)
    p.connect(failed, 1, clear, 0)
    stop = p.msg(130, 500, "stop")
    p.connect(clear, 3, stop, 0)
    p.connect(stop, 0, left_player, 0)
    p.connect(stop, 0, right_player, 0)
    empty = p.msg(200, 500, "resize 1, const 0")
    p.connect(clear, 2, empty, 0)
    p.connect(empty, 0, p.obj(200, 530, "s $1-L$2"), 0)
    p.connect(empty, 0, p.obj(320, 530, "s $1-R$2"), 0)
    no_label = p.msg(440, 500, "label (empty)")
    p.connect(clear, 1, no_label, 0)
    p.connect(no_label, 0, show, 0)
    emptied = p.obj(20, 500, "f $2")
    p.connect(clear, 0, emptied, 0)
    p.connect(p.prefixed((emptied, 0), 20, 525, "empty", dy=20), 0, info_out, 0)
    # lock (the sampler's toggle, [s $1-lock$2]): "keep" answers "keep <note>=<path>" on the
    # second outlet when the slot is locked and holds a sound; "free" clears it unless locked
    keep_out = p.obj(800, 560, "outlet")
    lock = p.obj(800, 20, "r $1-lock$2")
    locked = p.obj(800, 120, "f")
    p.connect(lock, 0, locked, 1)
    holds = p.obj(900, 120, "f")
    loaded_flag = p.msg(900, 60, "1")
    p.connect(route, 0, loaded_flag, 0)
    p.connect(loaded_flag, 0, holds, 1)
    cleared_flag = p.msg(960, 60, "0")
    p.connect(clear, 0, cleared_flag, 0)
    p.connect(cleared_flag, 0, holds, 1)
    ask = p.obj(800, 90, "t b b")
    p.connect(route, 4, ask, 0)
    both = p.obj(800, 150, "*")
    p.connect(ask, 1, holds, 0)
    p.connect(holds, 0, both, 1)
    p.connect(ask, 0, locked, 0)
    p.connect(locked, 0, both, 0)
    yes = p.obj(800, 180, "sel 1")
    p.connect(both, 0, yes, 0)
    held = p.obj(800, 210, "symbol")
    p.connect(path_symbol, 0, held, 1)
    p.connect(yes, 0, held, 0)
    order = p.obj(800, 240, "t b s")
    p.connect(held, 0, order, 0)
    note = p.obj(800, 270, "f $2")
    p.connect(order, 0, note, 0)
    note_of = p.obj(800, 300, "+ 35")
    p.connect(note, 0, note_of, 0)
    pair = p.obj(800, 330, "pack f s")
    p.connect(order, 1, pair, 1)
    p.connect(note_of, 0, pair, 0)
    keep_msg = p.msg(800, 360, "keep $1=$2")
    p.connect(pair, 0, keep_msg, 0)
    p.connect(keep_msg, 0, keep_out, 0)
    free = p.obj(960, 150, "f")
    p.connect(lock, 0, free, 1)
    p.connect(route, 5, free, 0)
    unlocked = p.obj(960, 180, "sel 0")
    p.connect(free, 0, unlocked, 0)
    p.connect(unlocked, 0, clear, 0)
    return p


def _about_query(p: Patch, x: int, bang: tuple, query: tuple, message: str):
    """A [symbol] holding the current query and the message it fills when ``bang`` fires:
    every request of the sampler is about the chosen sample. Returns the message box."""
    held = p.obj(x, 330, "symbol")
    p.connect(*bang, held, 0)
    p.connect(*query, held, 1)
    filled = p.msg(x, 360, message)
    p.connect(held, 0, filled, 0)
    return filled


def sampler() -> Patch:
    """soundalike.sampler: 16 slots filled by similar sounds, cluster-mates or a kit."""
    p = Patch(1180, 860, gop=(290, 40, 890, 350))
    p.comment(20, 10, "soundalike.sampler: choose a sample, fill 16 slots with sounds like it, "
              "or a kit around it, play them with MIDI notes 36-51 or the buttons. Arguments: "
              "host port reply-port.",
              110)
    inlet = p.obj(20, 60, "inlet")
    route = p.obj(20, 90, "route open similar mates cluster rescan play kit another lock save")
    p.connect(inlet, 0, route, 0)
    client = p.obj(20, 470, "soundalike.client $1 $2 $3")
    p.connect(route, 10, client, 0)  # anything else (ping, status, clusters, connect) as is

    # the query: open (a panel) or open <path>
    p.bang(300, 50, "open", send="$0-open")
    open_button = p.obj(480, 420, "r $0-open")
    has_path = p.obj(20, 130, "route bang")
    p.connect(route, 0, has_path, 0)
    panel = p.obj(20, 160, "openpanel")
    p.connect(has_path, 0, panel, 0)
    p.connect(open_button, 0, panel, 0)
    as_list = p.obj(110, 160, "list")
    p.connect(has_path, 1, as_list, 0)
    as_symbol = p.msg(110, 190, "symbol $1")
    p.connect(as_list, 0, as_symbol, 0)
    query = p.obj(20, 250, "t s s s s")  # the chosen path, to every place that needs it
    p.connect(panel, 0, query, 0)
    p.connect(as_symbol, 0, query, 0)
    # the query's file name, shown as a [cnv] label (a symbol atom would show the path with
    # its spaces escaped)
    query_name = p.obj(240, 190, "soundalike.basename")
    p.connect(query, 3, query_name, 0)
    query_label = p.msg(240, 215, "label query:\\ $1")
    p.connect(query_name, 0, query_label, 0)
    p.connect(query_label, 0, p.obj(240, 240, "s $0-query"), 0)
    p.canvas(360, 100, 320, 18, label="query", receive="$0-query",
             font_size=10)
    p.canvas(400, 50, 280, 26, label="soundalike.sampler", color="#e0e0e0", font_size=14)

    # buttons
    for i, (label, verb) in enumerate((("similar", "similar"), ("cluster", "mates"),
                                       ("rescan", "rescan"))):
        p.bang(300 + i * 130, 140, label, send=f"$0-{verb}")
    similar_button = p.obj(700, 430, "r $0-similar")
    mates_button = p.obj(800, 430, "r $0-mates")
    rescan_button = p.obj(900, 430, "r $0-rescan")
    # similar: the query's 16 nearest into slots 1-16
    ask_similar = p.obj(20, 300, "t b")
    p.connect(route, 1, ask_similar, 0)
    p.connect(similar_button, 0, ask_similar, 0)
    similar_msg = _about_query(p, 20, (ask_similar, 0), (query, 0), f"similar $1 {SLOTS}")
    p.connect(similar_msg, 0, client, 0)
    # cluster (button, or "mates"): the query in slot 1, its 15 closest cluster-mates after it
    ask_mates = p.obj(160, 300, "t b")
    p.connect(route, 2, ask_mates, 0)
    p.connect(mates_button, 0, ask_mates, 0)
    mates_msg = _about_query(p, 160, (ask_mates, 0), (query, 1), f"mates $1 {SLOTS - 1}")
    p.connect(mates_msg, 0, client, 0)
    # cluster <id>: that cluster's 16 most typical members; "cluster" alone: the query's cluster
    cluster_id = p.obj(400, 330, "route bang")
    p.connect(route, 3, cluster_id, 0)
    p.connect(cluster_id, 0, ask_mates, 0)
    cluster_msg = p.msg(400, 360, f"cluster $1 {SLOTS}")
    p.connect(cluster_id, 1, cluster_msg, 0)
    p.connect(cluster_msg, 0, client, 0)
    ask_rescan = p.msg(520, 360, "rescan")
    p.connect(route, 4, ask_rescan, 0)
    p.connect(rescan_button, 0, ask_rescan, 0)
    p.connect(ask_rescan, 0, client, 0)
    # kit (button, or "kit"): a kit around the query, each sound in the slot of its note
    # (slot n plays note 35 + n); every slot is emptied first, so a role the kit leaves
    # empty, or a note it has no role for, holds no older sound
    p.bang(300, 190, "kit", send="$0-kit")
    kit_button = p.obj(1100, 300, "r $0-kit")
    ask_kit = p.obj(1100, 330, "t b b")
    p.connect(route, 6, ask_kit, 0)
    p.connect(kit_button, 0, ask_kit, 0)
    kit_msg = _about_query(p, 1100, (ask_kit, 0), (query, 0), f"kit $1 {SLOTS}")
    p.connect(kit_msg, 0, client, 0)
    clear_all = p.msg(1100, 390, ", ".join(f"{n} clear" for n in range(1, SLOTS + 1)))
    p.connect(ask_kit, 1, clear_all, 0)
    # another (button, or "another"): the next kit for the same query (variation 1, 2...;
    # "kit" starts again at 0); locked slots (the toggles, or "lock <slot> 0|1") keep their
    # sound, sent as "keep <note>=<path>", the others are emptied first
    p.bang(420, 190, "another kit", send="$0-another")
    another_button = p.obj(1300, 300, "r $0-another")
    ask_another = p.obj(1300, 330, "t b b b b b")
    p.connect(route, 7, ask_another, 0)
    p.connect(another_button, 0, ask_another, 0)
    variation = p.obj(1300, 360, "f")
    next_variation = p.obj(1350, 360, "+ 1")
    p.connect(ask_another, 4, variation, 0)
    p.connect(variation, 0, next_variation, 0)
    p.connect(next_variation, 0, variation, 1)
    restart = p.msg(1200, 360, "0")
    p.connect(ask_kit, 1, restart, 0)
    p.connect(restart, 0, variation, 1)
    free_unlocked = p.msg(1300, 390, ", ".join(f"{n} free" for n in range(1, SLOTS + 1)))
    p.connect(ask_another, 3, free_unlocked, 0)
    held_query = p.obj(1450, 360, "symbol")
    p.connect(query, 0, held_query, 1)
    p.connect(ask_another, 2, held_query, 0)
    request = p.obj(1450, 390, "pack s f")
    p.connect(held_query, 0, request, 0)
    p.connect(next_variation, 0, request, 1)
    start_request = p.msg(1450, 420, f"kit $1 {SLOTS} variation $2")
    p.connect(request, 0, start_request, 0)
    gathered = p.obj(1450, 480, "list store")
    p.connect(start_request, 0, gathered, 1)
    ask_keeps = p.msg(1600, 390, ", ".join(f"{n} keep" for n in range(1, SLOTS + 1)))
    p.connect(ask_another, 1, ask_keeps, 0)
    p.connect(ask_keeps, 0, slots_in_later := p.obj(1600, 420, "t a"), 0)
    append_keep = p.obj(1600, 450, "list prepend append")
    appended = p.obj(1600, 475, "list trim")
    p.connect(append_keep, 0, appended, 0)
    p.connect(appended, 0, gathered, 0)
    send_request = p.obj(1450, 510, "list trim")
    p.connect(ask_another, 0, gathered, 0)
    p.connect(gathered, 0, send_request, 0)
    p.connect(send_request, 0, client, 0)
    # save kit (button: a folder panel; or "save <folder>"): the current kit (same query,
    # variation and locks) written as a Hydrogen drumkit into that folder by the server
    p.bang(540, 190, "save kit", send="$0-save")
    save_button = p.obj(1800, 300, "r $0-save")
    save_panel = p.obj(1800, 330, "openpanel 1")
    p.connect(save_button, 0, save_panel, 0)
    save_path = p.obj(1900, 300, "route bang")
    p.connect(route, 9, save_path, 0)
    save_given = p.obj(1900, 330, "list")
    p.connect(save_path, 1, save_given, 0)
    p.connect(save_path, 0, save_panel, 0)
    save_symbol = p.msg(1900, 360, "symbol $1")
    p.connect(save_given, 0, save_symbol, 0)
    folder = p.obj(1800, 390, "t b b b b s")
    p.connect(save_panel, 0, folder, 0)
    p.connect(save_symbol, 0, folder, 0)
    save_options = p.msg(1950, 420, "append save hydrogen save_to $1")
    p.connect(folder, 4, save_options, 0)  # (held until the request is gathered)
    held_options = p.obj(1950, 450, "list")
    p.connect(save_options, 0, held_options, 1)
    current = p.obj(1800, 420, "f")
    p.connect(next_variation, 0, current, 1)
    p.connect(restart, 0, current, 1)
    save_query = p.obj(1850, 450, "symbol")
    p.connect(query, 0, save_query, 1)
    save_request = p.obj(1800, 480, "pack s f")
    in_order = p.obj(1800, 450, "t b b")
    p.connect(folder, 3, in_order, 0)
    p.connect(in_order, 1, current, 0)
    p.connect(current, 0, save_request, 1)
    p.connect(in_order, 0, save_query, 0)
    p.connect(save_query, 0, save_request, 0)
    p.connect(save_request, 0, start_request, 0)
    p.connect(folder, 2, ask_keeps, 0)
    p.connect(folder, 1, held_options, 0)
    save_trim = p.obj(1950, 480, "list trim")
    p.connect(held_options, 0, save_trim, 0)
    p.connect(save_trim, 0, gathered, 0)
    p.connect(folder, 0, gathered, 0)
    # lock <slot> 0|1: what the toggles do, from a message
    lock_slot = p.obj(1300, 560, "route " + " ".join(str(n) for n in range(1, SLOTS + 1)))
    p.connect(route, 8, lock_slot, 0)

    # results into slots
    slots_in = p.obj(20, 560, "route " + " ".join(str(n) for n in range(1, SLOTS + 1)))
    p.connect(clear_all, 0, slots_in, 0)
    p.connect(free_unlocked, 0, slots_in, 0)
    p.connect(slots_in_later, 0, slots_in, 0)
    by_kind = p.obj(20, 500, "route similar mates cluster kit")
    p.connect(client, 0, by_kind, 0)
    # "kit-saved <file> <samples>": said on the info outlet and in the status line
    saved_row = p.obj(1500, 600, "route kit-saved")
    p.connect(by_kind, 4, saved_row, 0)
    saved_info = p.prefixed((saved_row, 0), 1500, 630, "saved")
    saved_status = p.msg(1600, 630, "label kit\\ saved")
    p.connect(saved_row, 0, saved_status, 0)
    p.connect(saved_status, 0, p.obj(1600, 660, "s $0-status"), 0)
    for outlet, offset in ((0, 0), (1, 1), (2, 0)):
        x = 20 + outlet * 170
        rank_path = p.obj(x, 530, "list split 2")
        p.connect(by_kind, outlet, rank_path, 0)
        if offset:
            unpack = p.obj(x + 80, 530, "unpack f s")
            p.connect(rank_path, 0, unpack, 0)
            shift = p.obj(x + 80, 555, "+ 1")
            p.connect(unpack, 0, shift, 0)
            pack = p.obj(x + 80, 580, "pack f s")
            p.connect(unpack, 1, pack, 1)
            p.connect(shift, 0, pack, 0)
            to_slot = p.msg(x + 80, 605, "$1 load $2")
            p.connect(pack, 0, to_slot, 0)
        else:
            to_slot = p.msg(x, 555, "$1 load $2")
            p.connect(rank_path, 0, to_slot, 0)
        p.connect(to_slot, 0, slots_in, 0)
    # kit rows: <note> <role> <path> <distance>; notes 36-51 are slots 1-16, others are
    # dropped (a Drum Rack shows them on its other pages)
    kit_row = p.obj(1100, 450, "unpack f s s f")
    p.connect(by_kind, 3, kit_row, 0)
    kit_slot = p.obj(1100, 480, f"- {FIRST_NOTE - 1}")
    p.connect(kit_row, 0, kit_slot, 0)
    above = p.obj(1100, 505, "moses 1")
    p.connect(kit_slot, 0, above, 0)
    within = p.obj(1100, 530, f"moses {SLOTS + 1}")
    p.connect(above, 1, within, 0)
    kit_pair = p.obj(1100, 555, "pack f s")
    p.connect(kit_row, 2, kit_pair, 1)
    p.connect(within, 0, kit_pair, 0)
    kit_load = p.msg(1100, 580, "$1 load $2")
    p.connect(kit_pair, 0, kit_load, 0)
    p.connect(kit_load, 0, slots_in, 0)
    play = p.obj(560, 560, "route " + " ".join(str(n) for n in range(1, SLOTS + 1)))
    p.connect(route, 5, play, 0)  # play <slot> [velocity]

    # MIDI notes 36-51
    notein = p.obj(760, 500, "notein")
    note_pair = p.obj(760, 530, "pack f f")
    p.connect(notein, 0, note_pair, 0)
    p.connect(notein, 1, note_pair, 1)
    notes = p.obj(760, 560, "route " + " ".join(str(FIRST_NOTE + n) for n in range(SLOTS)))
    p.connect(note_pair, 0, notes, 0)

    info = p.obj(20, 820, "outlet")
    p.connect(saved_info, 0, info, 0)
    catch_left = p.obj(900, 760, "catch~ $0-L")
    catch_right = p.obj(1000, 760, "catch~ $0-R")
    p.connect(catch_left, 0, p.obj(900, 800, "outlet~"), 0)
    p.connect(catch_right, 0, p.obj(1000, 800, "outlet~"), 0)
    for n in range(1, SLOTS + 1):
        column, row = (n - 1) % 4, (n - 1) // 4
        x = 20 + (n - 1) * 70
        the_slot = p.obj(x, 700 + (n % 2) * 25, f"soundalike.slot $0 {n}")
        p.connect(slots_in, n - 1, the_slot, 0)
        p.connect(the_slot, 1, append_keep, 0)
        lock_value = p.obj(1300 + (n - 1) * 45, 590 + (n % 2) * 25, "t f f")
        p.connect(lock_slot, n - 1, lock_value, 0)
        p.connect(lock_value, 1, p.obj(1300 + (n - 1) * 45, 640 + (n % 2) * 25,
                                       f"s $0-lock{n}"), 0)
        show_lock = p.msg(1300 + (n - 1) * 45, 690 + (n % 2) * 25, "set $1")
        p.connect(lock_value, 0, show_lock, 0)
        p.connect(show_lock, 0, p.obj(1300 + (n - 1) * 45, 740 + (n % 2) * 25,
                                      f"s $0-showlock{n}"), 0)
        p.toggle(760 + column * 120, 145 + row * 60, "lock", send=f"$0-lock{n}",
                 receive=f"$0-showlock{n}")
        play_msg = p.obj(560 + (n - 1) * 38, 600 + (n % 2) * 25, "list prepend play")
        p.connect(play, n - 1, play_msg, 0)
        play_trim = p.obj(560 + (n - 1) * 38, 650 + (n % 2) * 25, "list trim")
        p.connect(play_msg, 0, play_trim, 0)
        p.connect(play_trim, 0, the_slot, 0)
        note_on = p.obj(760 + (n - 1) * 25, 600 + (n % 3) * 25, "moses 1")
        p.connect(notes, n - 1, note_on, 0)
        p.connect(note_on, 1, play_msg, 0)  # velocity 0 is a note-off: ignored
        p.connect(the_slot, 0, info, 0)
        p.bang(700 + column * 120, 140 + row * 60, str(FIRST_NOTE + n - 1), send=f"$0-hit{n}")
        p.canvas(700 + column * 120, 170 + row * 60, 112, 18, label="(empty)",
                 receive=f"$0-label{n}", font_size=10)

    # what happened, for people (the status line) and for patches (the info outlet)
    answered = p.obj(300, 470, "t a a")
    p.connect(client, 1, answered, 0)
    done_trim = p.prefixed((answered, 0), 300, 500, "done", dy=30)
    p.connect(done_trim, 0, info, 0)
    # an answer with fewer sounds than slots: the slots after it are cleared, not left
    # holding an older answer's sounds ("mates" starts at slot 2: the query is in slot 1)
    counted = p.obj(1000, 600, "route similar mates cluster")
    p.connect(answered, 1, counted, 0)
    # the query in slot 1 beside its mates: "mates <count> <cluster> <label> <query>", the
    # query as the server sends it (a WAV copy where Pd cannot read the original)
    query_done = p.obj(1180, 600, "route mates")
    p.connect(answered, 1, query_done, 0)
    query_path = p.obj(1180, 630, "list split 3")
    p.connect(query_done, 0, query_path, 0)
    first_load = p.msg(1180, 660, "1 load $1")
    p.connect(query_path, 1, first_load, 0)
    p.connect(first_load, 0, slots_in, 0)
    last = p.obj(1000, 660, "t f f")
    for outlet, offset in ((0, 0), (1, 1), (2, 0)):
        count = p.obj(1000 + outlet * 90, 630, "list split 1")
        p.connect(counted, outlet, count, 0)
        shifted = p.obj(1000 + outlet * 90, 645, f"+ {offset}")
        p.connect(count, 0, shifted, 0)
        p.connect(shifted, 0, last, 0)
    start = p.obj(1090, 690, "+ 1")
    p.connect(last, 1, start, 0)
    swapped = p.obj(1000, 680, f"swap {SLOTS}")
    p.connect(last, 0, swapped, 0)
    remaining = p.obj(1000, 700, "-")  # slots - count
    p.connect(swapped, 0, remaining, 0)
    p.connect(swapped, 1, remaining, 1)
    at_least_none = p.obj(1000, 715, "max 0")
    p.connect(remaining, 0, at_least_none, 0)
    loop = p.obj(1000, 740, "until")
    p.connect(at_least_none, 0, loop, 0)
    empty_slot = p.obj(1000, 765, "f")
    p.connect(start, 0, empty_slot, 1)
    p.connect(loop, 0, empty_slot, 0)
    next_slot = p.obj(1050, 765, "+ 1")
    p.connect(empty_slot, 0, next_slot, 0)
    p.connect(next_slot, 0, empty_slot, 1)
    clear = p.msg(1000, 790, "$1 clear")
    p.connect(empty_slot, 0, clear, 0)
    p.connect(clear, 0, slots_in, 0)
    verb = p.obj(440, 530, "list split 1")
    p.connect(client, 1, verb, 0)
    verb_name = p.msg(440, 560, "label $1")
    p.connect(verb, 0, verb_name, 0)
    p.connect(verb_name, 0, p.obj(440, 590, "s $0-status"), 0)
    progress_trim = p.prefixed((client, 2), 560, 500, "rescan", dy=30)
    p.connect(progress_trim, 0, info, 0)
    stage = p.obj(660, 470, "route progress started done updated")
    p.connect(client, 2, stage, 0)
    counts = p.obj(660, 440, "unpack s f f f")
    p.connect(stage, 0, counts, 0)
    p.connect(counts, 0, p.obj(660, 410, "s $0-phase"), 0)
    p.connect(counts, 1, p.obj(760, 410, "s $0-done"), 0)
    p.connect(counts, 2, p.obj(860, 410, "s $0-total"), 0)
    finished = p.msg(960, 410, "symbol finished")
    p.connect(stage, 2, finished, 0)
    p.connect(finished, 0, p.obj(960, 440, "s $0-phase"), 0)
    error = p.obj(1000, 500, "t a a")
    p.connect(client, 3, error, 0)
    error_label = p.msg(1100, 500, "label $1")
    p.connect(error, 1, error_label, 0)
    p.connect(error_label, 0, p.obj(1100, 530, "s $0-status"), 0)
    error_trim = p.prefixed((error, 0), 1000, 560, "error", dy=30)
    p.connect(error_trim, 0, info, 0)
    p.canvas(360, 250, 320, 18, label="status", receive="$0-status", font_size=10)
    p.symbolatom(360, 280, 12, receive="$0-phase", label="rescan")
    p.floatatom(500, 280, 6, receive="$0-done", label="done")
    p.floatatom(590, 280, 6, receive="$0-total", label="of")
    return p


#: Seconds of audio [soundalike.listen~] keeps unless told otherwise.
LISTEN_SECONDS = 3


def listen() -> Patch:
    """soundalike.listen~: keeps the last seconds of its signal; on similar, kit or mates asks
    the server to cut the strongest hit and sends what a [soundalike.sampler] needs to ask
    with it. Arguments: host port reply-port seconds."""
    p = Patch(1300, 840)
    p.comment(20, 10, "soundalike.listen~: the last seconds of the signal in. similar, kit or "
              "mates cuts the strongest hit (the server does, with the engine's hit cutter) "
              "and sends open <hit>, similar (or kit, or cluster <id> for mates) out of the left "
              "outlet, for a [soundalike.sampler]. Arguments: host port reply-port seconds.",
              120)
    signal = p.obj(20, 80, "inlet~")
    commands = p.obj(600, 80, "inlet")
    to_sampler = p.obj(20, 800, "outlet")
    info = p.obj(600, 800, "outlet")
    p.obj(1000, 80, "array define $0-rec")  # the ring: written over and over
    p.obj(1000, 110, "array define $0-out")  # the last seconds in order, written to the file

    # --- size: seconds (4th argument, default 3, or "seconds <s>") x Pd's sample rate
    load = p.obj(300, 80, "loadbang")
    seconds_arg = p.obj(300, 110, "f $4")
    p.connect(load, 0, seconds_arg, 0)
    given = p.obj(300, 140, "moses 0.1")
    p.connect(seconds_arg, 0, given, 0)
    default = p.msg(300, 170, str(LISTEN_SECONDS))
    p.connect(given, 0, default, 0)
    route = p.obj(600, 110, "route similar kit mates seconds")
    p.connect(commands, 0, route, 0)
    longest = p.obj(400, 170, "clip 0.1 60")
    p.connect(given, 1, longest, 0)
    p.connect(route, 3, longest, 0)
    sizing = p.obj(300, 200, "t f f b")
    p.connect(default, 0, sizing, 0)
    p.connect(longest, 0, sizing, 0)
    rate = p.obj(420, 230, "samplerate~")
    p.connect(sizing, 2, rate, 0)
    rate_ms = p.obj(420, 260, "/ 1000")
    p.connect(rate, 0, rate_ms, 0)
    frames = p.obj(300, 290, "*")
    p.connect(rate, 0, frames, 1)
    p.connect(sizing, 0, frames, 0)
    # the ring restarts every <seconds>: [timer] says how far into it the writing is
    period = p.obj(520, 290, "* 1000")
    p.connect(sizing, 1, period, 0)
    size = p.obj(300, 320, "t b f f f")
    p.connect(frames, 0, size, 0)
    resize = p.msg(300, 360, "resize $1")
    p.connect(size, 3, resize, 0)
    p.connect(resize, 0, p.obj(300, 390, "s $0-rec"), 0)
    p.connect(resize, 0, p.obj(400, 390, "s $0-out"), 0)
    metro = p.obj(520, 420, "metro 3000")
    p.connect(period, 0, metro, 1)
    start = p.msg(520, 390, "1")
    p.connect(size, 0, start, 0)
    p.connect(start, 0, metro, 0)
    lap = p.obj(520, 450, "t b b")
    p.connect(metro, 0, lap, 0)
    writer = p.obj(20, 480, "tabwrite~ $0-rec")
    p.connect(signal, 0, writer, 0)
    p.connect(lap, 1, writer, 0)
    timer = p.obj(520, 510, "timer")
    p.connect(lap, 0, timer, 0)

    # --- a request: remember the verb, put the ring in order into $0-out, ask for a path
    verb = p.obj(760, 210, "symbol")
    order = p.obj(760, 250, "t b b")
    for i, name in enumerate(("similar", "kit", "mates")):
        ask = p.msg(760 + i * 110, 140, f"symbol {name}")
        p.connect(route, i, ask, 0)
        remember = p.obj(760 + i * 110, 170, "t b s")
        p.connect(ask, 0, remember, 0)
        p.connect(remember, 1, verb, 1)
        p.connect(remember, 0, order, 0)
    p.connect(order, 1, timer, 1)
    elapsed = p.obj(520, 540, "*")
    p.connect(timer, 0, elapsed, 0)
    p.connect(rate_ms, 0, elapsed, 1)
    whole = p.obj(520, 570, "i")
    p.connect(elapsed, 0, whole, 0)
    last = p.obj(640, 540, "- 1")
    p.connect(size, 2, last, 0)
    inside = p.obj(520, 600, "clip 0 0")
    p.connect(whole, 0, inside, 0)
    p.connect(last, 0, inside, 2)
    # in order: the ring from the writing position p to its end, then its start up to p
    position = p.obj(520, 630, "t f f")
    p.connect(inside, 0, position, 0)
    # ([array get]: a float in its left inlet is the onset and outputs; its 2nd inlet is
    # how many points, -1 to the end)
    older = p.obj(20, 570, "array get $0-rec")
    p.connect(position, 1, older, 0)
    p.connect(older, 0, p.obj(20, 600, "array set $0-out"), 0)
    any_newer = p.obj(240, 540, "moses 1")
    p.connect(position, 0, any_newer, 0)
    newer_order = p.obj(240, 570, "t f f f")
    p.connect(any_newer, 1, newer_order, 0)
    back = p.obj(340, 600, "- 0")  # p - size, negated: where the start of the ring goes
    p.connect(size, 1, back, 1)
    p.connect(newer_order, 2, back, 0)
    onset = p.obj(340, 630, "* -1")
    p.connect(back, 0, onset, 0)
    newer = p.obj(240, 660, "array get $0-rec")
    p.connect(newer_order, 1, newer, 1)
    first = p.msg(240, 630, "0")
    p.connect(newer_order, 0, first, 0)
    p.connect(first, 0, newer, 0)
    newer_set = p.obj(240, 700, "array set $0-out")
    p.connect(onset, 0, newer_set, 1)
    p.connect(newer, 0, newer_set, 0)
    ask_path = p.msg(760, 500, "recording")
    p.connect(order, 0, ask_path, 0)
    client = p.obj(760, 560, "soundalike.client $1 $2 $3")
    p.connect(ask_path, 0, client, 0)

    # recording <path>: write the last seconds there, then ask for its hit
    answers = p.obj(760, 600, "route recording hit")
    p.connect(client, 1, answers, 0)
    path_list = p.obj(640, 630, "list")  # the path arrives as a message of its own name
    p.connect(answers, 0, path_list, 0)
    path_symbol = p.msg(640, 660, "symbol $1")
    p.connect(path_list, 0, path_symbol, 0)
    written = p.obj(760, 630, "t b s s")
    p.connect(path_symbol, 0, written, 0)
    write = p.obj(880, 660, "list prepend write -wave -bytes 4")
    p.connect(written, 1, write, 0)
    write_arrays = p.obj(880, 690, "list append $0-out")
    p.connect(write, 0, write_arrays, 0)
    write_trim = p.obj(880, 720, "list trim")
    p.connect(write_arrays, 0, write_trim, 0)
    p.connect(write_trim, 0, p.obj(880, 750, "soundfiler"), 0)
    path = p.obj(760, 660, "symbol")
    p.connect(written, 2, path, 1)
    p.connect(written, 0, path, 0)
    ask_hit = p.msg(760, 690, "hit $1")
    p.connect(path, 0, ask_hit, 0)
    p.connect(ask_hit, 0, client, 0)

    # hit <path> <start> <seconds> <category> <cluster>: say so, then ask as the verb said
    heard = p.obj(1100, 560, "t b a a")
    p.connect(answers, 1, heard, 0)
    p.connect(p.prefixed((heard, 2), 1180, 590, "heard"), 0, info, 0)
    fields = p.obj(1100, 650, "unpack s f f s f")
    p.connect(heard, 1, fields, 0)
    asking = p.obj(1100, 720, "pack s s f")  # <verb> <hit> <cluster>; the verb (hot) last
    p.connect(fields, 4, asking, 2)
    p.connect(fields, 0, asking, 1)
    p.connect(heard, 0, verb, 0)
    p.connect(verb, 0, asking, 0)
    by_verb = p.obj(1100, 750, "list trim")  # "similar <hit> <cluster>": route by its verb
    p.connect(asking, 0, by_verb, 0)
    asks = p.obj(1100, 780, "route similar kit mates")
    p.connect(by_verb, 0, asks, 0)
    for i, message in enumerate(("open $1, similar", "open $1, kit", "cluster $2")):
        as_list = p.obj(20 + i * 140, 740, "list")  # what [route] passes starts with the path
        p.connect(asks, i, as_list, 0)
        box = p.msg(20 + i * 140, 770, message)
        p.connect(as_list, 0, box, 0)
        p.connect(box, 0, to_sampler, 0)
    error = p.prefixed((client, 3), 600, 720, "error", dy=30)
    p.connect(error, 0, info, 0)
    unknown = p.obj(600, 140, "list split 1")
    p.connect(route, 4, unknown, 0)
    complaint = p.msg(600, 170, "error soundalike.listen~\\ does\\ not\\ understand\\ '$1'\\ "
                                "(it\\ takes\\ similar\\ kit\\ mates\\ seconds)")
    p.connect(unknown, 0, complaint, 0)
    p.connect(complaint, 0, info, 0)
    return p


UPDATED_FOR = "updated for soundalike 0.1 (vanilla Pd 0.51 or later)"


def _lines(text: str, width: int) -> int:
    """How many lines Pd wraps a comment of ``width`` characters into."""
    return len(textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)) or 1


def _width(text: str) -> int:
    """Pixels a one-line box of ``text`` takes at font size 12 (7 a character, plus edges)."""
    return max(len(text), 3) * 7 + 12


def reference(name: str, summary: str, inlets: list[tuple[str, str]],
              outlets: list[tuple[str, str]], arguments: list[tuple[str, str]]) -> Patch:
    """The ``[pd reference]`` subpatch of a help patch, laid out as Pd's own (0.52+) are:
    the object's name and summary, then INLET, OUTLETS and ARGUMENTS sections, each row as
    tall as its text. The name is text, not an object: one more client would start."""
    p = Patch(720, 100)
    p.comment(20, 14, f"[{name}]", 30)
    p.comment(250, 14, "- " + summary, 60)
    y = 52
    for heading, rows in (("INLET:", inlets), ("OUTLETS:", outlets),
                          ("ARGUMENTS:", arguments)):
        p.obj(8, y, f"cnv 2 700 2 empty empty {heading} 8 12 0 13 #202020 #000000 0")
        y += 20
        for what, meaning in rows:
            p.comment(20, y, what, 30)
            p.comment(250, y, "- " + meaning, 64)
            y += 16 * max(_lines(what, 30), _lines("- " + meaning, 64)) + 10
        y += 6
    p.obj(8, y, "cnv 5 700 5 empty empty empty 8 18 0 13 #202020 #000000 0")
    p.height = y + 30
    return p


def see_also(p: Patch, x: int, y: int, ours: list[str], pds: list[str]) -> int:
    """Clickable "see also" on one row: our abstractions as message boxes that open their help
    patch through ``[pd open-help]`` (an object box would start one more client), Pd's own
    objects as object boxes. Returns the y below it."""
    p.comment(x, y, "see also:")
    opener = Patch(420, 240)
    opener.comment(150, 10, "the help patch of a name, from the folder of this patch", 34)
    inlet = opener.obj(20, 10, "inlet")
    as_symbol = opener.obj(20, 40, "list")
    opener.connect(inlet, 0, as_symbol, 0)
    order = opener.obj(20, 70, "t a b")
    opener.connect(as_symbol, 0, order, 0)
    directory = opener.msg(120, 100, "dir")
    opener.connect(order, 1, directory, 0)
    pdcontrol = opener.obj(120, 130, "pdcontrol")
    opener.connect(directory, 0, pdcontrol, 0)
    both = opener.obj(20, 160, "pack s s")
    opener.connect(pdcontrol, 0, both, 1)
    opener.connect(order, 0, both, 0)
    opener.connect(both, 0, opener.msg(20, 190, "; pd open $1-help.pd $2"), 0)
    at = x + 80
    clicks = []
    for name in ours:
        clicks.append(p.msg(at, y, name))
        at += _width(name) + 16
    for name in pds:
        p.obj(at, y, name)
        at += _width(name) + 16
    opens = p.subpatch(x + 80, y + 40, "open-help", opener)
    for click in clicks:
        p.connect(click, 0, opens, 0)
    return y + 75


def header(p: Patch, width: int, summary: str, box: tuple[int, int], ref: Patch) -> None:
    """Title line, a rule under it and the [pd reference] link, as Pd's help patches."""
    p.comment(box[0], box[1], "- " + summary, 60)
    p.subpatch(width - 200, 12, "reference", ref)
    p.comment(width - 100, 12, "<= click")
    p.obj(8, 46, f"cnv 1 {width - 16} 1 empty empty empty 8 12 0 13 #000000 #000000 0")


def footer(p: Patch, y: int, ours: list[str], pds: list[str]) -> None:
    """A rule, the see-also row and the "updated for" line; the window ends below them."""
    p.obj(8, y, f"cnv 1 {p.width - 16} 1 empty empty empty 8 12 0 13 #000000 #000000 0")
    y = see_also(p, 20, y + 12, ours, pds)
    p.comment(p.width - 20 - 7 * len(UPDATED_FOR) - 4, y, UPDATED_FOR)
    p.height = y + 40


CLIENT_SUMMARY = "ask a soundalike server for similar sounds"
CLIENT_INLETS = [
    ("ping", "is the server there? (done ping <version> <size> <scanning>)"),
    ("similar <path> [k]", "the k (10) sounds of the library most like the file"),
    ("mates <path>", "the other members of the file's cluster"),
    ("cluster <id>", "the members of one cluster, most typical first"),
    ("clusters", "every cluster with its size and label"),
    ("kit <path> [pads]", "a kit around the file: one sound per role on its General MIDI note"),
    ("rescan [folder]", "rescan the library in the background"),
    ("status", "what the library holds"),
    ("connect <host> <port> [reply-port]", "talk to another server"),
]
CLIENT_OUTLETS = [
    ("1st: results", "one message each: similar|mates <rank> <path> <distance> <cluster>, "
                     "cluster <rank> <path> <seconds> <cluster>, clusters <id> <size> <label>, "
                     "status <folder>, kit <note> <role> <path> <distance>, kit-empty <note> "
                     "<role> <reason>. Later versions may add values at the end"),
    ("2nd: done", "<verb> <count> ... after the last result"),
    ("3rd: progress", "rescan started|progress|done ..., updated <size> <clusters>"),
    ("4th: errors", "a symbol in words: the server's errors, no answer in 5 seconds, "
                    "messages the client does not understand"),
]
CLIENT_ARGUMENTS = [
    ("1st: symbol", "host of the server (localhost)"),
    ("2nd: float", "its port (9000)"),
    ("3rd: float", "reply port (0: the server answers the port requests leave from, so any "
                   "number of clients coexist. Give a port only if the server cannot do that)"),
]


def client_help() -> Patch:
    p = Patch(960, 700)
    p.obj(30, 15, "soundalike.client")
    header(p, 960, CLIENT_SUMMARY, (180, 14), reference(
        "soundalike.client", CLIENT_SUMMARY, CLIENT_INLETS, CLIENT_OUTLETS, CLIENT_ARGUMENTS))
    p.comment(20, 60, "Start the server first, in a terminal: soundalike serve (it listens on "
              "port 9000). Click a message: it becomes one OSC request with its own id, and "
              "the answers come out of the outlets (open Pd's window to read them).", 120)
    choose = p.msg(20, 125, "bang")
    p.comment(70, 125, "<- choose a file, then ask about it:")
    panel = p.obj(20, 155, "openpanel")
    p.chain(choose, panel)
    p.connect(panel, 0, p.obj(20, 185, "s $0-file"), 0)
    # each question: a click (bang) sends the chosen file, held in a [symbol], as a request
    asks = []
    for x, words, label in ((20, "similar $1 16", "similar"), (160, "mates $1", "mates")):
        click = p.msg(x, 225, "bang")
        p.comment(x + 45, 225, label)
        held = p.obj(x, 285, "symbol")
        p.connect(click, 0, held, 0)
        p.connect(p.obj(x + 45, 255, "r $0-file"), 0, held, 1)
        request = p.msg(x, 315, words)
        p.connect(held, 0, request, 0)
        asks.append(request)
    # the file's own cluster, from the mates answer (done mates <count> <cluster> ...): any
    # library's ids work, not a fixed one
    cluster_click = p.msg(300, 225, "bang")
    p.comment(345, 225, "its cluster (after mates)")
    held_cluster = p.obj(300, 285, "f")
    p.connect(cluster_click, 0, held_cluster, 0)
    p.connect(p.obj(345, 255, "r $0-cluster"), 0, held_cluster, 1)
    cluster = p.msg(300, 315, "cluster $1 16")
    p.connect(held_cluster, 0, cluster, 0)
    asks.append(cluster)
    at = 440
    for words in ("ping", "clusters", "status", "rescan", "connect localhost 9000", "hello"):
        asks.append(p.msg(at, 315, words))
        at += _width(words) + 14
    p.comment(560, 270, "hello: not understood, said on the 4th outlet", 30)
    client = p.obj(20, 370, "soundalike.client")
    for box in asks:
        p.connect(box, 0, client, 0)
    for outlet, name in enumerate(("results", "done", "progress", "errors")):
        p.connect(client, outlet, p.obj(20 + outlet * 180, 420, f"print {name}"), 0)
    mates_done = p.obj(200, 455, "route mates")
    p.connect(client, 1, mates_done, 0)
    count_cluster = p.obj(200, 485, "unpack f f")
    p.connect(mates_done, 0, count_cluster, 0)
    p.connect(count_cluster, 1, p.obj(240, 515, "s $0-cluster"), 0)
    p.comment(20, 560, "Replies to two clients never mix: each listens on its own port. A reply "
              "row may grow new values at its end in later versions: take what you need from "
              "its start ([list split]).", 120)
    footer(p, 610, ["soundalike.sampler", "soundalike.listen~"],
           ["oscformat", "oscparse", "netsend"])
    return p


SAMPLER_SUMMARY = "16 slots of sounds like the one you choose"


def sampler_help() -> Patch:
    p = Patch(960, 900)
    p.comment(30, 14, "[soundalike.sampler]", 30)
    header(p, 960, SAMPLER_SUMMARY, (200, 14), reference(
        "soundalike.sampler", SAMPLER_SUMMARY,
        [("open [path]", "choose the query (a file panel without a path)"),
         ("similar", "fill the 16 slots with the sounds most like the query (copies left out)"),
         ("cluster [id]", "the query in slot 1, its closest cluster-mates after it, or the "
                          "16 most typical members of cluster <id>"),
         ("kit", "a kit around the query: kick on note 36 (slot 1), snare on 38, closed "
                 "hat on 42... each sound in the slot of its General MIDI note"),
         ("another", "the next kit for the same query: locked slots keep their sound"),
         ("lock <slot> 0|1", "lock a slot (as its lock toggle): another kit keeps it"),
         ("save [folder]", "write the current kit as a Hydrogen drumkit into the folder (a "
                           "folder panel without one)"),
         ("play <slot> [velocity]", "play a slot (MIDI notes 36-51 do too)"),
         ("rescan", "rescan the library"),
         ("anything else", "as [soundalike.client]")],
        [("1st: info", "loaded <slot> <path> <frames> <channels> (only when Pd read the "
                       "file), label <slot> <name>, empty <slot>, done <verb> ..., "
                       "saved <file> <samples>, rescan ..., "
                       "error <reason>"),
         ("2nd and 3rd: signal", "left and right audio")],
        [("1st, 2nd, 3rd", "host, port, reply port, as [soundalike.client]")]))
    p.comment(20, 60, "Start the server first: soundalike serve. Turn on DSP, click open (or "
              "send open <path>), then similar: the 16 closest sounds of your library land in "
              "the slots, their names beside them (copies of one sound left out). cluster puts "
              "the sample in slot 1 and its closest cluster-mates after it. kit builds a kit "
              "around the sample: each role on its General MIDI note (36 kick, 37 rim, 38 "
              "snare, 39 clap, 42 closed hat, 46 open hat, 49 crash...), in the slot that note "
              "plays. another kit (or another) gives the next kit for the same sample: a slot "
              "whose lock is ticked keeps its sound. Slots an answer does not fill are emptied. "
              "Play with MIDI notes 36-51 (velocity scales the level), the slot buttons, or "
              "play <slot>.", 125)
    p.msg(20, 165, "; pd dsp 1")
    at = 20
    boxes = []
    for words in ("open", "similar", "cluster", "kit", "another", "lock 1 1", "play 1 100",
                  "rescan"):
        boxes.append(p.msg(at, 215, words))
        at += _width(words) + 20
    sampler = p.obj(20, 255, "soundalike.sampler")
    for box in boxes:
        p.connect(box, 0, sampler, 0)
    dac = p.obj(20, 625, "dac~")
    p.connect(sampler, 1, dac, 0)
    p.connect(sampler, 2, dac, 1)
    p.connect(sampler, 0, p.obj(120, 625, "print sampler"), 0)
    p.comment(20, 665, "Stereo files play both channels, mono files play on both sides. Files "
              "play at Pd's sample rate (vanilla Pd does not resample). FLAC, MP3 and OGG "
              "results arrive as WAV copies from soundalike's cache, named after the original. "
              "A file Pd cannot read leaves its slot empty and is named on the info outlet. "
              "The window shows each slot's file name, the status (errors in words) and the "
              "rescan progress. cluster <id> fills the slots with that cluster's members (the "
              "ids are in the client's clusters answer).", 125)
    footer(p, 760, ["soundalike.client", "soundalike.listen~"], ["soundfiler", "tabplay~"])
    return p


LISTEN_SUMMARY = "ask with the sound that is playing"


def listen_help() -> Patch:
    p = Patch(960, 1200)
    p.obj(30, 15, "soundalike.listen~")
    header(p, 960, LISTEN_SUMMARY, (200, 14), reference(
        "soundalike.listen~", LISTEN_SUMMARY,
        [("1st: signal", "what is playing: [adc~], a [readsf~], a synth..."),
         ("2nd: similar", "cut the strongest hit of the last seconds and ask for sounds like it"),
         ("2nd: kit", "a kit around the hit (it keeps its own role)"),
         ("2nd: mates", "the cluster of the library sound nearest to the hit"),
         ("2nd: seconds <s>", "how many seconds to keep (0.1-60)")],
        [("1st: to a sampler", "open <hit>, similar | open <hit>, kit | cluster <id>"),
         ("2nd: info", "heard <hit> <start> <seconds> <category> <cluster>, "
                       "error <reason>")],
        [("1st, 2nd, 3rd", "host, port, reply port, as [soundalike.client]"),
         ("4th: float", f"seconds kept ({LISTEN_SECONDS})")]))
    p.comment(20, 60, "Start the server first: soundalike serve. Turn on DSP and play "
              "something into the left inlet. similar, kit or mates takes the strongest hit "
              "of the last seconds (the loudest, or of hits about as loud the latest), which "
              "the server cuts from its onset to the end of its decay (at most 2 s). The "
              "sampler below then fills its slots as for a file.", 125)
    p.msg(20, 135, "; pd dsp 1")
    # two synthetic hits: a kick (a falling sine) and a hat (high noise)
    kick = p.msg(20, 180, "kick")
    hat = p.msg(220, 180, "hat")
    p.comment(280, 180, "<- play a synthetic hit", 30)
    kick_env = p.msg(20, 210, "1, 0 350 5")
    p.connect(kick, 0, kick_env, 0)
    hat_env = p.msg(330, 240, "1, 0 60 2")
    p.connect(hat, 0, hat_env, 0)
    kick_line = p.obj(20, 245, "vline~")
    p.connect(kick_env, 0, kick_line, 0)
    hat_line = p.obj(330, 280, "vline~")
    p.connect(hat_env, 0, hat_line, 0)
    kick_squared = p.obj(100, 285, "*~")
    p.connect(kick_line, 0, kick_squared, 0)
    p.connect(kick_line, 0, kick_squared, 1)
    pitch = p.obj(100, 315, "*~ 120")
    p.connect(kick_squared, 0, pitch, 0)
    pitch_floor = p.obj(100, 345, "+~ 45")
    p.connect(pitch, 0, pitch_floor, 0)
    tone = p.obj(100, 375, "osc~")
    p.connect(pitch_floor, 0, tone, 0)
    kick_out = p.obj(20, 420, "*~")
    p.connect(tone, 0, kick_out, 0)
    p.connect(kick_line, 0, kick_out, 1)
    noise = p.obj(220, 280, "noise~")
    bright = p.obj(220, 315, "hip~ 6000")
    p.connect(noise, 0, bright, 0)
    hat_out = p.obj(220, 420, "*~")
    p.connect(bright, 0, hat_out, 0)
    p.connect(hat_line, 0, hat_out, 1)
    p.comment(430, 330, "or [adc~], a [readsf~], any signal", 40)
    asks = []
    at = 220
    for verb in ("similar", "kit", "mates", "seconds 5"):
        asks.append(p.msg(at, 465, verb))
        at += _width(verb) + 16
    p.comment(at + 10, 465, "<- ask with what played", 30)
    listener = p.obj(20, 505, "soundalike.listen~")
    p.connect(kick_out, 0, listener, 0)
    p.connect(hat_out, 0, listener, 0)
    for box in asks:
        p.connect(box, 0, listener, 1)
    p.connect(listener, 1, p.obj(220, 545, "print listen"), 0)
    sampler = p.obj(20, 585, "soundalike.sampler")
    p.connect(listener, 0, sampler, 0)
    dac = p.obj(20, 955, "dac~")
    p.connect(sampler, 1, dac, 0)
    p.connect(sampler, 2, dac, 1)
    p.connect(sampler, 0, p.obj(120, 955, "print sampler"), 0)
    footer(p, 1000, ["soundalike.sampler", "soundalike.client"], ["tabwrite~", "soundfiler"])
    return p


PATCHES = {
    "soundalike.client.pd": client,
    "soundalike.defaults.pd": defaults,
    "soundalike.basename.pd": basename,
    "soundalike.slot.pd": slot,
    "soundalike.sampler.pd": sampler,
    "soundalike.listen~.pd": listen,
    "soundalike.client-help.pd": client_help,
    "soundalike.sampler-help.pd": sampler_help,
    "soundalike.listen~-help.pd": listen_help,
}


if __name__ == "__main__":
    for name, build in PATCHES.items():
        (HERE / name).write_text(build().render(), encoding="utf-8")
        print(f"wrote {HERE / name}")
