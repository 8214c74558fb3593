"""The job commands: sbatch, salloc --no-shell, scancel -v, scontrol update
and squeue states: their argument vectors and how their output (as Slurm
22.05.8 prints it, recorded on the local cluster) is read."""

import pytest

from server.slurm.command import Command, SlurmError
from server.slurm.commands.salloc import SallocNoShell
from server.slurm.commands.sbatch import Component, Sbatch
from server.slurm.commands.scancel import Scancel, SqueueStates
from server.slurm.commands.scontrol_job import ScontrolHold, ScontrolUpdateJob
from server.slurm.runner import RUNUSER, UNSHARE, Result


def result(stdout="", stderr="", returncode=0, interrupted=False):
    return Result(("x",), returncode, stdout, stderr, 0.01, interrupted)


# -- sbatch ------------------------------------------------------------------------


def test_as_root_sbatch_reads_the_script_on_stdin_and_each_environment_on_a_pipe():
    command = Sbatch([Component(("--job-name=a b", "--chdir=/tmp"), ("A=1", "X=a,b\nc")),
                      Component(("--ntasks=2", "--chdir=/tmp"), ("B=2",), "jobs[1]")],
                     "#!/bin/sh\necho ü\n", mode=RUNUSER)
    assert command.argv() == [
        "sbatch", "--parsable",
        "--job-name=a b", "--chdir=/tmp", "--export=ALL", f"--export-file={Command.input_fd(0)}",
        ":",
        "--ntasks=2", "--chdir=/tmp", "--export=ALL", f"--export-file={Command.input_fd(1)}",
    ]
    assert command.stdin == "#!/bin/sh\necho ü\n".encode()
    assert command.inputs == (b"A=1\0X=a,b\nc\0", b"B=2\0")
    assert command.process_environment is None
    assert command.runs_as_caller and not command.read_only


def test_unprivileged_sbatch_passes_the_environment_as_its_own():
    command = Sbatch([Component(("--hold",), ("PATH=/bin", "X=a,b\nc"))], "#!/bin/sh\n", mode=UNSHARE)
    assert command.argv() == ["sbatch", "--parsable", "--hold", "--export=ALL"]
    assert command.inputs == ()
    assert command.process_environment == {"PATH": "/bin", "X": "a,b\nc"}


@pytest.mark.parametrize("name", ["LD_PRELOAD", "LD_LIBRARY_PATH", "GCONV_PATH", "SLURM_CONF",
                                  "SBATCH_PARTITION", "SLURM_JWT", "MALLOC_CHECK_"])
def test_unprivileged_sbatch_refuses_variables_it_would_read_itself(name):
    with pytest.raises(SlurmError) as caught:
        Sbatch([Component((), ("PATH=/bin", f"{name}=x"), "jobs[0]")], "#!/bin/sh\n", mode=UNSHARE)
    assert caught.value.status == 400
    assert "'jobs[0].environment'" in caught.value.description and name in caught.value.description


def test_unprivileged_het_components_must_share_their_environment():
    with pytest.raises(SlurmError) as caught:
        Sbatch([Component((), ("A=1",), "jobs[0]"), Component((), ("A=2",), "jobs[1]")], "#!/bin/sh\n",
               mode=UNSHARE)
    assert "'jobs[1].environment'" in caught.value.description
    same = Sbatch([Component((), ("A=1",), "jobs[0]"), Component((), ("A=1",), "jobs[1]")], "#!/bin/sh\n",
                  mode=UNSHARE)
    assert same.process_environment == {"A": "1"}


def test_sbatch_output():
    command = Sbatch([Component((), ("A=1",))], "#!/bin/sh\n")
    submitted = command.parse(result("211\n", "sbatch: warning: can't honor --ntasks-per-node\n"
                                             "sbatch: Your job is welcome\n"))
    assert submitted.job_id == 211 and submitted.cluster is None
    assert submitted.warnings == ("can't honor --ntasks-per-node",)
    assert submitted.user_message == "Your job is welcome"
    assert command.parse(result("212;other\n")).cluster == "other"


def test_sbatch_refused_by_slurmctld_carries_slurms_number_and_status():
    stderr = ("sbatch: error: invalid partition specified: nope\n"
              "sbatch: error: Batch job submission failed: Invalid partition name specified\n")
    with pytest.raises(SlurmError) as caught:
        Sbatch([Component((), ())], "#!/bin/sh\n").parse(result(stderr=stderr, returncode=1))
    assert caught.value.number == 2000
    assert caught.value.status == 500  # slurmrestd's mapping
    assert caught.value.description == "Batch job submission failed: Invalid partition name specified"


def test_sbatch_refusing_an_option_itself_is_the_requests_fault():
    with pytest.raises(SlurmError) as caught:
        Sbatch([Component((), ())], "#!/bin/sh\n").parse(
            result(stderr="sbatch: error: Invalid --distribution specification\n", returncode=1))
    assert caught.value.status == 400
    assert "Invalid --distribution specification" in caught.value.description


def test_sbatch_that_cannot_reach_slurmctld_is_not_a_bad_request():
    with pytest.raises(SlurmError) as caught:
        Sbatch([Component((), ())], "#!/bin/sh\n").parse(result(
            stderr="sbatch: error: Batch job submission failed: Unable to contact slurm controller "
                   "(connect failure)\n", returncode=1))
    assert caught.value.status == 502


