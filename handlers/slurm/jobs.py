"""GET /slurm/{version}/jobs/ and /job/{job_id}: jobs as slurmctld knows them.

Query parameters, as slurmrestd applies them:

``flags``
    The show flags slurmctld is asked with. None given means ALL and DETAIL,
    as slurmrestd defaults. squeue expresses ALL (``--all``: hidden
    partitions too), LOCAL, SIBLING and FEDERATION; DETAIL needs no option
    (``squeue --json`` always carries the per-node detail of allocations).
    MIXED and FUTURE are node flags slurmctld ignores for jobs and squeue has
    no option for: the answer warns that they were ignored.
``update_time``
    slurmrestd asks slurmctld for the jobs only if a job changed after that
    UNIX time, else answers no jobs and a warning "No job changes since
    update_time[...]". squeue cannot pass the time on, nor show the time of
    slurmctld's last job change, so only what is certain is done:
    - a time not before now: nothing can have changed since; no jobs, with
      slurmrestd's warning (no command is run);
    - a time some job's own times (submission, eligibility, start, end,
      suspension, preemption, resize, last scheduling) show a change after:
      every job, as slurmctld would send;
    - otherwise it cannot be told (a hold, an update or a purge leaves no
      time in the record): every job, with a warning saying so. Sending
      records that did not change is safe; sending none when one did is not.
    0 means no update time, as in slurmrestd. GET /job/{job_id} reads the
    parameter but, like slurmrestd (which loads one job without an update
    time), always answers the job.

``last_update`` is the time the jobs were asked for when the Slurm does not
print it (22.05): what slurmctld itself sends (the time of its answer), so a
client can send it back as ``update_time``.

``cr_type``: the cluster's SelectTypeParameters (slurm.conf) become
``job_resources.select_type``.
"""

from __future__ import annotations

import re
import time
from datetime import datetime

from handlers.request_errors import bad_request, shown
from server import joblist
from server.convert import from_v0038, from_v0038_text, passthrough
from server.jobid import JobIndex, JobSelector
from server.slurm.command import SlurmError
from server.slurm.commands.squeue import SqueueJson
from server.slurm.errno import by_name

JOB_LIST_KEYS = ("jobs", "last_backfill", "last_update")
UNSET = {"set": False, "infinite": False, "number": 0}

# `flags` -> the SqueueJson flag that asks slurmctld the same (None: no option).
SQUEUE_FLAG = {None: "ALL", "ALL": "ALL", "DETAIL": None, "LOCAL": "LOCAL",
               "SIBLING": "SIBLING", "FEDERATION": "FEDERATION", "MIXED": None, "FUTURE": None}
NODE_ONLY_FLAGS = ("MIXED", "FUTURE")

# Job times that move when slurmctld changes a job.
EVENT_TIMES = joblist.EVENT_TIMES

MAX_TIME = 2**63 - 1


async def get_jobs(call, update_time=None, flags=None):
    since = parse_update_time(update_time)
    squeue_flag = squeue_flag_for(call, flags)
    now = int(time.time())
    if since is not None and since >= now:
        call.warn(no_change_warning(since), "update_time")
        return call.respond({"jobs": [], "last_backfill": dict(UNSET), "last_update": dict(UNSET)})
    index = await read_job_index(call, squeue_flag)
    if since is not None and not changed_since(index.summaries, since,
                                               _number(index.listing["last_update"]) or now):
        call.warn(f"update_time[{since}]={_time_text(since)} not applied: squeue cannot tell whether a job "
                  "changed since then (none shows a change in its times); every job is listed",
                  "update_time")
    return call.respond(index.listing)


async def get_job(call, job_id, update_time=None, flags=None):
    selector = JobSelector.parse(job_id)
    parse_update_time(update_time)  # checked, not applied: see the module docstring
    index = await read_one_job_index(call, selector, squeue_flag_for(call, flags))
    listing = {**index.listing, "jobs": index.select(selector)}
    if not listing["jobs"]:
        known = by_name("ESLURM_INVALID_JOB_ID")
        raise SlurmError(f"Unable to query JobId={job_id}", number=known.number if known else None,
                         source="squeue --json")
    return call.respond(listing)


