"""Logging that a flood of packets cannot turn into a flood of lines.

A server started by another program (Max, a launcher) often has a standard
error pipe that nobody reads: once its 64 KiB buffer is full, the next log line
blocks the thread that writes it, and the server stops answering. Every record
that reaches a handler, python-osc's own warnings on the root logger included,
goes through :class:`RateLimit`: a few lines per second per kind of message,
and the next line let through says how many like it were dropped.
"""

from __future__ import annotations

import logging
import threading
import time

#: Lines per kind of message (logger + message template) in each window.
BURST = 3
WINDOW_SECONDS = 1.0


class RateLimit(logging.Filter):
    """A handler filter: at most ``burst`` records per kind per ``window`` seconds."""

    def __init__(self, burst: int = BURST, window: float = WINDOW_SECONDS):
        super().__init__()
        self.burst = burst
        self.window = window
        # Re-entrant: a signal handler that logs (serve's "stopping") may run while this
        # thread is inside filter(); a plain Lock would deadlock it there.
        self._lock = threading.RLock()
        self._state: dict[tuple[str, str], list] = {}  # kind -> [window start, passed, dropped]

    def filter(self, record: logging.LogRecord) -> bool:
        kind = (record.name, str(record.msg)[:80])
        now = time.monotonic()
        with self._lock:
            state = self._state.setdefault(kind, [now, 0, 0])
            if now - state[0] >= self.window:
                state[0], state[1] = now, 0
            if state[1] >= self.burst:
                state[2] += 1
                return False
            state[1] += 1
            dropped, state[2] = state[2], 0
            if len(self._state) > 1000:  # kinds keyed by hostile text: keep the table small
                self._state = {kind: state}
        if dropped:
            record.msg = f"{record.getMessage()} ({dropped} more like this dropped)"
            record.args = None
        return True


def limit_logging(logger: logging.Logger | None = None) -> RateLimit:
    """Put one :class:`RateLimit` on every handler of ``logger`` (default: the root)."""
    limit = RateLimit()
    for handler in (logger or logging.getLogger()).handlers:
        handler.addFilter(limit)
    return limit
