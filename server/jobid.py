"""Job ids as slurmrestd accepts them in a URL: `123` (a job, every task of
an array, or every component of a heterogeneous job), `123_4` (one array
task) and `123+1` (one heterogeneous component)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from server.slurm.command import SlurmError
from server.slurm.errno import by_name

_FORM = re.compile(r"^(\d+)(?:_(\d+)|\+(\d+))?$")


def _number(struct) -> int | None:
    """The value of a v0.0.44 *_no_val_struct (or of a plain integer)."""
    if isinstance(struct, dict):
        return struct.get("number") if struct.get("set") and not struct.get("infinite") else None
    return struct


@dataclass(frozen=True)
class JobSelector:
    job_id: int
    array_task: int | None = None
    het_offset: int | None = None

    @classmethod
    def parse(cls, text: str) -> JobSelector:
        match = _FORM.match(text.strip())
        if not match:
            known = by_name("ESLURM_INVALID_JOB_ID")
            raise SlurmError(
                f"Unable to parse job id {text!r}: expected 123, 123_4 or 123+1",
                number=known.number if known else None,
                source="job_id",
                status=400,
            )
        job, task, offset = match.groups()
        return cls(int(job), int(task) if task else None, int(offset) if offset else None)

    def text(self) -> str:
        """The id as Slurm's commands take it: 123, 123_4 or 123+1."""
        if self.array_task is not None:
            return f"{self.job_id}_{self.array_task}"
        if self.het_offset is not None:
            return f"{self.job_id}+{self.het_offset}"
        return str(self.job_id)

    def matches(self, job: dict) -> bool:
        """Does a job (internal form) answer to this id?"""
        array_job = _number(job.get("array_job_id"))
        het_job = _number(job.get("het_job_id"))
        if self.array_task is not None:
            if array_job != self.job_id:
                return False
            # Pending tasks not yet split off live in one record, "1-3%2".
            task = _number(job.get("array_task_id"))
            return task == self.array_task if task is not None else (
                self.array_task in task_ids(job.get("array_task_string") or ""))
        if self.het_offset is not None:
            return het_job == self.job_id and _number(job.get("het_job_offset")) == self.het_offset
        return self.job_id in (job.get("job_id"), array_job or None, het_job or None)


@dataclass(frozen=True)
class JobIndex:
    """A job list (internal form, shared: never changed) with its records'
    positions by every id they answer to (job, array job, heterogeneous
    job), so that picking one job costs a look-up, not a pass over all."""

    listing: dict
    positions: dict[int, list[int]] = field(default_factory=dict)
    # What is read of each job to pick it: the jobs themselves, or for jobs
    # kept written (server.joblist) their summaries.
    summaries: list = field(default_factory=list)

    @classmethod
    def of(cls, listing: dict, summaries: list | None = None) -> JobIndex:
        summaries = listing.get("jobs", []) if summaries is None else summaries
        positions: dict[int, list[int]] = {}
        for position, job in enumerate(summaries):
            ids = {job.get("job_id"), _number(job.get("array_job_id")), _number(job.get("het_job_id"))}
            for job_id in ids - {None, 0}:
                positions.setdefault(job_id, []).append(position)
        return cls(listing, positions, summaries)

    def select(self, selector: JobSelector) -> list[dict]:
        """The records ``selector`` matches, in the list's order (parsed
        again, if the list keeps them written)."""
        jobs = self.listing.get("jobs", [])
        pick = getattr(jobs, "parsed", jobs.__getitem__)
        return [pick(i) for i in self.positions.get(selector.job_id, ()) if selector.matches(self.summaries[i])]


def task_ids(expression: str) -> set[int]:
    """The task ids an array expression names: "1-3,7,10-20:5%2"."""
    ids: set[int] = set()
    for part in expression.split("%", 1)[0].split(","):
        bounds, _, step = part.partition(":")
        first, _, last = bounds.partition("-")
        if not first.strip().isdigit():
            continue
        end = int(last) if last.strip().isdigit() else int(first)
        ids.update(range(int(first), end + 1, int(step) if step.strip().isdigit() else 1))
    return ids
