"""DELETE /slurm/{version}/job/{job_id} and /jobs/: signal or cancel jobs,
as scancel does.

One job (``signal`` and ``flags`` of the query): without a signal the job is
killed (SIGKILL) with every step, as slurmrestd does (its default flag is
FULL_JOB); a ``flags`` value replaces that default. The answer's ``status``
lists each job scancel acted on, with Slurm's error where it refused; a
refusal of the one job is also the answer's error, with slurmrestd's status
(404 for a job slurmctld does not know, 500 for "Access/permission
denied"). A job that already ended is, as for slurmrestd, a warning "Job was
already sent signal", not an error.

A signal other than SIGKILL reaches running jobs only: slurmctld refuses it
for a pending or suspended one ("Job can not be altered now", error 2020),
and scancel then retries for a minute and a half. So the job's records are
read first (as the caller: slurmctld shows them only to those it would
obey): none running and some waiting -> that refusal, answered at once;
some running -> scancel with ``--state=RUNNING``; not shown to the caller ->
slurmctld is asked whether the job exists (see _check_hidden_job), since
scancel would answer "Invalid job id specified" for it on its own.

Many jobs (a ``kill_jobs_msg`` body): its filters become scancel's (a list
of states becomes one scancel per state, as scancel takes one), and
``status`` lists every job scancel names. With a signal other than SIGKILL
only running jobs are selected, for the reason above: waiting jobs the
filters match are left out of ``status`` rather than refused one by one.
A request that selects no job by ID or filter is refused (scancel would
have nothing to go on; slurmctld would act on every job the caller may
touch).
"""

from __future__ import annotations

import pwd
import signal as signals

from server import jobdesc
from server.jobid import JobSelector
from server.slurm.command import SlurmError
from server.slurm.commands.scancel import FLAG_OPTIONS, Cancelled, JobOutcome, Scancel, SqueueStates
from server.slurm.commands.scontrol_job import ScontrolUpdateJob
from server.slurm.errno import by_name, by_number

SIGKILL = int(signals.SIGKILL)
WAITING_STATES = frozenset({"PENDING", "SUSPENDED", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD",
                            "REQUEUE_FED", "RESIZING", "SPECIAL_EXIT", "STOPPED", "SIGNALING",
                            "RESV_DEL_HOLD", "POWER_UP_NODE"})
# Job states scancel --state can select (it knows no others).
SCANCEL_STATES = ("PENDING", "RUNNING", "SUSPENDED")


# From this release on slurmrestd answers DELETE /job/{job_id} and /jobs/
# with 200 and a `status` that lists slurmctld's refusals only, one per job,
# with no warning (measured on 25.11.7); before it, a refusal of the one job
# was the answer's error (404, 500) and `status` listed every job.
REFUSALS_IN_STATUS_SINCE = (25, 11, 0)


async def delete_job(call, job_id, signal=None, flags=None):
    selector = JobSelector.parse(job_id)
    target = selector.text()
    number = SIGKILL if signal is None else _signal(signal, "signal")
    options = _flag_options([flags] if flags else [], "flags") if flags else ["--full"]
    outcomes = await _signal_one(call, target, number, options)
    already_done = _number("ESLURM_ALREADY_DONE")
    if call.slurm.version >= REFUSALS_IN_STATUS_SINCE:
        return call.respond({"status": [_status(job) for job in outcomes if job.error]})
    for job in outcomes:
        if job.number == already_done:
            call.warn(f"Job was already sent signal {_signal_name(number)}", "scancel")
        elif job.error:
            raise _refused(job, number)
    return call.respond({"status": [_status(job) for job in outcomes if job.number != already_done]})


