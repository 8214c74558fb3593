"""squeue: the jobs slurmctld knows about, as the caller may see them."""

from __future__ import annotations

from server import joblist
from server.slurm.command import Command
from server.slurm.errno import from_message

# Query flags of GET /jobs/ that squeue can express, and how.
FLAG_OPTIONS = {
    "ALL": "--all",
    "LOCAL": "--local",
    "SIBLING": "--sibling",
    "FEDERATION": "--federation",
}


class SqueueJson(Command):
    """`squeue --json`, either in the Slurm's own data parser or, where the
    Slurm can print it, in the requested API version (a pass-through)."""

    def __init__(self, *, data_parser: str | None = None, flags: str | None = None,
                 job_ids: list[str] | None = None):
        self.data_parser = data_parser
        self.flags = flags
        # squeue's own filter (--jobs=123,123_4,123+1): it splits a pending
        # array's task off its record, which the whole listing does not.
        self.job_ids = job_ids or []

    def argv(self):
        argv = ["squeue", f"--json={self.data_parser}" if self.data_parser else "--json"]
        if self.data_parser:
            # A current squeue leaves out finished jobs slurmctld still keeps
            # (22.05's JSON did not); slurmrestd lists them.
            argv.append("--states=all")
        if self.flags in FLAG_OPTIONS:
            argv.append(FLAG_OPTIONS[self.flags])
        if self.job_ids:
            argv.append(f"--jobs={','.join(self.job_ids)}")
        return argv

    def source(self) -> str:
        return "squeue --json"

    def parse(self, result) -> dict:
        if one_unknown_job(result, self.job_ids):
            return {"jobs": []}
        return self.json_output(result, "Unable to query jobs")

    def parse_written(self, result, writer: joblist.JobWriter) -> tuple[dict, list, list]:
        """What parse returns, but for its jobs, which come apart (made and
        written by ``writer``: server.joblist), with their summaries. Slurm's
        output (compact or pretty) is taken a job at a time: 10,000 jobs are
        never held parsed together."""
        if one_unknown_job(result, self.job_ids):
            return {"jobs": []}, [], []
        if not result.ok:
            raise self.failure(result, "Unable to query jobs")
        parts = joblist.split(result.output, "jobs")
        if parts is not None:
            head, pieces = parts
            self.checked(head, "Unable to query jobs")
            try:
                return head, *writer.written_pieces(pieces)
            except ValueError:
                pass  # laid out otherwise than it looked: parsed whole
        document = self.parse(result)
        jobs = document.pop("jobs", None)
        return document, *writer.written_jobs(joblist.drained(jobs if isinstance(jobs, list) else []))


def one_unknown_job(result, job_ids: list[str]) -> bool:
    """One job id slurmctld does not know (or hides from the caller): squeue
    fails; for several it lists the others. Both are "no such job here"."""
    if result.ok or len(job_ids) != 1:
        return False
    known = from_message(result.stderr)
    return known is not None and known.name == "ESLURM_INVALID_JOB_ID"