def test_a_failure_of_runuser_is_the_servers():
    with pytest.raises(SlurmError) as caught:
        Sbatch([Component((), ())], "#!/bin/sh\n").parse(result(
            stderr="runuser: user nobody2 does not exist or the user entry does not contain all the "
                   "required fields\n", returncode=1))
    assert caught.value.status == 500 and "runuser" in caught.value.description


# -- salloc ---------------------------------------------------------------------------


def test_salloc_argv_and_grant():
    command = SallocNoShell([["--job-name=a", "--chdir=/"], ["--ntasks=2"]])
    assert command.argv() == ["salloc", "--no-shell", "--job-name=a", "--chdir=/", ":", "--ntasks=2"]
    assert command.runs_as_caller and command.interrupt_grace
    allocated = command.parse(result(stderr="salloc: Pending job allocation 130\n"
                                            "salloc: job 130 queued and waiting for resources\n"
                                            "salloc: job 130 has been allocated resources\n"
                                            "salloc: Granted job allocation 130\n"))
    assert allocated.job_id == 130 and allocated.user_message == ""


def test_salloc_withdrawn_at_the_grace_says_which_job_and_why():
    stderr = ("salloc: Job is in held state, pending scheduler release\n"
              "salloc: Pending job allocation 132\n"
              "salloc: job 132 queued and waiting for resources\n"
              "salloc: Job aborted due to signal\n")
    with pytest.raises(SlurmError) as caught:
        SallocNoShell([[]]).parse(result(stderr=stderr, returncode=1, interrupted=True))
    assert "132" in caught.value.description and "withdrawn" in caught.value.description
    assert caught.value.number == 2042  # ESLURM_JOB_HELD, the reason salloc gave


def test_salloc_refused():
    with pytest.raises(SlurmError) as caught:
        SallocNoShell([[]]).parse(result(stderr="salloc: error: Job submit/allocate failed: Invalid "
                                                "account or account/partition combination specified\n",
                                         returncode=1))
    assert caught.value.number == 2045 and caught.value.status == 500


# -- scancel ----------------------------------------------------------------------------


def test_scancel_argv():
    assert Scancel(["12_3"], signal=10, options=["--full", "--state=RUNNING"]).argv() == [
        "scancel", "-v", "--full", "--state=RUNNING", "--signal=10", "12_3"]
    assert Scancel(["12"]).argv() == ["scancel", "-v", "12"]
    assert not Scancel(["12"]).read_only


def test_scancel_output_of_2205_per_job():
    stderr = ("scancel: select/cons_tres: common_init: select/cons_tres loaded\n"
              "scancel: Terminating full job 203\n"
              "scancel: Signal 10 to batch job 204\n"
              "scancel: Terminating job 88_[1-3]\n"
              "scancel: Terminating job 93\n"
              "scancel: error: Kill job error on job id 93: Access/permission denied\n"
              "scancel: error: Kill job error on job id 99999999: Invalid job id specified\n")
    jobs = {j.job: j for j in Scancel(["x"]).parse(result(stderr=stderr, returncode=210)).jobs}
    assert set(jobs) == {"203", "204", "88_[1-3]", "93", "99999999"}
    assert jobs["203"].error is None and jobs["203"].number == 0
    assert jobs["93"].number == 2002 and jobs["93"].error == "Access/permission denied"
    assert jobs["99999999"].number == 2017
    assert jobs["88_[1-3]"].job_id == 88


def test_scancel_with_filters_that_match_nothing():
    outcome = Scancel([], options=["--name=x"]).parse(result(
        stderr="scancel: error: No active jobs match ALL job filters, including: job_name=x \n"))
    assert outcome.matched_nothing and outcome.jobs == []


def test_scancel_refusing_the_request_itself():
    with pytest.raises(SlurmError) as caught:
        Scancel(["1"], signal=99).parse(result(stderr="Unknown job signal: 99\n", returncode=1))
    assert "Unknown job signal" in caught.value.description


# -- scontrol ------------------------------------------------------------------------------


def test_scontrol_update_argv_keeps_each_change_one_argument():
    assert ScontrolUpdateJob("12_3", ["JobName=a b=c\nd", "Comment="]).argv() == [
        "scontrol", "update", "JobId=12_3", "JobName=a b=c\nd", "Comment="]
    assert ScontrolHold("12").argv() == ["scontrol", "hold", "12"]
    assert ScontrolHold("12", release=True).argv() == ["scontrol", "release", "12"]


@pytest.mark.parametrize("stderr, number, status", [
    ("Invalid user id for job 126\n", 2010, 500),  # what 22.05 says to another user's update
    ("Invalid job id specified for job 99999999\n", 2017, 404),
    ("Job is in held state, pending scheduler release for job 126\n", 2042, 500),
])
def test_scontrol_update_refusals(stderr, number, status):
    with pytest.raises(SlurmError) as caught:
        ScontrolUpdateJob("126", ["TimeLimit=5"]).parse(result(stderr=stderr, returncode=1))
    assert (caught.value.number, caught.value.status) == (number, status)


def test_squeue_states_read_state_first_so_no_name_can_pass_for_one():
    command = SqueueStates("91+1")
    assert command.argv() == ["squeue", "--noheader", "--states=all", "--jobs=91+1", "--format=%T|%i"]
    states = command.parse(result("PENDING|91+1\nRUNNING|91+0\n"))
    assert [(s.job, s.state) for s in states] == [("91+1", "PENDING"), ("91+0", "RUNNING")]
    assert command.parse(result(stderr="slurm_load_jobs error: Invalid job id specified\n",
                                returncode=1)) == []
