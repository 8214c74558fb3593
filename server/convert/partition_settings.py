"""A v0.0.45 ``partition_info`` of a request body as the settings of
`scontrol create/update partition` (``Key=value`` arguments).

Every field either becomes a setting, is read-only (what Slurm counts or
derives: totals, the configured TRES, the raw memory and share words; left
alone, as slurmrestd does) or is refused by name: nothing given is dropped.
An unset no_val struct leaves the setting to Slurm.
"""

from __future__ import annotations

from server import jobdesc
from server.convert.partitions import oversubscribe_word

# partition_info path -> scontrol key, for values written as they are.
TEXT = {
    "nodes.allowed_allocation": "AllocNodes",
    "nodes.configured": "Nodes",
    "accounts.allowed": "AllowAccounts",
    "accounts.deny": "DenyAccounts",
    "groups.allowed": "AllowGroups",
    "qos.allowed": "AllowQos",
    "qos.deny": "DenyQos",
    "qos.assigned": "QOS",
    "alternate": "Alternate",
    "tres.billing_weights": "TRESBillingWeights",
    "defaults.job": "JobDefaults",
    "partition.exclusive": "ExclusiveUser",
    "partition.oversubscribe": "OverSubscribe",
    "grace_time": "GraceTime",
    "minimums.nodes": "MinNodes",
    "priority.job_factor": "PriorityJobFactor",
    "priority.tier": "PriorityTier",
}
# no_val structs (or plain numbers): set -> the number, infinite -> UNLIMITED.
LIMITS = {
    "defaults.partition_memory_per_cpu": "DefMemPerCPU",
    "defaults.partition_memory_per_node": "DefMemPerNode",
    "defaults.time": "DefaultTime",
    "maximums.cpus_per_node": "MaxCPUsPerNode",
    "maximums.cpus_per_socket": "MaxCPUsPerSocket",
    "maximums.partition_memory_per_cpu": "MaxMemPerCPU",
    "maximums.partition_memory_per_node": "MaxMemPerNode",
    "maximums.nodes": "MaxNodes",
    "maximums.time": "MaxTime",
    "maximums.over_time_limit": "OverTimeLimit",
    "timeouts.resume": "ResumeTimeout",
    "timeouts.suspend": "SuspendTimeout",
    "suspend_time": "SuspendTime",
}
# Counted or derived by Slurm: not settings.
READ_ONLY = {"nodes.total", "cpus.total", "tres.configured", "cluster", "topology",
             "defaults.memory_per_cpu", "maximums.memory_per_cpu", "maximums.shares", "node_sets",
             "select_type"}
# flags -> (key, value); the _CLEAR forms set the same key to NO.
FLAGS = {"DEFAULT": "Default", "HIDDEN": "Hidden", "NO_ROOT": "DisableRootJobs",
         "ROOT_ONLY": "RootOnly", "REQ_RESV": "ReqResv", "LLN": "LLN",
         "PDOI": "PowerDownOnIdle"}
TASK_BINDING = {"CPU_BIND_TO_THREADS": "threads", "CPU_BIND_TO_CORES": "cores",
                "CPU_BIND_TO_SOCKETS": "sockets", "CPU_BIND_TO_LDOMS": "ldoms",
                "CPU_BIND_NONE": "none", "CPU_BIND_OFF": "off", "VERBOSE": "verbose"}
PREEMPT = {"DISABLED": "OFF", "SUSPEND": "SUSPEND", "REQUEUE": "REQUEUE", "CANCEL": "CANCEL",
           "PRIORITY": "PRIORITY"}
STATES = {"UP", "DOWN", "DRAIN", "INACTIVE"}
MAX_TEXT = 65_536  # characters of one value


