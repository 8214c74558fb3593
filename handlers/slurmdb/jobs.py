"""/slurmdb/{version}/jobs/ and /job/{job_id}: job records from slurmdbd, as
sacct reads them, and changes to them, as sacctmgr modify job makes them.

The query maps onto sacct as ``server.convert.sacct_query`` describes; a
Slurm that prints the requested API version (``sacct --json=v0.0.44``) is
passed through, 22.05's v0.0.38 JSON is converted (``sacct_v0038``).
"""

from __future__ import annotations

import asyncio
import re

from server.convert import passthrough, sacct_v0038
from server.convert.from_v0038 import SIGNALS
from server.convert.sacct_query import JobQuery, QueryError, job_selector, unescaped
from server.slurm.command import SlurmError
from server.slurm.commands.sacct import SacctJson, SacctText
from server.slurm.commands.sacctmgr_jobs import SacctmgrModifyJob
from server.slurm.errno import by_name

FOUND_NOTHING = ("slurmdb_jobs_get() found nothing", "_dump_jobs")
MODIFIABLE_ID = re.compile(r"^\d+(?:_\d+|\+\d+)?$")
SIGNAL_NUMBERS = {name: number for number, name in SIGNALS.items()}


def _number(name: str) -> int | None:
    known = by_name(name)
    return known.number if known else None


def bad_request(field: str, message: str) -> SlurmError:
    return SlurmError(f"Invalid {field}: {message}", number=_number("ESLURM_REST_FAIL_PARSING"),
                      source=field, status=400)


def check_query(call) -> None:
    """slurmrestd refuses a query with characters it wants escaped (a raw '/'
    in ``submit_time=02/28/24``) with 400; so do we, naming the parameter."""
    raw = call.request.scope.get("query_string", b"").decode("latin-1")
    problem = unescaped(raw)
    if problem is not None:
        raise SlurmError(f"Unable to parse query: {problem.field}: {problem.message}",
                         number=_number("ESLURM_REST_FAIL_PARSING"), source=problem.field,
                         status=400)


def undeclared_parameters(call) -> dict[str, str]:
    """Query parameters the operation does not declare (connexion drops them)."""
    declared = {p["name"] for p in call.operation.operation.get("parameters", [])}
    return {name: value for name, value in call.request.query_params.items()
            if name not in declared}


async def get_jobs(call, account=None, association=None, cluster=None, constraints=None,
                   scheduler_unset=None, scheduled_on_submit=None, scheduled_by_main=None,
                   scheduled_by_backfill=None, job_started=None, job_altered=None, exit_code=None,
                   show_duplicates=None, skip_steps=None, disable_truncate_usage_time=None,
                   whole_hetjob=None, disable_whole_hetjob=None, disable_wait_for_result=None,
                   usage_time_as_submit_time=None, show_batch_script=None,
                   show_job_environment=None, format=None, groups=None, job_name=None,
                   partition=None, qos=None, reason=None, reservation=None, reservation_id=None,
                   state=None, step=None, end_time=None, start_time=None, node=None, users=None,
                   wckey=None):
    parameters = {name: value for name, value in locals().items() if name != "call"}
    check_query(call)
    parameters.update(undeclared_parameters(call))
    passing_through = call.slurm.prints("sacct", call.version)
    try:
        query = JobQuery.from_parameters(parameters, release=call.slurm.release,
                                         knows_job_altered=passing_through)
    except QueryError as error:
        raise bad_request(error.field, error.message) from None
    for warning in query.warnings:
        call.warn(warning, "sacct")
    jobs = await read_jobs(call, query.sacct_options(), keep=query.keeps)
    return call.respond({"jobs": jobs})


async def get_job(call, job_id):
    selector = job_selector(job_id)
    if selector is None:
        raise SlurmError(f"Unable to parse job id {job_id!r}: expected 123, 123_4 or 123+1, "
                         "optionally with a step (123.batch, 123.0)",
                         number=_number("ESLURM_INVALID_JOB_ID"), source="job_id", status=400)
    # slurmrestd's job condition for one job: every user, duplicates, no truncation.
    jobs = await read_jobs(call, [f"--jobs={selector}", "--duplicates"], job_field="job_id")
    return call.respond({"jobs": jobs})


async def read_jobs(call, options: list[str], *, keep=None, job_field: str | None = None) -> list:
    """Job records in the requested version: printed by Slurm itself where it
    can, else converted from what this Slurm prints."""
    if call.slurm.prints("sacct", call.version):
        doc = await call.run(SacctJson(options, data_parser=call.version, job_field=job_field))
        for warning in doc.get("warnings") or ():
            call.warn(warning.get("description", ""), warning.get("source", "sacct"))
        jobs = [passthrough.without_nulls(job) for job in doc.get("jobs") or ()]
    elif call.slurm.native_data_parser == "v0.0.38":
        answers = await asyncio.gather(call.run(SacctJson(options, job_field=job_field)),
                                       call.run(SacctText(options, job_field=job_field)),
                                       return_exceptions=True)
        for answer in answers:  # the JSON's failure first: it says more
            if isinstance(answer, BaseException):
                raise answer
        doc, text = answers
        jobs = sacct_v0038.jobs_response(doc, text)["jobs"]
    else:
        raise SlurmError(f"Slurm {call.slurm.release} prints no job records slurmrestpy can read",
                         source="sacct --json")
    if keep is not None:
        jobs = [job for job in jobs if keep(job)]
    if not jobs and not any(w["description"] == FOUND_NOTHING[0] for w in call.warnings):
        call.warn(*FOUND_NOTHING)
    return jobs


