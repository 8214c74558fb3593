"""QOS records: Slurm 22.05's `sacctmgr show qos` text into API v0.0.44
`qos` objects, and v0.0.44 `qos` objects into `sacctmgr add|modify qos`
settings.

Every limit of the v0.0.44 object is one field of sacctmgr, read with the
field name 22.05 accepts in `format=` and written with the key it accepts
after `set` (they differ: MaxSubmitPU is read, MaxSubmitJobsPU written;
MinPrioThres is the only spelling `set` takes). The table below is the one
place that says so.
"""

from __future__ import annotations

from server.convert import sacctmgr_values as values
from server.convert.sacctmgr_values import FieldError
from server.convert.tres import TresTable, format_list, parse_list

# (path in the v0.0.44 object, kind, field in `format=`, key after `set`)
#   kind: uint32 | float | tres | minutes (duration in minutes) |
#         seconds (duration in seconds)
LIMITS: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("limits", "max", "active_jobs", "accruing"), "uint32", "GrpJobsAccrue", "GrpJobsAccrue"),
    (("limits", "max", "active_jobs", "count"), "uint32", "GrpJobs", "GrpJobs"),
    (("limits", "max", "jobs", "count"), "uint32", "GrpSubmit", "GrpSubmitJobs"),
    (("limits", "max", "jobs", "active_jobs", "per", "account"), "uint32", "MaxJobsPA", "MaxJobsPA"),
    (("limits", "max", "jobs", "active_jobs", "per", "user"), "uint32", "MaxJobsPU", "MaxJobsPU"),
    (("limits", "max", "jobs", "per", "account"), "uint32", "MaxSubmitPA", "MaxSubmitJobsPA"),
    (("limits", "max", "jobs", "per", "user"), "uint32", "MaxSubmitPU", "MaxSubmitJobsPU"),
    (("limits", "max", "tres", "total"), "tres", "GrpTRES", "GrpTRES"),
    (("limits", "max", "tres", "minutes", "total"), "tres", "GrpTRESMins", "GrpTRESMins"),
    (("limits", "max", "tres", "minutes", "per", "qos"), "tres", "GrpTRESRunMins", "GrpTRESRunMins"),
    (("limits", "max", "tres", "minutes", "per", "job"), "tres", "MaxTRESMins", "MaxTRESMins"),
    (("limits", "max", "tres", "minutes", "per", "account"), "tres", "MaxTRESRunMinsPA",
     "MaxTRESRunMinsPA"),
    (("limits", "max", "tres", "minutes", "per", "user"), "tres", "MaxTRESRunMinsPU",
     "MaxTRESRunMinsPU"),
    (("limits", "max", "tres", "per", "account"), "tres", "MaxTRESPA", "MaxTRESPA"),
    (("limits", "max", "tres", "per", "job"), "tres", "MaxTRES", "MaxTRES"),
    (("limits", "max", "tres", "per", "node"), "tres", "MaxTRESPerNode", "MaxTRESPerNode"),
    (("limits", "max", "tres", "per", "user"), "tres", "MaxTRESPU", "MaxTRESPU"),
    (("limits", "max", "wall_clock", "per", "qos"), "minutes", "GrpWall", "GrpWall"),
    (("limits", "max", "wall_clock", "per", "job"), "minutes", "MaxWall", "MaxWall"),
    (("limits", "max", "accruing", "per", "account"), "uint32", "MaxJobsAccruePA", "MaxJobsAccruePA"),
    (("limits", "max", "accruing", "per", "user"), "uint32", "MaxJobsAccruePU", "MaxJobsAccruePU"),
    (("limits", "factor"), "float", "LimitFactor", "LimitFactor"),
    (("limits", "min", "priority_threshold"), "uint32", "MinPrioThres", "MinPrioThres"),
    (("limits", "min", "tres", "per", "job"), "tres", "MinTRES", "MinTRES"),
    (("preempt", "exempt_time"), "seconds", "PreemptExemptTime", "PreemptExemptTime"),
    (("priority",), "uint32", "Priority", "Priority"),
    (("usage_factor",), "float", "UsageFactor", "UsageFactor"),
    (("usage_threshold",), "float", "UsageThres", "UsageThreshold"),
)

# The fields of `sacctmgr show qos format=...`, in order: every field 22.05
# prints for a QOS. Description is last: it is free text and the reader keeps
# any `|` in it within the last field.
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("id", "ID"),
    ("flags", "Flags"),
    ("grace_time", "GraceTime"),
    ("preempt", "Preempt"),
    ("preempt_mode", "PreemptMode"),
    *((field, field) for _, _, field, _ in LIMITS),
    ("description", "Description"),
)