def settings(partition, where: str) -> tuple[str, list[str]]:
    """(name, ["Key=value", ...]) of one partition_info, or a 400 naming
    the first field that cannot be set."""
    if not isinstance(partition, dict):
        raise jobdesc.bad_field(where, "expected a partition_info object")
    name = partition.get("name")
    if not isinstance(name, str) or not name.strip() or any(c in name for c in " ,=\n\t"):
        raise jobdesc.bad_field(f"{where}.name", "expected a partition name")
    out: list[str] = []
    for path, value in _leaves(partition, ""):
        field = f"{where}.{path}"
        if path == "name" or path in READ_ONLY:
            continue
        if path in TEXT:
            out.append(f"{TEXT[path]}={_text(value, field)}")
        elif path in LIMITS:
            limit = _limit(value, field)
            if limit is not None:
                out.append(f"{LIMITS[path]}={limit}")
        elif path == "flags":
            out.extend(_flags(value, field))
        elif path == "cpus.task_binding":
            out.append("CpuBind=" + ",".join(_words(value, TASK_BINDING, field)) if value else "CpuBind=")
        elif path == "preempt_mode":
            modes = [m for m in _words(value, {**PREEMPT, "CLUSTER_GLOBAL": None}, field) if m]
            if modes:
                out.append("PreemptMode=" + ",".join(modes))
        elif path == "partition.state":
            states = value if isinstance(value, list) else [value]
            if len(states) != 1 or states[0] not in STATES:
                raise jobdesc.bad_field(field, f"expected one of {', '.join(sorted(STATES))}")
            out.append(f"State={states[0]}")
        elif path in ("maximums.oversubscribe.jobs", "maximums.oversubscribe.flags"):
            continue  # one setting of both, below
        else:
            raise jobdesc.bad_field(field, "cannot be set by scontrol")
    oversubscribe = (partition.get("maximums") or {}).get("oversubscribe")
    if isinstance(oversubscribe, dict) and "jobs" in oversubscribe:
        out.append("OverSubscribe=" + _oversubscribe(oversubscribe, f"{where}.maximums.oversubscribe"))
    return name, out


def _leaves(value: dict, prefix: str):
    """(path, value) of each field, objects opened except no_val structs and
    the oversubscribe pair."""
    for key, item in value.items():
        path = f"{prefix}{key}"
        if item == {}:
            continue
        if isinstance(item, dict) and not {"set", "number"} & item.keys():
            yield from _leaves(item, path + ".")
        else:
            yield path, item


def _text(value, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise jobdesc.bad_field(field, "expected a string or a number")
    text = str(value)
    if len(text) > MAX_TEXT or any(c in text for c in "\n\r\0"):
        raise jobdesc.bad_field(field, "too long, or holds a line break")
    return text


def _limit(value, field: str) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        if value.get("infinite") is True:
            return "UNLIMITED"
        number = value.get("number")
        if value.get("set") is True and isinstance(number, int) and not isinstance(number, bool):
            return str(number)
        if not value.get("set"):
            return None
    raise jobdesc.bad_field(field, "expected a number or a no_val struct")


def _words(value, names: dict, field: str) -> list:
    if not isinstance(value, list) or any(v not in names for v in value):
        raise jobdesc.bad_field(field, f"expected a list of {', '.join(names)}")
    return [names[v] for v in value]


def _flags(value, field: str) -> list[str]:
    if not isinstance(value, list):
        raise jobdesc.bad_field(field, "expected a list of flags")
    out = []
    for flag in value:
        base = flag.removesuffix("_CLEAR") if isinstance(flag, str) else None
        if base not in FLAGS:
            raise jobdesc.bad_field(field, f"unknown flag {flag!r}")
        out.append(f"{FLAGS[base]}={'NO' if flag.endswith('_CLEAR') else 'YES'}")
    return out


def _oversubscribe(value: dict, field: str) -> str:
    jobs, flags = value.get("jobs"), value.get("flags") or []
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0 or not isinstance(flags, list) \
            or any(f != "force" for f in flags):
        raise jobdesc.bad_field(field, "expected jobs (a count) and flags ([] or [force])")
    return oversubscribe_word(jobs, "force" in flags)
