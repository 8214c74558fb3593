"""Compact job states: for each job record only what names it (job id,
array and heterogeneous-job ids) and its state, in the internal job form
(v0.0.44 ``v0.0.44_job_info``, whose every property is optional).

What GET /jobs/state/ answers is described by SchedMD as
``v0.0.44_openapi_job_info_resp``, and that is what is sent: job records with
``job_id`` (a number), the array/het ids as ``*_no_val_struct`` and
``job_state`` (a list of state names), no other property.

Two sources:

- ``from_squeue``: Slurm 22.05's ``squeue --noheader --Format=FORMAT``
  text, one record a line, ``|`` after each field. squeue prints ``N/A``
  for an id that does not apply; ``ArrayTaskID`` is a number for one task
  and an expression (``1-3``, ``2-3%1``) for a record of tasks not yet
  started; ``ArrayJobID`` is the job's own id when it is no array job;
  ``State`` is 22.05's one state string (a flag such as COMPLETING replaces
  the base state; ``from_v0038.job_state`` restores what can be restored).
- ``from_jobs``: job records already in the internal form (a Slurm printing
  v0.0.44 itself), reduced to the same properties.
"""

from __future__ import annotations

from typing import Iterable

from server.convert import from_v0038

FIELDS = ("JobID", "ArrayJobID", "ArrayTaskID", "HetJobID", "HetJobOffset", "State")
# An empty size prints the whole value; the suffix `|` separates the fields.
FORMAT = ",".join(f"{field}:|" for field in FIELDS)

COMPACT_KEYS = ("job_id", "array_job_id", "array_task_id", "array_task_string",
                "het_job_id", "het_job_offset", "job_state")

UNSET = {"set": False, "infinite": False, "number": 0}


def _set(number: int) -> dict:
    return {"set": True, "infinite": False, "number": number}


def _given(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "N/A", "(null)") else value


def from_squeue(text: str) -> list[dict]:
    records = []
    for line in text.splitlines():
        if not line.strip():
            continue
        values = line.split("|")
        if values and values[-1].strip() == "":
            values = values[:-1]
        if len(values) != len(FIELDS):
            raise ValueError(f"squeue printed {len(values)} fields where {len(FIELDS)} were asked: {line!r}")
        records.append(_record(dict(zip(FIELDS, values))))
    return records


def _record(row: dict[str, str]) -> dict:
    job_id = int(row["JobID"].strip())
    task = _given(row["ArrayTaskID"])
    het_job = _given(row["HetJobID"])
    het_offset = _given(row["HetJobOffset"])
    record: dict = {"job_id": job_id}
    if task is None:
        record["array_job_id"] = _set(0)
        record["array_task_id"] = dict(UNSET)
    else:
        record["array_job_id"] = _set(int(row["ArrayJobID"].strip()))
        if task.isdigit():
            record["array_task_id"] = _set(int(task))
        else:
            record["array_task_id"] = dict(UNSET)
            record["array_task_string"] = task
    record["het_job_id"] = _set(int(het_job) if het_job and het_job.isdigit() else 0)
    record["het_job_offset"] = _set(int(het_offset) if het_offset and het_offset.isdigit() else 0)
    record["job_state"] = from_v0038.job_state(row["State"])
    return record


def from_jobs(jobs: Iterable[dict]) -> list[dict]:
    compact = []
    for job in jobs:
        record = {key: job[key] for key in COMPACT_KEYS if key in job}
        if not record.get("array_task_string"):
            record.pop("array_task_string", None)
        compact.append(record)
    return compact
