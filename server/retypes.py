"""Small converters for what a version types otherwise than the internal
form, named from ``retypes`` in ``openapi/<version>.map.yaml`` (see
server.versions). Each takes the internal value and a warning function and
returns this version's value, or None to leave the field out; none invents
a value the internal one does not hold."""

from __future__ import annotations

from server.convert.partitions import CPU_BIND, oversubscribe_word

# cpu_bind_type_t bits -> v0.0.45's names of them (partition_info.cpus.task_binding)
TASK_BINDING = {CPU_BIND["threads"]: "CPU_BIND_TO_THREADS", CPU_BIND["cores"]: "CPU_BIND_TO_CORES",
                CPU_BIND["sockets"]: "CPU_BIND_TO_SOCKETS", CPU_BIND["ldoms"]: "CPU_BIND_TO_LDOMS",
                CPU_BIND["none"]: "CPU_BIND_NONE", CPU_BIND["off"]: "CPU_BIND_OFF",
                CPU_BIND["verbose"]: "VERBOSE"}
# v0.0.44's select_type words -> v0.0.45's CR_ names, a pair before its parts.
SELECT_TYPE = [({"CPU", "MEMORY"}, "CR_CPU_MEMORY"), ({"CORE", "MEMORY"}, "CR_CORE_MEMORY"),
               ({"SOCKET", "MEMORY"}, "CR_SOCKET_MEMORY"), ({"CPU"}, "CR_CPU"), ({"CORE"}, "CR_CORE"),
               ({"SOCKET"}, "CR_SOCKET"), ({"MEMORY"}, "CR_MEMORY"),
               ({"ONE_TASK_PER_CORE"}, "CR_ONE_TASK_PER_CORE"),
               ({"CORE_DEFAULT_DIST_BLOCK"}, "CR_CORE_DEFAULT_DIST_BLOCK"), ({"LLN"}, "CR_LLN"),
               ({"PACK_NODES"}, "CR_PACK_NODES")]
ROLLUP_PERIODS = ("hourly", "daily", "monthly")


def task_binding_names(value, warn):
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    names = [name for bit, name in TASK_BINDING.items() if value & bit]
    rest = value & ~sum(TASK_BINDING)
    if rest:
        warn(f"cpus.task_binding bits {rest:#x} have no name in v0.0.45; they are left out")
    return names


def select_type_names(value, warn):
    if not isinstance(value, list):
        return None
    words, names = set(value), []
    for parts, name in SELECT_TYPE:
        if parts <= words:
            names.append(name)
            words -= parts
    if words:
        warn(f"select_type {', '.join(sorted(words))} has no name in v0.0.45; it is left out")
    return names


def oversubscribe_text(value, warn):
    """maximums.oversubscribe ({jobs, flags}) as scontrol writes it."""
    if not isinstance(value, dict) or not isinstance(value.get("jobs"), int):
        return None
    return oversubscribe_word(value["jobs"], "force" in (value.get("flags") or []))


def rollup_list(value, warn):
    """v0.0.44's rollups by period as v0.0.40's list, one item a period in
    the order hourly, daily, monthly. v0.0.40's description names the item
    types internal/user/unknown, none of which is a period: `type` is left
    out, with a warning."""
    if not isinstance(value, dict):
        return None
    out = []
    for period in ROLLUP_PERIODS:
        rollup = value.get(period)
        if not isinstance(rollup, dict):
            continue
        duration = rollup.get("duration") or {}
        count = rollup.get("count", 0)
        out.append({"last run": rollup.get("last_run", 0), "max_cycle": duration.get("max", 0),
                    "total_time": duration.get("time", 0), "total_cycles": count,
                    "mean_cycles": duration.get("time", 0) // count if count else 0})
    warn("statistics.rollups[].type has no name for hourly, daily or monthly in v0.0.40; it is "
         "left out, and the items are in that order")
    return out


# -- request bodies: this version's job_desc_msg made internal ---------------

# v0.0.40/41 `exclusive` items -> v0.0.44 `shared` items ("false": the default)
EXCLUSIVE_AS_SHARED = {"true": "none", "user": "user", "mcs": "mcs", "false": None}


def exclusive_as_shared(desc: dict, warn) -> dict:
    """`exclusive` (a list) and `oversubscribe` (a boolean) of v0.0.40/41
    said in v0.0.44's `shared`. A value neither knows stays where it was,
    so that the handler refuses it by name."""
    shared = desc.get("shared") or []
    if not isinstance(shared, list):
        return desc
    shared, exclusive = list(shared), desc.get("exclusive")
    if isinstance(exclusive, list) and all(item in EXCLUSIVE_AS_SHARED for item in exclusive):
        shared += [EXCLUSIVE_AS_SHARED[item] for item in exclusive if EXCLUSIVE_AS_SHARED[item]]
        del desc["exclusive"]
    if isinstance(desc.get("oversubscribe"), bool):
        shared += ["oversubscribe"] if desc.pop("oversubscribe") else []
    if shared:
        desc["shared"] = list(dict.fromkeys(shared))
    return desc


def plane_size_as_no_val(desc: dict, warn) -> dict:
    """v0.0.40's distribution_plane_size is a plain number, v0.0.44's a no_val struct."""
    size = desc.get("distribution_plane_size")
    if isinstance(size, int) and not isinstance(size, bool):
        desc["distribution_plane_size"] = {"set": True, "infinite": False, "number": size}
    return desc
