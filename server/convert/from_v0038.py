"""Jobs as Slurm 22.05 prints them (``squeue --json``, data parser v0.0.38)
turned into the internal form, the shape of API v0.0.44 ``v0.0.44_job_info``.

``job(v38)`` converts one job record, ``jobs_response(doc)`` a whole
``squeue --json`` document into ``{"jobs", "last_backfill", "last_update"}``
(the caller adds ``meta``, ``errors`` and ``warnings``). Both are pure.
``JobConverter`` makes the jobs of a list as job() does, each from the one
before where they print the same (twice as fast for a queue).

How 22.05 prints a job (``tests/data/slurm-22.05/README.md`` has the details):
one flat record; times and counts are plain integers; a number that is unset
or unlimited is ``null``; ``job_state`` is one string; ``exit_code`` and
``derived_exit_code`` are raw wait(2) statuses; flags carry the C macro names
(``JOB_MEM_SET``); ``job_resources`` is a summary with only the allocated
cores, and pending jobs have none. The module is organised as in Slurm's own
data parsers: a table (``FIELDS``) lists every v0.0.44 property in schema
order with where it comes from and a named converter; the converters and the
lookup tables (``JOB_STATES``, ``JOB_FLAGS``, ``SHARED``, ``SIGNALS``) follow.

Choices where 22.05's output is ambiguous (each one is a converter below):

- ``null`` is "unset" ({set: false}) except: ``time_limit`` (a submitted job
  without limit runs under an INFINITE partition limit) and ``tasks_per_core``
  / ``tasks_per_socket`` (slurmctld keeps INFINITE16 when they are not asked
  for; v0.0.44 of Slurm 25.11 prints them as infinite), which become
  {infinite: true}; ``nice`` becomes 0 (v0.0.44 prints 0 for "no nice").
- Both memory fields ``null`` (``--mem=0`` or no memory request without a
  default) is ``memory_per_node`` 0, the "whole node" Slurm itself prints.
- ``core_spec``/``thread_spec`` both ``null`` (no specialisation, NO_VAL16)
  is core_spec 0, thread_spec 32766, as v0.0.44 prints NO_VAL16.
- A 22.05 state string that is a state *flag* hides the base state. Where the
  base is certain it is restored (CONFIGURING and RESIZING only happen to
  RUNNING jobs; REQUEUED, REQUEUE_HOLD, SPECIAL_EXIT, REQUEUE_FED and
  RESV_DEL_HOLD to PENDING ones); otherwise (COMPLETING, STAGE_OUT, STOPPED,
  SIGNALING, REVOKED, ...) the list holds only the flag.
- Flags without a v0.0.44 name (JOB_RESIZED, JOB_PROM, SHOW_*) are dropped.
- ``job_resources``: ``select_type`` is what the caller passes as
  ``cr_type`` (the SelectTypeParameters as v0.0.44 names, e.g.
  ``["CORE", "MEMORY"]``), otherwise only what 22.05 reveals: ``CORE`` when
  it prints ``allocated_cores``, ``CPU`` when it prints ``allocated_cpus``;
  ``nodes.select_type`` (how nodes were picked: AVAILABLE, ONE_ROW, RESERVED)
  is not printed by 22.05 and depends on the partition: it is ``[]``;
  ``nodes.whole`` is true for jobs that share nothing (``shared`` none, user
  or mcs); ``threads_per_core`` is unset; per node, ``cpus.count`` (not
  printed by 22.05) is the job's CPUs for a one-node job, else the node's
  allocated cores times the job's CPUs per allocated core; ``sockets`` lists
  only allocated cores (22.05 prints no others), IN_USE when 22.05 says
  "allocated_and_in_use".
- Pending jobs get no ``job_resources`` at all. (Slurm 25.11 prints
  ``"job_resources": null``, which its own schema does not allow.)
- ``last_backfill`` and ``last_update``: 22.05's ``squeue --json`` prints
  neither, so both are {set: false, infinite: false, number: 0} (unset).

v0.0.44 properties 22.05 cannot supply, left out (none is required):
``allocating_node``, ``container_id``, ``cron``, ``extra``, ``failed_node``,
``job_size_str``, ``licenses_allocated``, ``mail_type``, ``mail_user``,
``maximum_switch_wait_time``, ``network``, ``preemptable_time``,
``priority_by_partition``, ``required_switches``, ``scheduled_nodes``,
``segment_size``, ``selinux_context``, ``stdin_expanded``,
``stdout_expanded``, ``stderr_expanded``, ``submit_line``,
``tasks_per_tres``, and ``step_id.sluid``.
Derived rather than copied: ``hold`` (priority 0), ``power`` (always
``{"flags": []}``, as v0.0.44 prints the removed field), ``step_id`` (the
job's own id, step "entire").
Dropped: ``show_flags`` (how the query was made, not a job property).
"""

