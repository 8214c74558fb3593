"""The query of ``GET /slurmdb/{version}/jobs/`` (slurmrestd's job condition)
as ``sacct`` options, and what sacct cannot select done afterwards on the
v0.0.44 job records.

slurmrestd reads the query into a ``slurmdb_job_cond_t`` and asks slurmdbd;
sacct builds the same structure from its options. What maps, and how:

=============================  =============================================
query                          sacct (Slurm 22.05)
=============================  =============================================
account, association,          --accounts, --associations, --clusters,
cluster, constraints, groups,  --constraints, --group, --name, --partition,
job_name, partition, qos,      --qos, --reason, --state, --jobs, --wckeys,
reason, state, step, wckey,    --nodelist, --user (else --allusers, as
node, users                    slurmrestd asks for every user's jobs)
start_time, end_time           --starttime, --endtime (see the window below)
show_duplicates, skip_steps    --duplicates, --allocations
disable_truncate_usage_time    no --truncate (without it: --truncate)
whole_hetjob,                  --whole-hetjob=yes, --whole-hetjob=no
disable_whole_hetjob
=============================  =============================================

Done on the records sacct returns (the *filters*): ``users`` (22.05's
``sacct --json`` ignores ``--user``), ``scheduler_unset``,
``scheduled_on_submit``, ``scheduled_by_main``, ``scheduled_by_backfill``,
``job_started`` and ``job_altered`` (slurmdbd's rule: no filter when only
``scheduler_unset`` is asked, else a job matches when it has any of the
flags asked), ``exit_code`` (slurmdbd compares the raw wait(2) status it
stores; 0 means no filter), ``reservation`` and ``reservation_id`` (sacct
has no option), ``usage_time_as_submit_time`` and ``submit_time`` (the window
then bounds the submit time; sacct is asked for every job that can have been
submitted in it).

Not applied, with a warning: ``disable_wait_for_result`` (how slurmdbd
answers, not what), ``show_batch_script`` and ``show_job_environment``
(22.05's sacct prints scripts and environments only as text, one named job
at a time, never in its JSON). ``format`` is ignored, as by slurmrestd.
``job_altered`` is refused for Slurm 22.05, which does not record it.

Flags as slurmrestd sets them: when the query sets none of the job
condition flags (show_duplicates ... show_job_environment, submit_time),
duplicates are shown and times are not truncated; once one is set, only what
is set applies. The time window is slurmrestd's too: with ``state``, start
defaults to now and end to start; without ``state`` and ``step``, start
defaults to midnight and end to now. A query with no parameter at all is,
before Slurm 25.11, slurmrestd's "no condition": every job of every cluster,
of all time; slurmrestd 25.11 gives it the default window, without
duplicates, times truncated.
"""

from __future__ import annotations

import pwd
import re
import time as _time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from server.convert import query_time
from server.convert.slurm_time import format_timestamp

# Query list filters and the sacct option each becomes.
LIST_OPTIONS: dict[str, str] = {
    "account": "--accounts",
    "association": "--associations",
    "cluster": "--clusters",
    "constraints": "--constraints",
    "groups": "--group",
    "job_name": "--name",
    "partition": "--partition",
    "qos": "--qos",
    "reason": "--reason",
    "state": "--state",
    "step": "--jobs",
    "wckey": "--wckeys",
    "users": "--user",
}

# The job condition flags of the query (JOBCOND_FLAG_*).
CONDITION_FLAGS = ("show_duplicates", "skip_steps", "disable_truncate_usage_time", "whole_hetjob",
                   "disable_whole_hetjob", "disable_wait_for_result",
                   "usage_time_as_submit_time", "show_batch_script", "show_job_environment")

# The scheduling flags of the query (SLURMDB_JOB_FLAG_*) and the v0.0.44 job
# flag each selects.
DB_FLAGS = {
    "scheduler_unset": "NOT_SET",
    "scheduled_on_submit": "STARTED_ON_SUBMIT",
    "scheduled_by_main": "STARTED_ON_SCHEDULE",
    "scheduled_by_backfill": "STARTED_ON_BACKFILL",
    "job_started": "START_RECEIVED",
    "job_altered": "JOB_ALTERED",
}

