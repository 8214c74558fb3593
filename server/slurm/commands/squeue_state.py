"""squeue for job states only: a few short fields a job, not the whole record,
with squeue's own job id filter (which 22.05's `--json` ignores)."""

from __future__ import annotations

from server.convert import job_state
from server.slurm.command import Command
from server.slurm.errno import from_message


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
        if not result.ok:
            known = from_message(result.stderr)
            # One job id slurmctld does not know (or does not show the
            # caller): squeue fails; for several it lists the others. Both are
            # "no such job here", an empty answer, as for several.
            if known is not None and known.name == "ESLURM_INVALID_JOB_ID" and len(self.job_ids) == 1:
                return []
            raise self.failure(result, "Unable to query job states")
        return job_state.from_squeue(result.stdout)
