"""``sdiag`` text (Slurm 22.05) -> the ``statistics`` of GET /slurm/v0.0.44/diag/.

sdiag prints one ``Label: value`` line per counter, grouped under headings;
the same label can mean two fields ("Last cycle" of the main scheduler and
of backfill), so the table below is keyed by (section, label). Lines that are
not ``Label: value`` (the times in the banner, the gettimeofday latency, the
RPC tables) have patterns of their own.

What 22.05's text leaves out, and is therefore left out here: parts_packed,
the sums the means are computed from (schedule_cycle_sum,
schedule_cycle_depth, bf_cycle_sum, bf_depth_sum, bf_depth_try_sum,
bf_queue_len_sum, bf_table_size_sum), and the scheduler exit reasons
(schedule_exit, bf_exit; read when a newer sdiag prints them). sdiag prints
the means only once a cycle ran ("Mean cycle" and the like are missing when
"Total cycles: 0"), and "Cycles per minute" only a minute after the last
reset; missing lines give missing fields.

The RPC-by-type items require queued, dropped, cycle_last and cycle_max,
which come from the RPC queue of later Slurm versions: 22.05 has none, so
they are 0 unless the line says otherwise. Averages are the integer
``ave_time`` sdiag printed (total / count, rounded down, like slurmrestd's).
"""

from __future__ import annotations

import re
from typing import Callable

# --- converters ---------------------------------------------------------------


def _int(value: str) -> int:
    return int(value.split()[0])


def _no_val(number: int) -> dict:
    return {"set": True, "infinite": False, "number": number}


_EPOCH = re.compile(r"\((-?\d+)\)\s*$")


def _timestamp(value: str) -> dict:
    """``Sat Nov 21 08:03:37 2026 (1795248217)``, or ``N/A`` for never."""
    if value.strip() == "N/A":
        return _no_val(0)
    match = _EPOCH.search(value)
    if match is None:
        raise ValueError(f"sdiag: no UNIX time in {value!r}")
    return _no_val(int(match[1]))


# --- the table ----------------------------------------------------------------

# Section names, by the heading line that opens them.
_HEADINGS: dict[str, str] = {
    "Main schedule statistics (microseconds):": "main",
    "Main scheduler exit:": "schedule_exit",
    "Backfilling stats": "backfill",
    "Backfilling stats (WARNING: data obtained in the middle of backfilling execution.)":
        "backfill",
    "Backfill exit": "bf_exit",
    "Remote Procedure Call statistics by message type": "rpcs_by_type",
    "Remote Procedure Call statistics by user": "rpcs_by_user",
    "Pending RPC statistics": "pending",
    "Pending RPCs": "pending_dump",
}

Field = tuple[tuple[str, ...], Callable[[str], object]]