# -- changes ------------------------------------------------------------------


async def post_job(call, job_id, body=None):
    if not MODIFIABLE_ID.match(job_id.strip()):
        raise SlurmError(f"Unable to parse job id {job_id!r}: expected 123, 123_4 or 123+1",
                         number=_number("ESLURM_INVALID_JOB_ID"), source="job_id", status=400)
    return await modify(call, [job_id.strip()], body, "")


async def post_jobs(call, body=None):
    if not isinstance(body, dict):
        raise bad_request("body", "expected an object with job_id_list and job_rec")
    ids = body.get("job_id_list")
    if not isinstance(ids, list) or not ids:
        raise bad_request("job_id_list", "list at least one job id")
    for index, value in enumerate(ids):
        if not isinstance(value, str) or not MODIFIABLE_ID.match(value.strip()):
            raise bad_request(f"job_id_list[{index}]",
                              f"{value!r} is not a job id (123, 123_4 or 123+1)")
    if not isinstance(body.get("job_rec"), dict):
        raise bad_request("job_rec", "expected the fields to change")
    return await modify(call, [v.strip() for v in ids], body["job_rec"], "job_rec.")


async def modify(call, job_ids: list[str], record, prefix: str):
    assignments = assignments_of(record, prefix, call.slurm.release)
    changed = await call.run(SacctmgrModifyJob(job_ids, assignments))
    if changed is None:
        call.warn("sacctmgr modify job changed nothing: no such job record, or none the caller "
                  "may change", "sacctmgr")
        changed = []
    return call.respond({"results": changed})


def assignments_of(record, prefix: str, release: str) -> list[tuple[str, str]]:
    """A v0.0.44 ``job_modify`` as ``sacctmgr modify job ... set`` pairs."""
    if not isinstance(record, dict) or not record:
        raise bad_request(prefix.rstrip(".") or "body", "nothing to change")
    pairs: list[tuple[str, str]] = []
    comment = record.get("comment")
    if comment is not None:
        if not isinstance(comment, dict):
            raise bad_request(f"{prefix}comment", "expected an object")
        for name, key in (("job", "Comment"), ("administrator", "AdminComment"),
                          ("system", "SystemComment")):
            if comment.get(name) is not None:
                pairs.append((key, _line(comment[name], f"{prefix}comment.{name}")))
    if record.get("derived_exit_code") is not None:
        pairs.append(("DerivedExitCode",
                      str(raw_exit_status(record["derived_exit_code"],
                                          f"{prefix}derived_exit_code"))))
    if record.get("wckey") is not None:
        pairs.append(("NewWCKey", _line(record["wckey"], f"{prefix}wckey")))
    for name in ("extra", "tres"):
        if record.get(name) is not None:
            raise bad_request(f"{prefix}{name}", f"sacctmgr modify job of Slurm {release} "
                                                 "cannot change it")
    if not pairs:
        raise bad_request(prefix.rstrip(".") or "body", "nothing to change")
    return pairs


def _line(value, field: str) -> str:
    if not isinstance(value, str):
        raise bad_request(field, "expected a string")
    if "\n" in value or "\r" in value:
        raise bad_request(field, "sacctmgr takes no line breaks")
    return value


def raw_exit_status(value, field: str) -> int:
    """A v0.0.44 exit code given in a change as the raw status slurmdbd
    stores: ``return_code.number`` is taken as that raw value, as slurmrestd
    does (1024 is shown back as return code 4); otherwise the signal."""
    if not isinstance(value, dict):
        raise bad_request(field, "expected a process_exit_code_verbose object")
    code = value.get("return_code")
    if isinstance(code, dict) and code.get("set", True) and code.get("number") is not None:
        number = code["number"]
        if not isinstance(number, int) or number < 0:
            raise bad_request(f"{field}.return_code", f"{number!r} is not a status")
        return number
    signal = value.get("signal") or {}
    signal_id = signal.get("id") if isinstance(signal, dict) else None
    if isinstance(signal_id, dict) and signal_id.get("set", True) and signal_id.get("number"):
        return int(signal_id["number"])
    name = str(signal.get("name") or "") if isinstance(signal, dict) else ""
    name = name.upper().removeprefix("SIG")
    if name:
        if name not in SIGNAL_NUMBERS:
            raise bad_request(f"{field}.signal.name", f"{signal['name']!r} is not a signal")
        return SIGNAL_NUMBERS[name]
    if list(value.get("status") or []) == ["SUCCESS"]:
        return 0
    raise bad_request(field, "give return_code or signal")
