"""Partitions as Slurm 22.05's `scontrol -o show partition` prints them,
turned into the internal form, the shape of v0.0.44 ``partition_info``.

``partition(fields)`` converts one record (``scontrol_text.record``),
``partitions(text)`` a whole output. Both are pure.

How 22.05 prints a partition (``slurm_sprint_partition_info``; recordings in
``tests/data/slurm-22.05/partitions/``):

- ``AllowGroups``, ``AllowAccounts``, ``AllowQos`` and ``AllocNodes`` print
  ``ALL`` when no list is set; that is v0.0.44's empty string. Only one of
  ``AllowAccounts``/``DenyAccounts`` is printed (the deny list only when no
  allow list is set, which is also when slurmctld applies it); the same for
  the QOS lists.
- ``Alternate``, ``CpuBind``, ``NodeSets``, ``TRESBillingWeights`` and the
  power-saving ``ResumeTimeout``/``SuspendTimeout``/``SuspendTime`` appear
  only when set.
- Times (``DefaultTime``, ``MaxTime``) are ``[D-]HH:MM:SS``, ``NONE`` (unset)
  or ``UNLIMITED``; v0.0.44 counts them in minutes.
- ``OverSubscribe`` is ``EXCLUSIVE`` (max_share 0), ``NO`` (1), ``YES:N`` or
  ``FORCE:N`` (N | SHARED_FORCE); v0.0.44's ``maximums.shares`` is that raw
  max_share, ``maximums.oversubscribe`` the count and the ``force`` flag.
- Memory: ``DefMemPerCPU=N`` or ``DefMemPerNode=N|UNLIMITED`` (the same for
  ``Max...``). v0.0.44 gives the raw value Slurm keeps (the number, with the
  MEM_PER_CPU bit 2^63 for per-CPU values, as a signed 64-bit integer) and
  the per-CPU and per-node numbers as no_val structs, exactly one of them
  set; "UNLIMITED" per node is 0, which is how Slurm stores it.
- ``SelectTypeParameters`` is ``NONE`` or ``select_type_param_string``'s
  names (``CR_CORE_MEMORY,CR_ONE_TASK_PER_CORE``); v0.0.44 names each bit.

v0.0.44 properties 22.05 has nothing for, given their "not set" value, as
Slurm 25.11 prints them for a partition that does not use them:
``cluster`` and ``topology`` (""), ``maximums.cpus_per_socket`` (infinite:
22.05 has no per-socket limit), and, when the power-saving fields are not
printed, ``timeouts`` and ``suspend_time`` (unset: the global setting).
22.05 fields v0.0.44 has no place for (``Default``, ``Hidden``,
``RootOnly``, ``ReqResv``, ``ExclusiveUser``, ``DisableRootJobs``, ``LLN``,
``PreemptMode``; v0.0.45 adds partition flags) are not sent.
"""

from __future__ import annotations

from typing import Mapping

from server.convert import scontrol_text
from server.convert.slurm_time import UNLIMITED_WORDS, duration_minutes, duration_seconds

UNSET = {"set": False, "infinite": False, "number": 0}
INFINITE = {"set": False, "infinite": True, "number": 0}

MEM_PER_CPU = 1 << 63
SHARED_FORCE = 0x8000

PARTITION_STATES = {"UP", "DOWN", "DRAIN", "INACTIVE", "UNKNOWN"}

# select_type_param_string() names -> v0.0.44 select_type names
SELECT_TYPE = {
    "CR_CPU": ["CPU"],
    "CR_SOCKET": ["SOCKET"],
    "CR_CORE": ["CORE"],
    "CR_BOARD": ["BOARD"],
    "CR_MEMORY": ["MEMORY"],
    "CR_CPU_MEMORY": ["CPU", "MEMORY"],
    "CR_CORE_MEMORY": ["CORE", "MEMORY"],
    "CR_SOCKET_MEMORY": ["SOCKET", "MEMORY"],
    "CR_ONE_TASK_PER_CORE": ["ONE_TASK_PER_CORE"],
    "CR_PACK_NODES": ["PACK_NODES"],
    "CR_CORE_DEFAULT_DIST_BLOCK": ["CORE_DEFAULT_DIST_BLOCK"],
    "CR_LLN": ["LLN"],
    "LINEAR": ["LINEAR"],
}