# v0.0.44 flag -> 22.05's name of it. PARTITION_QOS (set by slurmctld on a
# partition's QOS) and RELATIVE (Slurm 23.11) have none; NOT_SET, ADD,
# REMOVE and DELETED are not flags a QOS carries (see write below).
FLAGS = {
    "PARTITION_MINIMUM_NODE": "PartitionMinNodes",
    "PARTITION_MAXIMUM_NODE": "PartitionMaxNodes",
    "PARTITION_TIME_LIMIT": "PartitionTimeLimit",
    "ENFORCE_USAGE_THRESHOLD": "EnforceUsageThreshold",
    "NO_RESERVE": "NoReserve",
    "REQUIRED_RESERVATION": "RequiresReservation",
    "DENY_LIMIT": "DenyOnLimit",
    "OVERRIDE_PARTITION_QOS": "OverPartQOS",
    "NO_DECAY": "NoDecay",
    "USAGE_FACTOR_SAFE": "UsageFactorSafe",
}
FLAG_OF_TEXT = {text.lower(): flag for flag, text in FLAGS.items()}
FLAG_ORDER = ("NOT_SET", "ADD", "REMOVE", "DELETED", "PARTITION_MINIMUM_NODE",
              "PARTITION_MAXIMUM_NODE", "PARTITION_TIME_LIMIT", "ENFORCE_USAGE_THRESHOLD",
              "NO_RESERVE", "REQUIRED_RESERVATION", "DENY_LIMIT", "OVERRIDE_PARTITION_QOS",
              "PARTITION_QOS", "NO_DECAY", "USAGE_FACTOR_SAFE", "RELATIVE")

# v0.0.44 preempt modes, in the order slurmrestd lists them. sacctmgr prints
# `cluster` when the QOS has no mode of its own (PREEMPT_MODE_OFF), which
# v0.0.44 calls DISABLED.
PREEMPT_MODES = ("DISABLED", "SUSPEND", "REQUEUE", "CANCEL", "GANG")


def from_row(row: dict[str, str], table: TresTable, *, deleted: bool = False,
             warn=lambda message: None) -> dict:
    """One line of `sacctmgr -n -P show qos format=<FIELDS>` as a v0.0.44 qos."""
    qos: dict = {
        "description": row["description"],
        "flags": _flags(row["flags"], deleted, warn, row["name"]),
        "id": int(row["id"]),
        "limits": {"grace_time": values.duration_seconds(row["grace_time"]) or 0},
        "name": row["name"],
        "preempt": {"list": values.split_words(row["preempt"]),
                    "mode": _preempt_modes(row["preempt_mode"], warn, row["name"])},
    }
    for path, kind, field, _ in LIMITS:
        text = row[field]
        if kind == "tres":
            value = parse_list(text, table)
        elif kind == "float":
            value = values.float_struct(text)
        elif kind == "minutes":
            value = values.minutes_struct(text)
        elif kind == "seconds":
            value = values.seconds_struct(text)
        else:
            value = values.uint32_struct(text)
        _put(qos, path, value)
    return qos


def _flags(text: str, deleted: bool, warn, name: str) -> list[str]:
    found = set()
    for word in values.split_words(text):
        flag = FLAG_OF_TEXT.get(word.lower())
        if flag:
            found.add(flag)
        else:
            warn(f"QOS {name}: flag {word} has no v0.0.44 equivalent and is left out")
    if deleted:
        found.add("DELETED")
    return [flag for flag in FLAG_ORDER if flag in found]


def _preempt_modes(text: str, warn, name: str) -> list[str]:
    words = {word.upper() for word in values.split_words(text)}
    if not words or words <= {"CLUSTER", "OFF"}:
        return ["DISABLED"]
    for word in sorted(words - set(PREEMPT_MODES) - {"CLUSTER", "OFF"}):
        warn(f"QOS {name}: preempt mode {word} has no v0.0.44 equivalent and is left out")
    return [mode for mode in PREEMPT_MODES if mode in words] or ["DISABLED"]


def _put(target: dict, path: tuple[str, ...], value) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


_MISSING = object()


def _get(source: dict, path: tuple[str, ...]):
    for part in path:
        if not isinstance(source, dict) or part not in source:
            return _MISSING
        source = source[part]
    return source


# -- writing ------------------------------------------------------------------


