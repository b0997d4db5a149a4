"""The OSC server on the network: dual stack (IPv4 clients of `--host ::`), and fresh answers
or a quick "busy" under load."""

from __future__ import annotations

import contextlib
import socket

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
