"""The Slurm wrapper: argument vectors, clean environment with the caller's
token, timeouts, the bound on concurrent commands, and coalescing."""

import asyncio
import os
import sys

import pytest

from server.slurm.command import Command
from server.slurm.runner import (MAX_ARGUMENT, MAX_COMMAND_LINE, CommandLineTooLong, CommandNotFound,
                                 CommandTimeout, Identity, Runner)


class Argv(Command):
    def __init__(self, *argv, read_only=True, stdin=None):
        self._argv = list(argv)
        self.read_only = read_only
        self.stdin = stdin

    def argv(self):
        return self._argv


def python(code: str, **kwargs) -> Argv:
    return Argv(sys.executable, "-c", code, **kwargs)


async def test_arguments_are_never_interpreted_by_a_shell():
    hostile = "$(touch /tmp/pwned); `id` 'quoted' \"double\" ; | & > /dev/null \n ünïcödé"
    result = await Runner().run(Argv("printf", "%s", hostile))
    assert result.ok
    assert result.stdout == hostile
    assert not os.path.exists("/tmp/pwned")


async def test_stdin_is_passed_as_bytes():
    result = await Runner().run(python("import sys; print(sys.stdin.read()[::-1])", stdin=b"abc"))
    assert result.stdout.strip() == "cba"


async def test_environment_is_clean_and_carries_the_callers_token(monkeypatch):
    monkeypatch.setenv("SLURMRESTPY_SECRET_OF_THE_SERVER", "must-not-leak")
    runner = Runner(slurm_conf="/some/slurm.conf")
    result = await runner.run(Argv("env"), Identity("srp_alice", "the-token"))
    env = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert env["SLURM_JWT"] == "the-token"
    assert env["SLURM_CONF"] == "/some/slurm.conf"
    assert env["SLURM_JSON"] == "compact"  # see server/joblist.py
    assert "SLURMRESTPY_SECRET_OF_THE_SERVER" not in env
    anonymous = await runner.run(Argv("env"))
    assert "SLURM_JWT" not in anonymous.stdout


def test_identity_never_shows_its_token():
    assert "the-token" not in repr(Identity("srp_alice", "the-token"))


async def test_a_command_that_runs_too_long_is_killed():
    runner = Runner(timeout=0.3)
    marker = f"/tmp/slurmrestpy-timeout-{os.getpid()}"
    code = f"import time; time.sleep(2); open({marker!r}, 'w').write('survived')"
    with pytest.raises(CommandTimeout):
        await runner.run(python(code))
    await asyncio.sleep(2.2)
    assert not os.path.exists(marker), "the child outlived its timeout"


async def test_a_missing_command_is_reported():
    with pytest.raises(CommandNotFound):
        await Runner().run(Argv("no-such-slurm-command"))


