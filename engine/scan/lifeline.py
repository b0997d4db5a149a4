"""Worker processes that die with the process that started them, however it ends.

A scan's workers come from multiprocessing's fork server, so their parent is
that server, not the scan: when the scan is killed with -9 (or by SIGTERM
before it can clean up), the workers wait forever for work, and they keep
the fork server and the resource tracker alive with them (hundreds of MB).
Each worker therefore watches the scanning process itself: on Linux through
a pidfd that becomes readable when it exits (no polling), elsewhere by
checking every second that it still exists. Then the worker exits at once.
"""

from __future__ import annotations

import os
import select
import threading
import time

#: Seconds between checks where pidfds are not available.
POLL_SECONDS = 1.0


def watch_parent(pid: int) -> None:
    """Exit this process (``os._exit``) as soon as process ``pid`` is gone."""
    if not _alive(pid):
        os._exit(1)
    thread = threading.Thread(target=_wait_then_exit, args=(pid,), name="soundalike-lifeline",
                              daemon=True)
    thread.start()


def _wait_then_exit(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux, or an old kernel: poll
        fd = None
    if fd is not None:
        select.select([fd], [], [])  # readable once the process has exited
    else:
        while _alive(pid):
            time.sleep(POLL_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
