"""GET /slurm/{version}/jobs/state/: the state of the listed jobs (`job_id`,
comma-separated: 123, 123_4, 123+1), or of every job the caller may see.

Cheaper than GET /jobs/: squeue prints a few short fields a job. The answer
has SchedMD's described shape (``openapi_job_info_resp``) with compact job
records (see ``server.convert.job_state``). A job id slurmctld does not know,
or does not show the caller (PrivateData), is simply not in the list, as for
the job state RPC."""

import re

from handlers.request_errors import bad_request, shown
from server.convert import job_state
from server.jobid import JobSelector
from server.slurm.command import SlurmError
from server.slurm.commands.squeue import SqueueJson
from server.slurm.commands.squeue_state import SqueueStates

UNSET = {"set": False, "infinite": False, "number": 0}


async def get_jobs_state(call, job_id=None):
    selectors = _selectors(job_id)
    squeue_ids = [_squeue_id(s) for s in selectors]
    if call.slurm.prints("squeue", call.version):
        printed = await call.run(SqueueJson(data_parser=call.version, flags="ALL", job_ids=squeue_ids))
        records = job_state.from_jobs(printed.get("jobs") or [])
        last_backfill = printed.get("last_backfill") or dict(UNSET)
        last_update = printed.get("last_update") or dict(UNSET)
    else:
        records = await call.run(SqueueStates(squeue_ids))
        last_backfill = last_update = dict(UNSET)
    if selectors:
        # squeue's own filter is coarse (123+1 lists every component).
        records = [r for r in records if any(s.matches(r) for s in selectors)]
    return call.respond({"jobs": records, "last_backfill": last_backfill, "last_update": last_update})


def _selectors(job_id: str | None) -> list[JobSelector]:
    if job_id is None:
        return []
    selectors = []
    for item in str(job_id).split(","):
        if not item.strip():
            continue
        # "123+1" unencoded in a query string arrives as "123 1".
        item = re.sub(r"^\s*(\d+) (\d+)\s*$", r"\1+\2", item)
        try:
            selectors.append(JobSelector.parse(item))
        except SlurmError:
            raise bad_request("job_id", f"{shown(item.strip())} is not a job id "
                              "(expected 123, 123_4 or 123+1)") from None
    return selectors


def _squeue_id(selector: JobSelector) -> str:
    if selector.array_task is not None:
        return f"{selector.job_id}_{selector.array_task}"
    if selector.het_offset is not None:
        return f"{selector.job_id}+{selector.het_offset}"
    return str(selector.job_id)
