"""Accounting jobs as Slurm 22.05 prints them (``sacct --json``, data parser
v0.0.38), completed by a few columns of ``sacct`` text, turned into the
internal form: the shape of API v0.0.44 ``v0.0.44_job`` (slurmdbd's job,
with its steps).

``jobs_response(doc, text, now=...)`` converts a whole ``sacct --json``
document, ``text`` being what ``text_records`` read from the same query's
``sacct --parsable2 --noheader --format=<TEXT_FIELDS>`` run with
``SLURM_TIME_FORMAT=%s``. Both are pure.

Why the text: 22.05's JSON loses or garbles what v0.0.44 reports, and its
text output still has it (``tests/data/slurm-22.05/sacct/README.md``):

- exit codes: the JSON keeps only the low byte of the wait(2) status, so a
  job that exited 3 is printed ``{"status": "SUCCESS", "return_code": 0}``;
  ``ExitCode``/``DerivedExitCode`` (``3:0``) are right. The status is
  rebuilt (``return_code << 8``, or the signal; the core-dump bit from the
  JSON) and given to ``from_v0038.exit_code``, shared with squeue's jobs;
- ``reservation.name``: the JSON prints a number; ``Reservation`` has the
  name (empty once the reservation is gone, as sacct itself shows);
- ``flags``: the JSON has no START_RECEIVED and a CLEAR_SCHEDULING that is
  no flag of the job (it is the mask of the scheduling bits); ``Flags`` has
  them all (``SchedMain,StartRecieved``);
- ``required.memory_per_cpu``/``memory_per_node``: the JSON prints one
  number without saying which; ``ReqMem`` is the job's total, which is
  memory x CPUs for memory per CPU and memory x nodes for memory per node.
  Memory per CPU when that is what adds up and the two differ; otherwise
  (one CPU per node) memory per node, the same amount;
- ``time.limit``: the JSON prints ``null`` for both "no limit" and "the
  partition's limit"; ``TimelimitRaw`` says ``UNLIMITED`` (infinite) or
  ``Partition_Limit`` (unset);
- ``association.id`` (``AssocID``) and ``submit_line`` (``SubmitLine``)
  are not in the JSON at all.

A record missing from the text (a job that appeared between the two
commands) keeps what the JSON says.

Derived rather than copied: ``hold`` (priority 0, as v0.0.44 dumps it),
``time.planned`` (start, or now for a job not started, minus eligible),
``step.id`` (``<job>.<step>``), a TRES ``count`` of ``null`` is -2 (NO_VAL64
as v0.0.44 prints it for energy nobody measured), ``CPU.governor`` (the
22.05 list of governor bits as v0.0.44's one string: none is "0", all of
them, which is how NO_VAL shows, "", one is its name).

v0.0.44 properties 22.05 cannot supply, left out (none is required):
``block``, ``extra``, ``failed_node``, ``licenses``, ``qosreq``,
``reservation.requested``, ``script``, ``segment_size``, ``stdin``,
``stdout``, ``stderr`` and their ``*_expanded``, ``used_gres``; in steps
``time.limit``, ``step.stdin``/``stdout``/``stderr`` and their
``*_expanded``.
"""

from __future__ import annotations

import time as _time
from typing import Any, Iterable, Mapping

from server.convert.from_v0038 import (
    INFINITE_STRUCT,
    NO_VAL,
    UNSET,
    exit_code as exit_code_verbose,
    integer,
    job_state,
    text,
    u32,
    u64,
)

TEXT_FIELDS = ("jobidraw", "submit", "exitcode", "derivedexitcode", "associd", "reservation",
               "reqmem", "flags", "timelimitraw", "submitline")

# v0.0.44 job flags in their order, and how 22.05's text names them.
JOB_FLAGS = ("NONE", "CLEAR_SCHEDULING", "NOT_SET", "STARTED_ON_SUBMIT", "STARTED_ON_SCHEDULE",
             "STARTED_ON_BACKFILL", "START_RECEIVED", "JOB_ALTERED")
TEXT_FLAGS = {"SchedNotSet": "NOT_SET", "SchedSubmit": "STARTED_ON_SUBMIT",
              "SchedMain": "STARTED_ON_SCHEDULE", "SchedBackfill": "STARTED_ON_BACKFILL",
              "StartRecieved": "START_RECEIVED", "StartReceived": "START_RECEIVED"}
JSON_FLAGS = ("NOT_SET", "STARTED_ON_SUBMIT", "STARTED_ON_SCHEDULE", "STARTED_ON_BACKFILL")

