"""The OSC bridge with real clients on loopback: python-osc, liblo's oscsend/oscdump, and
thousands of hostile packets."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.udp_client import SimpleUDPClient

from soundalike.bridge.address_space import document
from soundalike.bridge.handlers import handle
from soundalike.bridge.requests import RequestError, parse_request
from soundalike.bridge.server import OscServer
from soundalike.bridge.service import LibraryService
from soundalike.bridge.wire import Message, WireError, decode, encode
from soundalike.engine import EngineError, Library
from tests.conftest import tree_snapshot, write_sound
from tests.synth import FAMILIES, drum

NASTY = "Très bébé ドラム snare, it's \"ok\".wav"


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("bridge")
    root = base / "Sample Library"
    for p in range(2):
        for family in FAMILIES:
            for m in range(3):
                write_sound(root / f"Pack {p}" / f"{family} {p}{m}.wav",
                            drum(family, seed=100 * p + m + 1), 44100)
    write_sound(root / "Pack 1" / NASTY, drum("snare", seed=77), 44100)
    db = base / "bridge.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    return root, db


class Client:
    """A test client: sends with python-osc, receives replies on its own UDP socket."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(5)
        self.port = self.sock.getsockname()[1]

    def receive(self, until: str | None = None, timeout: float = 5.0) -> list[Message]:
        """Messages until one whose address ends with ``until`` (or a timeout)."""
        messages: list[Message] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data, _ = self.sock.recvfrom(65535)
            except TimeoutError:
                break
            messages += decode(data)
            if until and messages and (messages[-1].address.endswith(until)
                                       or messages[-1].address == "/soundalike/error"):
                break
        return messages

    def close(self):
        self.sock.close()


@contextlib.contextmanager
def serving(db: Path):
    """A real OSC server on loopback for the index ``db``: ``(server, client, sender)``."""
    client = Client()
    service = LibraryService(db, jobs=1)
    service.load()
    server = OscServer(service, host="127.0.0.1", port=0, reply_port=client.port)
    thread = server.start()
    sender = SimpleUDPClient("127.0.0.1", server.address[1])
    try:
        yield server, client, sender
    finally:
        server.close()
        thread.join(5)
        client.close()


@pytest.fixture
def served(library_dir):
    root, db = library_dir
    with serving(db) as (server, client, sender):
        yield root, server, client, sender


def test_ping_and_similar_with_python_osc(served, library_dir):
    root, server, client, sender = served
    sender.send_message("/soundalike/ping", [1])
    (done,) = client.receive("done")
    assert done.address == "/soundalike/ping/done"
    assert done.args[0] == 1 and done.args[2] == 37 and done.args[3] == 0

    query = str(root / "Pack 0" / "kick 00.wav")
    sender.send_message("/soundalike/similar", [7, query, 5])
    replies = client.receive("done")
    results, done = replies[:-1], replies[-1]
    assert done.address == "/soundalike/similar/done" and done.args == (7, 5)
    assert [r.args[1] for r in results] == [1, 2, 3, 4, 5]
    assert all(r.address == "/soundalike/similar/result" and r.args[0] == 7 for r in results)
    with Library(library_dir[1]) as library:
        expected = library.similar([query], k=5)[0].neighbours
    assert [r.args[2] for r in results] == [n.path for n in expected]
    assert all(abs(r.args[3] - n.distance) < 1e-4 for r, n in zip(results, expected, strict=True))


def test_ids_options_and_unicode_paths_round_trip(served):
    root, server, client, sender = served
    nasty = str(root / "Pack 1" / NASTY)
    sender.send_message("/soundalike/similar", [3.0, nasty, 4, "other_folders", 1])  # Pd: floats
    replies = client.receive("done")
    assert replies[-1].args == (3, 4)  # an integral float id comes back as an int
    assert all("/Pack 1/" not in r.args[2] for r in replies[:-1])
    snare = str(root / "Pack 0" / "snare 01.wav")
    sender.send_message("/soundalike/similar", ["snare-query", snare, 10, "other_folders", 1])
    replies = client.receive("done")
    assert nasty in [r.args[2] for r in replies[:-1]]  # the accented path arrives intact
    assert replies[-1].args[0] == "snare-query"