# Found by tests/live/test_bad_input.py: 100,000 node names in one body made
# scontrol's argument vector too long to start, and E2BIG was a 500 of ours.
@pytest.mark.parametrize("argv", [("printf", "%s", "n," * 300_000), ("printf", "%s", "x" * (MAX_ARGUMENT + 1)),
                                  ("printf", *["x" * 1000] * (MAX_COMMAND_LINE // 1000 + 1))])
async def test_a_command_line_past_what_linux_starts_is_refused_unstarted(argv):
    runner = Runner()
    with pytest.raises(CommandLineTooLong, match="send fewer or shorter items"):
        await runner.run(Argv(*argv))
    assert runner.executed == 0


async def test_a_command_line_within_the_bounds_runs():
    result = await Runner().run(Argv("printf", "%s", "x" * MAX_ARGUMENT))
    assert result.ok and len(result.stdout) == MAX_ARGUMENT


async def test_no_more_than_the_bound_run_at_once(tmp_path):
    log = tmp_path / "log"
    code = (
        "import sys, time, fcntl\n"
        f"def mark(word):\n"
        f"    with open({str(log)!r}, 'a') as f:\n"
        "        fcntl.flock(f, fcntl.LOCK_EX); f.write(word + '\\n')\n"
        "mark('start'); time.sleep(0.2); mark('end')\n"
    )
    runner = Runner(max_concurrent=2)
    await asyncio.gather(*(runner.run(python(code, read_only=False)) for _ in range(6)))
    running = peak = 0
    for word in log.read_text().split():
        running += 1 if word == "start" else -1
        peak = max(peak, running)
    assert peak == 2


async def test_identical_reads_of_one_user_share_one_command():
    runner = Runner(coalesce_seconds=5)
    code = "import time, random; time.sleep(0.2); print(random.random())"
    alice = Identity("srp_alice", "token-1")
    alice_again = Identity("srp_alice", "token-2")
    results = await asyncio.gather(*(runner.run(python(code), who) for who in [alice, alice_again] * 5))
    assert runner.executed == 1
    assert len({r.stdout for r in results}) == 1


async def test_reads_of_different_users_are_never_shared():
    runner = Runner(coalesce_seconds=5)
    code = "import random; print(random.random())"
    a = await runner.run(python(code), Identity("srp_alice", "t"))
    b = await runner.run(python(code), Identity("srp_bob", "t"))
    assert runner.executed == 2 and a.stdout != b.stdout


async def test_writes_and_failures_are_never_shared():
    runner = Runner(coalesce_seconds=5)
    await asyncio.gather(runner.run(Argv("true", read_only=False)), runner.run(Argv("true", read_only=False)))
    assert runner.executed == 2
    await runner.run(Argv("false"))
    await runner.run(Argv("false"))
    assert runner.executed == 4


async def test_a_shared_answer_expires():
    runner = Runner(coalesce_seconds=0.1)
    await runner.run(Argv("true"))
    await asyncio.sleep(0.2)
    await runner.run(Argv("true"))
    assert runner.executed == 2


async def test_a_write_makes_the_next_read_fresh():
    runner = Runner(coalesce_seconds=60)
    await runner.run(Argv("true"))
    await runner.run(Argv("true", read_only=False))
    await runner.run(Argv("true"))
    assert runner.executed == 3


async def test_with_no_window_only_simultaneous_reads_are_shared():
    runner = Runner(coalesce_seconds=0)
    code = "import time; time.sleep(0.2)"
    await asyncio.gather(*(runner.run(python(code)) for _ in range(5)))
    assert runner.executed == 1
    await runner.run(python(code))
    assert runner.executed == 2


async def test_a_read_is_shared_for_the_window_after_it_finished_however_long_it_ran():
    runner = Runner(coalesce_seconds=0.5)
    slow = "import time; time.sleep(0.8)"
    await runner.run(python(slow))
    await runner.run(python(slow))  # started 0.8 s ago, finished just now: shared
    assert runner.executed == 1
    await asyncio.sleep(0.6)
    await runner.run(python(slow))
    assert runner.executed == 2


async def test_one_user_holds_at_most_their_share_of_the_slots():
    """Finding 4 of issue 8: eight sallocs of one user took all eight slots
    and another user's /ping/ waited for them."""
    runner = Runner(max_concurrent=4, max_per_user=2)
    slow = "import time; time.sleep(4)"
    alice = Identity("srp_alice", "t")
    hogging = asyncio.gather(*(runner.run(python(slow, read_only=False), alice) for _ in range(6)))
    await asyncio.sleep(0.3)
    started = asyncio.get_running_loop().time()
    result = await runner.run(python("print('pong')"), Identity("srp_bob", "t"))
    assert result.stdout.strip() == "pong"
    assert asyncio.get_running_loop().time() - started < 2.5  # not behind alice's 4 s
    await hogging


async def test_a_read_whose_caller_has_gone_is_ended(tmp_path):
    marker = tmp_path / "finished"
    runner = Runner()
    code = f"import time; time.sleep(1.5); open({str(marker)!r}, 'w').write('x')"
    waiting = asyncio.ensure_future(runner.run(python(code), Identity("srp_alice", "t")))
    await asyncio.sleep(0.5)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await asyncio.sleep(1.5)
    assert not marker.exists()
    assert not runner._children


async def test_a_read_joining_as_the_last_other_caller_leaves_still_gets_its_answer():
    """The 32-client bench's 500s: wrk closed its connections, their reads
    were cancelled and withdrew the shared command just as a new client's
    read joined it; that read must run it again, not fail."""
    runner = Runner(coalesce_seconds=5)
    code = "import time; time.sleep(0.3); print('done')"
    alice = Identity("srp_alice", "t")
    leaving = asyncio.ensure_future(runner.run(python(code), alice))
    await asyncio.sleep(0.1)
    leaving.cancel()  # withdraws the command: it was its only caller
    joining = asyncio.ensure_future(runner.run(python(code), alice))  # before the withdrawal is done
    with pytest.raises(asyncio.CancelledError):
        await leaving
    assert (await joining).stdout.strip() == "done"
    assert runner.executed == 2


async def test_output_past_the_bound_is_an_error_not_an_answer():
    from server.slurm.runner import CommandOutputTooLarge

    runner = Runner(max_output=100_000)
    with pytest.raises(CommandOutputTooLarge):
        await runner.run(python("import sys; sys.stdout.write('x' * 10_000_000)"))
    fits = await runner.run(python("import sys; sys.stdout.write('x' * 99_000)"))
    assert len(fits.stdout) == 99_000
    assert not runner._children
