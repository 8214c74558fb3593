"""Freed memory goes back to the operating system.

Job lists are parsed, converted and written in worker threads. glibc keeps
what those threads free in its arenas and returns little of it on its own,
so the server's RSS ratchets up to the sum of its worst moments and stays
there. Three settings together keep it near what is really in use
(measured on a loop of job-list conversions in six threads: 200 MiB as
glibc comes, 58 MiB with all three):

- ``malloc_trim(0)`` every few seconds (in a thread; it costs milliseconds)
  hands the free pages of every arena back;
- at most two arenas, so freed space is found again by the next conversion
  rather than left in another thread's arena;
- a fixed mmap threshold: glibc otherwise raises it after each large free,
  until answers of megabytes come from the heap and fragment it; mapped,
  they are returned whole when freed.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging

log = logging.getLogger("slurmrestpy")
TRIM_EVERY = 10.0  # seconds


M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # mallopt's parameter numbers (malloc.h)
MMAP_THRESHOLD = 256 * 1024
ARENAS = 2


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def tune() -> bool:
    """Set the arena and mmap limits; call before worker threads start.
    False where the C library is not glibc."""
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None or _TRIM is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_ARENA_MAX, ARENAS)) and bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def _malloc_trim():
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_TRIM = _malloc_trim()


def release_freed() -> bool:
    """Give freed heap pages back now; False where that cannot be done."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


async def keep_releasing(every: float = TRIM_EVERY) -> None:
    """Until cancelled: release freed memory every ``every`` seconds."""
    if _TRIM is None:
        log.debug("no malloc_trim in this C library: freed memory stays with the process")
        return
    while True:
        await asyncio.sleep(every)
        await asyncio.to_thread(release_freed)