def test_reply_port_zero_answers_the_sender(served):
    root, server, client, sender = served
    other = Client()
    try:
        other.sock.sendto(encode("/soundalike/ping", (9, "reply_port", 0)),
                          ("127.0.0.1", server.address[1]))
        (done,) = other.receive("done")
        assert done.args[0] == 9
        assert client.receive(timeout=0.3) == []  # nothing went to the default reply port
    finally:
        other.close()


def test_clusters_cluster_mates_status(served):
    root, server, client, sender = served
    sender.send_message("/soundalike/clusters", [1])
    replies = client.receive("done")
    count = replies[-1].args[1]
    assert count == len(replies) - 1 > 0
    cluster_id = replies[0].args[1]
    sender.send_message("/soundalike/cluster", [2, cluster_id, 3])
    members = client.receive("done")
    assert members[-1].args[:3] == (2, len(members) - 1, cluster_id)
    assert [m.args[1] for m in members[:-1]] == list(range(1, len(members)))
    sender.send_message("/soundalike/mates", [3, members[0].args[2]])
    mates = client.receive("done")
    assert mates[-1].args[2] == cluster_id
    assert all(m.args[4] == cluster_id for m in mates[:-1])
    sender.send_message("/soundalike/status", [4])
    status = client.receive("done")
    assert status[0].args == (4, str(root))
    assert status[-1].args[1:4] == (37, 37, 0)


@pytest.mark.parametrize("packet, reason", [
    (("/soundalike/similar", [5, "/no/such/file.wav"]), "no such file"),
    (("/soundalike/similar", [5, 42]), "must be a string"),
    (("/soundalike/similar", [5]), "needs path"),
    (("/soundalike/similar", [5, "/x.wav", 0]), "k must be between"),
    (("/soundalike/similar", [5, "/x.wav", 3, "colour", 1]), "unknown option"),
    (("/soundalike/similar", [5, "/x.wav", 3, "other_folders"]), "pairs"),
    (("/soundalike/frobnicate", [5]), "unknown address"),
    (("/soundalike/mates", [5, "/elsewhere/kick.wav"]), "not in the library"),
    (("/soundalike/cluster", [5, 99999]), "no cluster 99999"),
    (("/soundalike/rescan", [5, "/tmp"]), "not in the library's folders"),
    (("/soundalike/similar", [5, "/" + "x" * 1200 + ".wav"]), "longer than 999 bytes"),
])
def test_bad_requests_get_errors_with_their_id(served, packet, reason):
    root, server, client, sender = served
    sender.send_message(*packet)
    replies = client.receive("done")
    assert replies and replies[-1].address == "/soundalike/error"
    assert replies[-1].args[0] == 5
    assert reason in replies[-1].args[1]


def test_a_file_that_is_not_audio_is_an_error(served, tmp_path):
    root, server, client, sender = served
    (tmp_path / "fake.wav").write_text("not audio")
    sender.send_message("/soundalike/similar", [6, str(tmp_path / "fake.wav")])
    (reply,) = client.receive("done")
    assert reply.address == "/soundalike/error" and "cannot use" in reply.args[1]