async def read_job_index(call, squeue_flag: str | None = "ALL") -> JobIndex:
    """The job list in the requested version, with its index by job id:
    printed by Slurm itself where it can, else converted from what this
    Slurm prints; made once per squeue for the requests that share it (the
    first request's time of asking is the one a shared list carries), and
    not to be changed. Jobs sent as they are (no other version made of
    them) are kept written (server.joblist)."""
    asked_at = int(time.time())
    if call.slurm.prints("squeue", call.version):
        return await read_printed(call, SqueueJson(data_parser=call.version, flags=squeue_flag), asked_at)
    if call.slurm.native_data_parser == "v0.0.38":
        select_type = cr_type(call.services.slurm_conf.get("SelectTypeParameters"))
        command = SqueueJson(flags=squeue_flag)
        if not call.converts:
            # The converter is the writer's: it makes a job from the one before (one list at a time).
            writer = call.services.job_writers.get(
                ("v0.0.38", None if select_type is None else tuple(select_type)),
                from_v0038.JobConverter(cr_type=select_type), from_v0038_text.PrettyJobMaker(cr_type=select_type))
            # 22.05 prints no time of last backfill nor of last job change: see indexed.
            return await call.run_converted(
                command, ("jobs", "v0.0.38", "written"), lambda parts: indexed_written({}, asked_at, *parts),
                parse=lambda result: command.parse_written(result, writer))
        return await call.run_converted(command, ("jobs", "v0.0.38"), lambda printed: indexed(
            from_v0038.jobs_response(printed, cr_type=select_type, consume=True), asked_at))
    raise SlurmError(f"Slurm {call.slurm.release} prints no job list slurmrestpy can read",
                     source="squeue --json")


async def read_printed(call, command: SqueueJson, asked_at: int) -> JobIndex:
    """A list the Slurm printed in the version the handler works in."""
    if not call.converts:
        return await call.run_converted(
            command, ("jobs", call.version, "written"),
            lambda parts: indexed_written(listed(parts[0]), asked_at, *parts),
            parse=lambda result: command.parse_written(
                result, call.services.job_writers.get((call.version,), passthrough.without_nulls)))
    return await call.run_converted(command, ("jobs", call.version), lambda printed: indexed(
        passed_through(printed), asked_at))


async def read_one_job_index(call, selector: JobSelector, squeue_flag: str | None) -> JobIndex:
    """What one job is picked from: the whole list when a shared one is
    fresh or being made (no command at all), else, where squeue filters its
    JSON by job (not 22.05's), squeue of that job alone: at 10,000 jobs
    0.04 s rather than 10. squeue --jobs=N lists the same records as the
    whole list for N (every task of an array, every heterogeneous
    component, a started task by its own id), and the selector picks from
    them as from the whole."""
    whole = SqueueJson(data_parser=call.version, flags=squeue_flag)
    if not call.slurm.prints("squeue", call.version) or await call.shares(whole):
        return await read_job_index(call, squeue_flag)
    command = SqueueJson(data_parser=call.version, flags=squeue_flag, job_ids=[str(selector.job_id)])
    return await read_printed(call, command, int(time.time()))


def listed(printed: dict) -> dict:
    """The properties of a printed job list that an answer carries."""
    return {key: printed[key] for key in JOB_LIST_KEYS if key in printed}


def passed_through(printed: dict) -> dict:
    listing = listed(printed)
    listing["jobs"] = [passthrough.without_nulls(job) for job in listing.get("jobs", [])]
    return listing


def indexed_written(listing: dict, asked_at: int, _head, jobs: list, summaries: list) -> JobIndex:
    """``listing`` with jobs kept written and their summaries, indexed."""
    listing["jobs"] = jobs
    return indexed(listing, asked_at, summaries)


