"""The OSC address space of ``soundalike serve``, declared once.

Everything a client can send and everything it may receive is listed here;
the server validates requests against it and ``docs/osc.md`` is generated from
it (``python -m soundalike.bridge.address_space > docs/osc.md``; a test fails
when the two drift).

Conventions, chosen for Max and Pure Data patches:

- Every request's first argument is a *request id* (an int, or a string), and
  every reply to it starts with the same id, so a patch can ``[route]`` replies
  to whoever asked. Pd turns numbers into 32-bit floats: keep numeric ids below
  16,777,216 (or use strings).
- Only int32 (``i``), float32 (``f``) and string (``s``) arguments are sent:
  Pd's ``[oscparse]`` understands nothing else.
- Optional settings follow the positional arguments as *key value* pairs,
  e.g. ``other_folders 1 reply_port 9005``; a repeatable one (``keep``) may come
  several times.
- Results arrive one per message (``.../result``), then one ``.../done`` with
  the count. Errors arrive on ``/soundalike/error`` with the request id, on the
  route the request asked for (``reply_port``), even when the rest of the
  request could not be read; a request whose id cannot be read gets its error
  with id 0. Error texts are at most 999 bytes; no reply is over 8 KiB.
- A result that cannot be sent (a file name that is not UTF-8, a path over 999
  bytes, a file gone when ``wav 1`` asks for a copy) is left out and logged:
  ranks stay 1, 2, 3... and the ``done`` count is the number of results sent.
- Fresh answers or a quick "busy": a request the server cannot start within its
  deadline of arrival (1 s; ``soundalike serve --deadline S``) is answered
  ``/soundalike/error`` *id* ``"busy: ...; try again"`` instead of late: at once
  when the requests ahead of it would take longer, or when more than 1,024 are
  waiting, else when its turn comes. Every request gets its answer or an error;
  under a flood, answers never arrive later than the deadline plus one query.
- Clients heard from in the last hour get ``/soundalike/library/updated`` when
  the server starts answering from a new index, also when a ``soundalike scan``
  run from a terminal changed it (the server checks the index every second).
- Asking with the sound that is playing (a hit in a loop, a resampled snare, a
  synth), not a file: ``/soundalike/recording`` gives a path in soundalike's
  cache folder; the client writes the last seconds of audio there as a WAV
  (Pd: ``[soundfiler] write``; Max: ``buffer~``'s ``writewave``) and sends
  ``/soundalike/hit`` with that path; the server cuts the strongest hit into a
  WAV of its own and answers with its path, its category and the cluster of
  its nearest sound; the client then asks ``/soundalike/similar`` or
  ``/soundalike/kit`` with the hit's path (a file outside the library, profiled
  on the fly in a few milliseconds), or ``/soundalike/cluster`` with the
  cluster. The cache folder keeps the newest 32 recordings and hits. With
  liblo's tools, for a recording at ``/tmp/loop.wav``:
  ``oscsend localhost 9000 /soundalike/hit is 1 /tmp/loop.wav``, then
  ``oscsend localhost 9000 /soundalike/similar isi 2 <the hit's path> 16``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

PREFIX = "/soundalike"
ASPECTS = ("sound", "attack", "body", "tail", "envelope", "brightness", "pitch")

#: Argument kinds: OSC type tags accepted (requests) or sent (replies).
INT, FLOAT, STRING, NUMBER, ID = "i", "f", "s", "number", "id"
KIND_TEXT = {INT: "int", FLOAT: "float", STRING: "string", NUMBER: "number", ID: "int or string"}


@dataclass(frozen=True)
class Arg:
    name: str
    kind: str
    doc: str = ""
    default: object = None  # optional when not None
    repeat: bool = False  # an option that may be given several times (its values collected)

    @property
    def optional(self) -> bool:
        return self.default is not None


@dataclass(frozen=True)
class Reply:
    suffix: str  # the reply's address is PREFIX/verb/suffix (or absolute when it starts with /)
    args: tuple[Arg, ...]
    doc: str


@dataclass(frozen=True)
class Request:
    verb: str
    args: tuple[Arg, ...]
    replies: tuple[Reply, ...]
    doc: str
    options: tuple[Arg, ...] = field(default_factory=tuple)

    @property
    def address(self) -> str:
        return f"{PREFIX}/{self.verb}"

    def reply_address(self, suffix: str) -> str:
        return suffix if suffix.startswith("/") else f"{self.address}/{suffix}"


REQUEST_ID = Arg("id", ID, "request id, echoed first in every reply")
WAV = Arg("wav", INT, "1: a result Pd's [soundfiler] cannot read (FLAC, OGG, MP3...) is "
          "converted to a WAV in soundalike's cache folder and that path is sent", default=0)
REPLY_PORT = Arg("reply_port", INT, "port to reply to on the sender's host; 0 = the port the "
                 "request came from (Pd's [netsend -u -b]); default: the server's --reply-port",
                 default=-1)
NEIGHBOUR_ROW = (
    REQUEST_ID,
    Arg("rank", INT, "1 = the closest"),
    Arg("path", STRING, "absolute path of the sample"),
    Arg("distance", FLOAT, "0 = identical; unrelated sounds are about 1-1.5 apart"),
    Arg("cluster", INT, "the sample's cluster id (0: none yet)"),
    Arg("category", STRING, "category from the sound: kick, snare, rim, clap, closed hat, "
        "open hat, crash, ride, other cymbal, tom, shaker, hand drum, metal percussion, loop, "
        "vocal, fx, tonal, or other (soundalike-3 libraries: cymbal for the three cymbals, "
        "no non-drum names; empty before the library is rescanned); a finer name such as "
        "pedal hat where you labelled the sound so"),
    Arg("category_source", STRING, "you: your correction (/soundalike/label); model: the "
        "model's; empty: no category"),
)

UPDATED = Reply("/soundalike/library/updated", (Arg("size", INT), Arg("clusters", INT)),
                "to every client heard from in the last hour, when a new index is in use: after "
                "a rescan, or within seconds of a `soundalike scan` run from a terminal")

REQUESTS: tuple[Request, ...] = (
    Request(
        "ping", (REQUEST_ID,),
        (Reply("done", (REQUEST_ID, Arg("version", STRING), Arg("size", INT, "sounds in the "
               "library"), Arg("scanning", INT, "1 while a rescan runs")),
               "the server is alive"),),
        "Is the server there? Cheap; answered even while a rescan runs.",
        options=(REPLY_PORT,),
    ),
    Request(
        "similar", (REQUEST_ID, Arg("path", STRING, "a sample, in the library or anywhere else"),
                    Arg("k", INT, "how many (1-1000)", default=16)),
        (Reply("result", NEIGHBOUR_ROW, "one per neighbour, closest first"),
         Reply("done", (REQUEST_ID, Arg("count", INT)), "after the last result")),
        "The k samples of the library that sound most like the file.",
        options=(
            Arg("other_folders", INT, "1: no results from the query's own pack", default=0),
            Arg("under", STRING, "only results under this folder", default=""),
            Arg("min_duration", FLOAT, "seconds", default=0.0),
            Arg("max_duration", FLOAT, "seconds (0: no limit)", default=0.0),
            Arg("no_duplicates", INT, "1 (the default, as in every client): leave out copies of "
                "the query and of better results; 0: keep them", default=1),
            Arg("category", STRING, "only sounds of this instrument category (see the result "
                "rows)", default=""),
            Arg("kind", STRING, "same (the default: a loop finds loops, a one-shot one-shots), "
                "one-shot, loop or any", default="same"),
            *(Arg(f"weight_{a}", FLOAT, f"lean the search on the {a} (negative: the default; "
                  "see docs/descriptor.md)", default=-1.0)
              for a in ASPECTS),
            WAV,
            REPLY_PORT,
        ),
    ),
    Request(
        "mates", (REQUEST_ID, Arg("path", STRING, "a sample of the library"),
                  Arg("max", INT, "at most this many (0: all)", default=0)),
        (Reply("result", NEIGHBOUR_ROW, "one per cluster-mate, most similar first"),
         Reply("done", (REQUEST_ID, Arg("count", INT), Arg("cluster", INT), Arg("label", STRING),
                        Arg("query", STRING, "the sample asked about (with `wav 1`, a WAV copy "
                            "where Pd cannot read it): to play it beside its mates")),
               "after the last result")),
        "The other members of the sample's cluster, most similar to it first.",
        options=(WAV, REPLY_PORT),
    ),
    Request(
        "cluster", (REQUEST_ID, Arg("cluster", INT, "a cluster id"),
                    Arg("max", INT, "at most this many (0: all)", default=0)),
        (Reply("result", (REQUEST_ID, Arg("rank", INT, "1 = the most typical"),
                          Arg("path", STRING), Arg("duration", FLOAT, "seconds"),
                          Arg("cluster", INT), Arg("category", STRING)),
               "one per member, most typical first"),
         Reply("done", (REQUEST_ID, Arg("count", INT), Arg("cluster", INT), Arg("label", STRING)),
               "after the last result")),
        "The members of one cluster: fill a Drum Rack or 16 slots with it.",
        options=(WAV, REPLY_PORT),
    ),
    Request(
        "clusters", (REQUEST_ID,),
        (Reply("result", (REQUEST_ID, Arg("cluster", INT), Arg("size", INT), Arg("label", STRING)),
               "one per cluster"),
         Reply("done", (REQUEST_ID, Arg("count", INT)), "after the last result")),
        "Every cluster of the library with its size and label.",
        options=(REPLY_PORT,),
    ),
    Request(
        "kit", (REQUEST_ID, Arg("path", STRING, "the reference sound, in the library or anywhere "
                                "else"),
                Arg("pads", INT, "how many roles, in order: kick, snare, closed hat, crash, "
                    "open hat, clap, rim, low/mid/high tom, ride, pedal hat, shaker, cowbell, "
                    "kick 2, snare 2, high and low conga (1-18)", default=16)),
        (Reply("result", (REQUEST_ID, Arg("note", INT, "General MIDI / Drum Rack note (36 kick, "
                                          "38 snare, 42 closed hat...)"),
                          Arg("role", STRING, "kick, snare, low tom, crash..."),
                          Arg("path", STRING, "absolute path of the sample"),
                          Arg("distance", FLOAT, "mean distance to the reference (0: the "
                              "reference itself, which keeps its own role)")),
               "one per filled pad, in note order"),
         Reply("empty", (REQUEST_ID, Arg("note", INT), Arg("role", STRING),
                         Arg("reason", STRING, "e.g. the library has no clap")),
               "one per role no confident sound fits: clear that pad"),
         Reply("saved", (REQUEST_ID, Arg("file", STRING, "the kit file written (drumkit.xml, "
                                         "<folder>.xml, <folder>.sfz)"),
                         Arg("samples", INT, "samples copied beside it")),
               "with the save option, before done: the kit was written"),
         Reply("done", (REQUEST_ID, Arg("count", INT, "filled pads"),
                        Arg("empty", INT, "empty pads")), "after the last pad")),
        "A playable kit around a sound: one sound per role, each on its General MIDI note, "
        "from the reference's own pack first, then the nearest in sound and recording colour. "
        "With save and save_to, also written as an instrument (as `soundalike kit --save`).",
        options=(
            Arg("other_folders", INT, "1: nothing else from the reference's own pack", default=0),
            Arg("variation", INT, "N: the N-th next kit for the same reference (\"another "
                "kit\"): no sound of kit N-1 again unless the library has nothing else for a "
                "role; the same N always gives the same kit (0-99)", default=0),
            Arg("keep", STRING, "NOTE=PATH: lock a pad, that sound stays on that note "
                "whatever else changes (e.g. keep 38=/samples/snare.wav); repeatable",
                default="", repeat=True),
            Arg("save", STRING, "hydrogen, drumgizmo or sfz: also write the kit as that "
                "instrument into save_to", default=""),
            Arg("save_to", STRING, "a new or empty folder outside the library (with save)",
                default=""),
            WAV,
            REPLY_PORT,
        ),
    ),
    Request(
        "recording", (REQUEST_ID,),
        (Reply("done", (REQUEST_ID, Arg("path", STRING, "a new file path in soundalike's cache "
                                        "folder (the folder exists)")),
               "where to write the recording"),),
        "Where a client may write a recording of what is playing (a WAV, or AIFF, mono or "
        "stereo, at most 60 s: the last seconds of a track) to ask with its hit: see "
        "`/soundalike/hit`.",
        options=(REPLY_PORT,),
    ),
    Request(
        "hit", (REQUEST_ID, Arg("path", STRING, "a recording the client wrote (e.g. where "
                                "`/soundalike/recording` said)"),
                Arg("max_seconds", FLOAT, "the longest hit to cut (0.05-2)", default=2.0)),
        (Reply("done", (REQUEST_ID, Arg("path", STRING, "the hit, a WAV in soundalike's cache "
                                        "folder: ask similar, kit or cluster with it"),
                        Arg("start", FLOAT, "where the hit starts in the recording, seconds"),
                        Arg("seconds", FLOAT, "its length"),
                        Arg("category", STRING, "its instrument category, as the result rows "
                            "say it"),
                        Arg("cluster", INT, "the cluster of the library sound nearest to it "
                            "(0: none): ask `/soundalike/cluster` for its cluster-mates")),
               "the hit, cut"),),
        "The strongest hit of a recording, cut from its onset to the end of its decay (at most "
        "max_seconds): the loudest hit; of hits within 6 dB of the loudest, the latest; a hit "
        "already sounding when the recording began only when there is no other. The same cut "
        "for every client (`soundalike.engine.sound.hits`). To ask with what is playing: "
        "`/soundalike/recording` for a path, write the last seconds there, `/soundalike/hit` "
        "with that path, then `/soundalike/similar` (or `kit`) with the hit's path.",
        options=(Arg("start_at", FLOAT, "for a ring buffer written over and over (Max's "
                     "[record~ @loop 1]): where its oldest sample is, in seconds; the "
                     "recording is read from there on, then from its start", default=0.0),
                 REPLY_PORT),
    ),
    Request(
        "label", (REQUEST_ID, Arg("path", STRING, "a sample of the library"),
                  Arg("category", STRING, "what it is: kick, snare, clap, rim, closed hat, "
                      "open hat, cymbal, tom, shaker, hand drum, metal percussion, other, or "
                      "a finer crash, ride, other cymbal, china, splash, pedal hat; model: "
                      "forget your label, back to the model's category")),
        (Reply("done", (REQUEST_ID, Arg("path", STRING),
                        Arg("category", STRING, "the sound's category now"),
                        Arg("category_source", STRING, "you, or model after a clear")),
               "the correction is stored"),
         UPDATED),
        "Correct a sound's instrument category (\"that's a snare\"). It is kept in the index "
        "by the sound's content, so it survives rescans and moves, and every search filter, "
        "kit, cluster and map uses it from now on (as `soundalike label`).",
        options=(REPLY_PORT,),
    ),
    Request(
        "rescan", (REQUEST_ID, Arg("root", STRING, "one library folder (default: all)",
                                   default="")),
        (Reply("started", (REQUEST_ID, Arg("folders", INT)), "the rescan runs in the background"),
         Reply("progress", (REQUEST_ID, Arg("phase", STRING, "walking, profiling, loops (once, "
                                            "after an upgrade), finishing, clustering"),
                            Arg("done", INT), Arg("total", INT), Arg("failed", INT)),
               "at most 5 per second"),
         Reply("done", (REQUEST_ID, Arg("new", INT), Arg("changed", INT), Arg("removed", INT),
                        Arg("failed", INT), Arg("size", INT)),
               "sent twice (UDP may lose one): handle it idempotently"),
         UPDATED),
        "Rescan the library (or one of its folders) without blocking queries: they are "
        "answered from the last complete index until the new one replaces it.",
        options=(REPLY_PORT,),
    ),
    Request(
        "status", (REQUEST_ID,),
        (Reply("result", (REQUEST_ID, Arg("folder", STRING)), "one per library folder"),
         Reply("done", (REQUEST_ID, Arg("files", INT), Arg("profiled", INT), Arg("failed", INT),
                        Arg("clusters", INT), Arg("scanning", INT), Arg("descriptor", STRING)),
               "the counts")),
        "What the library holds.",
        options=(REPLY_PORT,),
    ),
)
assert all(REPLY_PORT in request.options for request in REQUESTS)

ERROR = Reply("/soundalike/error", (REQUEST_ID, Arg("reason", STRING, "in plain words")),
              "any request that cannot be answered; `busy: ...` when the server is too busy "
              "to answer it within its deadline (try again)")
BY_ADDRESS = {request.address: request for request in REQUESTS}


def _args_text(args: tuple[Arg, ...]) -> str:
    parts = []
    for arg in args:
        text = f"{arg.name}:{KIND_TEXT[arg.kind]}"
        parts.append(f"[{text}]" if arg.optional else text)
    return " ".join(parts)


def document() -> str:
    """The user-facing reference of the address space, as Markdown."""
    lines = [
        "# soundalike OSC address space",
        "",
        "Generated from `bridge/address_space.py` (`python -m soundalike.bridge.address_space`);"
        " do not edit by hand.",
        "",
        __doc__.split("\n\n", 1)[1].strip().replace("``", "`"),
        "",
        "| address | arguments | replies | description |",
        "| --- | --- | --- | --- |",
    ]
    for request in REQUESTS:
        replies = "<br>".join(
            f"`{request.reply_address(r.suffix)}` {_args_text(r.args)}: {r.doc}"
            for r in request.replies
        )
        lines.append(f"| `{request.address}` | {_args_text(request.args)} | {replies} | "
                     f"{request.doc} |")
    lines.append(f"| (any) | | `{ERROR.suffix}` {_args_text(ERROR.args)} | {ERROR.doc} |")
    lines.append(f"| (none) | | `{UPDATED.suffix}` {_args_text(UPDATED.args)} | {UPDATED.doc} |")
    lines += ["", "## Options (key value pairs after the arguments)", "",
              "| address | option | type | default | meaning |", "| --- | --- | --- | --- | --- |"]
    for request in REQUESTS:
        for option in request.options:
            kind = KIND_TEXT[option.kind] + (", repeatable" if option.repeat else "")
            lines.append(f"| `{request.address}` | `{option.name}` | {kind} | "
                         f"{option.default!r} | {option.doc} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(document())