def test_fuzz_malformed_packets_then_ping(served):
    root, server, client, sender = served
    before = tree_snapshot(root)
    rng = random.Random(0)
    valid = encode("/soundalike/similar", (1, str(root / "Pack 0" / "kick 00.wav"), 3))
    target = ("127.0.0.1", server.address[1])
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    packets = []
    for i in range(3000):
        kind = i % 8
        if kind == 0:
            packets.append(rng.randbytes(rng.randint(0, 200)))
        elif kind == 1:
            packets.append(valid[: rng.randint(1, len(valid) - 1)])  # truncated
        elif kind == 2:
            packets.append(b"/soundalike/similar\x00,izq\x00\x00\x00\x00" + rng.randbytes(12))
        elif kind == 3:
            packets.append(b"/soundalike/similar\x00,is\x00\x00\x00\x00\x01\xff\xfe\xfd\x00\x00"
                           b"\x00\x00")  # a string that is not UTF-8
        elif kind == 4:
            packets.append(b"#bundle\x00" + rng.randbytes(rng.randint(0, 40)))
        elif kind == 5:
            packets.append(b"/soundalike/ping\x00\x00\x00\x00,i\x00\x00" + rng.randbytes(2))
        elif kind == 6:
            packets.append(bytes(rng.randint(0, 255) for _ in range(4)) + valid[4:])
        else:
            packets.append(b"/" + rng.randbytes(8) + b"\x00\x00\x00,TFN\x00\x00\x00\x00")
    packets.append(b"/soundalike/ping\x00\x00\x00\x00,s\x00\x00" + b"x" * 60000 + b"\x00" * 4)
    # The noise makes error replies (to requests whose id could be read): drain them while
    # sending, so that the client's own socket buffer never overflows and drops the answer
    # this test waits for.
    replies: list[Message] = []

    def timed_ping_answered() -> bool:
        return any(m.address == "/soundalike/ping/done" and m.args[0] == 123 for m in replies)

    def drain():
        deadline = time.monotonic() + 120
        while not timed_ping_answered() and time.monotonic() < deadline:
            replies.extend(client.receive(timeout=1))

    drainer = threading.Thread(target=drain)
    drainer.start()
    for packet in packets:
        out.sendto(packet, target)
    # A bundle timed an hour ahead must not stall the server.
    bundle = OscBundleBuilder(time.time() + 3600)
    ping = OscMessageBuilder("/soundalike/ping")
    ping.add_arg(123, "i")
    bundle.add_content(ping.build())
    out.sendto(bundle.build().dgram, target)
    out.close()
    drainer.join()
    # Whatever the noise produced (error replies to readable ids), the timed ping was answered.
    assert timed_ping_answered()
    sender.send_message("/soundalike/ping", ["after"])
    assert any(m.args[0] == "after" for m in client.receive("done"))
    assert server.dropped > 1000
    assert tree_snapshot(root) == before  # nothing a client sends writes anything