GOVERNORS = {"conservative": "Conservative", "ondemand": "OnDemand", "performance": "Performance",
             "powersave": "PowerSave", "userspace": "UserSpace", "schedutil": "SchedUtil"}

MEMORY_UNITS = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 ** 2, "P": 1024 ** 3}

NOTHING_FOUND = 9003  # ESLURM_REST_EMPTY_RESULT, 22.05's "Nothing found"


def _fresh(struct: Mapping) -> dict:
    return dict(struct)


# ---------------------------------------------------------------------------
# The text columns.

def text_records(output: str) -> dict:
    """``sacct -P -n -o <TEXT_FIELDS>`` (SLURM_TIME_FORMAT=%s) as
    ``{"jobs": {(job_id, submit): row}, "steps": {(job_id, submit, step): row}}``.

    A job's steps follow its row; a step row's own Submit can differ from
    its job's, so steps are keyed by their job's. SubmitLine comes last and
    may hold the delimiter or line breaks: a line that does not start a
    record continues the last one.
    """
    rows: list[dict] = []
    for line in output.split("\n"):
        values = line.split("|", len(TEXT_FIELDS) - 1)
        head = values[0]
        starts = len(values) == len(TEXT_FIELDS) and _record_id(head) is not None \
            and values[1].strip().isdigit()
        if starts:
            rows.append(dict(zip(TEXT_FIELDS, values)))
        elif rows and line:
            rows[-1]["submitline"] += "\n" + line
    jobs, steps = {}, {}
    current: tuple[int, int] | None = None
    for row in rows:
        job_id, step = _record_id(row["jobidraw"])
        if step is None:
            current = (job_id, int(row["submit"]))
            jobs[current] = row
        elif current is not None and current[0] == job_id:
            steps[(*current, step)] = row
    return {"jobs": jobs, "steps": steps}


def _record_id(jobidraw: str) -> tuple[int, str | None] | None:
    job, dot, step = jobidraw.strip().partition(".")
    if not job.isdigit():
        return None
    return int(job), (step if dot else None)


def exit_status(value: str, core_dumped: bool = False) -> int | None:
    """sacct's ``R:S`` (return code, signal) as the wait(2) status."""
    code, colon, signal = value.strip().partition(":")
    if not colon or not code.isdigit() or not signal.isdigit():
        return None
    if int(signal):
        return int(signal) | (0x80 if core_dumped else 0)
    return int(code) << 8


def memory_mb(value: str) -> float | None:
    """ReqMem (``120M``, ``1.50G``) in megabytes."""
    value = value.strip()
    if not value:
        return None
    unit = value[-1].upper()
    try:
        if unit in MEMORY_UNITS:
            return float(value[:-1]) * MEMORY_UNITS[unit]
        return float(value)
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Values.

def _json_exit_status(v38: Mapping | None) -> int | None:
    """What is left of the wait(2) status in 22.05's JSON exit code."""
    if not v38:
        return None
    status = str(v38.get("status", "")).upper()
    signal = (v38.get("signal") or {}).get("signal_id")
    if status in ("SIGNALED", "CORE_DUMPED") and signal is not None:
        return int(signal) | (0x80 if status == "CORE_DUMPED" else 0)
    if status in ("SUCCESS", "ERROR"):
        return int(v38.get("return_code") or 0) << 8
    if status == "PENDING":
        return NO_VAL
    return None


def exit_code(v38: Mapping | None, text_value: str | None) -> dict:
    core = str((v38 or {}).get("status", "")).upper() == "CORE_DUMPED"
    raw = exit_status(text_value, core) if text_value else None
    if raw is None:
        raw = _json_exit_status(v38)
    if raw is None:
        return {"status": ["INVALID"], "return_code": _fresh(UNSET),
                "signal": {"id": _fresh(UNSET), "name": ""}}
    return exit_code_verbose(raw)


def tres_list(items: Iterable[Mapping] | None) -> list[dict]:
    return [{"type": text(item.get("type")), "name": text(item.get("name")),
             "id": integer(item.get("id")),
             "count": -2 if item.get("count") is None else int(item["count"])}
            for item in items or ()]


def governor(value: Any) -> str:
    if isinstance(value, list):
        names = [str(v) for v in value]
    else:
        names = [] if value is None else [str(value)]
    if not names:
        return "0"
    if len(names) == 1:
        return GOVERNORS.get(names[0].lower(), names[0])
    return ""


def job_flags(v38_flags: Iterable[str] | None, text_value: str | None) -> list[str]:
    if text_value is not None and text_value.strip():
        found = {TEXT_FLAGS[f.strip()] for f in text_value.split(",") if f.strip() in TEXT_FLAGS}
    elif text_value is not None:
        found = set()
    else:
        found = {f for f in (v38_flags or ()) if f in JSON_FLAGS}
    return [f for f in JOB_FLAGS if f in found]


