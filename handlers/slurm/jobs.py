"""GET /slurm/{version}/jobs/ and /job/{job_id}: jobs as slurmctld knows them."""

from server.convert import from_v0038, passthrough
from server.jobid import JobSelector
from server.slurm.command import SlurmError
from server.slurm.commands.squeue import SqueueJson
from server.slurm.errno import by_name

JOB_LIST_KEYS = ("jobs", "last_backfill", "last_update")


async def get_jobs(call, update_time=None, flags=None):
    return call.respond(await read_jobs(call, update_time, flags))


async def get_job(call, job_id, update_time=None, flags=None):
    selector = JobSelector.parse(job_id)
    listing = await read_jobs(call, update_time, flags)
    listing["jobs"] = [job for job in listing["jobs"] if selector.matches(job)]
    if not listing["jobs"]:
        known = by_name("ESLURM_INVALID_JOB_ID")
        raise SlurmError(f"Unable to query JobId={job_id}", number=known.number if known else None,
                         source="squeue --json")
    return call.respond(listing)


async def read_jobs(call, update_time, flags) -> dict:
    """The job list in the requested version: printed by Slurm itself where it
    can, else converted from what this Slurm prints."""
    if update_time is not None:
        call.warn("update_time is not applied: every job is listed", "squeue")
    if call.slurm.prints("squeue", call.version):
        printed = await call.run(SqueueJson(data_parser=call.version, flags=flags))
        listing = {key: printed[key] for key in JOB_LIST_KEYS if key in printed}
        listing["jobs"] = [passthrough.without_nulls(job) for job in listing.get("jobs", [])]
        return listing
    if call.slurm.native_data_parser == "v0.0.38":
        return from_v0038.jobs_response(await call.run(SqueueJson(flags=flags)))
    raise SlurmError(f"Slurm {call.slurm.release} prints no job list slurmrestpy can read",
                     source="squeue --json")