def test_liblo_oscsend_and_oscdump(served):
    oscsend, oscdump = shutil.which("oscsend"), shutil.which("oscdump")
    if not (oscsend and oscdump):
        pytest.skip("needs liblo's oscsend/oscdump: install liblo-tools (apt-get install "
                    "liblo-tools)")
    root, server, client, sender = served
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    dump_port = probe.getsockname()[1]
    probe.close()
    dump = subprocess.Popen([oscdump, "-L", str(dump_port)], stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        nasty = str(root / "Pack 1" / NASTY)
        subprocess.run([oscsend, "localhost", str(server.address[1]), "/soundalike/similar",
                        "ssisi", "liblo", nasty, "3", "reply_port", str(dump_port)], check=True)
        subprocess.run([oscsend, "localhost", str(server.address[1]), "/soundalike/ping", "i",
                        "11", ], check=True)  # to the default reply port, not oscdump
        subprocess.run([oscsend, "localhost", str(server.address[1]), "/soundalike/similar",
                        "ssisi", "liblo2", "/missing.wav", "3", "reply_port", str(dump_port)],
                       check=True)
        lines = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(lines) < 5:
            line = dump.stdout.readline()
            if line:
                lines.append(line.strip())
    finally:
        dump.terminate()
        dump.wait()
    results = [line for line in lines if "/soundalike/similar/result" in line]
    assert len(results) == 3
    assert all(' "liblo" ' in line for line in results)
    assert any("/soundalike/similar/done si \"liblo\" 3" in line for line in lines)
    errors = [line for line in lines if "/soundalike/error" in line]
    assert errors and '"liblo2"' in errors[0] and "no such file" in errors[0]
    assert client.receive("done")[0].args[0] == 11


def test_rescan_while_querying(tmp_path):
    root = tmp_path / "growing"
    for family in FAMILIES:
        for m in range(6):
            write_sound(root / f"{family} {m}.wav", drum(family, seed=m), 44100)
    db = tmp_path / "growing.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    for family in FAMILIES:
        for m in range(6, 26):
            write_sound(root / "new" / f"{family} {m}.wav", drum(family, seed=m), 44100)
    client = Client()
    service = LibraryService(db, jobs=2)
    service.load()
    server = OscServer(service, port=0, reply_port=client.port)
    thread = server.start()
    sender = SimpleUDPClient("127.0.0.1", server.address[1])
    try:
        sender.send_message("/soundalike/rescan", ["scan"])
        seen: list[Message] = []
        answered = 0
        query = str(root / "kick 0.wav")
        # Query until the swap is announced: a loaded machine may take a minute to rescan.
        deadline = time.monotonic() + 180
        i = 0
        while time.monotonic() < deadline:
            i += 1
            sender.send_message("/soundalike/similar", [i, query, 4])
            replies = []  # until this query's own done (a rescan's done may come first)
            while not any(m.address == "/soundalike/similar/done" and m.args[0] == i
                          for m in replies):
                more = client.receive("done")
                assert more, f"query {i} got no answer"
                replies += more
            seen += [m for m in replies if m.address.startswith(("/soundalike/rescan",
                                                                 "/soundalike/library"))]
            mine = [m for m in replies if m.args and m.args[0] == i]
            assert [m.address.rsplit("/", 1)[1] for m in mine] == ["result"] * 4 + ["done"], mine
            answered += 1
            if any(m.address == "/soundalike/library/updated" for m in seen):
                break
        seen += client.receive(timeout=1)
        assert any(m.address == "/soundalike/library/updated" for m in seen), (
            "no /soundalike/library/updated within 180 s of the rescan")
        addresses = [m.address for m in seen]
        assert "/soundalike/rescan/started" in addresses
        assert "/soundalike/rescan/progress" in addresses
        done = [m for m in seen if m.address == "/soundalike/rescan/done"]
        assert done and done[0].args == ("scan", 120, 0, 0, 0, 156)
        updated = [m for m in seen if m.address == "/soundalike/library/updated"]
        assert updated and updated[0].args[0] == 156
        sender.send_message("/soundalike/ping", [1])
        ping = [m for m in client.receive("done") if m.address == "/soundalike/ping/done"]
        assert ping[0].args[2] == 156
        assert answered > 1
    finally:
        server.close()
        thread.join(5)
        client.close()


def test_handlers_without_sockets(library_dir):
    root, db = library_dir
    service = LibraryService(db)
    service.load()
    request = parse_request(Message("/soundalike/similar", (1, str(root / "Pack 0" / "hat 00.wav"),
                                                            2, "weight_attack", 2.0)))
    replies = handle(service, request, emit=lambda *a: None)
    assert [r[0] for r in replies] == ["/soundalike/similar/result"] * 2 + [
        "/soundalike/similar/done"]
    with pytest.raises(RequestError, match="request id"):
        parse_request(Message("/soundalike/ping", ()))
    with pytest.raises(RequestError, match="whole number"):
        parse_request(Message("/soundalike/similar", (1, "/x.wav", 2.5)))


def test_similar_replies_carry_what_the_library_reports(library_dir, tmp_path):
    """The bridge answers from the search's rows without making a report of them: every
    value it sends is the one ``Library.similar`` reports (paths, distances, clusters,
    categories and whose they are, a person's label included), filters and all."""
    root, db = library_dir
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    labelled = root / "Pack 1" / "snare 10.wav"
    with Library(copy) as library:
        library.label([labelled], "clap")
    service = LibraryService(copy)
    service.load()
    queries = [(root / "Pack 0" / f"{family} 01.wav", options) for family in FAMILIES
               for options in ((), ("no_duplicates", 0), ("other_folders", 1))]
    compared = yours = 0
    with Library(copy) as library:
        for query, options in queries:
            request = parse_request(Message("/soundalike/similar", (5, str(query), 12,
                                                                     *options)))
            replies = handle(service, request, emit=lambda *a: None)
            filters = {"no_duplicates": True}
            if options:
                filters[options[0]] = bool(options[1])
            expected = library.similar([query], k=12, **filters)[0].neighbours
            assert [r[1] for r in replies[:-1]] == [
                (5, n.rank, n.path, n.distance, n.cluster or 0, n.category or "",
                 n.category_source or "") for n in expected]
            assert replies[-1] == ("/soundalike/similar/done", (5, len(expected)))
            compared += len(expected)
            yours += sum(r[1][6] == "you" for r in replies[:-1])
    assert compared > 100 and yours > 0  # the label was among the answers


def test_wire_sends_only_pd_friendly_types():
    assert decode(encode("/a", (1, 2.5, "x")))[0].args == (1, 2.5, "x")
    for bad in (True, None, 2**40, b"blob", 1.0j):
        with pytest.raises(TypeError):
            encode("/a", (bad,))
    tags = encode("/a", (1, 2.5, "x")).split(b",")[1][:4]
    assert tags == b"ifs\x00"


def test_requests_read_directly_are_read_as_python_osc_reads_them():
    """Plain messages (``i``, ``f``, ``s``) are read without python-osc, the rest with it: the
    same messages either way, and the same refusals, for well-formed requests and for every
    one of thousands of mangled ones (cut, bytes changed, odd padding)."""
    from pythonosc import osc_packet

    def python_osc(datagram: bytes):
        try:
            packet = osc_packet.OscPacket(datagram)
            return repr([(m.message.address, tuple(m.message.params))
                         for m in packet.messages])  # repr: a NaN read is a NaN on both sides
        except Exception:  # noqa: BLE001 - any refusal
            return "refused"

    def ours(datagram: bytes):
        try:
            return repr([(m.address, m.args) for m in decode(datagram)])
        except WireError:
            return "refused"

    rng = random.Random(20)
    samples = [encode("/soundalike/similar", (7, "/S/Pack 1/kick ü.wav", 16, "reply_port",
                                              9001)),
               encode("/soundalike/ping", (1,)), encode("/a", ()), b"/a\x00\x00",
               encode("/x", (1.5, -3, "")), b"/a\x00\x00,f\x00\x00\x00\x00",  # a float cut short
               b"/a\x00\x00,h\x00\x00" + bytes(8), b"#bundle\x00" + bytes(8)]
    from soundalike.bridge.wire import _simple_message

    assert _simple_message(samples[0]) is not None  # a request is read directly
    assert _simple_message(samples[-2]) is None  # an int64: python-osc reads it
    checked = 0
    for datagram in samples:
        assert ours(datagram) == python_osc(datagram), datagram
        for _ in range(400):
            mangled = bytearray(datagram)
            for _ in range(rng.randint(1, 3)):
                where = rng.randrange(len(mangled)) if mangled else 0
                action = rng.random()
                if action < 0.4 and mangled:
                    mangled[where] = rng.choice([0, 44, 47, 105, 102, 115, 255, rng.randrange(256)])
                elif action < 0.7:
                    del mangled[where:]
                else:
                    mangled[where:where] = bytes([rng.randrange(256)])
            assert ours(bytes(mangled)) == python_osc(bytes(mangled)), bytes(mangled)
            checked += 1
    assert checked == 400 * len(samples)


def test_allow_list():
    service = LibraryService("/nonexistent.db")
    server = OscServer(service, port=0, allow=["192.168.1.0/24", "10.0.0.7"])
    try:
        assert server._allowed("127.0.0.1") and server._allowed("127.3.2.1")
        assert server._allowed("192.168.1.77") and server._allowed("10.0.0.7")
        assert not server._allowed("10.0.0.8") and not server._allowed("192.168.2.1")
    finally:
        server.close()
    with pytest.raises(ValueError, match="--allow"):
        OscServer(service, port=0, allow=["my laptop"])


def test_the_address_space_document_matches_the_code():
    doc = Path(__file__).resolve().parents[1] / "docs" / "osc.md"
    assert doc.read_text(encoding="utf-8") == document(), (
        "docs/osc.md is stale: python -m soundalike.bridge.address_space > docs/osc.md")


def test_struct_sanity():
    # The error reply for an unknown address echoes the id even when the address is odd.
    request_id = struct.unpack(">i", encode("/x", (5,))[-4:])[0]
    assert request_id == 5
    assert np.int32(5) == 5 and os.sep == "/"


def _two_packs(base: Path) -> tuple[Path, Path]:
    first, second = base / "first", base / "second"
    for family in FAMILIES:
        for m in range(2):
            write_sound(first / f"{family} {m}.wav", drum(family, seed=m + 1), 44100)
            write_sound(second / f"{family} {m}.wav", drum(family, seed=m + 40), 44100)
    return first, second


def soundalike_cli(*args, db, check=True):
    return subprocess.run([sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), *args],
                          capture_output=True, text=True, check=check)