def time_limit(v38: Any, text_value: str | None) -> dict:
    value = (text_value or "").strip()
    if value.isdigit():
        return u32(int(value))
    if value.upper() in ("UNLIMITED", "INFINITE"):
        return _fresh(INFINITE_STRUCT)
    if value == "Partition_Limit":
        return _fresh(UNSET)
    return u32(v38)


def required(v38: Mapping, row: Mapping | None) -> dict:
    req = v38.get("required") or {}
    cpus = integer(req.get("CPUs"))
    memory = req.get("memory")
    out = {"CPUs": cpus, "memory_per_cpu": _fresh(UNSET), "memory_per_node": _fresh(UNSET)}
    if memory is None:
        return out
    total = memory_mb(row["reqmem"]) if row else None
    nodes = integer(v38.get("allocation_nodes")) or 1
    per_cpu_total, per_node_total = memory * cpus, memory * nodes
    if (total is not None and per_cpu_total != per_node_total
            and abs(total - per_cpu_total) <= max(1.0, 0.01 * per_cpu_total)):
        out["memory_per_cpu"] = u64(memory)
    else:
        out["memory_per_node"] = u64(memory)
    return out


def planned(v38_time: Mapping, now: float) -> dict:
    eligible = v38_time.get("eligible") or 0
    if not eligible:
        return _fresh(UNSET)
    start = v38_time.get("start") or 0
    return {"set": True, "infinite": False, "number": int((start or now) - eligible)}


def _cpu_time(v38: Mapping | None) -> dict:
    v38 = v38 or {}
    return {"seconds": integer(v38.get("seconds")),
            "microseconds": integer(v38.get("microseconds"))}


# ---------------------------------------------------------------------------
# Records.

def step(v38: Mapping, row: Mapping | None) -> dict:
    t = v38.get("time") or {}
    cpu = v38.get("CPU") or {}
    frequency = cpu.get("requested_frequency") or {}
    identity = v38.get("step") or {}
    tres = v38.get("tres") or {}
    component = (identity.get("het") or {}).get("component")
    job = f"{identity.get('job_id')}" + (f"+{component}" if component is not None else "")
    return {
        "time": {
            "elapsed": integer(t.get("elapsed")),
            "end": u64(t.get("end")),
            "start": u64(t.get("start")),
            "suspended": integer(t.get("suspended")),
            "system": _cpu_time(t.get("system")),
            "total": _cpu_time(t.get("total")),
            "user": _cpu_time(t.get("user")),
        },
        "exit_code": exit_code(v38.get("exit_code"), row["exitcode"] if row else None),
        "nodes": {"count": integer((v38.get("nodes") or {}).get("count")),
                  "range": text((v38.get("nodes") or {}).get("range")),
                  "list": [str(n) for n in (v38.get("nodes") or {}).get("list") or ()]},
        "tasks": {"count": integer((v38.get("tasks") or {}).get("count"))},
        "pid": text(v38.get("pid")),
        "CPU": {"requested_frequency": {"min": u32(frequency.get("min")),
                                        "max": u32(frequency.get("max"))},
                "governor": governor(cpu.get("governor"))},
        "kill_request_user": text(v38.get("kill_request_user")),
        "state": job_state(v38.get("state")),
        "statistics": {
            "CPU": {"actual_frequency": integer(((v38.get("statistics") or {}).get("CPU") or {})
                                                .get("actual_frequency"))},
            "energy": {"consumed": u64(((v38.get("statistics") or {}).get("energy") or {})
                                       .get("consumed"))},
        },
        "step": {"id": f"{job}.{identity.get('id')}", "name": text(identity.get("name"))},
        "task": {"distribution": text((v38.get("task") or {}).get("distribution"))},
        "tres": {
            "requested": {k: tres_list((tres.get("requested") or {}).get(k))
                          for k in ("max", "min", "average", "total")},
            "consumed": {k: tres_list((tres.get("consumed") or {}).get(k))
                         for k in ("max", "min", "average", "total")},
            "allocated": tres_list(tres.get("allocated")),
        },
    }


