"""GET /slurm/v0.0.45/job/{job_id}/requeue and POST /slurm/v0.0.45/jobs/requeue:
put jobs back into the queue, as scontrol requeue does.

The query flags of the GET are flags by their presence (`?Hold`), as for
slurmrestd. Hold makes it `scontrol requeuehold`; SpecialExit (which scontrol
only knows with a hold) adds `State=SpecialExit` and needs Hold; Incomplete
passes on. Each job's outcome is one entry of ``status``; a refusal of the
single job of the GET is also the answer's error, with Slurm's number.
"""

from __future__ import annotations

from server import jobdesc
from server.jobid import JobSelector
from server.slurm.command import SlurmError
from server.slurm.commands.scontrol_requeue import Requeued, ScontrolRequeue
from server.slurm.errno import by_number

FLAGS = ("Incomplete", "Hold", "SpecialExit")
MAX_JOBS = 10_000  # job IDs of one request


async def get_job_requeue(call, job_id, **_query):
    target = _job_text(job_id, "job_id")
    given = [flag for flag in FLAGS if flag in call.request.query_params]
    [outcome] = await call.run(_command([target], given))
    if outcome.error:
        raise SlurmError(f"Unable to requeue JobId={target}: {outcome.error}",
                         number=outcome.number if outcome.number != -1 else None,
                         source="scontrol requeue")
    return call.respond({"status": [_entry(outcome)]})


async def post_jobs_requeue(call, body=None):
    request = body if body is not None else {}
    if not isinstance(request, dict):
        raise jobdesc.bad_field("body", "expected an openapi_jobs_requeue_query object")
    flags = request.get("flags") or []
    if not isinstance(flags, list) or any(flag not in FLAGS for flag in flags):
        raise jobdesc.bad_field("flags", f"expected a list of {', '.join(FLAGS)}")
    jobs = request.get("jobs") or []
    if not isinstance(jobs, list) or not jobs:
        raise jobdesc.bad_field("jobs", "expected a list of at least one job ID")
    if len(jobs) > MAX_JOBS:
        raise jobdesc.bad_field("jobs", f"more than {MAX_JOBS} job IDs")
    targets = [_job_text(job, f"jobs[{n}]") for n, job in enumerate(jobs)]
    outcomes = await call.run(_command(list(dict.fromkeys(targets)), flags))
    by_job = {outcome.job: outcome for outcome in outcomes}
    return call.respond({"status": [[_entry(by_job[target])] for target in targets]})


def _command(targets: list[str], flags) -> ScontrolRequeue:
    if "SpecialExit" in flags and "Hold" not in flags:
        raise jobdesc.bad_field("SpecialExit", "only with Hold: a job is requeued into "
                                               "SPECIAL_EXIT held")
    return ScontrolRequeue(targets, hold="Hold" in flags, special_exit="SpecialExit" in flags,
                           incomplete="Incomplete" in flags)


def _job_text(value, where: str) -> str:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise jobdesc.bad_field(where, "expected a job ID: 123, 123_4 or 123+1")
    return JobSelector.parse(str(value)).text()


def _entry(outcome: Requeued) -> dict:
    known = by_number(outcome.number) if outcome.number not in (0, -1) else None
    return {
        "job_id": int(outcome.job.split("_")[0].split("+")[0]),
        "step_id": outcome.job,
        "error": known.message if known else ("No error" if not outcome.error else "Unspecified error"),
        "error_code": outcome.number,
        "why": outcome.error or "",
    }