def test_a_terminal_scan_reaches_a_running_server(tmp_path):
    first, second = _two_packs(tmp_path)
    db = tmp_path / "shared.db"
    soundalike_cli("scan", str(first), "-q", "--jobs", "1", db=db)
    client = Client()
    service = LibraryService(db, jobs=1)
    service.load()
    server = OscServer(service, port=0, reply_port=client.port)
    thread = server.start()
    sender = SimpleUDPClient("127.0.0.1", server.address[1])
    try:
        sender.send_message("/soundalike/ping", [1])  # the client is now heard from
        assert client.receive("done")[0].args[2] == 2 * len(FAMILIES)
        soundalike_cli("scan", str(second), "-q", "--jobs", "1", db=db)  # another process
        updated = client.receive("updated", timeout=60)
        assert updated and updated[-1].address == "/soundalike/library/updated"
        assert updated[-1].args[0] == 4 * len(FAMILIES) and updated[-1].args[1] > 0
        assert len(updated) == 1  # one announcement: after the scan's clusters, not before
        sender.send_message("/soundalike/ping", [2])
        assert client.receive("done")[0].args[2] == 4 * len(FAMILIES)
        query = str(second / "kick 0.wav")
        sender.send_message("/soundalike/mates", [3, query])  # the new sounds have clusters
        assert client.receive("done")[-1].address == "/soundalike/mates/done"
        # A rebuilt index is a new file: the server follows it too.
        soundalike_cli("scan", "--rebuild", str(first), "-q", "--jobs", "1", db=db)
        updated = client.receive("updated", timeout=60)
        assert updated and updated[-1].args[0] == 2 * len(FAMILIES)
    finally:
        server.close()
        thread.join(5)
        client.close()