# slurm_sprint_cpu_bind_type() names -> cpu_bind_type_t bits (slurm.h)
CPU_BIND = {
    "verbose": 0x0001,
    "threads": 0x0002,
    "cores": 0x0004,
    "sockets": 0x0008,
    "ldoms": 0x0010,
    "none": 0x0020,
    "rank": 0x0040,
    "map_cpu": 0x0080,
    "mask_cpu": 0x0100,
    "rank_ldom": 0x0200,
    "map_ldom": 0x0400,
    "mask_ldom": 0x0800,
    "boards": 0x1000,
    "one_thread": 0x2000,
    "autobind=threads": 0x4000,
    "cpusets": 0x8000,
    "autobind=cores": 0x10000,
    "autobind=sockets": 0x20000,
    "off": 0x80000,
}


def partitions(text: str) -> list[dict]:
    return [partition(fields) for fields in scontrol_text.records(text) if "PartitionName" in fields]


def partition(f: Mapping[str, str]) -> dict:
    """One `scontrol -o show partition` record as v0.0.44 partition_info,
    properties in the order Slurm 25.11 prints them."""
    shares = _max_share(f.get("OverSubscribe", "NO"))
    return {
        "nodes": {
            "allowed_allocation": _all_is_empty(f.get("AllocNodes")),
            "configured": _text(f.get("Nodes")),
            "total": _int(f.get("TotalNodes")),
        },
        "accounts": {
            "allowed": _all_is_empty(f.get("AllowAccounts")),
            "deny": _text(f.get("DenyAccounts")),
        },
        "groups": {"allowed": _all_is_empty(f.get("AllowGroups"))},
        "qos": {
            "allowed": _all_is_empty(f.get("AllowQos")),
            "deny": _text(f.get("DenyQos")),
            "assigned": _text(f.get("QoS")),
        },
        "alternate": _text(f.get("Alternate")),
        "tres": {
            "billing_weights": _text(f.get("TRESBillingWeights")),
            "configured": _text(f.get("TRES")),
        },
        "cluster": "",
        "select_type": select_type(f.get("SelectTypeParameters", "NONE")),
        "cpus": {
            "task_binding": cpu_bind(f.get("CpuBind")),
            "total": _int(f.get("TotalCPUs")),
        },
        "defaults": {
            **memory("Def", f),
            "time": minutes_limit(f.get("DefaultTime")),
            "job": _text(f.get("JobDefaults")),
        },
        "grace_time": _int(f.get("GraceTime")),
        "maximums": {
            "cpus_per_node": count_limit(f.get("MaxCPUsPerNode")),
            "cpus_per_socket": count_limit(f.get("MaxCPUsPerSocket", "UNLIMITED")),
            **memory("Max", f),
            "nodes": count_limit(f.get("MaxNodes")),
            "shares": shares,
            "oversubscribe": {
                "jobs": shares & ~SHARED_FORCE,
                "flags": ["force"] if shares & SHARED_FORCE else [],
            },
            "time": minutes_limit(f.get("MaxTime")),
            "over_time_limit": count_limit(f.get("OverTimeLimit")),
        },
        "minimums": {"nodes": _int(f.get("MinNodes"))},
        "name": f.get("PartitionName", ""),
        "node_sets": _text(f.get("NodeSets")),
        "priority": {
            "job_factor": _int(f.get("PriorityJobFactor")),
            "tier": _int(f.get("PriorityTier")),
        },
        "timeouts": {
            "resume": seconds_limit(f.get("ResumeTimeout")),
            "suspend": seconds_limit(f.get("SuspendTimeout")),
        },
        "topology": "",
        "partition": {"state": [state(f.get("State"))]},
        "suspend_time": seconds_limit(f.get("SuspendTime")),
    }