from __future__ import annotations

from itertools import chain, compress
from operator import ne
from typing import Any, Callable, Iterable, Mapping, Sequence

# Sentinels of Slurm's fixed-width unsigned numbers, should 22.05 print one.
NO_VAL16, INFINITE16 = 0xFFFE, 0xFFFF
NO_VAL, INFINITE = 0xFFFFFFFE, 0xFFFFFFFF
NO_VAL64, INFINITE64 = 0xFFFFFFFFFFFFFFFE, 0xFFFFFFFFFFFFFFFF

# A job holds some forty of these, mostly unset, infinite or a small count:
# those are one shared object each, not 400,000 dicts for 10,000 jobs
# (80 MB). What a converter returns is never changed afterwards (a
# converted job list is shared by every request of the window), so sharing
# them is safe; nothing may change them in place.
UNSET = {"set": False, "infinite": False, "number": 0}
INFINITE_STRUCT = {"set": False, "infinite": True, "number": 0}
_SMALL_NUMBERS = tuple({"set": True, "infinite": False, "number": n} for n in range(1024))


def number(value: int) -> dict:
    """A set number as a no_val struct (a shared one for small counts)."""
    if 0 <= value < 1024:
        return _SMALL_NUMBERS[value]
    return {"set": True, "infinite": False, "number": value}


# ---------------------------------------------------------------------------
# Value converters: one v0.0.38 value in, one v0.0.44 value out.

def text(value: Any) -> str:
    if value.__class__ is str:  # nearly always: 10,000 jobs make half a million calls
        return value
    return "" if value is None else str(value)


def boolean(value: Any) -> bool:
    return bool(value)


def integer(value: Any) -> int:
    if value.__class__ is int:
        return value
    return 0 if value is None else int(value)


def no_val(bits: int = 32, null: str = "unset") -> Callable[[Any], dict]:
    """A number into ``v0.0.44_uint{bits}_no_val_struct``. ``null`` says what
    22.05's ``null`` stands for there: "unset" or "infinite"."""
    sentinels = {16: (NO_VAL16, INFINITE16), 32: (NO_VAL, INFINITE), 64: (NO_VAL64, INFINITE64)}
    no_value, infinite = sentinels[bits]

    # Some forty a job, mostly null, a sentinel or a small count: looked up.
    known = {None: INFINITE_STRUCT if null == "infinite" else UNSET, infinite: INFINITE_STRUCT,
             no_value: UNSET, **dict(enumerate(_SMALL_NUMBERS))}

    def convert(value: Any) -> dict:
        found = known.get(value)
        return found if found is not None else number(int(value))

    convert.__name__ = f"no_val{bits}" + ("_null_infinite" if null == "infinite" else "")
    convert.known = known  # for job()'s loop, which looks values up without the call
    return convert


u16 = no_val(16)
u32 = no_val(32)
u64 = no_val(64)
timestamp = no_val(64)
u16_null_infinite = no_val(16, null="infinite")
u32_null_infinite = no_val(32, null="infinite")


def f64(value: Any) -> dict:
    """A float into ``v0.0.44_float64_no_val_struct``."""
    if value is None:
        return UNSET
    if value == float("inf"):
        return INFINITE_STRUCT
    return {"set": True, "infinite": False, "number": float(value)}


def string_list(value: Any) -> list[str]:
    return [] if value is None else [str(v) for v in value]


# Job states. Base states map to themselves; see the module docstring for
# the flags 22.05 prints instead of a base state.
BASE_STATES = ("PENDING", "RUNNING", "SUSPENDED", "COMPLETED", "CANCELLED", "FAILED",
               "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY")