# (section, label) -> (path of the field in the statistics object, converter)
_LABELLED: dict[tuple[str, str], Field] = {
    ("top", "Server thread count"): (("server_thread_count",), _int),
    ("top", "Agent queue size"): (("agent_queue_size",), _int),
    ("top", "Agent count"): (("agent_count",), _int),
    ("top", "Agent thread count"): (("agent_thread_count",), _int),
    ("top", "DBD Agent queue size"): (("dbd_agent_queue_size",), _int),
    ("top", "Jobs submitted"): (("jobs_submitted",), _int),
    ("top", "Jobs started"): (("jobs_started",), _int),
    ("top", "Jobs completed"): (("jobs_completed",), _int),
    ("top", "Jobs canceled"): (("jobs_canceled",), _int),
    ("top", "Jobs failed"): (("jobs_failed",), _int),
    ("top", "Job states ts"): (("job_states_ts",), _timestamp),
    ("top", "Jobs pending"): (("jobs_pending",), _int),
    ("top", "Jobs running"): (("jobs_running",), _int),
    ("main", "Last cycle"): (("schedule_cycle_last",), _int),
    ("main", "Max cycle"): (("schedule_cycle_max",), _int),
    ("main", "Total cycles"): (("schedule_cycle_total",), _int),
    ("main", "Mean cycle"): (("schedule_cycle_mean",), _int),
    ("main", "Mean depth cycle"): (("schedule_cycle_mean_depth",), _int),
    ("main", "Cycles per minute"): (("schedule_cycle_per_minute",), _int),
    ("main", "Last queue length"): (("schedule_queue_length",), _int),
    ("schedule_exit", "End of job queue"): (("schedule_exit", "end_job_queue"), _int),
    ("schedule_exit", "Hit default_queue_depth"):
        (("schedule_exit", "default_queue_depth"), _int),
    ("schedule_exit", "Hit sched_max_job_start"): (("schedule_exit", "max_job_start"), _int),
    ("schedule_exit", "Blocked on licenses"): (("schedule_exit", "licenses"), _int),
    ("schedule_exit", "Hit max_rpc_cnt"): (("schedule_exit", "max_rpc_cnt"), _int),
    ("schedule_exit", "Timeout (max_sched_time)"): (("schedule_exit", "max_sched_time"), _int),
    ("backfill", "Total backfilled jobs (since last slurm start)"):
        (("bf_backfilled_jobs",), _int),
    ("backfill", "Total backfilled jobs (since last stats cycle start)"):
        (("bf_last_backfilled_jobs",), _int),
    ("backfill", "Total backfilled heterogeneous job components"):
        (("bf_backfilled_het_jobs",), _int),
    ("backfill", "Total cycles"): (("bf_cycle_counter",), _int),
    ("backfill", "Last cycle when"): (("bf_when_last_cycle",), _timestamp),
    ("backfill", "Last cycle"): (("bf_cycle_last",), _int),
    ("backfill", "Max cycle"): (("bf_cycle_max",), _int),
    ("backfill", "Mean cycle"): (("bf_cycle_mean",), _int),
    ("backfill", "Last depth cycle"): (("bf_last_depth",), _int),
    ("backfill", "Last depth cycle (try sched)"): (("bf_last_depth_try",), _int),
    ("backfill", "Depth Mean"): (("bf_depth_mean",), _int),
    ("backfill", "Depth Mean (try depth)"): (("bf_depth_mean_try",), _int),
    ("backfill", "Last queue length"): (("bf_queue_len",), _int),
    ("backfill", "Queue length mean"): (("bf_queue_len_mean",), _int),
    ("backfill", "Last table size"): (("bf_table_size",), _int),
    ("backfill", "Mean table size"): (("bf_table_size_mean",), _int),
    ("bf_exit", "End of job queue"): (("bf_exit", "end_job_queue"), _int),
    ("bf_exit", "Hit bf_max_job_start"): (("bf_exit", "bf_max_job_start"), _int),
    ("bf_exit", "Hit bf_max_job_test"): (("bf_exit", "bf_max_job_test"), _int),
    ("bf_exit", "System state changed"): (("bf_exit", "state_changed"), _int),
    ("bf_exit", "Hit table size limit (bf_node_space_size)"):
        (("bf_exit", "bf_node_space_size"), _int),
    ("bf_exit", "Timeout (bf_max_time)"): (("bf_exit", "bf_max_time"), _int),
}

# Lines that are not "Label: value", in any section: pattern -> field.
_PATTERNS: tuple[tuple[re.Pattern, Field], ...] = (
    (re.compile(r"^sdiag output at (?P<v>.*)$"), (("req_time",), _timestamp)),
    (re.compile(r"^Data since\s+(?P<v>.*)$"), (("req_time_start",), _timestamp)),
    (re.compile(r"^Latency for 1000 calls to gettimeofday\(\): (?P<v>-?\d+) microseconds$"),
     (("gettimeofday_latency",), _int)),
)

