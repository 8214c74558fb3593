"""POST /slurm/{version}/job/submit and /job/allocate: new jobs, as
slurmrestd makes them, through sbatch and salloc --no-shell.

The request is checked as slurmrestd checks it (``job`` or ``jobs`` but not
both; a script, taken from ``script`` before the first component's own; a
heterogeneous job of 1 to 128 components), then every field is turned into
an option by the table of server.jobdesc, which answers 400 naming any field
the installed Slurm cannot set. Nothing reaches Slurm until the whole
request has been translated, so a refused request leaves nothing behind.

The job belongs to the authenticated user: the commands run as them (see
server.slurm.runner.as_caller). Its working directory is
``current_working_directory`` or else the user's home.

Where slurmrestpy answers differently from slurmrestd:

- sbatch reads ``#SBATCH`` lines of the script (options of the description
  win over them); slurmrestd ignores them;
- sbatch refuses a script that does not start with ``#!``, holds a NUL or
  DOS line breaks: answered 400 here before anything runs (slurmrestd
  would submit a job that then fails to start);
- a missing environment is refused 400 here, naming the field; slurmrestd
  passes the job on and slurmctld refuses it (Environment is missing in
  job);
- an allocation salloc cannot get before the command timeout is withdrawn
  and answered as refused, where slurmrestd would keep waiting.
"""

from __future__ import annotations

import pwd

from server import jobdesc
from server.slurm.command import SlurmError
from server.slurm.commands.salloc import SallocNoShell
from server.slurm.commands.sbatch import Component, Sbatch
from server.slurm.errno import by_name

MAX_HET_JOB_COMPONENTS = 128  # slurm.h


async def post_job_submit(call, body=None):
    request = _request(body)
    script = request.get("script")
    if script is not None and not isinstance(script, str):
        raise jobdesc.bad_field("script", "expected a string")
    job, jobs = request.get("job"), request.get("jobs")
    if job is not None and jobs is not None:
        raise _invalid_query('Specify only one "job" or "jobs" fields but never both')
    if job is None and jobs is None:
        raise _invalid_query('Specifing either "job" or "jobs" fields are required to submit job')
    if jobs is not None:
        descs, places = _het_components(jobs)
    else:
        descs, places = [_dict(job, "job")], ["job"]
    if script:  # the deprecated top-level script goes into the first component
        descs[0] = {**descs[0], "script": script}
    first_script = descs[0].get("script")
    if not isinstance(first_script, str) or not first_script:
        raise jobdesc.bad_field(f"{places[0]}.script",
                                'Populated "script" field is required for job submission')
    _check_script(first_script, f"{places[0]}.script")
    for desc, place in zip(descs[1:], places[1:]):
        if jobdesc.given(desc.get("script")):
            call.warn(f"{place}.script is ignored: only the first component of a HetJob runs a script",
                      "job_desc_msg")

    owner = call.identity.user
    home = _home(owner)
    components = []
    first_environment = None
    for index, (desc, place) in enumerate(zip(descs, places)):
        _check_owner(desc, place, owner)
        if jobdesc.given(desc.get("environment")):
            environment = jobdesc.environment_entries(desc, place)
        elif index == 0:
            raise _environment_missing(place)
        else:  # as sbatch, which exports one environment to every component
            environment = first_environment
        if index == 0:
            first_environment = environment
        translated = jobdesc.submit_options(desc, jobdesc.SBATCH, where=place)
        _warn_unknown(call, translated, place)
        options = (*translated.options, f"--chdir={jobdesc.working_directory(desc, home)}")
        components.append(Component(options, environment, place))

    await call.require_controller()
    submitted = await call.run(Sbatch(components, first_script))
    for warning in submitted.warnings:
        call.warn(warning, "sbatch")
    if any(jobdesc.held(desc) for desc in descs):
        _warn_held(call)
    return call.respond({
        "job_id": submitted.job_id,
        "step_id": "batch",
        "job_submit_user_msg": submitted.user_message,
    })


def _warn_held(call) -> None:
    """slurmctld accepts a held job with ESLURM_JOB_HELD, which slurmrestd
    passes on as these two warnings (sbatch prints nothing)."""
    message = by_name("ESLURM_JOB_HELD").message
    call.warn(f"Job submission resulted in non-zero return code: {message}", "slurm_submit_batch_job()")
    call.warn(message, "slurm_submit_batch_job()")