JOB_STATES: dict[str, list[str]] = {
    **{state: [state] for state in BASE_STATES},
    "CONFIGURING": ["RUNNING", "CONFIGURING"],
    "RESIZING": ["RUNNING", "RESIZING"],
    "REQUEUED": ["PENDING", "REQUEUED"],
    "REQUEUE_HOLD": ["PENDING", "REQUEUE_HOLD"],
    "REQUEUE_FED": ["PENDING", "REQUEUE_FED"],
    "SPECIAL_EXIT": ["PENDING", "SPECIAL_EXIT"],
    "RESV_DEL_HOLD": ["PENDING", "RESV_DEL_HOLD"],
    "COMPLETING": ["COMPLETING"],
    "STAGE_OUT": ["STAGE_OUT"],
    "STOPPED": ["STOPPED"],
    "SIGNALING": ["SIGNALING"],
    "REVOKED": ["REVOKED"],
    "LAUNCH_FAILED": ["LAUNCH_FAILED"],
    "RECONFIG_FAIL": ["RECONFIG_FAIL"],
    "POWER_UP_NODE": ["POWER_UP_NODE"],
}


def job_state(value: Any) -> list[str]:
    return list(JOB_STATES.get(text(value).strip().upper(), []))


# Job flags: 22.05 prints the C macro names, v0.0.44 has its own names for
# the same bits (job_info_t.bitflags).
JOB_FLAGS: dict[str, str] = {
    "KILL_INV_DEP": "KILL_INVALID_DEPENDENCY",
    "NO_KILL_INV_DEP": "NO_KILL_INVALID_DEPENDENCY",
    "HAS_STATE_DIR": "HAS_STATE_DIRECTORY",
    "BACKFILL_TEST": "TESTING_BACKFILL",
    "GRES_ENFORCE_BIND": "GRES_BINDING_ENFORCED",
    "TEST_NOW_ONLY": "TEST_NOW_ONLY",
    "JOB_SEND_ENV": "SEND_JOB_ENVIRONMENT",
    "SPREAD_JOB": "SPREAD_JOB",
    "USE_MIN_NODES": "PREFER_MINIMUM_NODE_COUNT",
    "JOB_KILL_HURRY": "JOB_KILL_HURRY",
    "TRES_STR_CALC": "SKIP_TRES_STRING_ACCOUNTING",
    "SIB_JOB_FLUSH": "SIBLING_CLUSTER_UPDATE_ONLY",
    "HET_JOB_FLAG": "HETEROGENEOUS_JOB",
    "JOB_NTASKS_SET": "EXACT_TASK_COUNT_REQUESTED",
    "JOB_CPUS_SET": "EXACT_CPU_COUNT_REQUESTED",
    "BF_WHOLE_NODE_TEST": "TESTING_WHOLE_NODE_BACKFILL",
    "TOP_PRIO_TMP": "TOP_PRIORITY_JOB",
    "JOB_ACCRUE_OVER": "ACCRUE_COUNT_CLEARED",
    "GRES_DISABLE_BIND": "GRES_BINDING_DISABLED",
    "JOB_WAS_RUNNING": "JOB_WAS_RUNNING",
    "RESET_ACCRUE_TIME": "JOB_ACCRUE_TIME_RESET",
    "CRON_JOB": "CRON_JOB",
    "JOB_MEM_SET": "EXACT_MEMORY_REQUESTED",
    "EXTERNAL_JOB": "EXTERNAL_JOB",
    "USE_DEFAULT_ACCT": "USING_DEFAULT_ACCOUNT",
    "USE_DEFAULT_PART": "USING_DEFAULT_PARTITION",
    "USE_DEFAULT_QOS": "USING_DEFAULT_QOS",
    "USE_DEFAULT_WCKEY": "USING_DEFAULT_WCKEY",
    "JOB_DEPENDENT": "DEPENDENT",
    "JOB_MAGNETIC": "MAGNETIC",
    "JOB_PART_ASSIGNED": "PARTITION_ASSIGNED",
    "BACKFILL_SCHED": "BACKFILL_ATTEMPTED",
    "BACKFILL_LAST": "SCHEDULING_ATTEMPTED",
}


