"""server/call.py under failing Slurm: a command killed at its timeout, and
the check that slurmctld answers before a submission is sent."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from server.call import Call
from server.slurm.command import Command, SlurmError
from server.slurm.runner import CommandTimeout, Result

PINGS = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "scontrol-ping"


class Write(Command):
    read_only = False

    def argv(self):
        return ["scontrol", "update", "jobid=1", "comment=x"]


class Read(Command):
    def argv(self):
        return ["squeue", "--json"]


class FakeRunner:
    """Answers each command with the next of ``answers`` (a Result, or an
    exception to raise) and records what it was asked to run."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.ran: list[tuple[str, ...]] = []

    async def run(self, command, identity):
        self.ran.append(tuple(command.argv()))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def call_with(runner) -> Call:
    return Call(request=None, services=SimpleNamespace(runner=runner), operation=None, identity=None)


def ping_result(name: str) -> Result:
    text = (PINGS / name).read_text()
    return Result(("scontrol", "ping"), 0 if "DOWN" not in text else 1, text, "", 0.01)


async def test_a_write_cut_off_at_the_timeout_says_it_may_still_happen():
    call = call_with(FakeRunner(CommandTimeout(("scontrol", "update"), 4)))
    with pytest.raises(SlurmError) as raised:
        await call.run(Write())
    assert (raised.value.status, raised.value.number) == (504, 5004)
    assert "may still make the change" in raised.value.description


async def test_a_read_cut_off_at_the_timeout_is_only_late():
    call = call_with(FakeRunner(CommandTimeout(("squeue",), 4)))
    with pytest.raises(SlurmError) as raised:
        await call.run(Read())
    assert (raised.value.status, raised.value.number) == (504, 5004)
    assert "may still" not in raised.value.description


@pytest.mark.parametrize("pings", ["primary-down.txt", "primary-unresolvable.txt"])
async def test_no_submission_is_sent_to_a_controller_that_does_not_answer(pings):
    runner = FakeRunner(ping_result(pings))
    with pytest.raises(SlurmError) as raised:
        await call_with(runner).require_controller()
    assert (raised.value.status, raised.value.number) == (502, 1800)
    assert runner.ran == [("scontrol", "ping")]


async def test_a_ping_that_hangs_refuses_the_submission_as_timed_out():
    runner = FakeRunner(CommandTimeout(("scontrol", "ping"), 4))
    with pytest.raises(SlurmError) as raised:
        await call_with(runner).require_controller()
    assert (raised.value.status, raised.value.number) == (504, 5004)


@pytest.mark.parametrize("pings", ["primary-up.txt", "backup-down.txt"])
async def test_a_controller_that_answers_lets_the_submission_go(pings):
    await call_with(FakeRunner(ping_result(pings))).require_controller()