# One RPC table line: "NAME    ( 2009) count:56     ave_time:196    total_time:10991"
_RPC_LINE = re.compile(r"^(?P<name>\S+)\s*\(\s*(?P<id>\d+)\)(?P<rest>.*)$")
_RPC_VALUE = re.compile(r"(\w+):(\d+)")
# One pending RPC dump line: " 1: REQUEST_TERMINATE_JOB                n[1-3]"
_DUMP_LINE = re.compile(r"^\d+:\s+(?P<name>\S+)\s+(?P<hosts>\S+)$")

# The order of the statistics object's properties in the v0.0.44 schema.
_ORDER = (
    "parts_packed", "req_time", "req_time_start", "server_thread_count",
    "agent_queue_size", "agent_count", "agent_thread_count", "dbd_agent_queue_size",
    "gettimeofday_latency", "schedule_cycle_max", "schedule_cycle_last",
    "schedule_cycle_sum", "schedule_cycle_total", "schedule_cycle_mean",
    "schedule_cycle_mean_depth", "schedule_cycle_per_minute", "schedule_cycle_depth",
    "schedule_exit", "schedule_queue_length", "jobs_submitted", "jobs_started",
    "jobs_completed", "jobs_canceled", "jobs_failed", "jobs_pending", "jobs_running",
    "job_states_ts", "bf_backfilled_jobs", "bf_last_backfilled_jobs",
    "bf_backfilled_het_jobs", "bf_cycle_counter", "bf_cycle_mean", "bf_depth_mean",
    "bf_depth_mean_try", "bf_cycle_sum", "bf_cycle_last", "bf_cycle_max", "bf_exit",
    "bf_last_depth", "bf_last_depth_try", "bf_depth_sum", "bf_depth_try_sum",
    "bf_queue_len", "bf_queue_len_mean", "bf_queue_len_sum", "bf_table_size",
    "bf_table_size_sum", "bf_table_size_mean", "bf_when_last_cycle", "bf_active",
    "rpcs_by_message_type", "rpcs_by_user", "pending_rpcs", "pending_rpcs_by_hostlist",
)


# --- parsing ------------------------------------------------------------------


def parse(text: str) -> dict:
    """The v0.0.44 ``stats_msg`` object of ``sdiag``'s stdout."""
    return parse_with_leftovers(text)[0]


def parse_with_leftovers(text: str) -> tuple[dict, list[str]]:
    """``parse``, and the non-blank lines it did not understand (for tests:
    a format change shows up here rather than as silently missing fields)."""
    if "sdiag output at" not in text:
        raise ValueError("not sdiag output: no 'sdiag output at' line")
    stats: dict = {}
    leftovers: list[str] = []
    section = "top"
    for raw in text.splitlines():
        line = raw.strip()
        if not line or set(line) == {"*"}:
            continue
        if line in _HEADINGS:
            section = _HEADINGS[line]
            _open_section(stats, section, line)
            continue
        if not _read_line(stats, section, line):
            leftovers.append(raw)
    return {key: stats[key] for key in _ORDER if key in stats}, leftovers


def _open_section(stats: dict, section: str, heading: str) -> None:
    if section == "backfill":
        stats["bf_active"] = "WARNING" in heading
    elif section == "rpcs_by_type":
        stats["rpcs_by_message_type"] = []
    elif section == "rpcs_by_user":
        stats["rpcs_by_user"] = []
    elif section == "pending":
        # sdiag prints the "Pending RPCs" dump only when there is one
        stats["pending_rpcs"] = []
        stats["pending_rpcs_by_hostlist"] = []
    elif section in ("schedule_exit", "bf_exit"):
        stats[section] = {}


def _read_line(stats: dict, section: str, line: str) -> bool:
    for pattern, field in _PATTERNS:
        match = pattern.match(line)
        if match:
            _store(stats, field, match["v"])
            return True
    reader = _TABLE_READERS.get(section)
    if reader is not None:
        return reader(stats, line)
    label, sep, value = line.partition(":")
    field = _LABELLED.get((section, label.strip())) if sep else None
    if field is None:
        return False
    _store(stats, field, value.strip())
    return True