def job_flags(value: Any) -> list[str]:
    out: list[str] = []
    for name in value or ():
        new = JOB_FLAGS.get(str(name).strip())
        if new and new not in out:
            out.append(new)
    return out


# How the job shares nodes (job_info_t.shared).
SHARED = {"none": "none", "shared": "oversubscribe", "oversubscribe": "oversubscribe",
          "user": "user", "mcs": "mcs", "topo": "topo"}
WHOLE_NODE_SHARED = ("none", "user", "mcs")


def shared(value: Any) -> list[str]:
    new = SHARED.get(text(value).strip().lower())
    return [new] if new else []


PROFILES = {"notset": "NOT_SET", "not_set": "NOT_SET", "none": "NONE", "energy": "ENERGY",
            "lustre": "LUSTRE", "network": "NETWORK", "task": "TASK"}


def profile(value: Any) -> list[str]:
    """acct_gather_profile; 22.05 prints null for "not set"."""
    if value is None:
        return ["NOT_SET"]
    items = value.split(",") if isinstance(value, str) else value
    out = [PROFILES[p] for p in (str(i).strip().lower() for i in items) if p in PROFILES]
    return out or ["NOT_SET"]


# Signal names as Slurm prints them (sig_num2name: no "SIG"), Linux numbers.
SIGNALS = {1: "HUP", 2: "INT", 3: "QUIT", 4: "ILL", 5: "TRAP", 6: "ABRT", 7: "BUS", 8: "FPE",
           9: "KILL", 10: "USR1", 11: "SEGV", 12: "USR2", 13: "PIPE", 14: "ALRM", 15: "TERM",
           16: "STKFLT", 17: "CHLD", 18: "CONT", 19: "STOP", 20: "TSTP", 21: "TTIN", 22: "TTOU",
           23: "URG", 24: "XCPU", 25: "XFSZ", 26: "VTALRM", 27: "PROF", 28: "WINCH", 29: "IO",
           30: "PWR", 31: "SYS"}


def _unset() -> dict:
    return UNSET


def exit_code(value: Any) -> dict:
    """A raw wait(2) status into ``v0.0.44_process_exit_code_verbose``."""
    unset = _unset
    if value is None or value in (NO_VAL, INFINITE):
        return {"status": ["PENDING"], "return_code": unset(),
                "signal": {"id": unset(), "name": ""}}
    status = int(value)
    signal = status & 0x7F
    if signal == 0:  # WIFEXITED
        code = (status >> 8) & 0xFF
        return {"status": ["SUCCESS" if code == 0 else "ERROR"],
                "return_code": {"set": True, "infinite": False, "number": code},
                "signal": {"id": unset(), "name": ""}}
    if signal != 0x7F:  # WIFSIGNALED
        return {"status": ["CORE_DUMPED" if status & 0x80 else "SIGNALED"],
                "return_code": unset(),
                "signal": {"id": {"set": True, "infinite": False, "number": signal},
                           "name": SIGNALS.get(signal, "")}}
    return {"status": ["INVALID"], "return_code": unset(), "signal": {"id": unset(), "name": ""}}


# ---------------------------------------------------------------------------
# Record converters: the whole v0.0.38 job in (and the options of job()),
# one v0.0.44 value out, for properties made from several fields. Each reads
# only the fields FIELDS names for it (JobConverter relies on it).

def core_spec(v38: Mapping, opts: Mapping) -> int | None:
    if "core_spec" not in v38 and "thread_spec" not in v38:
        return None
    if v38.get("core_spec") is not None:
        return int(v38["core_spec"])
    return 0


def thread_spec(v38: Mapping, opts: Mapping) -> int | None:
    if "core_spec" not in v38 and "thread_spec" not in v38:
        return None
    if v38.get("thread_spec") is not None:
        return int(v38["thread_spec"])
    if v38.get("core_spec") is not None:
        return 0
    return NO_VAL16 & 0x7FFF  # v0.0.44 prints NO_VAL16 without CORE_SPEC_THREAD


def memory_per_cpu(v38: Mapping, opts: Mapping) -> dict | None:
    if "memory_per_cpu" not in v38 and "memory_per_node" not in v38:
        return None
    return u64(v38.get("memory_per_cpu"))


