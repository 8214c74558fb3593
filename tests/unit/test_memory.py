"""Freed memory is handed back to the operating system (server/memory.py)."""

import asyncio
import threading

import pytest

from server import memory

pytestmark = pytest.mark.skipif(memory._TRIM is None, reason="no glibc malloc_trim here")


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def churn_in_a_thread() -> None:
    """What a job-list conversion does: many mid-sized objects (beyond
    Python's own small-object allocator) made and freed in a worker thread,
    with a few survivors keeping the heap from shrinking by itself."""
    survivors = []

    def work():
        made = [{f"field_{k}": f"value {i} {k}" for k in range(40)} for i in range(60_000)]
        survivors.extend(made[::5_000])

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    churn_in_a_thread.survivors = survivors


def test_release_gives_freed_heap_back():
    churn_in_a_thread()
    before = rss_mib()
    assert memory.release_freed()
    after = rss_mib()
    # Without the trim the freed dicts' pages stay resident (tens of MiB).
    assert before - after > 20, (before, after)


def test_the_server_keeps_releasing(monkeypatch):
    calls = []
    monkeypatch.setattr(memory, "release_freed", lambda: calls.append(1) or True)

    async def run():
        task = asyncio.create_task(memory.keep_releasing(every=0.01))
        await asyncio.sleep(0.2)
        task.cancel()

    asyncio.run(run())
    assert len(calls) >= 3


def test_tuning_is_accepted_by_glibc():
    # mallopt answers 0 for a parameter or value it refuses.
    assert memory.tune()
