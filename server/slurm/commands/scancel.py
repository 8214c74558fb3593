"""scancel -v: signal or cancel jobs, and what happened to each.

Slurm 22.05's scancel prints nothing and exits 0 for a job that does not
exist; with ``-v`` it names every job it signals ("Terminating job 12",
"Signal 10 to job 12") and every refusal ("Kill job error on job id 12:
Invalid job id specified"), still with exit status 0. Its exit status says
little (210 after one refusal was seen), so the outcome is read from the
lines.

One trap: slurmctld refuses any signal but SIGKILL to a job that is not
running (pending, suspended) with "Job can not be altered now", and scancel
then retries for about a minute and a half. Callers keep such signals to
running jobs (``--state=RUNNING``, see handlers.slurm.job_signal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from server.slurm import errno
from server.slurm.command import Command, SlurmError

SOURCE = "scancel"

# kill flags of the API -> scancel options (None: nothing to add).
FLAG_OPTIONS: dict[str, str | None] = {
    "BATCH_JOB": "--batch",
    "FULL_JOB": "--full",
    "HURRY": "--hurry",
    "ARRAY_TASK": None,  # the job ID (123_4) says it
    "FULL_STEPS_ONLY": None,  # what a signal without --full or --batch does
    "VERBOSE": None,  # scancel always runs with -v here
}

# "Terminating job 12", "Terminating full job 12", "Signal 10 to batch job 12"
_SIGNALLED = re.compile(r"^scancel: (?:Terminating|Signal \d+ to)(?: batch| full)? job (\S+)\s*$")
_REFUSED = re.compile(r"^scancel: error: Kill job error on job id (\S+): (.+?)\s*$")
_NO_MATCH = "No active jobs match ALL job filters"


@dataclass
class JobOutcome:
    job: str  # as scancel names it: 12, 12_3, 12_[1-3], 12+1
    error: str | None = None  # Slurm's text, None when it worked
    number: int = 0  # Slurm's error number, 0 when it worked

    @property
    def job_id(self) -> int:
        match = re.match(r"\d+", self.job)
        return int(match.group(0)) if match else 0


@dataclass
class Cancelled:
    jobs: list[JobOutcome] = field(default_factory=list)
    matched_nothing: bool = False  # filters were given and no job fits them


class Scancel(Command):
    read_only = False

    def __init__(self, jobs: list[str] = (), *, signal: int | None = None,
                 options: list[str] = ()):
        self.jobs = list(jobs)
        self.signal = signal
        self.options = list(options)

    def argv(self) -> list[str]:
        argv = ["scancel", "-v", *self.options]
        if self.signal is not None:
            argv.append(f"--signal={self.signal}")
        return [*argv, *self.jobs]

    def source(self) -> str:
        return SOURCE

    def parse(self, result) -> Cancelled:
        out = Cancelled()
        by_job: dict[str, JobOutcome] = {}
        problems: list[str] = []
        for line in result.stderr.splitlines():
            line = line.strip()
            if match := _SIGNALLED.match(line):
                by_job.setdefault(match.group(1), JobOutcome(match.group(1)))
            elif match := _REFUSED.match(line):
                outcome = by_job.setdefault(match.group(1), JobOutcome(match.group(1)))
                known = errno.from_message(match.group(2))
                outcome.error = match.group(2)
                outcome.number = known.number if known else -1
            elif _NO_MATCH in line:
                out.matched_nothing = True
            elif line.startswith("scancel: error:") or (line and not line.startswith("scancel: ")):
                problems.append(line.removeprefix("scancel: error:").strip())
        out.jobs = list(by_job.values())
        if problems and not out.jobs and not out.matched_nothing:
            text = "\n".join(problems)
            known = errno.from_message(text)
            raise SlurmError(f"Signal request failed: {problems[-1]}",
                             number=known.number if known else None, source=SOURCE,
                             status=None if known else 400 if "signal" in text.lower() else None)
        if not result.ok and not out.jobs and not out.matched_nothing:
            raise self.failure(result, "Signal request failed")
        return out


@dataclass(frozen=True)
class JobState:
    job: str  # as squeue names the record: 12, 12_3, 12_[1-3], 12+1
    state: str  # PENDING, RUNNING, SUSPENDED, COMPLETED, ...


class SqueueStates(Command):
    """The states of the records slurmctld shows the caller for one job ID
    (an array or a heterogeneous job gives several); none when slurmctld
    knows no such job or hides it from the caller (PrivateData=jobs).

    ``%T|%i`` puts the state first and prints nothing a user chooses, so no
    job name or comment can pass for a state."""

    def __init__(self, job_id: str):
        self.job_id = job_id

    def argv(self) -> list[str]:
        return ["squeue", "--noheader", "--states=all", f"--jobs={self.job_id}", "--format=%T|%i"]

    def source(self) -> str:
        return "squeue"

    def parse(self, result) -> list[JobState]:
        if not result.ok:
            if "Invalid job id" in result.stderr:
                return []
            raise self.failure(result, f"Unable to query JobId={self.job_id}")
        states = []
        for line in result.stdout.splitlines():
            state, _, job = line.strip().partition("|")
            if state and job:
                states.append(JobState(job, state))
        return states