def indexed(listing: dict, asked_at: int, summaries: list | None = None) -> JobIndex:
    """22.05 prints no time of last backfill nor of last job change: the
    first is unset, the second the time the jobs were asked for."""
    listing.setdefault("last_backfill", dict(UNSET))
    if _number(listing.get("last_update")) is None:
        listing["last_update"] = {"set": True, "infinite": False, "number": asked_at}
    return JobIndex.of(listing, summaries)


def squeue_flag_for(call, flags: str | None) -> str | None:
    if flags in NODE_ONLY_FLAGS:
        call.warn(f"flags={flags} has no effect on jobs (it is a node flag) and squeue has no option "
                  "for it: it is ignored", "flags")
    return SQUEUE_FLAG.get(flags)


def parse_update_time(value: str | None) -> int | None:
    """`update_time` as slurmrestd takes it: a UNIX time, or a date and time
    (ISO 8601, local time when no zone is given). Empty and 0 are none."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if re.fullmatch(r"\+?\d+", text):
        seconds = int(text)
    else:
        try:
            seconds = int(datetime.fromisoformat(text).timestamp())
        except (ValueError, OverflowError, OSError):
            raise bad_request("update_time", f"{shown(text)} is neither a UNIX time (seconds since "
                              "1970-01-01) nor a date such as 2026-01-31T12:00:00") from None
    if seconds > MAX_TIME or seconds < 0:
        raise bad_request("update_time", f"{shown(text)} is out of range")
    return seconds or None


def changed_since(jobs: list[dict], since: int, now: int) -> bool:
    """Does any job show, in its own times, a change after `since` (and not
    after `now`: an expected start or end is no change yet)?"""
    for job in jobs:
        for key in EVENT_TIMES:
            moment = _number(job.get(key))
            if moment is not None and since < moment <= now:
                return True
    return False


def no_change_warning(since: int) -> str:
    return f"No job changes since update_time[{since}]={_time_text(since)}"


# SelectTypeParameters words -> v0.0.44 CR_TYPE flags, in the flags' order.
CR_TYPE_ORDER = ("CPU", "SOCKET", "CORE", "BOARD", "MEMORY", "ONE_TASK_PER_CORE", "PACK_NODES",
                 "CORE_DEFAULT_DIST_BLOCK", "LLN", "LINEAR")
SELECT_TYPE_PARAMETERS = {
    "CR_CPU": ("CPU",), "CR_SOCKET": ("SOCKET",), "CR_CORE": ("CORE",), "CR_MEMORY": ("MEMORY",),
    "CR_CPU_MEMORY": ("CPU", "MEMORY"), "CR_SOCKET_MEMORY": ("SOCKET", "MEMORY"),
    "CR_CORE_MEMORY": ("CORE", "MEMORY"), "CR_ONE_TASK_PER_CORE": ("ONE_TASK_PER_CORE",),
    "CR_PACK_NODES": ("PACK_NODES",), "CR_CORE_DEFAULT_DIST_BLOCK": ("CORE_DEFAULT_DIST_BLOCK",),
    "CR_LLN": ("LLN",),
}


def cr_type(select_type_parameters: str | None) -> list[str] | None:
    """slurm.conf's SelectTypeParameters ("CR_Core_Memory,CR_LLN") as
    v0.0.44 select_type flags (["CORE", "MEMORY", "LLN"]); words without a
    v0.0.44 name (the GRES sharing ones) are dropped. None when unset: the
    converter then says only what the output shows."""
    if not select_type_parameters or not select_type_parameters.strip():
        return None
    found = set()
    for word in select_type_parameters.split(","):
        found.update(SELECT_TYPE_PARAMETERS.get(word.strip().upper(), ()))
    return [flag for flag in CR_TYPE_ORDER if flag in found]


def _number(struct) -> int | None:
    """A no-value struct's number, or a plain one (a summary's)."""
    if isinstance(struct, dict) and struct.get("set") and not struct.get("infinite"):
        return struct.get("number")
    return struct if isinstance(struct, int) and not isinstance(struct, bool) else None


def _time_text(seconds: int) -> str:
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(seconds))
    except (OverflowError, OSError, ValueError):
        return "Unknown"