# ---------------------------------------------------------------------------
# Value converters


def _text(value: str | None) -> str:
    return scontrol_text.value_or_none(value) or ""


def _all_is_empty(value: str | None) -> str:
    text = _text(value)
    return "" if text == "ALL" else text


def _int(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def _number(number: int) -> dict:
    return {"set": True, "infinite": False, "number": number}


def count_limit(value: str | None) -> dict:
    """``UNLIMITED`` -> infinite, ``NONE``/missing -> unset, N -> N."""
    if value is None or value.strip() in ("NONE", "", "(null)", "GLOBAL"):
        return dict(UNSET)
    if value.strip() in UNLIMITED_WORDS:
        return dict(INFINITE)
    try:
        return _number(int(value))
    except ValueError:
        return dict(UNSET)


def minutes_limit(value: str | None) -> dict:
    """A time limit printed as ``[D-]HH:MM:SS`` in minutes."""
    if value is None or value.strip() in ("NONE", "", "(null)"):
        return dict(UNSET)
    if value.strip() in UNLIMITED_WORDS:
        return dict(INFINITE)
    minutes = duration_minutes(value)
    return dict(UNSET) if minutes is None else _number(minutes)


def seconds_limit(value: str | None) -> dict:
    """The power-saving times: seconds, ``INFINITE``, or ``GLOBAL``/absent
    (the cluster-wide setting applies: unset)."""
    if value is None or value.strip() in ("GLOBAL", "NONE", "", "(null)"):
        return dict(UNSET)
    if value.strip() in UNLIMITED_WORDS:
        return dict(INFINITE)
    try:
        return _number(int(value))
    except ValueError:
        seconds = duration_seconds(value)
        return dict(UNSET) if seconds is None else _number(seconds)


def state(value: str | None) -> str:
    text = (value or "").strip().upper()
    return text if text in PARTITION_STATES else "UNKNOWN"


def select_type(value: str) -> list[str]:
    names: list[str] = []
    for word in value.split(","):
        for name in SELECT_TYPE.get(word.strip().upper(), []):
            if name not in names:
                names.append(name)
    return names


def cpu_bind(value: str | None) -> int:
    bits = 0
    for word in _text(value).split(","):
        bits |= CPU_BIND.get(word.strip(), 0)
    return bits


def oversubscribe_word(jobs: int, force: bool) -> str:
    """How scontrol writes OverSubscribe: FORCE:N, EXCLUSIVE, NO or YES:N."""
    if force:
        return f"FORCE:{jobs}"
    return "EXCLUSIVE" if jobs == 0 else "NO" if jobs == 1 else f"YES:{jobs}"


def _max_share(value: str) -> int:
    value = value.strip().upper()
    if value == "EXCLUSIVE":
        return 0
    if value == "NO":
        return 1
    kind, _, count = value.partition(":")
    jobs = int(count) if count.isdigit() else 1
    return jobs | SHARED_FORCE if kind == "FORCE" else jobs


def _signed64(raw: int) -> int:
    return raw - (1 << 64) if raw >= (1 << 63) else raw


def memory(prefix: str, f: Mapping[str, str]) -> dict:
    """``DefMemPerCPU``/``DefMemPerNode`` (prefix "Def") or the ``Max`` pair
    as v0.0.44's raw value and its two no_val structs."""
    per_cpu = f.get(f"{prefix}MemPerCPU")
    if per_cpu is not None:
        number = 0 if per_cpu.strip() in UNLIMITED_WORDS else _int(per_cpu)
        return {
            "memory_per_cpu": _signed64(number | MEM_PER_CPU),
            "partition_memory_per_cpu": _number(number),
            "partition_memory_per_node": dict(UNSET),
        }
    per_node = f.get(f"{prefix}MemPerNode", "UNLIMITED")
    number = 0 if per_node.strip() in UNLIMITED_WORDS else _int(per_node)
    return {
        "memory_per_cpu": number,
        "partition_memory_per_cpu": dict(UNSET),
        "partition_memory_per_node": _number(number),
    }
