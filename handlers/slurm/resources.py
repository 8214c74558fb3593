"""GET /slurm/{version}/resources/{job_id}: where a job's resources are,
node by node (CPUs as an abstract core bitmap, memory, GRES), as
slurmrestd's resource layout.

Built from the job record (the same squeue the job list uses, so the
caller's PrivateData applies: a job they may not see is "Invalid job id")
and the allocated nodes' layout (`scontrol -o show node`); see
``server.convert.resources``. `job_id` may name an array task (123_4) or a
heterogeneous component (123+1); a plain id is the record of that id. A job
that holds no resources (pending, or ended) is answered as slurmrestd
answers it: "Job is not running" (status 500)."""

from handlers.slurm.jobs import read_job_index
from server.convert import resources
from server.jobid import JobSelector
from server.slurm.command import SlurmError
from server.slurm.commands.scontrol_misc import ScontrolShowNodes
from server.slurm.errno import by_name


async def get_resources(call, job_id):
    selector = JobSelector.parse(job_id)
    index = await read_job_index(call, "ALL")
    job = _the_job(index.select(selector), selector)
    if job is None:
        known = by_name("ESLURM_INVALID_JOB_ID")
        raise SlurmError(f"Unable to query JobId={job_id}", number=known.number if known else None,
                         source="slurm_get_resource_layout()")
    allocation = ((job.get("job_resources") or {}).get("nodes") or {}).get("allocation") or []
    if not allocation:
        raise SlurmError(f"Unable to query JobId={job_id}", number=by_name("ESLURM_JOB_NOT_RUNNING").number,
                         source="_handle_get")
    names = ",".join(node.get("name", "") for node in allocation if node.get("name"))
    try:
        layouts = resources.node_layouts(await call.run(ScontrolShowNodes(names)))
    except SlurmError as error:
        # The allocation is still known; only the nodes' layout is not.
        call.warn(f"Node layout unknown, so no core bitmap: {error.description}", "scontrol show node")
        layouts = {}
    return call.respond({"nodes": resources.layout(job, layouts)})


def _the_job(candidates: list[dict], selector: JobSelector) -> dict | None:
    """Of the records ``selector`` matches, the one a plain id names."""
    if selector.array_task is None and selector.het_offset is None:
        exact = [job for job in candidates if job.get("job_id") == selector.job_id]
        candidates = exact or candidates
    return candidates[0] if candidates else None