def test_an_osc_rescan_reloads_what_another_process_scanned(tmp_path):
    first, second = _two_packs(tmp_path)
    db = tmp_path / "rescan.db"
    with Library(db) as library:
        library.scan([first], jobs=1)
    service = LibraryService(db, jobs=1)
    service.load()
    with Library(db) as library:  # as a terminal scan would, while the server runs
        library.scan([second], jobs=1)
    finished = []
    service.start_rescan(None, lambda p: None, lambda *done: finished.append(done),
                         lambda reason: finished.append(reason))
    service._scan.join(120)
    (report, snapshot, swapped), = finished
    assert report.new == 0 and not report.changed_library  # this rescan found nothing new...
    assert swapped and snapshot.size == service.size == 4 * len(FAMILIES)  # ...yet reloads


def test_one_scan_at_a_time_says_who_is_scanning(tmp_path):
    from soundalike.engine.scan.lock import ScanLock

    first, second = _two_packs(tmp_path)
    db = tmp_path / "locked.db"
    soundalike_cli("scan", str(first), "-q", "--jobs", "1", db=db)
    service = LibraryService(db, jobs=1)
    service.load()
    with ScanLock(db, "soundalike scan /the/other/one"):
        busy = soundalike_cli("scan", str(second), db=db, check=False)
        assert busy.returncode == 1
        assert f"another scan of this library is running (pid {os.getpid()}" in busy.stderr
        assert "soundalike scan /the/other/one" in busy.stderr
        with pytest.raises(EngineError, match="another scan of this library is running"):
            service.start_rescan(None, print, print, print)
    # A holder killed with -9 leaves no stale lock behind.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from soundalike.engine.scan.lock import ScanLock\n"
         f"lock = ScanLock({str(db)!r}).acquire()\nprint('held', flush=True)\ntime.sleep(600)"],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    assert soundalike_cli("scan", db=db, check=False).returncode == 1
    holder.kill()
    holder.wait()
    report = json.loads(soundalike_cli("scan", str(second), "--json", db=db).stdout)
    assert report["new"] == 2 * len(FAMILIES)