def memory_per_node(v38: Mapping, opts: Mapping) -> dict | None:
    if "memory_per_cpu" not in v38 and "memory_per_node" not in v38:
        return None
    if v38.get("memory_per_node") is None and v38.get("memory_per_cpu") is None:
        return {"set": True, "infinite": False, "number": 0}
    return u64(v38.get("memory_per_node"))


def hold(v38: Mapping, opts: Mapping) -> bool | None:
    if "priority" not in v38:
        return None
    return v38["priority"] == 0


def power(v38: Mapping, opts: Mapping) -> dict:
    return {"flags": []}


def step_id(v38: Mapping, opts: Mapping) -> dict | None:
    if "job_id" not in v38:
        return None
    return {"job_id": u32(v38.get("job_id")), "step_het_component": dict(UNSET),
            "step_id": "entire"}


CORE_STATUS = {"allocated": ["ALLOCATED"], "allocated_and_in_use": ["ALLOCATED", "IN_USE"],
               "in_use": ["ALLOCATED", "IN_USE"], "unallocated": ["UNALLOCATED"]}


def _by_index(mapping: Any) -> list[tuple[int, Any]]:
    """{"1": x, "0": y} (22.05 prints sockets and cores as objects) sorted by index."""
    if isinstance(mapping, list):
        return list(enumerate(mapping))
    return sorted(((int(k), v) for k, v in (mapping or {}).items()), key=lambda kv: kv[0])


def _sockets(v38_sockets: Any) -> list[dict]:
    return [{"index": s_index,
             "cores": [{"index": c_index, "status": list(CORE_STATUS.get(str(status).lower(), ["INVALID"]))}
                       for c_index, status in _by_index((socket or {}).get("cores"))]}
            for s_index, socket in _by_index(v38_sockets)]


def _core_count(node: Mapping) -> int:
    return sum(len((socket or {}).get("cores") or {}) for _, socket in _by_index(node.get("sockets")))


