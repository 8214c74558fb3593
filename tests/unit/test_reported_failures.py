"""A failure Slurm reports inside its JSON is a failure: 22.05's `squeue
--json` exits 0 when slurmctld is down and says so only in `errors`, which
must become slurmrestd's 502 with error 1800, not an empty job list."""

import asyncio
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from server.call import Call
from server.slurm.command import SlurmError
from server.slurm.commands.sacct import SacctJson
from server.slurm.commands.squeue import SqueueJson
from server.slurm.runner import Result

DATA = Path(__file__).resolve().parents[1] / "data" / "slurm-22.05"
SQUEUE_DOWN = (DATA / "controller-down" / "squeue.json").read_text()


def result(argv, stdout, returncode=0, stderr=""):
    return Result(tuple(argv), returncode, stdout, stderr, 0.01)


class Runner:
    """Answers each command by its program name; records what ran."""

    def __init__(self, answers):
        self.answers = answers
        self.ran = []

    async def run(self, command, identity):
        argv = command.argv()
        self.ran.append(argv[0])
        return result(argv, *self.answers[argv[0]])


def call_with(answers):
    runner = Runner(answers)
    return Call(request=None, services=SimpleNamespace(runner=runner), operation=None,
                identity=None), runner


def failure_of(call, command) -> SlurmError:
    with pytest.raises(SlurmError) as raised:
        asyncio.run(call.run(command))
    return raised.value


def test_squeue_with_slurmctld_down_is_error_1800_with_status_502():
    ping = (DATA / "scontrol-ping" / "primary-down.txt").read_text()
    call, runner = call_with({"squeue": (SQUEUE_DOWN,), "scontrol": (ping, 1)})
    error = failure_of(call, SqueueJson())
    assert (error.number, error.status) == (1800, 502)
    assert error.error == "Unable to contact slurm controller (connect failure)"
    assert error.description == "Failed while looking for jobs" and error.source == "slurm_load_jobs"
    assert runner.ran == ["squeue", "scontrol"]


def test_an_unexplained_failure_with_slurmctld_up_stays_unexplained():
    ping = (DATA / "scontrol-ping" / "primary-up.txt").read_text()
    call, _ = call_with({"squeue": (SQUEUE_DOWN,), "scontrol": (ping,)})
    error = failure_of(call, SqueueJson())
    assert (error.number, error.status) == (-1, 500)
    assert error.description == "Failed while looking for jobs"


def test_a_numbered_error_in_the_json_keeps_its_number_and_status():
    doc = json.loads(SQUEUE_DOWN)
    doc["errors"][0].update(error_number=2017, description="Invalid job id specified")
    call, runner = call_with({"squeue": (json.dumps(doc),)})
    error = failure_of(call, SqueueJson())
    assert (error.number, error.status) == (2017, 404)
    assert runner.ran == ["squeue"]  # a known cause needs no ping


def test_v0038_sinfo_names_the_number_errno():
    # the same reader for every command: sinfo's v0.0.38 `errno` is read too
    call, _ = call_with({"squeue": (json.dumps({"errors": [{"error": "x", "errno": 1801}], "jobs": []}),)})
    assert failure_of(call, SqueueJson()).number == 1801


def test_json_without_errors_is_the_answer():
    doc = json.loads(SQUEUE_DOWN)
    doc["errors"] = []
    call, _ = call_with({"squeue": (json.dumps(doc),)})
    assert asyncio.run(call.run(SqueueJson()))["jobs"] == []


def test_sacct_nothing_found_is_still_harmless():
    nothing = (DATA / "sacct" / "nothing-found.json").read_text()
    call, _ = call_with({"sacct": (nothing,)})
    assert asyncio.run(call.run(SacctJson([])))["jobs"] == []


@pytest.mark.parametrize("stderr", [
    "sacct: error: Problem talking to the database: Connection refused\n",  # 22.05 and 25.11
    "sacctmgr: error: Sending PersistInit msg: Connection refused\n",
])
def test_slurmdbd_unreachable_is_error_7000_with_status_502(stderr):
    # what slurmrestd 25.11 answered with slurmdbd stopped (measured)
    call, _ = call_with({"sacct": ("", 1, stderr)})
    error = failure_of(call, SacctJson([]))
    assert (error.number, error.status) == (7000, 502)
    assert error.error == "Unable to connect to database"
