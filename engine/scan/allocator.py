"""Worker processes that keep the memory they free, instead of handing it back to the system
after every batch and faulting it in again for the next one.

Profiling a batch allocates a few arrays of hundreds of kB to a few MB (decoded samples, the
zero-padded FFT input, spectra) and frees them all before the next batch. glibc's malloc
serves allocations that large with fresh ``mmap`` pages, or trims the top of its heap once
they are freed, so every batch touches brand-new pages: about 90 page faults per file,
measured as 0.2 of the 1.1 ms of CPU a worker spends per file on the generated benchmark
corpus (0.24 ms of system time per file; 0.04 ms with the memory kept). Raising the mmap and
trim thresholds keeps that memory in the worker's heap: it grows to one batch's working set
(tens of MB) and stays there until the worker exits at the end of the scan. The numbers
computed do not change (tests/test_scan.py compares a worker's profiles with the scanning
process's, bit for bit).

glibc only (Linux): elsewhere, or with another C library, nothing is changed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform
import sys

#: ``mallopt`` parameters (glibc's ``malloc.h``).
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
#: Allocations up to this size come from the heap (glibc's largest allowed threshold on
#: 64-bit systems: a larger value is refused).
MMAP_THRESHOLD = 32 * 1024 * 1024
#: Free memory at the top of the heap kept rather than returned to the system.
TRIM_THRESHOLD = 256 * 1024 * 1024
#: Extra memory the heap grows by at a time, so that it grows in few steps.
TOP_PAD = 16 * 1024 * 1024


def keep_freed_memory() -> bool:
    """In a worker process: keep freed memory for the next batch (see the module's text).
    True when the allocator took the settings."""
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return all(mallopt(param, value) == 1 for param, value in (
        (_M_MMAP_THRESHOLD, MMAP_THRESHOLD),
        (_M_TRIM_THRESHOLD, TRIM_THRESHOLD),
        (_M_TOP_PAD, TOP_PAD),
    ))