async def _signal_one(call, target: str, number: int, options: list[str]) -> list[JobOutcome]:
    """What became of the job: scancel's outcome, or slurmctld's refusal
    found out beforehand (see the module's description)."""
    if number != SIGKILL:
        states = await call.run(SqueueStates(target))
        if not states:
            refused = await _check_hidden_job(call, target)
            if refused:
                return [refused]
        running = [s for s in states if s.state == "RUNNING"]
        waiting = [s for s in states if s.state in WAITING_STATES]
        if states and not running and waiting:
            return [JobOutcome(target, *_not_now())]
        if states and not running:  # it ended already
            return [JobOutcome(target, *_known("ESLURM_ALREADY_DONE"))]
        if states:
            options = [*options, "--state=RUNNING"]
    outcome = await call.run(Scancel([target], signal=None if number == SIGKILL else number,
                                     options=options))
    if outcome.matched_nothing and not outcome.jobs:
        # The job stopped running between our look and scancel's.
        return [JobOutcome(target, *_not_now())]
    return outcome.jobs


async def delete_jobs(call, body=None):
    request = body if body is not None else {}
    if not isinstance(request, dict):
        raise jobdesc.bad_field("body", "expected a kill_jobs_msg object")
    number = SIGKILL if not jobdesc.given(request.get("signal")) else _signal(request["signal"], "signal")
    options = _flag_options(request.get("flags") or [], "flags")
    filters = _filters(request)
    jobs = request.get("jobs") or []
    if not isinstance(jobs, list):
        raise jobdesc.bad_field("jobs", "expected a list of job IDs")
    targets = [JobSelector.parse(str(job)).text() for job in jobs]
    if not targets and not filters:
        raise jobdesc.bad_field("jobs", "no job selected: give job IDs or at least one filter "
                                        "(account, job_name, partition, qos, reservation, "
                                        "job_state, user_id/user_name, wckey, nodes)")
    states = _states(request.get("job_state"), number)
    status: list[dict] = []
    for state in states:
        state_option = [f"--state={state}"] if state else []
        outcome: Cancelled = await call.run(Scancel(
            targets, signal=None if number == SIGKILL else number,
            options=[*options, *filters, *state_option]))
        status.extend(_status(job) for job in outcome.jobs)
    if call.slurm.version >= REFUSALS_IN_STATUS_SINCE:
        refused = [entry for entry in status if entry["error"]["code"]]
        if number != SIGKILL and targets:
            refused.extend(await _waiting_refusals(call, targets, {entry["step_id"] for entry in status}))
        return call.respond({"status": refused})
    if not status:
        call.warn(f"Zero jobs sent signal {_signal_name(number)}", "scancel")
    return call.respond({"status": status})


async def _waiting_refusals(call, targets: list[str], acted_on: set[str]) -> list[dict]:
    """slurmctld's refusal of a signal for each listed job that waits (left
    out of scancel's selection of running jobs), as slurmrestd reports it."""
    left = [target for target in targets if target not in acted_on]
    if not left:
        return []
    waiting = {s.job for s in await call.run(SqueueStates(",".join(left))) if s.state in WAITING_STATES}
    return [_status(JobOutcome(target, *_not_now())) for target in left if target in waiting]


async def _check_hidden_job(call, target: str) -> JobOutcome | None:
    """slurmctld's verdict on a job the caller cannot see, for a signal.

    scancel with a signal first loads the jobs and, not finding one the caller
    may not see (PrivateData=jobs), says "Invalid job id specified" without
    asking slurmctld, where slurmrestd would get "Access/permission denied"
    for someone else's job. A job hidden from the caller is not theirs (its
    owner, an operator or a coordinator of its account sees it, the same
    people slurmctld lets change it), so an update is refused by slurmctld's
    ownership check before anything is applied, and that refusal tells the
    two cases apart: "Invalid user id" (the job exists) or "Invalid job id
    specified". The update asked for is ``Reboot=no``, a key scontrol sends
    without reading the job first (``TimeLimit=+0`` would read it, and fail
    the same way scancel does)."""
    try:
        await call.run(ScontrolUpdateJob(target, ["Reboot=no"]))
    except SlurmError as error:
        if error.number == _number("ESLURM_USER_ID_MISSING"):
            return JobOutcome(target, *_known("ESLURM_ACCESS_DENIED"))
        if error.number == _number("ESLURM_INVALID_JOB_ID"):
            return JobOutcome(target, *_known("ESLURM_INVALID_JOB_ID"))
        raise
    return None  # slurmctld took the update: scancel may act on the job


# -- request -> scancel ------------------------------------------------------


