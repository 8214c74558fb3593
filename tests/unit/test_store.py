"""The shared store (--cache): the in-process default, Redis shared by
several runners (a real redis-server, as `make test` installs it), and the
fall-back to each process's own tables when Redis is not there."""

import asyncio
import logging
import shutil
import socket
import subprocess
import sys
import time

import pytest

from server import store as stores
from server.cli import UsageError, config_from
from server.slurm.runner import Identity, Runner
from tests import scaleout
from tests.unit.test_runner import Argv

ALICE, BOB = Identity("srp_alice", "alice-token"), Identity("srp_bob", "bob-token")


def counting_command(path) -> Argv:
    """A read that counts its runs in a file: what a Slurm RPC would cost."""
    code = f"open({str(path)!r}, 'a').write('x'); import time; time.sleep(0.3); print('jobs')"
    return Argv(sys.executable, "-c", code)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (make test installs it)")
    port = _free_port()
    process = scaleout.start_redis(tmp_path, port)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


def unreachable_url() -> str:
    return f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there


async def test_runners_sharing_redis_run_a_read_once_and_a_write_anywhere_ends_it(redis_url, tmp_path):
    runs = tmp_path / "runs"
    instances = [Runner(coalesce_seconds=30, store=stores.RedisStore(redis_url)) for _ in range(3)]
    command = counting_command(runs)
    results = await asyncio.gather(*(runner.run(command, ALICE) for runner in instances))
    assert [r.stdout for r in results] == ["jobs\n"] * 3
    assert runs.read_text() == "x"  # one ran it, the others waited for its result
    await instances[2].run(command, ALICE)  # one after another: still shared
    assert runs.read_text() == "x"
    await instances[1].run(command, BOB)  # never another user's
    assert runs.read_text() == "xx"
    await instances[0].run(Argv("true", read_only=False), ALICE)  # a write through one instance...
    await instances[2].run(command, ALICE)  # ...and the next read of another is fresh
    assert runs.read_text() == "xxx"
    for runner in instances:
        await runner.store.close()


async def test_shared_results_keep_their_age(redis_url, tmp_path):
    first, second = (Runner(coalesce_seconds=2, store=stores.RedisStore(redis_url)) for _ in range(2))
    runs = tmp_path / "runs"
    made = await first.run(counting_command(runs), ALICE)
    taken = await second.run(counting_command(runs), ALICE)
    assert abs(taken.started - made.started) < 0.05  # as old as the data, in this process's clock
    await asyncio.sleep(2.1)  # past the staleness bound
    await second.run(counting_command(runs), ALICE)
    assert runs.read_text() == "xx"


async def test_a_claim_of_an_instance_that_died_blocks_the_others_no_longer_than_its_expiry(redis_url):
    store = stores.RedisStore(redis_url)
    generation = await store.generation(0)
    key = stores.name("command", generation, "srp_alice", ("squeue",))
    assert await store.claim(key, 0.5)  # and never released: the instance died
    started = time.monotonic()

    async def produce():
        return b"made here"

    value = await stores.once(store, key, produce, encode=lambda v: v, decode=lambda b: b,
                              fresh=lambda v: True, keep=1, lock_for=5)
    assert value == b"made here" and 0.4 < time.monotonic() - started < 2
    await store.close()


async def test_without_redis_every_read_is_served_from_the_process_and_logged_once(tmp_path, caplog):
    runs = tmp_path / "runs"
    runner = Runner(coalesce_seconds=30, store=stores.RedisStore(unreachable_url()))
    with caplog.at_level(logging.DEBUG, logger="slurmrestpy.store"):
        results = await asyncio.gather(*(runner.run(counting_command(runs), ALICE) for _ in range(3)))
        await runner.run(counting_command(runs), ALICE)
    assert [r.ok for r in results] == [True] * 3
    assert runs.read_text() == "x"  # this process's own sharing goes on
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
    assert await runner.store.generation(runner.writes) == ("local", 0)
    await runner.run(Argv("true", read_only=False), ALICE)
    assert await runner.store.generation(runner.writes) == ("local", 1)  # its own writes still count


async def test_redis_that_comes_back_is_used_again_by_itself(redis_url, tmp_path, monkeypatch):
    monkeypatch.setattr(stores, "RETRY_AFTER", 0.2)
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    store = stores.RedisStore(redis_url)
    await store.put("srp:probe", b"1", 5)
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)
    assert await store.get("srp:probe") is None  # down: a miss, not an error
    process = scaleout.start_redis(tmp_path, port)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            await asyncio.sleep(0.25)
            await store.put("srp:probe", b"2", 5)
            if await store.get("srp:probe") == b"2":
                break
        assert await store.get("srp:probe") == b"2"
        assert await store.generation(7) == ("redis", 0)
    finally:
        await store.close()
        process.terminate()
        process.wait(10)


def test_cache_option_and_environment():
    assert config_from([], {})[0].cache is None
    assert config_from(["--cache", "redis://r1:6379/2"], {})[0].cache == "redis://r1:6379/2"
    assert config_from([], {"SLURMRESTPY_CACHE": "rediss://:pw@r1:6380/0"})[0].cache == "rediss://:pw@r1:6380/0"
    with pytest.raises(UsageError, match="not a redis://"):
        config_from(["--cache", "memcached://r1"], {})
    with pytest.raises(UsageError, match="not a number") as refused:
        config_from(["--cache", "redis://:secret@r1:6379/jobs"], {})
    assert "secret" not in str(refused.value)


def test_the_password_of_the_url_is_never_logged():
    store = stores.RedisStore("redis://:s3cret@127.0.0.1:6379/3")
    assert "s3cret" not in store.url and store.url.endswith("@127.0.0.1:6379/3")


def test_keys_carry_the_user_and_generation_never_a_token():
    key = stores.name("command", ("redis", 4), "srp_alice", ("squeue", "--json"), None)
    assert key.startswith("srp:command:4:srp_alice:")
    assert key != stores.name("command", ("redis", 4), "srp_bob", ("squeue", "--json"), None)
    assert key != stores.name("command", ("redis", 5), "srp_alice", ("squeue", "--json"), None)


class RedisFinishedBetweenReads:
    """Just what RedisStore.wait asks of Redis, with the maker of a value
    storing it and letting go of its lock between this instance's two reads
    of one look: the moment a waiter must not lose the value in."""

    def __init__(self, key: str, value: bytes):
        self.data = {key + ":lock": b"1"}
        self.key, self.value = key, value

    def pipeline(self, transaction: bool):
        fake = self

        class Pipeline:
            def __init__(self):
                self.reads = []

            async def __aenter__(self):
                return self

            async def __aexit__(self, *_):
                return False

            def get(self, key):
                self.reads.append(lambda: fake.data.get(key))
                return self

            def exists(self, key):
                self.reads.append(lambda: int(key in fake.data))
                return self

            async def execute(self):
                answers = [self.reads[0]()]
                fake.data[fake.key] = fake.value  # the maker finishes: value stored, then lock let go
                fake.data.pop(fake.key + ":lock", None)
                return answers + [read() for read in self.reads[1:]]

        return Pipeline()


async def test_a_value_made_while_an_instance_looks_for_it_is_taken_not_made_again():
    key = stores.name("command", ("redis", 1), "srp_alice", ("squeue",), None)
    store = stores.RedisStore("redis://127.0.0.1:1/0", client=RedisFinishedBetweenReads(key, b"made there"))
    assert await store.wait(key, 5) == b"made there"