async def post_job_allocate(call, body=None):
    request = _request(body)
    job, hetjob = request.get("job"), request.get("hetjob")
    if job is not None and hetjob is not None:
        raise _invalid_query('Specify only one "job" or "hetjob" fields but never both')
    if job is None and hetjob is None:
        raise _invalid_query('Specifing either "job" or "hetjob" fields are required to allocate job')
    if hetjob is not None:
        descs, places = _het_components(hetjob, "hetjob")
    else:
        descs, places = [_dict(job, "job")], ["job"]

    owner = call.identity.user
    home = _home(owner)
    components = []
    for desc, place in zip(descs, places):
        _check_owner(desc, place, owner)
        # environment is not warned about: slurmrestd takes it silently, and
        # an allocation keeps no environment of its own either way
        if jobdesc.given(desc.get("script")):
            call.warn(f"{place}.script is ignored: an allocation runs nothing (salloc --no-shell)",
                      "job_desc_msg")
        translated = jobdesc.submit_options(desc, jobdesc.SALLOC, where=place)
        _warn_unknown(call, translated, place)
        components.append([*translated.options, f"--chdir={jobdesc.working_directory(desc, home)}"])

    await call.require_controller()
    allocated = await call.run(SallocNoShell(components))
    for warning in allocated.warnings:
        call.warn(warning, "salloc")
    return call.respond({"job_id": allocated.job_id, "job_submit_user_msg": allocated.user_message})


# -- the request -------------------------------------------------------------


def _request(body) -> dict:
    if body is None:
        raise _invalid_query("unexpected empty query for job")
    return _dict(body, "body")


def _dict(value, place: str) -> dict:
    if not isinstance(value, dict):
        raise jobdesc.bad_field(place, "expected an object (a job description)")
    return value


def _het_components(jobs, place: str = "jobs") -> tuple[list[dict], list[str]]:
    if not isinstance(jobs, list):
        raise jobdesc.bad_field(place, "expected a list of job descriptions")
    if not jobs:
        raise jobdesc.bad_field(place, "Refusing HetJob submission without any components")
    if len(jobs) > MAX_HET_JOB_COMPONENTS:
        raise jobdesc.bad_field(place, f"Refusing HetJob submission too many components: "
                                       f"{len(jobs)} > {MAX_HET_JOB_COMPONENTS}")
    places = [f"{place}[{i}]" for i in range(len(jobs))]
    return [_dict(job, p) for job, p in zip(jobs, places)], places


def _check_script(script: str, place: str) -> None:
    """What sbatch would refuse about a script, refused here with the field's name."""
    if not script.startswith("#!"):
        raise jobdesc.bad_field(place, "the first line must start with #! followed by the path to "
                                       "an interpreter (sbatch refuses anything else)")
    if "\0" in script:
        raise jobdesc.bad_field(place, "contains a NUL character")
    if "\r\n" in script:
        raise jobdesc.bad_field(place, "contains DOS line breaks (\\r\\n), which sbatch refuses")


def _check_owner(desc: dict, place: str, owner: str) -> None:
    """``user_id`` may only name the caller: the job belongs to whoever is
    authenticated (root and SlurmUser act for others with X-SLURM-USER-NAME)."""
    wanted = desc.get("user_id")
    if not jobdesc.given(wanted):
        return
    try:
        entry = pwd.getpwnam(owner)
        mine = {owner, str(entry.pw_uid)}
    except KeyError:
        mine = {owner}
    if str(wanted) not in mine:
        raise jobdesc.bad_field(f"{place}.user_id", f"the job would belong to {owner!r}, who is "
                                f"authenticated; to act for {wanted!r}, root or SlurmUser names "
                                "them in X-SLURM-USER-NAME")


def _environment_missing(place: str) -> SlurmError:
    known = by_name("ESLURM_ENVIRONMENT_MISSING")
    return SlurmError(f"Invalid '{place}.environment': a batch job needs its environment "
                      "(a list of NAME=value; slurmctld refuses a job without one)",
                      number=known.number if known else None, source=f"{place}.environment",
                      status=400)


def _invalid_query(description: str) -> SlurmError:
    known = by_name("ESLURM_REST_FAIL_PARSING")
    return SlurmError(description, number=known.number if known else None, source="job_post",
                      status=400)


def _warn_unknown(call, translated: jobdesc.Translation, place: str) -> None:
    for name in translated.unknown:
        call.warn(f"{place}.{name} is not a field of job_desc_msg and was ignored", "job_desc_msg")


def _home(user: str) -> str:
    try:
        return pwd.getpwnam(user).pw_dir or "/"
    except KeyError:
        return "/"