def job(v38: Mapping[str, Any], text: Mapping | None = None, *, now: float | None = None) -> dict:
    """One 22.05 ``sacct --json`` job as a v0.0.44 ``job``; ``text`` is what
    ``text_records`` read from the same query (or None)."""
    now = _time.time() if now is None else now
    t = v38.get("time") or {}
    key = (integer(v38.get("job_id")), integer(t.get("submission")))
    row = (text or {}).get("jobs", {}).get(key)
    steps_text = (text or {}).get("steps", {})
    array = v38.get("array") or {}
    association = v38.get("association") or {}
    comment = v38.get("comment") or {}
    het = v38.get("het") or {}
    reservation = v38.get("reservation") or {}
    state = v38.get("state") or {}
    tres = v38.get("tres") or {}
    wckey = v38.get("wckey") or {}
    priority = v38.get("priority")
    out = {
        "account": _text(v38.get("account")),
        "comment": {"administrator": _text(comment.get("administrator")),
                    "job": _text(comment.get("job")),
                    "system": _text(comment.get("system"))},
        "allocation_nodes": integer(v38.get("allocation_nodes")),
        "array": {"job_id": integer(array.get("job_id")),
                  "limits": {"max": {"running": {"tasks": integer(
                      (((array.get("limits") or {}).get("max") or {}).get("running") or {})
                      .get("tasks"))}}},
                  "task_id": u32(array.get("task_id")),
                  "task": _text(array.get("task"))},
        "association": {"account": _text(association.get("account")),
                        "cluster": _text(association.get("cluster")),
                        "partition": _text(association.get("partition")),
                        "user": _text(association.get("user")),
                        "id": _association_id(row)},
        "cluster": _text(v38.get("cluster")),
        "constraints": _text(v38.get("constraints")),
        "container": _text(v38.get("container")),
        "derived_exit_code": exit_code(v38.get("derived_exit_code"),
                                       row["derivedexitcode"] if row else None),
        "time": {
            "elapsed": integer(t.get("elapsed")),
            "eligible": integer(t.get("eligible")),
            "end": integer(t.get("end")),
            "planned": planned(t, now),
            "start": integer(t.get("start")),
            "submission": integer(t.get("submission")),
            "suspended": integer(t.get("suspended")),
            "system": _cpu_time(t.get("system")),
            "limit": time_limit(t.get("limit"), row["timelimitraw"] if row else None),
            "total": _cpu_time(t.get("total")),
            "user": _cpu_time(t.get("user")),
        },
        "exit_code": exit_code(v38.get("exit_code"), row["exitcode"] if row else None),
        "flags": job_flags(v38.get("flags"), row["flags"] if row else None),
        "group": _text(v38.get("group")),
        "het": {"job_id": integer(het.get("job_id")), "job_offset": u32(het.get("job_offset"))},
        "job_id": key[0],
        "name": _text(v38.get("name")),
        "mcs": {"label": _text((v38.get("mcs") or {}).get("label"))},
        "nodes": _text(v38.get("nodes")),
        "partition": _text(v38.get("partition")),
        "hold": priority == 0,
        "priority": u32(priority),
        "qos": _text(v38.get("qos")),
        "required": required(v38, row),
        "kill_request_user": _text(v38.get("kill_request_user")),
        "reservation": {"id": integer(reservation.get("id")),
                        "name": row["reservation"] if row else ""},
        "state": {"current": job_state(state.get("current")), "reason": _text(state.get("reason"))},
        "steps": [step(s, steps_text.get((*key, str((s.get("step") or {}).get("id")))))
                  for s in v38.get("steps") or ()],
        "submit_line": row["submitline"] if row else None,
        "tres": {"allocated": tres_list(tres.get("allocated")),
                 "requested": tres_list(tres.get("requested"))},
        "user": _text(v38.get("user")),
        "wckey": {"wckey": _text(wckey.get("wckey")),
                  "flags": [f for f in wckey.get("flags") or () if f == "ASSIGNED_DEFAULT"]},
        "working_directory": _text(v38.get("working_directory")),
    }
    # What only the text has is left out when the text had no row for the job.
    if out["association"]["id"] is None:
        del out["association"]["id"]
    if out["submit_line"] is None:
        del out["submit_line"]
    return out


def _text(value: Any) -> str:
    return text(value)


def _association_id(row: Mapping | None) -> int | None:
    value = (row or {}).get("associd", "").strip()
    return int(value) if value.isdigit() else None


def jobs(records: Iterable[Mapping], text: Mapping | None = None, *,
         now: float | None = None) -> list[dict]:
    return [job(r, text, now=now) for r in records]


def jobs_response(doc: Mapping[str, Any], text: Mapping | None = None, *,
                  now: float | None = None) -> dict:
    """A whole ``sacct --json`` document as ``{"jobs": [...]}``."""
    return {"jobs": jobs(doc.get("jobs") or (), text, now=now)}