def test_errors_go_to_the_route_the_request_asked_for(served):
    root, server, client, sender = served
    asker, elsewhere = Client(), Client()
    target = ("127.0.0.1", server.address[1])
    try:
        bad = [
            ("/soundalike/similar", (21, "/x.wav", 3, "colour", 1, "reply_port", 0)),
            ("/soundalike/similar", (22, 42, "reply_port", 0)),
            ("/soundalike/similar", (23, "/" + "x" * 1200, "reply_port", 0)),
            ("/soundalike/frobnicate", (24, "reply_port", 0)),
        ]
        for address, args in bad:
            asker.sock.sendto(encode(address, args), target)
            (reply,) = asker.receive("done")
            assert reply.address == "/soundalike/error" and reply.args[0] == args[0]
        asker.sock.sendto(encode("/soundalike/similar", (25, 42, "reply_port",
                                                         elsewhere.port)), target)
        (reply,) = elsewhere.receive("done")
        assert reply.args[0] == 25 and "must be a string" in reply.args[1]
        assert client.receive(timeout=0.3) == []  # nothing went to the default reply port
    finally:
        asker.close()
        elsewhere.close()


@pytest.mark.parametrize("args, reason", [
    ((31, "reply_port", 70000), "reply_port must be"),
    ((32, "reply_port", -5), "reply_port must be"),
    ((1.5,), "needs a request id"),
    (("x" * 300,), "needs a request id"),
    ((), "needs a request id"),
])
def test_invalid_reply_ports_and_ids_get_error_replies(served, args, reason):
    root, server, client, sender = served
    client.sock.sendto(encode("/soundalike/ping", args), ("127.0.0.1", server.address[1]))
    (reply,) = client.receive("done")
    assert reply.address == "/soundalike/error" and reason in reply.args[1]
    assert reply.args[0] == (args[0] if reason.startswith("reply_port") else 0)


def test_invalid_numbers_get_error_replies(served):
    root, server, client, sender = served
    query = str(root / "Pack 0" / "kick 00.wav")
    for n, (option, value) in enumerate([("weight_attack", float("nan")),
                                         ("max_duration", float("inf"))]):
        sender.send_message("/soundalike/similar", [40 + n, query, 3, option, value])
        (reply,) = client.receive("done")
        assert reply.address == "/soundalike/error" and "finite" in reply.args[1]


def test_no_reply_datagram_exceeds_8_kib(served):
    root, server, client, sender = served
    option = "o" * 9000
    client.sock.sendto(encode("/soundalike/similar", (51, "/x.wav", 3, option, 1)),
                       ("127.0.0.1", server.address[1]))
    data, _ = client.sock.recvfrom(65535)
    assert len(data) <= 8192
    (reply,) = decode(data)
    assert reply.args[0] == 51 and "unknown option" in reply.args[1]


def test_a_result_that_cannot_be_sent_is_left_out_not_the_answer(tmp_path):
    root = tmp_path / "kit"
    for family in FAMILIES:
        write_sound(root / f"{family}.wav", drum(family, seed=3), 44100)
    odd = os.fsencode(root) + b"/caf\xe9 snare.wav"  # a Latin-1 name: not UTF-8
    sf.write(odd, drum("snare", seed=4), 44100, format="WAV", subtype="PCM_16")
    db = tmp_path / "odd.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
    (root / "tom.wav").unlink()  # gone since the scan: no WAV copy can be made of it
    client = Client()
    service = LibraryService(db)
    service.load()
    server = OscServer(service, port=0, reply_port=client.port)
    thread = server.start()
    sender = SimpleUDPClient("127.0.0.1", server.address[1])
    try:
        total = len(FAMILIES) + 1
        sender.send_message("/soundalike/similar", [1, str(root / "kick.wav"), total - 1,
                                                    "wav", 1])
        replies = client.receive("done")
        results, done = replies[:-1], replies[-1]
        assert done.address == "/soundalike/similar/done"
        assert all(r.address == "/soundalike/similar/result" for r in results)
        assert done.args == (1, len(results)) and len(results) == total - 3  # odd, tom out
        assert [r.args[1] for r in results] == list(range(1, len(results) + 1))
        assert all(os.path.exists(r.args[2]) for r in results)
    finally:
        server.close()
        thread.join(5)
        client.close()