NOT_APPLIED = {
    "disable_wait_for_result": "disable_wait_for_result is not applied: sacct has no such option; "
                               "it changes how slurmdbd answers, not what",
    "show_batch_script": "show_batch_script is not applied: Slurm {release}'s sacct prints batch "
                         "scripts only as text for one named job, never in its JSON",
    "show_job_environment": "show_job_environment is not applied: Slurm {release}'s sacct prints "
                            "job environments only as text for one named job, never in its JSON",
}

TRUE_WORDS = {"", "true", "yes", "y", "1", "on", "t"}
FALSE_WORDS = {"false", "no", "n", "0", "off", "f"}

# Bounds of "every job" for sacct (it has no "no window"): 2 January 1970
# is past the epoch in every time zone; 2100 is after any job's eligibility.
EPOCH_START = "1970-01-02T00:00:00"
FAR_FUTURE = "2100-01-01T00:00:00"

# Characters a URL query may hold unescaped for slurmrestd: RFC 3986's
# unreserved ones, plus %-escapes, + (a space), and & ; = between pairs.
_UNRESERVED = re.compile(r"[A-Za-z0-9\-._~]")


class QueryError(ValueError):
    """A query value slurmrestd would refuse: the parameter and why."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def unescaped(raw: str) -> QueryError | None:
    """What slurmrestd's URL query reader refuses in the raw query string: a
    character that had to be %-escaped, a broken %-escape, or a second '='.
    slurmrestd answers such a query 400 ("Unable to parse query") before any
    handler runs; the error here names the parameter."""
    for pair in re.split(r"[&;]", raw):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        shown = _unquote(name) or "(nameless)"
        if "=" in value:
            return QueryError(shown, "a second '=' in one parameter; escape it as %3D")
        for part, what in ((name, "name"), (value, "value")):
            i = 0
            while i < len(part):
                char = part[i]
                if char == "%":
                    code = part[i + 1:i + 3]
                    if not re.fullmatch(r"[0-9A-Fa-f]{2}", code) or code.lower() in ("00", "ff"):
                        return QueryError(shown,
                                          f"invalid %-escape {part[i:i + 3]!r} in its {what}")
                    i += 3
                    continue
                if char != "+" and not _UNRESERVED.match(char):
                    return QueryError(shown, f"unescaped {char!r} in its {what}: slurmrestd "
                                             "takes only letters, digits and -._~ as they are; "
                                             f"URL-escape the rest (e.g. {char!r} as "
                                             f"{_escape(char)})")
                i += 1
    return None


def _escape(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode())


def _unquote(text: str) -> str:
    from urllib.parse import unquote_plus
    return unquote_plus(text)


def flag(value: Any, name: str) -> bool:
    """A flag of the query: present and empty, or a true word, sets it."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise QueryError(name, f"{value!r} is not true or false")


def words(value: Any) -> list[str]:
    """A comma-separated query value as its items."""
    if value is None:
        return []
    return [item.strip() for item in str(value).split(",") if item.strip()]


def timestamp(value: Any, name: str, now: float) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        parsed = query_time.parse(str(value), now=now)
    except ValueError as error:
        raise QueryError(name, f"unable to parse time: {error}") from None
    if parsed <= 0:
        raise QueryError(name, f"{value!r} is no time after the epoch")
    return parsed


