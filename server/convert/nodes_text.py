"""Nodes as Slurm 22.05's ``scontrol show node`` prints them, turned into the
internal form, the shape of API v0.0.44 ``v0.0.44_node``.

``records(text)`` reads the multi-line output into one dict per node (keys as
printed); ``node(record)`` converts one of them, ``nodes_response(text)`` a
whole answer into ``{"nodes", "last_update"}``. All pure.

Why the multi-line form and not ``scontrol -o``: a node's free texts
(``Reason``, ``Comment``, ``Extra``, ``OS``) may hold spaces and even
``Key=value`` words (``Reason=bad DIMM Slot=3``); on one line nothing tells
where they end. In the multi-line form scontrol puts each of them on a line
of its own, so a line that starts with one of ``FREE_TEXT`` is that one
value, whatever it holds. A reason of several lines continues on lines
indented deeper than the three spaces of an ordinary line. Why not
``sinfo --json``: 22.05's sinfo cannot show FUTURE nodes, and lacks the
effective and specialised CPUs, energy, reservation and GRES details.

How 22.05 prints a node, and the choices made here:

- Times are local time as ``2026-11-21T08:21:03`` (``SLURM_TIME_FORMAT`` is
  not passed to Slurm commands, so it is always this form); ``None`` and
  ``Unknown`` stand for 0. They become ``{set: true, number: <epoch>}``, 0
  included, as v0.0.44 prints them.
- ``State=IDLE+DRAIN``: the base state, then the flags, each a v0.0.44 enum
  name already; ``PERFCTRS`` (22.05's NODE_STATE_NET) has no v0.0.44 name and
  is dropped with a warning.
- ``Reason=text [user@time]``: the reason, who set it and when.
- ``Owner=N/A``, ``MCS_label=N/A``, ``(null)``: "" (v0.0.44 prints "" for an
  unset string); ``Owner=alice(1001)`` is ``alice``.
- ``Port`` is printed only when it differs from slurm.conf's SlurmdPort: the
  caller passes that as ``default_port``.
- ``CPULoad=N/A`` (a node that never reported) and ``FreeMem=N/A``:
  ``cpu_load`` is left out (v0.0.44 has no "unset" for it), ``free_mem`` is
  unset.
- ``GresUsed``/``GresDrain`` are printed only with ``--details``; without
  it ``gres_used``/``gres_drained`` are left out rather than guessed.
- ``CurrentWatts``/``AveWatts`` fill ``energy``; the consumed-energy counters
  are not printed and are left out.
- ``alloc_idle_cpus`` is ``CPUTot - CPUAlloc``; ``tres_weighted`` (ignored
  since 23.02) is 0.0, ``power`` and ``external_sensors`` (deprecated, no
  properties) are ``{}``, as v0.0.44 prints them.
- Things 22.05 does not have at all are given the value v0.0.44 prints for
  "none": ``resume_after`` and ``tls_cert_last_renewal`` 0, ``cert_flags``
  [], ``gpu_spec``/``instance_id``/``instance_type``/``topology`` "",
  ``res_cores_per_gpu`` 0. Where a later Slurm prints them
  (``ResumeAfterTime``, ``InstanceId``, ...) the printed value is used.
- ``last_update``: scontrol does not print it; it is unset.

Left out because 22.05's scontrol does not say: ``cluster_name`` (only set in
a federation) and the energy counters.
"""

from __future__ import annotations

import re
import time
from datetime import datetime
from typing import Any, Iterable, Mapping

# The v0.0.44 node states (base states and flags), as its enum lists them.
NODE_STATES = (
    "INVALID", "UNKNOWN", "DOWN", "IDLE", "ALLOCATED", "ERROR", "MIXED", "FUTURE",
    "EXTERNAL", "RESERVED", "UNDRAIN", "CLOUD", "RESUME", "DRAIN", "COMPLETING",
    "NOT_RESPONDING", "POWERED_DOWN", "FAIL", "POWERING_UP", "MAINTENANCE",
    "REBOOT_REQUESTED", "REBOOT_CANCELED", "POWERING_DOWN", "DYNAMIC_FUTURE",
    "REBOOT_ISSUED", "PLANNED", "INVALID_REG", "POWER_DOWN", "POWER_UP",
    "POWER_DRAIN", "DYNAMIC_NORM", "BLOCKED",
)

# Values whose line is theirs alone in the multi-line output: everything after
# "Key=" is the value, spaces and "=" included.
FREE_TEXT = ("Reason", "Comment", "Extra", "OS", "AvailableFeatures", "ActiveFeatures",
             "Gres", "GresDrain", "GresUsed", "CfgTRES", "AllocTRES", "ReservationName")

NOT_SET = {"(null)", "N/A", "n/a", ""}