def job_resources(v38: Mapping, opts: Mapping) -> dict | None:
    res = v38.get("job_resources")
    if not res:
        return None
    ncpus = res.get("allocated_cores", res.get("allocated_cpus", 0)) or 0
    if opts.get("cr_type") is not None:
        cr_type = list(opts["cr_type"])
    else:
        cr_type = ["CORE"] if "allocated_cores" in res else ["CPU"] if "allocated_cpus" in res else []
    v38_nodes = res.get("allocated_nodes") or []
    cores = [_core_count(n) for n in v38_nodes]
    total_cores = sum(cores)

    def cpu_count(i: int) -> int:
        if len(v38_nodes) == 1:
            return ncpus
        if total_cores and ncpus % total_cores == 0:
            return cores[i] * (ncpus // total_cores)
        return cores[i]

    allocation = [{"index": i,
                   "name": text(node.get("nodename")),
                   "cpus": {"count": cpu_count(i), "used": integer(node.get("cpus_used"))},
                   "memory": {"used": integer(node.get("memory_used")),
                              "allocated": integer(node.get("memory_allocated", node.get("memory")))},
                   "sockets": _sockets(node.get("sockets"))}
                  for i, node in enumerate(v38_nodes)]
    return {
        "select_type": cr_type,
        "nodes": {
            "count": integer(res.get("allocated_hosts", len(v38_nodes))),
            "select_type": [],
            "list": text(res.get("nodes", v38.get("nodes"))),
            "whole": text(v38.get("shared")).lower() in WHOLE_NODE_SHARED,
            "allocation": allocation,
        },
        "cpus": integer(ncpus),
        "threads_per_core": dict(UNSET),
    }


# ---------------------------------------------------------------------------
# The map: every v0.0.44 job_info property, in schema order.
# (v0.0.44 name, v0.0.38 field, converter): the converter gets that field's
# value, and the property is left out when 22.05 did not print the field.
# (v0.0.44 name, (v0.0.38 fields), record converter): the converter gets the
# record (and job()'s options), reads only the fields named, and the
# property is left out when it returns None.
_ABSENT = object()  # a field 22.05 did not print (null is printed)

FIELDS: tuple[tuple[str, str | tuple[str, ...], Callable], ...] = (
    ("account", "account", text),
    ("accrue_time", "accrue_time", timestamp),
    ("admin_comment", "admin_comment", text),
    # allocating_node: not printed by 22.05
    ("array_job_id", "array_job_id", u32),
    ("array_task_id", "array_task_id", u32),
    ("array_max_tasks", "array_max_tasks", u32),
    ("array_task_string", "array_task_string", text),
    ("association_id", "association_id", integer),
    ("batch_features", "batch_features", text),
    ("batch_flag", "batch_flag", boolean),
    ("batch_host", "batch_host", text),
    ("flags", "flags", job_flags),
    ("burst_buffer", "burst_buffer", text),
    ("burst_buffer_state", "burst_buffer_state", text),
    ("cluster", "cluster", text),
    ("cluster_features", "cluster_features", text),
    ("command", "command", text),
    ("comment", "comment", text),
    ("container", "container", text),
    # container_id: not in 22.05
    ("contiguous", "contiguous", boolean),
    ("core_spec", ("core_spec", "thread_spec"), core_spec),
    ("thread_spec", ("core_spec", "thread_spec"), thread_spec),
    ("cores_per_socket", "cores_per_socket", u16),
    ("billable_tres", "billable_tres", f64),
    ("cpus_per_task", "cpus_per_task", u16),
    ("cpu_frequency_minimum", "cpu_frequency_minimum", u32),
    ("cpu_frequency_maximum", "cpu_frequency_maximum", u32),
    ("cpu_frequency_governor", "cpu_frequency_governor", u32),
    ("cpus_per_tres", "cpus_per_tres", text),
    # cron: not printed by 22.05
    ("deadline", "deadline", timestamp),
    ("delay_boot", "delay_boot", u32),
    ("dependency", "dependency", text),
    ("derived_exit_code", "derived_exit_code", exit_code),
    ("eligible_time", "eligible_time", timestamp),
    ("end_time", "end_time", timestamp),
    ("excluded_nodes", "excluded_nodes", text),
    ("exit_code", "exit_code", exit_code),
    # extra, failed_node: not printed by 22.05
    ("features", "features", text),
    ("federation_origin", "federation_origin", text),
    ("federation_siblings_active", "federation_siblings_active", text),
    ("federation_siblings_viable", "federation_siblings_viable", text),
    ("gres_detail", "gres_detail", string_list),
    ("group_id", "group_id", integer),
    ("group_name", "group_name", text),
    ("het_job_id", "het_job_id", u32),
    ("het_job_id_set", "het_job_id_set", text),
    ("het_job_offset", "het_job_offset", u32),
    ("job_id", "job_id", integer),
    ("job_resources", ("job_resources", "shared", "nodes"), job_resources),
    # job_size_str: not in 22.05
    ("job_state", "job_state", job_state),
    ("last_sched_evaluation", "last_sched_evaluation", timestamp),
    ("licenses", "licenses", text),
    # licenses_allocated, mail_type, mail_user: not printed by 22.05
    ("max_cpus", "max_cpus", u32),
    ("max_nodes", "max_nodes", u32),
    ("mcs_label", "mcs_label", text),
    ("memory_per_tres", "memory_per_tres", text),
    ("name", "name", text),
    # network: not printed by 22.05
    ("nodes", "nodes", text),
    ("nice", "nice", integer),
    ("tasks_per_core", "tasks_per_core", u16_null_infinite),
    # tasks_per_tres: not printed by 22.05
    ("tasks_per_node", "tasks_per_node", u16),
    ("tasks_per_socket", "tasks_per_socket", u16_null_infinite),
    ("tasks_per_board", "tasks_per_board", u16),
    ("cpus", "cpus", u32),
    ("node_count", "node_count", u32),
    ("tasks", "tasks", u32),
    ("partition", "partition", text),
    ("prefer", "prefer", text),
    ("memory_per_cpu", ("memory_per_cpu", "memory_per_node"), memory_per_cpu),
    ("memory_per_node", ("memory_per_cpu", "memory_per_node"), memory_per_node),
    ("minimum_cpus_per_node", "minimum_cpus_per_node", u16),
    ("minimum_tmp_disk_per_node", "minimum_tmp_disk_per_node", u32),
    ("power", (), power),
    ("preempt_time", "preempt_time", timestamp),
    # preemptable_time: not printed by 22.05
    ("pre_sus_time", "pre_sus_time", timestamp),
    ("hold", ("priority",), hold),
    ("priority", "priority", u32),
    # priority_by_partition: not printed by 22.05
    ("profile", "profile", profile),
    ("qos", "qos", text),
    ("reboot", "reboot", boolean),
    ("required_nodes", "required_nodes", text),
    # required_switches: not printed by 22.05
    ("requeue", "requeue", boolean),
    ("resize_time", "resize_time", timestamp),
    ("restart_cnt", "restart_cnt", integer),
    ("resv_name", "resv_name", text),
    # scheduled_nodes, segment_size, selinux_context: not printed by 22.05
    ("shared", "shared", shared),
    ("step_id", ("job_id",), step_id),
    ("sockets_per_board", "sockets_per_board", integer),
    ("sockets_per_node", "sockets_per_node", u16),
    ("start_time", "start_time", timestamp),
    ("state_description", "state_description", text),
    ("state_reason", "state_reason", text),
    ("standard_input", "standard_input", text),
    ("standard_output", "standard_output", text),
    ("standard_error", "standard_error", text),
    # stdin_expanded, stdout_expanded, stderr_expanded: not printed by 22.05
    ("submit_time", "submit_time", timestamp),
    # submit_line: not printed by 22.05
    ("suspend_time", "suspend_time", timestamp),
    ("system_comment", "system_comment", text),
    ("time_limit", "time_limit", u32_null_infinite),
    ("time_minimum", "time_minimum", u32),
    ("threads_per_core", "threads_per_core", u16),
    ("tres_bind", "tres_bind", text),
    ("tres_freq", "tres_freq", text),
    ("tres_per_job", "tres_per_job", text),
    ("tres_per_node", "tres_per_node", text),
    ("tres_per_socket", "tres_per_socket", text),
    ("tres_per_task", "tres_per_task", text),
    ("tres_req_str", "tres_req_str", text),
    ("tres_alloc_str", "tres_alloc_str", text),
    ("user_id", "user_id", integer),
    ("user_name", "user_name", text),
    # maximum_switch_wait_time: not printed by 22.05
    ("wckey", "wckey", text),
    ("current_working_directory", "current_working_directory", text),
)

# v0.0.44 job_info properties 22.05 cannot supply (left out).
NOT_SUPPLIED = (
    "allocating_node", "container_id", "cron", "extra", "failed_node", "job_size_str",
    "licenses_allocated", "mail_type", "mail_user", "maximum_switch_wait_time", "network",
    "preemptable_time", "priority_by_partition", "required_switches", "scheduled_nodes",
    "segment_size", "selinux_context", "stdin_expanded", "stdout_expanded", "stderr_expanded",
    "submit_line", "tasks_per_tres",
)

# v0.0.38 fields read only by the record converters above.
RECORD_FIELDS = tuple(sorted({field for _, source, _ in FIELDS if isinstance(source, tuple) for field in source}
                             - {source for _, source, _ in FIELDS if isinstance(source, str)}))

# v0.0.38 fields no property is made from.
DROPPED = ("show_flags",)


def job(v38: Mapping[str, Any], *, cr_type: Sequence[str] | None = None) -> dict:
    """One 22.05 ``squeue --json`` job record as a v0.0.44 ``job_info``.

    ``cr_type``: the cluster's SelectTypeParameters as v0.0.44 select_type
    names (e.g. ``["CORE", "MEMORY"]``) for ``job_resources.select_type``;
    without it only what 22.05 reveals is given (see the module docstring).
    """
    opts = {"cr_type": cr_type}
    out: dict[str, Any] = {}
    printed = v38.get
    # FIELDS as _STEPS: a string or a table value is taken without a call
    # (10,000 jobs are a million fields).
    for name, source, convert, known in _STEPS:
        if source.__class__ is tuple:
            value = convert(v38, opts)
            if value is not None:
                out[name] = value
            continue
        value = printed(source, _ABSENT)
        if value is _ABSENT:
            continue
        if convert is text and value.__class__ is str:
            out[name] = value
        elif known is not None and (found := known.get(value)) is not None:
            out[name] = found
        else:
            out[name] = convert(value)
    return out


_STEPS = tuple((name, source, convert, getattr(convert, "known", None)) for name, source, convert in FIELDS)


# For each field a step reads, the steps that read it. Steps whose fields
# hold arrays or objects are made for every job: inside them JSON's true
# and 1 compare equal, which their converters would tell apart.
def _steps_reading() -> dict[str, tuple[int, ...]]:
    reading: dict[str, tuple[int, ...]] = {}
    for i, (_, source, _, _) in enumerate(_STEPS):
        for field in source if source.__class__ is tuple else (source,):
            reading[field] = reading.get(field, ()) + (i,)
    return reading


_STEPS_READING = _steps_reading()
_NESTED = ("flags", "gres_detail", "profile", "job_resources")
_ALWAYS = tuple(sorted({i for field in _NESTED for i in _STEPS_READING[field]}))


class JobConverter:
    """job() for the records of one list, a record at a time, each made from
    the one before where they print the same: the jobs of a queue differ in
    a few fields (ids, names, times), and taking the others as converted
    for the previous job instead of converting them again makes 10,000
    22.05 jobs in 0.13 s of CPU instead of 0.30.

    The result is job()'s, key for key and in the same order
    (tests/unit/test_convert_v0038.py): a field printed as before converts
    as before (22.05 prints each field with one JSON type, or null, so equal
    values are the same value); a record with other fields than the one
    before, or where a property comes or goes, is made by job().

    Keeps the previous record: one list at a time (JobWriter converts under
    its lock), not for threads at once."""

    def __init__(self, *, cr_type: Sequence[str] | None = None):
        self.cr_type = cr_type
        self._opts = {"cr_type": cr_type}
        self._keys: tuple | None = None  # none yet: the first record is made by job()
        self._steps_at: tuple = ()  # for each field of the record, the steps reading it
        self._values: tuple = ()
        self._last: dict | None = None

    def __call__(self, v38: Mapping[str, Any]) -> dict:
        keys, values = tuple(v38), tuple(v38.values())
        out = None
        if keys == self._keys:
            out = self._from_last(v38, values)
        else:
            self._keys = keys
            self._steps_at = tuple(_STEPS_READING.get(key, ()) for key in keys)
        if out is None:
            out = job(v38, cr_type=self.cr_type)
        self._values, self._last = values, out
        return dict(out)  # the caller's own: the next record starts from ``out``

    def _from_last(self, v38: Mapping[str, Any], values: tuple) -> dict | None:
        out = dict(self._last)
        printed = v38.get
        for i in set(chain(_ALWAYS, *compress(self._steps_at, map(ne, values, self._values)))):
            name, source, convert, _ = _STEPS[i]
            if source.__class__ is tuple:
                value = convert(v38, self._opts)
                if (value is None) != (name not in out):
                    return None  # a property comes or goes: its place is job()'s to give
                if value is not None:
                    out[name] = value
            else:  # printed, as the record before printed it
                out[name] = convert(printed(source))
        return out


def jobs(records: Iterable[Mapping[str, Any]], *, cr_type: Sequence[str] | None = None) -> list[dict]:
    convert = JobConverter(cr_type=cr_type)
    return [convert(r) for r in records]


def jobs_response(doc: Mapping[str, Any], *, cr_type: Sequence[str] | None = None, consume: bool = False) -> dict:
    """A whole ``squeue --json`` document as the body of
    ``v0.0.44_openapi_job_info_resp`` without meta, errors and warnings.

    22.05 prints no time of last backfill nor of last job change: both are
    given as unset rather than invented. ``consume``: each record of the
    document is let go once converted, so that 10,000 jobs are held once,
    not twice, at the peak (the document is then of no further use).
    """
    records = doc.get("jobs") or []
    if consume and isinstance(records, list):
        convert = JobConverter(cr_type=cr_type)
        converted = []
        for i, record in enumerate(records):
            records[i] = None
            converted.append(convert(record))
    else:
        converted = jobs(records, cr_type=cr_type)
    return {
        "jobs": converted,
        "last_backfill": dict(UNSET),
        "last_update": dict(UNSET),
    }
