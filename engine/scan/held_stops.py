"""Ctrl-C, SIGTERM and SIGHUP held back while a scan talks to its worker pool.

A command stops on these signals by raising ``KeyboardInterrupt`` wherever the main thread
is (see ``cli.main``). Raised inside :mod:`concurrent.futures`' own code, that can leave the
pool unable to finish: ``wait()`` stopped between taking its futures' locks keeps some of
them for ever, so the pool's manager thread, setting a result, waits for ever, and so does
the scan's shutdown of the pool (a scan stopped by SIGHUP once hung that way in CI,
printing nothing). Inside the pool loop a stop is therefore noted and raised by the loop
itself, between two calls into the pool, a tenth of a second later at most.
"""

from __future__ import annotations

import signal
import threading

#: The signals a command stops on as on Ctrl-C.
STOPPING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                 if hasattr(signal, name))


class HeldStops:
    """A context in which a stop signal is noted, then raised by :meth:`raise_if_stopped`.

    Only signals that would raise ``KeyboardInterrupt`` anyway are held: a program that
    handles them itself (``serve`` stops its rescan its own way) keeps its handlers, and
    outside the main thread, where handlers cannot be set, nothing changes. A second signal
    while one is held raises at once: whoever sends it does not want to wait.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self._before: dict[int, object] = {}

    def __enter__(self) -> HeldStops:
        if threading.current_thread() is threading.main_thread():
            for signum in STOPPING:
                if signal.getsignal(signum) is signal.default_int_handler:
                    self._before[signum] = signal.signal(signum, self._note)
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self._before.items():
            signal.signal(signum, handler)
        self._before.clear()
        # A stop that came after the loop's last look is not lost.
        if exc[0] is None:
            self.raise_if_stopped()

    def _note(self, signum, frame) -> None:
        if self.signum is not None:
            raise KeyboardInterrupt
        self.signum = signum

    def raise_if_stopped(self) -> None:
        if self.signum is not None:
            raise KeyboardInterrupt