# cpu_bind_type_t bits (slurm.h) by the names slurm_sprint_cpu_bind_type()
# prints and `scontrol update nodename= CpuBind=` reads.
CPU_BIND = {
    "verbose": 0x1,
    "threads": 0x2,
    "cores": 0x4,
    "sockets": 0x8,
    "ldoms": 0x10,
    "none": 0x20,
    "rank": 0x40,
    "map_cpu": 0x80,
    "mask_cpu": 0x100,
    "rank_ldom": 0x200,
    "map_ldom": 0x400,
    "mask_ldom": 0x800,
    "boards": 0x1000,
    "one_thread": 0x2000,
    "autobind=threads": 0x4000,
    "autobind=cores": 0x10000,
    "autobind=sockets": 0x20000,
    "off": 0x80000,
}

_REASON_STAMP = re.compile(r"^(?P<text>.*) \[(?P<user>[^\[\]@]*)@(?P<time>[^\[\]@]+)\]$", re.S)
_KEY_VALUE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)=(.*)$", re.S)

UNSET = {"set": False, "infinite": False, "number": 0}


# ---------------------------------------------------------------------------
# The text: records of raw values.

def records(text: str) -> list[dict[str, str]]:
    """Every node of a multi-line `scontrol show node` answer, as a dict of
    the keys and values printed (values as text, ``Reason`` lines joined
    with newlines)."""
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    last_free: str | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("NodeName="):
            current, last_free = {}, None
            found.append(current)
            _words(line, current)
            continue
        if current is None:
            continue  # e.g. a heading such as "Node data as of ..."
        body = line[3:] if line.startswith("   ") else line.lstrip()
        if body.startswith(" ") and last_free is not None:
            # A further line of a multi-line value (a reason of several lines).
            current[last_free] += "\n" + body.strip()
            continue
        key = body.split("=", 1)[0]
        if key in FREE_TEXT and "=" in body:
            current[key] = body.split("=", 1)[1].rstrip(" ")
            last_free = key
        else:
            _words(body, current)
            last_free = None
    return found


def _words(line: str, into: dict[str, str]) -> None:
    for word in line.split():
        match = _KEY_VALUE.match(word)
        if match:
            into[match.group(1)] = match.group(2)


# ---------------------------------------------------------------------------
# Value converters.

def text(value: str | None) -> str:
    return "" if value is None or value.strip() in NOT_SET else value