def settings(qos: dict, table: TresTable, where: str, *, current: dict | None = None) -> list[str]:
    """The `Key=value` arguments of `sacctmgr add qos` (current is None) or
    `sacctmgr modify qos ... set` (current is the QOS as it is) that make
    the QOS what the object says. A property left out changes nothing; a
    no_val struct with infinite true clears that limit; a TRES with count -1
    is removed from its limit. Name and id are not settings (see
    server.slurmdb.qos). Raises FieldError for what 22.05 cannot express."""
    if not isinstance(qos, dict):
        raise FieldError(where, "expected a QOS object")
    result: list[str] = []
    if "description" in qos:
        result.append(f"Description={values.text_argument(qos['description'], where + '.description')}")
    if "flags" in qos:
        flags = _flags_argument(qos["flags"], f"{where}.flags", adding=current is None)
        if flags:
            result.append(flags)
    grace = _get(qos, ("limits", "grace_time"))
    if grace is not _MISSING:
        if isinstance(grace, bool) or not isinstance(grace, int) or not 0 <= grace <= values.UINT32_MAX_SETTABLE:
            raise FieldError(f"{where}.limits.grace_time", "a number of seconds (0 or more) is required")
        result.append(f"GraceTime={grace}")
    preempt = qos.get("preempt")
    if preempt is not None and not isinstance(preempt, dict):
        raise FieldError(f"{where}.preempt", "expected an object")
    if preempt and "mode" in preempt:
        result.append(f"PreemptMode={_preempt_mode_argument(preempt['mode'], where + '.preempt.mode')}")
    if preempt and "list" in preempt:
        names = preempt["list"]
        field = f"{where}.preempt.list"
        if not isinstance(names, list):
            raise FieldError(field, "expected a list of QOS names")
        names = [values.name_argument(n, f"{field}[{i}]") for i, n in enumerate(names)]
        if names:
            result.append("Preempt=" + ",".join(names))
        elif current is not None and current.get("preempt", {}).get("list"):
            result.append("Preempt=")  # an empty value clears the list
    for path, kind, _, key in LIMITS:
        value = _get(qos, path)
        if value is _MISSING:
            continue
        field = where + "." + ".".join(path)
        if kind == "tres":
            text = format_list(value, table, field)
        elif kind == "float":
            text = values.no_val_argument(value, field, integer=False, maximum=float("inf"))
        elif kind == "seconds":
            text = values.no_val_argument(value, field)
            text = values.duration_argument(int(text)) if text not in (None, "-1") else text
        else:  # uint32, minutes: sacctmgr reads a bare number of minutes
            text = values.no_val_argument(value, field)
        if text is not None:
            result.append(f"{key}={text}")
    return result


def _flags_argument(flags, field: str, *, adding: bool) -> str | None:
    if not isinstance(flags, list):
        raise FieldError(field, "expected a list of flags")
    words = [str(flag).upper() for flag in flags]
    if "NOT_SET" in words:
        return None  # v0.0.44: "to avoid modifying current values specify NOT_SET"
    operator = "="
    if "ADD" in words and "REMOVE" in words:
        raise FieldError(field, "ADD and REMOVE cannot be given together")
    if "ADD" in words:
        operator = "+="
    elif "REMOVE" in words:
        operator = "-="
    names = []
    for index, flag in enumerate(words):
        if flag in ("ADD", "REMOVE", "DELETED"):
            continue  # DELETED says what a record is; it is not set
        if flag not in FLAGS:
            raise FieldError(f"{field}[{index}]", f"{flag} cannot be set with Slurm 22.05 "
                             f"(it knows {', '.join(FLAGS)})")
        names.append(FLAGS[flag])
    if not names:
        if operator != "=" or adding:
            return None
        return "Flags=-1"  # an empty list: no flags at all
    return f"Flags{operator}{','.join(names)}"


def _preempt_mode_argument(modes, field: str) -> str:
    if not isinstance(modes, list):
        raise FieldError(field, "expected a list of preempt modes")
    words = [str(mode).upper() for mode in modes]
    for index, word in enumerate(words):
        if word not in PREEMPT_MODES:
            raise FieldError(f"{field}[{index}]", f"{word} is not one of {', '.join(PREEMPT_MODES)}")
    chosen = [mode for mode in PREEMPT_MODES if mode in words and mode != "DISABLED"]
    if "DISABLED" in words and chosen:
        raise FieldError(field, "DISABLED cannot be combined with other modes")
    if len([m for m in chosen if m != "GANG"]) > 1:
        raise FieldError(field, "only one of SUSPEND, REQUEUE and CANCEL can be given (with GANG)")
    return ",".join(mode.lower() for mode in chosen) or "off"