def _signal(value, name: str) -> int:
    try:
        return jobdesc.signal_number(value, name)
    except jobdesc.FieldError as error:
        raise jobdesc.bad_field(name, error.message) from None


def _signal_name(number: int) -> str:
    try:
        return signals.Signals(number).name
    except ValueError:
        return str(number)


def _flag_options(flags: list, name: str) -> list[str]:
    if not isinstance(flags, list):
        raise jobdesc.bad_field(name, "expected a list of flags")
    options = []
    for flag in flags:
        if flag not in FLAG_OPTIONS:
            raise jobdesc.bad_field(name, f"{flag!r} cannot be expressed with scancel of Slurm 22.05")
        if FLAG_OPTIONS[flag] and FLAG_OPTIONS[flag] not in options:
            options.append(FLAG_OPTIONS[flag])
    return options


# kill_jobs_msg filters -> scancel options.
FILTERS = (
    ("account", "--account"),
    ("job_name", "--name"),
    ("partition", "--partition"),
    ("qos", "--qos"),
    ("reservation", "--reservation"),
    ("wckey", "--wckey"),
)


def _filters(request: dict) -> list[str]:
    options = []
    for name, option in FILTERS:
        value = request.get(name)
        if jobdesc.given(value):
            if not isinstance(value, str):
                raise jobdesc.bad_field(name, "expected a string")
            options.append(f"{option}={value}")
    user = _user(request)
    if user is not None:
        options.append(f"--user={user}")
    nodes = request.get("nodes")
    if jobdesc.given(nodes):
        options.append(f"--nodelist={jobdesc.csv(nodes, 'nodes')}")
    return options


def _user(request: dict) -> str | None:
    """user_name or user_id, which must agree when both are given."""
    name, uid = request.get("user_name"), request.get("user_id")
    if jobdesc.given(name) and jobdesc.given(uid):
        try:
            same = str(pwd.getpwnam(name).pw_uid) == str(uid)
        except KeyError:
            same = False
        if not same and name != uid:
            raise jobdesc.bad_field("user_id", f"names another user than user_name {name!r}")
    if jobdesc.given(name):
        return str(name)
    if jobdesc.given(uid):
        return str(uid)
    return None


def _states(job_state, number: int) -> list[str | None]:
    """One scancel per state (None: no state filter)."""
    if job_state is not None and not isinstance(job_state, list):
        raise jobdesc.bad_field("job_state", "expected a list of job states")
    wanted = [s for s in SCANCEL_STATES if s in (job_state or [])] if job_state else None
    if number != SIGKILL:  # only running jobs take other signals
        return ["RUNNING"] if wanted is None or "RUNNING" in wanted else []
    if wanted is None:
        return [None]
    return wanted  # states of ended jobs select nothing: they cannot be signalled


# -- answers -------------------------------------------------------------------


def _status(job: JobOutcome) -> dict:
    known = by_number(job.number) if job.number not in (0, -1) else None
    return {
        "error": {
            "string": known.message if known else ("No error" if not job.error else "Unspecified error"),
            "code": job.number,
            "message": job.error or "",
        },
        "step_id": job.job,
        # a job slurmctld does not know has no number it could confirm
        "job_id": {"set": job.number != _number("ESLURM_INVALID_JOB_ID"), "infinite": False,
                   "number": 0 if job.number == _number("ESLURM_INVALID_JOB_ID") else job.job_id},
        "federation": {"sibling": ""},
    }


def _refused(job: JobOutcome, number: int) -> SlurmError:
    return SlurmError(f"Signal request failed: unable to send signal {_signal_name(number)} to "
                      f"JobId={job.job}: {job.error}",
                      number=job.number if job.number != -1 else None, source="scancel")


def _not_now() -> tuple[str, int]:
    return _known("ESLURM_TRANSITION_STATE_NO_UPDATE")


def _known(name: str) -> tuple[str, int]:
    """Slurm's text and number of an error, as a JobOutcome takes them."""
    known = by_name(name)
    return (known.message, known.number) if known else (name, -1)


def _number(name: str) -> int | None:
    known = by_name(name)
    return known.number if known else None