def integer(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def csv_list(value: str | None) -> list[str]:
    value = text(value)
    return [item for item in value.split(",") if item] if value else []


def epoch(value: str | None) -> int | None:
    """A time as scontrol prints it, in seconds since the epoch (0 for
    ``None``/``Unknown``); None when it cannot be read."""
    if value is None:
        return None
    value = value.strip()
    if value in ("None", "Unknown", "0", ""):
        return 0
    try:
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    return int(time.mktime(moment.timetuple()))


def timestamp(value: str | None) -> dict:
    seconds = epoch(value)
    return UNSET.copy() if seconds is None else {"set": True, "infinite": False, "number": seconds}


def states(value: str | None, warnings: list[str] | None = None) -> list[str]:
    """``IDLE+DRAIN`` as ["IDLE", "DRAIN"]."""
    result = []
    for name in text(value).split("+"):
        name = name.strip().upper()
        if not name:
            continue
        if name in NODE_STATES:
            result.append(name)
        elif warnings is not None:
            warnings.append(f"node state {name} has no name in the API and is left out")
    return result


def cpu_bind(value: str | None, warnings: list[str] | None = None) -> int:
    bits = 0
    for name in csv_list(value):
        if name in CPU_BIND:
            bits |= CPU_BIND[name]
        elif warnings is not None:
            warnings.append(f"CPU binding {name} is not known and is left out of cpu_binding")
    return bits


def owner(value: str | None) -> str:
    value = text(value)
    return value.split("(", 1)[0] if value else ""


def reason(value: str | None) -> tuple[str, str, dict]:
    """The reason text, who set it and when, from ``text [user@time]``."""
    value = text(value)
    if not value:
        return "", "", {"set": True, "infinite": False, "number": 0}
    first, _, rest = value.partition("\n")
    match = _REASON_STAMP.match(first)
    if not match:
        return value, "", {"set": True, "infinite": False, "number": 0}
    reason_text = match.group("text") + ("\n" + rest if rest else "")
    return reason_text, match.group("user"), timestamp(match.group("time"))


def cpu_load(value: str | None) -> int | None:
    try:
        return round(float(value) * 100)
    except (TypeError, ValueError):
        return None


def free_mem(value: str | None) -> dict:
    if value is None or text(value) == "":
        return UNSET.copy()
    return {"set": True, "infinite": False, "number": integer(value)}


def watts(value: str | None) -> dict:
    if value is None or text(value) == "":
        return UNSET.copy()
    return {"set": True, "infinite": False, "number": integer(value)}


def energy(record: Mapping[str, str]) -> dict:
    result: dict[str, Any] = {}
    if text(record.get("AveWatts")):
        result["average_watts"] = integer(record["AveWatts"])
    if "CurrentWatts" in record:
        result["current_watts"] = watts(record["CurrentWatts"])
    return result


def _gpu_spec(value: str | None) -> str:
    # Later Slurms print RestrictedCoresPerGPU=2(0-3): the count, then the cores.
    if not value or "(" not in value:
        return ""
    return value.split("(", 1)[1].rstrip(")")


# ---------------------------------------------------------------------------
# A node.

def node(record: Mapping[str, str], *, default_port: int = 6818, detailed: bool = True,
         warnings: list[str] | None = None) -> dict:
    """One node record of `scontrol show node` in the v0.0.44 form, keys in
    the schema's order."""
    r = record
    reason_text, reason_user, reason_time = reason(r.get("Reason"))
    cpus = integer(r.get("CPUTot"))
    alloc_cpus = integer(r.get("CPUAlloc"))
    out: dict[str, Any] = {
        "architecture": text(r.get("Arch")),
        "burstbuffer_network_address": text(r.get("BcastAddr")),
        "boards": integer(r.get("Boards")),
        "boot_time": timestamp(r.get("BootTime")),
        "tls_cert_last_renewal": {"set": True, "infinite": False, "number": 0},
        "cert_flags": [],
        "cores": integer(r.get("CoresPerSocket")),
        "specialized_cores": integer(r.get("CoreSpecCount")),
        "cpu_binding": cpu_bind(r.get("CpuBind"), warnings),
        "cpu_load": cpu_load(r.get("CPULoad")),
        "free_mem": free_mem(r.get("FreeMem")),
        "cpus": cpus,
        "effective_cpus": integer(r.get("CPUEfctv"), cpus),
        "specialized_cpus": text(r.get("CPUSpecList")),
        "energy": energy(r),
        "external_sensors": {},
        "extra": text(r.get("Extra")),
        "power": {},
        "features": csv_list(r.get("AvailableFeatures")),
        "active_features": csv_list(r.get("ActiveFeatures")),
        "gpu_spec": _gpu_spec(r.get("RestrictedCoresPerGPU")),
        "gres": text(r.get("Gres")),
        # Printed as is ("N/A" included, as v0.0.44 prints it); only with details.
        "gres_drained": r.get("GresDrain"),
        # With details, not printed means none.
        "gres_used": r.get("GresUsed", "" if detailed else None),
        "instance_id": text(r.get("InstanceId")),
        "instance_type": text(r.get("InstanceType")),
        "last_busy": timestamp(r.get("LastBusyTime")),
        "mcs_label": text(r.get("MCS_label")),
        "specialized_memory": integer(r.get("MemSpecLimit")),
        "name": r.get("NodeName", ""),
        "next_state_after_reboot": states(r.get("NextState"), warnings) or ["INVALID"],
        "address": text(r.get("NodeAddr")),
        "hostname": text(r.get("NodeHostName")),
        "state": states(r.get("State"), warnings),
        "operating_system": text(r.get("OS")),
        "owner": owner(r.get("Owner")),
        "partitions": csv_list(r.get("Partitions")),
        "port": integer(r.get("Port"), default_port),
        "real_memory": integer(r.get("RealMemory")),
        "res_cores_per_gpu": integer((r.get("RestrictedCoresPerGPU") or "0").split("(")[0]),
        "comment": text(r.get("Comment")),
        "reason": reason_text,
        "reason_changed_at": reason_time,
        "reason_set_by_user": reason_user,
        "resume_after": timestamp(r.get("ResumeAfterTime", "None")),
        "reservation": text(r.get("ReservationName")),
        "alloc_memory": integer(r.get("AllocMem")),
        "alloc_cpus": alloc_cpus,
        "alloc_idle_cpus": max(cpus - alloc_cpus, 0),
        "tres_used": text(r.get("AllocTRES")),
        "tres_weighted": 0.0,
        "slurmd_start_time": timestamp(r.get("SlurmdStartTime")),
        "sockets": integer(r.get("Sockets")),
        "threads": integer(r.get("ThreadsPerCore")),
        "temporary_disk": integer(r.get("TmpDisk")),
        "weight": integer(r.get("Weight")),
        "topology": text(r.get("Topology")),
        "tres": text(r.get("CfgTRES")),
        "version": text(r.get("Version")),
    }
    return {key: value for key, value in out.items() if value is not None}


def nodes(text_output: str, **options) -> list[dict]:
    return [node(record, **options) for record in records(text_output)]


def nodes_response(text_output: str, *, default_port: int = 6818, detailed: bool = True,
                   names: Iterable[str] | None = None,
                   warnings: list[str] | None = None) -> dict:
    """A whole `scontrol show node` answer as ``{"nodes", "last_update"}``;
    ``names`` keeps only the nodes of exactly those names."""
    wanted = set(names) if names is not None else None
    listed = [
        node(record, default_port=default_port, detailed=detailed, warnings=warnings)
        for record in records(text_output)
        if wanted is None or record.get("NodeName") in wanted
    ]
    return {"nodes": listed, "last_update": UNSET.copy()}