def test_a_flood_cannot_block_a_server_whose_stderr_nobody_reads(library_dir):
    root, db = library_dir
    listener = Client()
    process = subprocess.Popen(
        [sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), "serve", "-v",
         "--port", "0", "--reply-port", str(listener.port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        port = None
        while port is None:  # read up to the line with the port, then never again
            line = process.stderr.readline()
            assert line, "the server ended before listening"
            if "soundalike serving" in line:
                port = int(line.split(" on ")[1].split()[0].rsplit(":", 1)[1])
        out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rng = random.Random(1)
        for i in range(3000):
            if i % 3 == 0:
                out.sendto(rng.randbytes(rng.randint(1, 120)), ("127.0.0.1", port))
            elif i % 3 == 1:  # python-osc's own warning: an unknown type tag
                out.sendto(b"/soundalike/ping\x00\x00\x00\x00,iQ\x00\x00\x00\x00\x07",
                           ("127.0.0.1", port))
            else:
                out.sendto(encode("/soundalike/similar", (i, "/nope.wav", "x" * 50, 1)),
                           ("127.0.0.1", port))
        out.close()
        answered = []
        deadline = time.monotonic() + 60
        while not answered and time.monotonic() < deadline:
            sender = SimpleUDPClient("127.0.0.1", port)
            sender.send_message("/soundalike/ping", ["still there?"])
            answered = [m for m in listener.receive(timeout=2)
                        if m.address == "/soundalike/ping/done" and m.args[0] == "still there?"]
        assert answered, "the server stopped answering"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        listener.close()


def test_rate_limited_logging_summarises_and_survives_a_nested_call():
    import logging

    from soundalike.bridge.log_limits import RateLimit

    limit = RateLimit(burst=3, window=3600)
    record = lambda: logging.LogRecord("soundalike.bridge", logging.WARNING, __file__, 1,  # noqa: E731
                                       "bad request from %s", ("x",), None)
    passed = [limit.filter(record()) for _ in range(10)]
    assert passed == [True] * 3 + [False] * 7
    limit.window = 0  # a new window: the next line says how many were dropped
    summary = record()
    assert limit.filter(summary) and "(7 more like this dropped)" in summary.getMessage()

    def nested() -> None:  # a signal handler logging while this thread is inside filter()
        with limit._lock:
            limit.filter(record())

    thread = threading.Thread(target=nested, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "logging deadlocked on its own rate limiter"


def _present_pages(array: np.ndarray) -> int:
    """How many of the memory pages wholly inside ``array`` this process has mapped in
    (the "present" bit of /proc/self/pagemap)."""
    page = os.sysconf("SC_PAGE_SIZE")
    first = -(-array.ctypes.data // page)
    last = (array.ctypes.data + array.nbytes) // page
    with open("/proc/self/pagemap", "rb") as entries:
        entries.seek(first * 8)
        words = np.frombuffer(entries.read((last - first) * 8), dtype="<u8")
    return int(((words >> np.uint64(63)) & np.uint64(1)).sum())


@pytest.mark.skipif(not Path("/proc/self/pagemap").exists(), reason="reads Linux's /proc")
def test_a_server_lets_go_of_the_profile_pages_its_requests_read(served):
    """Requests re-rank their candidates on profiles read from the mapped side file; the
    server lets those pages go between its checks of the index (at a million sounds they
    grew its memory by 1.5 GB in 2,000 requests)."""
    root, server, client, sender = served
    sender.send_message("/soundalike/similar", [1, str(root / "Pack 0" / "kick 00.wav"), 5])
    assert client.receive("done")[-1].address == "/soundalike/similar/done"
    index = server.service.snapshot.index
    assert index.Z.base is not None  # a view of the mapped side file
    for _ in range(50):  # read every profile, until seen mapped in (the server may let go)
        index.rows(np.arange(len(index)))
        if _present_pages(index.Z) > 0:
            break
    else:
        pytest.fail("reading the profiles mapped none of their pages")
    deadline = time.monotonic() + 10
    while _present_pages(index.Z) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _present_pages(index.Z) == 0
