"""scontrol on one job: update it, hold or release it.

``scontrol update JobId=<id> Key=value ...`` takes each change as one
argument, so a value may hold anything (spaces, quotes, newlines) without
quoting. slurmctld checks the caller's right to change the job: an
unprivileged user changing someone else's job gets "Invalid user id"
(ESLURM_USER_ID_MISSING, what slurmctld 22.05 answers a JOB_UPDATE of
another user's job), and "Invalid job id specified" for a job it does not
know.
"""

from __future__ import annotations

from server.slurm.command import Command


class ScontrolUpdateJob(Command):
    read_only = False

    def __init__(self, job_id: str, keys: list[str]):
        self.job_id = job_id
        self.keys = list(keys)

    def argv(self) -> list[str]:
        return ["scontrol", "update", f"JobId={self.job_id}", *self.keys]

    def source(self) -> str:
        return "scontrol update"

    def parse(self, result) -> list[str]:
        """What scontrol said besides succeeding (per-task messages of an array)."""
        if not result.ok:
            raise self.failure(result, "Job update requested failed")
        return [line.strip() for line in result.stderr.splitlines() if line.strip()]


class ScontrolHold(Command):
    """``scontrol hold`` / ``release``: a hold by the user (or, by an
    administrator, an administrative hold), as slurmrestd's ``hold``."""

    read_only = False

    def __init__(self, job_id: str, *, release: bool = False):
        self.job_id = job_id
        self.release = release

    def argv(self) -> list[str]:
        return ["scontrol", "release" if self.release else "hold", self.job_id]

    def source(self) -> str:
        return " ".join(self.argv()[:2])

    def parse(self, result) -> None:
        if not result.ok:
            raise self.failure(result, "Job update requested failed")
