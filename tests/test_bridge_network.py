"""The OSC server on the network: dual stack (IPv4 clients of `--host ::`), and fresh answers
or a quick "busy" under load."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
from pythonosc.osc_message_builder import OscMessageBuilder

from soundalike.bridge.server import OscServer
from soundalike.bridge.service import LibraryService
from soundalike.bridge.wire import decode
from tests.test_bridge import library_dir  # noqa: F401 - the fixture: a small scanned library


def ipv6_or_skip() -> None:
    if not socket.has_ipv6:
        pytest.skip("this Python has no IPv6 support")
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
            probe.bind(("::", 0))
    except OSError as exc:
        pytest.skip(f"this machine has no IPv6 ({exc.strerror})")


def own_ipv4() -> str | None:
    """This computer's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


@contextlib.contextmanager
def dual_stack_server(db, allow=None):
    service = LibraryService(db, jobs=1)
    service.load()
    server = OscServer(service, host="::", port=0, reply_port=0, allow=allow)
    thread = server.start()
    try:
        yield server
    finally:
        server.close()
        thread.join(5)


def ping_from(address: str, port: int, timeout: float = 3.0) -> list:
    """An IPv4 client on ``address`` pings the server there; the replies it gets."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.bind((address, 0))
        client.settimeout(timeout)
        builder = OscMessageBuilder("/soundalike/ping")
        for value in (5, "reply_port", 0):
            builder.add_arg(value)
        client.sendto(builder.build().dgram, (address, port))
        try:
            data, sender = client.recvfrom(65535)
        except TimeoutError:
            return []
        return decode(data)


def test_dual_stack_hears_ipv4_clients_on_loopback(library_dir):  # noqa: F811
    ipv6_or_skip()
    _, db = library_dir
    with dual_stack_server(db) as server:
        assert server.address[0] == "::"
        replies = ping_from("127.0.0.1", server.address[1])
    assert [m.address for m in replies] == ["/soundalike/ping/done"] and replies[0].args[0] == 5


def test_allow_matches_ipv4_clients_of_a_dual_stack_server(library_dir):  # noqa: F811
    ipv6_or_skip()
    address = own_ipv4()
    if address is None:
        pytest.skip("this computer has no IPv4 address besides loopback")
    _, db = library_dir
    with dual_stack_server(db, allow=[address]) as server:
        assert [m.address for m in ping_from(address, server.address[1])] == [
            "/soundalike/ping/done"]
    network = address.rsplit(".", 1)[0] + ".0/24"
    with dual_stack_server(db, allow=[network]) as server:
        assert ping_from(address, server.address[1])
    with dual_stack_server(db, allow=["10.255.255.1"]) as server:
        assert ping_from(address, server.address[1], timeout=1.0) == []  # refused: silence


def flood(port: int, paths: list[str], clients: int = 4, per_client: int = 500,
          window: int = 64) -> dict[tuple[int, int], list[str]]:
    """``clients`` real clients each sending ``per_client`` similar requests, ``window`` of
    them unanswered at a time (more than the server's queue holds; few enough that no
    datagram overflows a socket buffer). Every reply's outcome per (client, request id)."""
    outcomes: dict[tuple[int, int], list[str]] = {}
    lock = threading.Lock()

    def run(c: int) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            sock.settimeout(30)
            mine: dict[int, list[str]] = {}
            sent = finished = 0
            while finished < per_client:
                while sent < per_client and sent - finished < window:
                    builder = OscMessageBuilder("/soundalike/similar")
                    for value in (sent, paths[(sent + c) % len(paths)], 1, "reply_port",
                                  sock.getsockname()[1]):
                        builder.add_arg(value)
                    sock.sendto(builder.build().dgram, ("127.0.0.1", port))
                    sent += 1
                try:
                    message = decode(sock.recvfrom(65535)[0])[0]
                except TimeoutError:
                    break  # the rest are lost: the assertion below says how many
                if message.address.endswith("/result"):
                    continue
                outcome = "done" if message.address.endswith("/done") else message.args[1]
                mine.setdefault(message.args[0], []).append(outcome)
                finished += 1
        with lock:
            outcomes.update({(c, i): seen for i, seen in mine.items()})

    threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("limits", [{"queue_limit": 8}, {"deadline": 0.001}],
                         ids=["queue full", "deadline passed"])
def test_a_flooded_server_answers_every_request_or_says_busy(library_dir, limits):  # noqa: F811
    root, db = library_dir
    paths = sorted(str(p) for p in root.rglob("*.wav"))
    service = LibraryService(db, jobs=1)
    service.load()
    server = OscServer(service, port=0, **limits)
    thread = server.start()
    try:
        outcomes = flood(server.address[1], paths)
    finally:
        server.close()
        thread.join(5)
    assert len(outcomes) == 4 * 500  # nothing lost...
    assert all(len(seen) == 1 for seen in outcomes.values())  # ...and one answer each
    kinds = {seen[0] if seen[0] == "done" else seen[0].split(":")[0] for seen in
             outcomes.values()}
    assert kinds <= {"done", "busy"}  # answered, or told at once that the server is busy
    busy = [seen[0] for seen in outcomes.values() if seen[0] != "done"]
    assert busy  # 256 requests in flight overflow a queue of 8 / wait over 1 ms
    assert server.busy == len(busy)
    assert all(text.startswith("busy: ") and text.endswith("; try again") for text in busy)


def test_serve_refuses_a_deadline_that_is_not_positive(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "soundalike.engine.cli", "--db",
                           str(tmp_path / "x.db"), "serve", "--deadline", "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "'0' must be more than 0" in done.stderr
