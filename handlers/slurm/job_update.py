"""POST /slurm/{version}/job/{job_id}: change a job, as ``scontrol update``.

Each field of the body becomes one ``Key=value`` of ``scontrol update job``
(the table is server.jobdesc.UPDATE); a field scontrol cannot change is
answered 400, naming it, before anything runs. ``hold`` is its own verb:
``scontrol hold`` (true) or ``release`` (false), after the other changes,
as slurmrestd's hold sets the priority last.

slurmctld decides what the caller may change. An unprivileged user changing
someone else's job gets slurmctld 22.05's answer to that, "Invalid user id"
(error 2010); a job it does not know, "Invalid job id specified" (404).

One task of an array (``123_4``) can be changed, as scontrol allows;
slurmrestd refuses that and wants the array job's ID.

The answer lists the job in ``results`` as slurmrestd's job_array_response
does: its ID, error 0 and "No error" (scontrol, unlike the RPC, reports
per-task outcomes only for failures, which become the error).
"""

from __future__ import annotations

from server import jobdesc
from server.jobid import JobSelector
from server.slurm.commands.scancel import SqueueStates
from server.slurm.commands.scontrol_job import ScontrolHold, ScontrolUpdateJob
from server.slurm.errno import by_name
from server.slurm.command import SlurmError


async def post_job(call, job_id, body=None):
    selector = JobSelector.parse(job_id)
    if body is None:
        raise jobdesc.bad_field("body", "a job description with the fields to change is required")
    if not isinstance(body, dict):
        raise jobdesc.bad_field("body", "expected an object (a job description)")
    target = selector.text()
    translated = jobdesc.update_keys(body)
    for name in translated.unknown:
        call.warn(f"{name} is not a field of job_desc_msg and was ignored", "job_desc_msg")
    if "job_id" in body and body["job_id"] != selector.job_id:
        call.warn(f"job_id {body['job_id']!r} of the body is ignored: the job is the one of the URL "
                  f"({target})", "job_desc_msg")
    hold = body.get("hold")
    if hold is not None and not isinstance(hold, bool):
        raise jobdesc.bad_field("hold", f"expected true or false, got {hold!r}")

    messages: list[str] = []
    if translated.options:
        messages = await call.run(ScontrolUpdateJob(target, translated.options))
    if hold is not None:
        await call.run(ScontrolHold(target, release=not hold))
    if not translated.options and hold is None:
        # Nothing to change: still say whether there is such a job.
        if not await call.run(SqueueStates(target)):
            known = by_name("ESLURM_INVALID_JOB_ID")
            raise SlurmError(f"Job update requested failed: Invalid job id specified ({target})",
                             number=known.number if known else None, source="scontrol update")
        call.warn("The request changes nothing", "job_desc_msg")
    for message in messages:
        call.warn(message, "scontrol update")
    return call.respond({"results": [{
        "job_id": selector.job_id,
        "step_id": target,
        "error": "No error",
        "error_code": 0,
        "why": "",
    }]})