def midnight(now: float) -> int:
    day = datetime.fromtimestamp(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(_time.mktime(day.timetuple()))


# slurmrestd 25.11 applies its default window (midnight to now) to a query
# with no parameter too, without duplicates and with times truncated to it;
# earlier releases sent slurmdbd no condition at all.
WINDOW_WITHOUT_PARAMETERS_SINCE = (25, 11)


def _release_number(release: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", release)[:2])


@dataclass
class JobQuery:
    """A validated query: sacct's options and the filters done afterwards."""

    everything: bool = False  # no parameter at all: every job, cluster and time
    lists: dict[str, list[str]] = field(default_factory=dict)
    node: str | None = None
    start: int | None = None
    end: int | None = None
    submit_window: tuple[int | None, int | None] | None = None
    flags: set[str] = field(default_factory=set)
    db_flags: set[str] = field(default_factory=set)
    exit_code: int | None = None
    reservations: set[str] = field(default_factory=set)
    reservation_ids: set[int] = field(default_factory=set)
    user_names: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_parameters(cls, parameters: Mapping[str, Any], *, now: float | None = None,
                        release: str = "22.05", knows_job_altered: bool = False) -> "JobQuery":
        """``parameters``: every query parameter by name (None when absent),
        those the operation declares and any other the client sent."""
        now = _time.time() if now is None else now
        given = {k: v for k, v in parameters.items() if v is not None}
        query = cls()
        if not given:
            if _release_number(release) < WINDOW_WITHOUT_PARAMETERS_SINCE:
                query.everything = True
                return query
            # the default window, and (unlike any query with a parameter)
            # neither duplicates nor untruncated times
            query.start, query.end = _window(None, None, now, has_state=False, has_steps=False)
            return query
        for name in given:
            if name not in KNOWN:
                query.warnings.append(f"{name} is not a query parameter of this operation; "
                                      "it was ignored")
        for name in LIST_OPTIONS:
            query.lists[name] = words(given.get(name))
        query.lists = {k: v for k, v in query.lists.items() if v}
        if given.get("node") is not None and str(given["node"]).strip():
            query.node = str(given["node"]).strip()
        query.flags = {name for name in CONDITION_FLAGS if flag(given.get(name), name)}
        query.db_flags = {DB_FLAGS[name] for name in DB_FLAGS if flag(given.get(name), name)}
        if "JOB_ALTERED" in query.db_flags and not knows_job_altered:
            raise QueryError("job_altered", f"Slurm {release} does not record whether a job's "
                                            "accounting record was altered")
        if {"whole_hetjob", "disable_whole_hetjob"} <= query.flags:
            raise QueryError("disable_whole_hetjob", "whole_hetjob and disable_whole_hetjob "
                                                     "are mutually exclusive")
        if given.get("exit_code") is not None and str(given["exit_code"]).strip() != "":
            text = str(given["exit_code"]).strip()
            if not re.fullmatch(r"-?\d+", text) or not -2**31 <= int(text) < 2**31:
                raise QueryError("exit_code", f"{given['exit_code']!r} is not an integer")
            query.exit_code = int(text) or None
        query.reservations = set(words(given.get("reservation")))
        for item in words(given.get("reservation_id")):
            if not item.isdigit():
                raise QueryError("reservation_id", f"{item!r} is not a reservation id")
            query.reservation_ids.add(int(item))
        for item in query.lists.get("users", []):
            query.user_names.add(_user_name(item))
        start = timestamp(given.get("start_time"), "start_time", now)
        end = timestamp(given.get("end_time"), "end_time", now)
        submit = timestamp(given.get("submit_time"), "submit_time", now)
        if submit is not None:
            if start is not None:
                raise QueryError("submit_time", "start_time and submit_time are mutually exclusive")
            query.flags.add("usage_time_as_submit_time")
            start = submit
        if "usage_time_as_submit_time" in query.flags:
            query.submit_window = (start, end)
        else:
            query.start, query.end = _window(start, end, now, has_state="state" in query.lists,
                                             has_steps="step" in query.lists)
        if not query.flags:
            query.flags = {"show_duplicates", "disable_truncate_usage_time"}
        for name, text in NOT_APPLIED.items():
            if name in query.flags:
                query.warnings.append(text.format(release=release))
        return query

    def sacct_options(self) -> list[str]:
        """The selection as sacct options (output options are the caller's)."""
        if self.everything:
            return ["--allusers", "--allclusters", f"--starttime={EPOCH_START}",
                    f"--endtime={FAR_FUTURE}"]
        options = [f"{LIST_OPTIONS[name]}={','.join(items)}" for name, items in self.lists.items()]
        if "users" not in self.lists:
            options.append("--allusers")
        if self.node:
            options.append(f"--nodelist={self.node}")
        if self.submit_window is not None:
            start, _ = self.submit_window
            options += [f"--starttime={format_timestamp(start) if start else EPOCH_START}",
                        f"--endtime={FAR_FUTURE}"]
        else:
            if self.start is not None:
                options.append(f"--starttime={format_timestamp(self.start)}")
            if self.end is not None:
                options.append(f"--endtime={format_timestamp(self.end)}")
            if "disable_truncate_usage_time" not in self.flags:
                options.append("--truncate")
        if "show_duplicates" in self.flags:
            options.append("--duplicates")
        if "skip_steps" in self.flags:
            options.append("--allocations")
        if "whole_hetjob" in self.flags:
            options.append("--whole-hetjob=yes")
        if "disable_whole_hetjob" in self.flags:
            options.append("--whole-hetjob=no")
        return options

    def keeps(self, job: Mapping[str, Any]) -> bool:
        """Does a v0.0.44 job record pass the filters sacct could not apply?"""
        if self.user_names and job.get("user") not in self.user_names:
            return False
        if self.db_flags and self.db_flags != {"NOT_SET"}:
            if not self.db_flags & set(job.get("flags") or ()):
                return False
        if self.exit_code is not None and raw_exit_status(job.get("exit_code")) != self.exit_code:
            return False
        reservation = job.get("reservation") or {}
        if self.reservations and reservation.get("name") not in self.reservations:
            return False
        if self.reservation_ids and reservation.get("id") not in self.reservation_ids:
            return False
        if self.submit_window is not None:
            start, end = self.submit_window
            submitted = (job.get("time") or {}).get("submission") or 0
            if (start is not None and submitted < start) or (end is not None and submitted > end):
                return False
        return True


KNOWN = set(LIST_OPTIONS) | set(CONDITION_FLAGS) | set(DB_FLAGS) | {
    "node", "start_time", "end_time", "submit_time", "exit_code", "reservation",
    "reservation_id", "format"}


def _window(start: int | None, end: int | None, now: float, *, has_state: bool,
            has_steps: bool) -> tuple[int | None, int | None]:
    """slurmrestd's default window (slurmdb_job_cond_def_start_end)."""
    if has_state:
        if start is None and not has_steps:
            start = int(now)
        if start is not None and end is None:
            end = start
    elif not has_steps:
        start = midnight(now) if start is None else start
        end = int(now) if end is None else end
    return start, end


def _user_name(item: str) -> str:
    """Jobs name their user; a uid in the query is matched by its name."""
    if item.isdigit():
        try:
            return pwd.getpwuid(int(item)).pw_name
        except KeyError:
            return item
    return item


def raw_exit_status(verbose: Mapping[str, Any] | None) -> int | None:
    """The wait(2) status a v0.0.44 exit code stands for (what slurmdbd stores)."""
    if not verbose:
        return None
    status = list(verbose.get("status") or [])
    code = (verbose.get("return_code") or {})
    signal = ((verbose.get("signal") or {}).get("id") or {})
    if "SIGNALED" in status or "CORE_DUMPED" in status:
        number = signal.get("number", 0) if signal.get("set") else 0
        return number | (0x80 if "CORE_DUMPED" in status else 0)
    if "SUCCESS" in status or "ERROR" in status:
        return (code.get("number", 0) if code.get("set") else 0) << 8
    return None


# A job id as sacct -j and slurmrestd take it: 123, 123_4 or 123+1, with an
# optional step (.0, .batch, .extern, .interactive).
STEP_SELECTOR = re.compile(r"^\d+(?:_\d+|\+\d+)?(?:\.(?:\d+|batch|extern|interactive))?$")


def job_selector(text: str) -> str | None:
    """The job id of ``GET /job/{job_id}`` as sacct's --jobs value, or None
    when it is not one."""
    value = text.strip()
    return value if STEP_SELECTOR.match(value) else None