def _store(stats: dict, field: Field, value: str) -> None:
    path, convert = field
    target = stats
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = convert(value)


def _rpc_values(rest: str) -> dict[str, int]:
    return {key: int(number) for key, number in _RPC_VALUE.findall(rest)}


def _read_rpc_type(stats: dict, line: str) -> bool:
    match = _RPC_LINE.match(line)
    if match is None:
        return False
    values = _rpc_values(match["rest"])
    stats["rpcs_by_message_type"].append(
        {
            "type_id": int(match["id"]),
            "message_type": match["name"],
            "count": values.get("count", 0),
            "queued": values.get("queued", 0),
            "dropped": values.get("dropped", 0),
            "cycle_last": values.get("cycle_last", 0),
            "cycle_max": values.get("cycle_max", 0),
            "total_time": values.get("total_time", 0),
            "average_time": _no_val(values.get("ave_time", 0)),
        }
    )
    return True


def _read_rpc_user(stats: dict, line: str) -> bool:
    match = _RPC_LINE.match(line)
    if match is None:
        return False
    values = _rpc_values(match["rest"])
    stats["rpcs_by_user"].append(
        {
            "user_id": int(match["id"]),
            "user": match["name"],
            "count": values.get("count", 0),
            "total_time": values.get("total_time", 0),
            "average_time": _no_val(values.get("ave_time", 0)),
        }
    )
    return True


def _read_pending(stats: dict, line: str) -> bool:
    if line == "No pending RPCs":
        return True
    match = _RPC_LINE.match(line)
    if match is None:
        return False
    stats["pending_rpcs"].append(
        {
            "type_id": int(match["id"]),
            "message_type": match["name"],
            "count": _rpc_values(match["rest"]).get("count", 0),
        }
    )
    return True


def _read_pending_dump(stats: dict, line: str) -> bool:
    match = _DUMP_LINE.match(line)
    if match is None:
        return False
    name = match["name"]
    item: dict = {}
    # sdiag names the type only; its number is in the tables above
    for known in stats.get("pending_rpcs", []) + stats.get("rpcs_by_message_type", []):
        if known["message_type"] == name:
            item["type_id"] = known["type_id"]
            break
    item["message_type"] = name
    item["count"] = expand_hostlist(match["hosts"])
    stats.setdefault("pending_rpcs_by_hostlist", []).append(item)
    return True


_TABLE_READERS: dict[str, Callable[[dict, str], bool]] = {
    "rpcs_by_type": _read_rpc_type,
    "rpcs_by_user": _read_rpc_user,
    "pending": _read_pending,
    "pending_dump": _read_pending_dump,
}


# --- hostlists ----------------------------------------------------------------


def expand_hostlist(hostlist: str) -> list[str]:
    """Slurm's ranged host names, one by one: ``n[1-3,5],m01`` -> n1 n2 n3 n5 m01.

    Ranges keep their zero padding (``n[01-03]`` -> n01 n02 n03); several
    bracket groups in one name multiply (``r[1-2]n[1-2]`` -> r1n1 r1n2 r2n1
    r2n2), as slurmrestd's dump of a hostlist does.
    """
    hosts: list[str] = []
    for name in _split_top_level(hostlist):
        hosts.extend(_expand_name(name))
    return hosts


def _split_top_level(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in parts if p]


def _expand_name(name: str) -> list[str]:
    open_at = name.find("[")
    if open_at < 0:
        return [name]
    close_at = name.find("]", open_at)
    if close_at < 0:
        return [name]
    prefix, ranges, suffix = name[:open_at], name[open_at + 1:close_at], name[close_at + 1:]
    middles: list[str] = []
    for part in ranges.split(","):
        low, dash, high = part.partition("-")
        if not dash:
            middles.append(low)
            continue
        width = len(low) if low.startswith("0") else 0
        middles.extend(f"{n:0{width}d}" for n in range(int(low), int(high) + 1))
    return [prefix + middle + rest for middle in middles for rest in _expand_name(suffix)]
