"""The UDP transport: receive datagrams, route requests to handlers, send replies.

Kept thin on purpose. One thread receives; requests run on a few request threads so a
slow query (a file outside the library is decoded) never holds up the next
datagram; rescans run on the service's own worker. Replies go to the
requester's host on the reply port it names (Max's ``[udpsend]`` does not
listen on the port it sends from), or to the port it sent from (``0``).
Malformed packets are logged and dropped; the server keeps serving.

Fresh answers or a quick "busy": each request carries its arrival time (the kernel's
receive timestamp where there is one) into a bounded queue. A request that waited longer
than the deadline (``serve --deadline``, 1 s) is answered ``/soundalike/error id "busy:
..."`` instead of late; one that would (the requests ahead of it, at the pace requests are
answered these days) or that finds the queue full is answered so at once. A DAW never gets
an answer later than the deadline, and every request gets an answer or a busy error.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import queue
import socket
import struct
import sys
import threading
import time

from .handlers import UPDATED, error, handle
from .requests import RequestError, asked_reply_port, parse_request
from .service import LibraryService
from .wire import MAX_DATAGRAM, MAX_REPLY_BYTES, WireError, decode, encode

log = logging.getLogger("soundalike.bridge")

#: Clients heard from within this many seconds get /soundalike/library/updated.
SUBSCRIBER_SECONDS = 3600
#: A reply longer than this many messages is paced, so Pd's [netreceive] keeps up.
BURST = 32
BURST_PAUSE = 0.002
WARNING_INTERVAL = 5.0
#: How often the index is checked for changes made by another process (a terminal scan).
WATCH_SECONDS = 1.0
#: A request not started within this many seconds of its arrival is answered "busy".
DEADLINE_SECONDS = 1.0
#: Requests waiting for a request thread at most; more are answered "busy" at once.
QUEUE_LIMIT = 1024
#: How fast the moving average of a request's duration follows the latest ones.
SERVICE_TIME_WEIGHT = 0.05
#: The kernel's receive timestamp of each datagram (Linux; elsewhere: when it is read).
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35 if sys.platform.startswith("linux")
                         else None)


class OscServer:
    def __init__(
        self,
        service: LibraryService,
        *,
        host: str = "127.0.0.1",
        port: int = 9000,
        reply_port: int = 9001,
        allow: list[str] | None = None,
        workers: int = 4,
        deadline: float = DEADLINE_SECONDS,
        queue_limit: int = QUEUE_LIMIT,
    ):
        if not deadline > 0:
            raise ValueError(f"the deadline must be more than 0 seconds, not {deadline}")
        self.service = service
        self.reply_port = reply_port
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        if family == socket.AF_INET6 and hasattr(socket, "IPV6_V6ONLY"):
            # Dual stack: `--host ::` also hears IPv4 clients (Max and Pd send IPv4), as
            # IPv4-mapped addresses (::ffff:192.168.1.20); see _allowed.
            with contextlib.suppress(OSError):
                self.sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        self.sock.bind((host, port))
        self.sock.settimeout(0.25)
        self._stamped = False
        if SO_TIMESTAMPNS is not None:
            with contextlib.suppress(OSError):
                self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
                self._stamped = True
        self.address = self.sock.getsockname()[:2]
        self.allow = [_network(a) for a in (allow or [])]
        self._verdicts: dict[str, bool] = {}
        self.deadline = deadline
        self.workers = workers
        self._queue: queue.Queue = queue.Queue(maxsize=queue_limit)
        self._stop = threading.Event()
        self._subscribers: dict[tuple[str, int], float] = {}
        self._last_warning: dict[str, float] = {}
        self.dropped = 0
        self.busy = 0  # requests answered "busy" (late or the queue full)
        self._busy_lock = threading.Lock()
        self._service_time = 0.0  # seconds a request takes, a moving average

    # --- lifecycle ---

    def serve_forever(self) -> None:
        log.info("listening on %s:%d (replies to port %d)", *self.address, self.reply_port)
        _one_blas_thread()
        watcher = threading.Thread(target=self._watch, name="soundalike-watch", daemon=True)
        watcher.start()
        threads = [threading.Thread(target=self._work, name=f"soundalike-req-{n}", daemon=True)
                   for n in range(self.workers)]
        for thread in threads:
            thread.start()
        while not self._stop.is_set():
            try:
                data, sender, arrival = self._read()
            except TimeoutError:
                continue
            except OSError:
                if self._stop.is_set():
                    break
                raise
            self._receive(data, sender[:2], arrival)
        self._stop.set()
        for thread in threads:
            thread.join()
        self._refuse_waiting("the server is stopping")

    def _read(self) -> tuple[bytes, tuple, float]:
        """One datagram, its sender and its arrival time (``time.time()`` seconds)."""
        if not self._stamped:
            data, sender = self.sock.recvfrom(MAX_DATAGRAM)
            return data, sender, time.time()
        data, ancillary, _, sender = self.sock.recvmsg(MAX_DATAGRAM, socket.CMSG_SPACE(16))
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= 16:
                seconds, nanoseconds = struct.unpack("qq", value[:16])
                return data, sender, seconds + nanoseconds / 1e9
        return data, sender, time.time()

    def _watch(self) -> None:
        """Follow the index: a scan from a terminal reaches clients within seconds. Between
        checks, the profiles' pages read by requests leave the server's memory."""
        while not self._stop.wait(WATCH_SECONDS):
            self.service.let_go_of_profiles()
            try:
                changed = self.service.check_for_changes()
            except Exception as exc:  # noqa: BLE001 - keep serving the snapshot we have
                self._warn("watch", "could not check the index for changes: %s", exc)
                continue
            if changed:
                self._broadcast(UPDATED, (self.service.size, self.service.cluster_count))

    def shutdown(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self.shutdown()
        self.sock.close()

    def start(self) -> threading.Thread:
        """Serve on a background thread (tests, benchmarks)."""
        thread = threading.Thread(target=self.serve_forever, name="soundalike-osc", daemon=True)
        thread.start()
        return thread

    # --- receiving ---

    def _receive(self, data: bytes, sender: tuple[str, int], arrival: float | None = None
                 ) -> None:
        arrival = time.time() if arrival is None else arrival
        if not self._allowed(sender[0]):
            self._warn("refused", "ignored a packet from %s (not in --allow)", sender[0])
            return
        try:
            messages = decode(data)
        except WireError as exc:
            self.dropped += 1
            self._warn("malformed", "dropped a malformed packet from %s:%s (%d bytes): %s",
                       sender[0], sender[1], len(data), exc)
            return
        for message in messages:
            try:
                request = parse_request(message)
            except RequestError as exc:
                log.warning("bad request from %s:%d: %s", *sender, exc)
                if exc.request_id is not None:  # to the route the request asked for
                    target = self._target(sender, asked_reply_port(message))
                    self._send([error(exc.request_id, str(exc))], target)
                continue
            # Busy at once when the requests ahead would keep this one past its deadline
            # (from how long requests take these days), rather than after the deadline.
            waiting = self._queue.qsize()
            expected = time.time() - arrival + waiting * self._service_time / self.workers
            if expected > self.deadline:
                self._busy(request, sender, f"{waiting} requests are waiting (about "
                                            f"{expected:.1f} s, over the {self.deadline:g} s "
                                            "deadline)")
                continue
            try:
                self._queue.put_nowait((request, sender, arrival))
            except queue.Full:
                self._busy(request, sender, f"{self._queue.maxsize} requests are already "
                                            "waiting")

    def _work(self) -> None:
        """A request thread: answer the requests in arrival order, or "busy" when too late."""
        while not self._stop.is_set():
            try:
                request, sender, arrival = self._queue.get(timeout=0.25)
            except queue.Empty:
                continue
            waited = time.time() - arrival
            if waited > self.deadline:
                self._busy(request, sender, f"it waited {waited:.1f} s, over the "
                                            f"{self.deadline:g} s deadline")
                continue
            started = time.perf_counter()
            self._run(request, sender)
            took = time.perf_counter() - started
            self._service_time += SERVICE_TIME_WEIGHT * (took - self._service_time)

    def _busy(self, request, sender: tuple[str, int], why: str) -> None:
        with self._busy_lock:  # from the receiving thread and the request threads alike
            self.busy += 1
        self._warn("busy", "answered %s %r from %s with busy (%s): more requests than this "
                           "computer can answer in time", request.verb, request.id, sender[0], why)
        target = self._target(sender, request.options.get("reply_port", -1))
        self._send([error(request.id, f"busy: {why}; try again")], target)

    def _refuse_waiting(self, why: str) -> None:
        """Requests still queued when the server stops get an error, not silence."""
        while True:
            try:
                request, sender, _ = self._queue.get_nowait()
            except queue.Empty:
                return
            target = self._target(sender, request.options.get("reply_port", -1))
            self._send([error(request.id, why)], target)

    def _target(self, sender: tuple[str, int], port: int | None) -> tuple[str, int]:
        """Where replies go: the reply port asked for, the sender's own port for 0, else the
        server's --reply-port."""
        if port is None or port < 0:
            return sender[0], self.reply_port
        return sender[0], port or sender[1]

    def _run(self, request, sender: tuple[str, int]) -> None:
        started = time.perf_counter()
        target = self._target(sender, request.options.get("reply_port", -1))
        self._subscribers[target] = time.monotonic()

        def emit(address: str, args: tuple) -> None:
            self._send([(address, args)], target)

        try:
            replies = handle(self.service, request, emit, self._broadcast)
        except Exception as exc:  # noqa: BLE001 - one bad request must not stop the server
            log.exception("request %s %r failed", request.verb, request.id)
            replies = [error(request.id, f"internal error: {exc}")]
        self._send(replies, target)
        log.debug("%s %r from %s:%d -> %d replies in %.2f ms", request.verb, request.id,
                  *sender, len(replies), 1e3 * (time.perf_counter() - started))

    # --- sending ---

    def _send(self, replies, target: tuple[str, int]) -> None:
        for count, (address, args) in enumerate(replies, start=1):
            try:
                data = encode(address, args)
            except (TypeError, ValueError) as exc:  # a bug: say so, keep serving
                log.error("cannot encode a reply %s: %s", address, exc)
                continue
            if len(data) > MAX_REPLY_BYTES:
                log.error("a reply on %s of %d bytes was not sent (limit %d)", address,
                          len(data), MAX_REPLY_BYTES)
                continue
            try:
                self.sock.sendto(data, target)
            except (OSError, OverflowError) as exc:
                self._warn("send", "could not reply to %s:%s: %s", target[0], target[1], exc)
                return
            if count % BURST == 0:
                time.sleep(BURST_PAUSE)

    def _broadcast(self, address: str, args: tuple) -> None:
        now = time.monotonic()
        for target, seen in list(self._subscribers.items()):
            if now - seen <= SUBSCRIBER_SECONDS:
                self._send([(address, args)], target)
            else:
                self._subscribers.pop(target, None)

    # --- policy ---

    def _allowed(self, host: str) -> bool:
        """Whether a host may ask (loopback or --allow), decided once per host: parsing its
        address cost every request a tenth of the search it asked for."""
        verdict = self._verdicts.get(host)
        if verdict is None:
            if len(self._verdicts) > 4096:  # a flood of spoofed senders: start again
                self._verdicts.clear()
            verdict = self._verdicts[host] = self._decide(host)
        return verdict

    def _decide(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host.partition("%")[0])  # no zone (fe80::1%eth0)
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # an IPv4 client of a dual-stack socket
        if address.is_loopback:
            return True
        return any(address in network for network in self.allow)

    def _warn(self, kind: str, template: str, *args) -> None:
        """Log a warning, at most every few seconds per kind (a flood must not flood the log);
        the others at debug level. Passed as a template and its arguments, so that the log's
        own rate limit (see log_limits) counts them as one kind of line whatever they hold."""
        now = time.monotonic()
        if now - self._last_warning.get(kind, 0.0) >= WARNING_INTERVAL:
            self._last_warning[kind] = now
            log.warning(template, *args)
        else:
            log.debug(template, *args)


def _one_blas_thread() -> None:
    """Each query is one small matrix product: run BLAS single-threaded, or four request
    threads each waking every core's BLAS threads make every query wait (measured: p50
    17 ms with 4 clients instead of 2)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # scikit-learn brings it; without it, only speed suffers
        return
    threadpool_limits(limits=1, user_api="blas")


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """An --allow value: one address (192.168.1.20) or a network (192.168.1.0/24)."""
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError as exc:
        raise ValueError(f"--allow takes an IP address or network, not {text!r}") from exc
