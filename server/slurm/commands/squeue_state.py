"""squeue for job states only: a few short fields a job, not the whole record,
with squeue's own job id filter (which 22.05's `--json` ignores)."""

from __future__ import annotations

from server.convert import job_state
from server.slurm.command import Command
from server.slurm.commands.squeue import one_unknown_job


class SqueueStates(Command):
    """`squeue --noheader --states=all --Format=<job_state.FORMAT>`, for the
    jobs named (`--jobs=`, squeue's syntax: 123, 123_4, 123+1) or all."""

    def __init__(self, job_ids: list[str] | None = None):
        self.job_ids = job_ids or []

    def argv(self):
        argv = ["squeue", "--noheader", "--states=all", f"--Format={job_state.FORMAT}"]
        if self.job_ids:
            argv.append(f"--jobs={','.join(self.job_ids)}")
        return argv

    def source(self) -> str:
        return "squeue"

    def parse(self, result) -> list[dict]:
        if one_unknown_job(result, self.job_ids):
            return []
        if not result.ok:
            raise self.failure(result, "Unable to query job states")
        return job_state.from_squeue(result.stdout)
