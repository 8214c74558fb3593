"""GET /slurm/{version}/partitions/ and /partition/{partition_name}: the
partitions slurmctld shows the caller (hidden ones only with flags=ALL, or
to an administrator; a single partition is looked up among all of them, as
slurmrestd does)."""

from server.convert import passthrough
from server.slurm.command import SlurmError
from server.slurm.commands.scontrol_partitions import (
    ScontrolShowPartitions,
    ScontrolShowPartitionsJson,
)
from server.slurm.errno import by_name

UNSET = {"set": False, "infinite": False, "number": 0}


async def get_partitions(call, update_time=None, flags=None):
    return call.respond(await read_partitions(call, update_time, flags, show_all=False))


async def get_partition(call, partition_name, update_time=None, flags=None):
    listing = await read_partitions(call, update_time, flags, show_all=True)
    wanted = partition_name.lower()
    listing["partitions"] = [p for p in listing["partitions"] if p.get("name", "").lower() == wanted]
    if not listing["partitions"]:
        # slurmrestd (v0.0.44 of Slurm 25.11) answers an unknown name with
        # ESLURM_REST_INVALID_QUERY, hence 422; 26.05 turns it into a warning.
        known = by_name("ESLURM_REST_INVALID_QUERY")
        raise SlurmError(f"Unable to find partition {partition_name}",
                         number=known.number if known else None, source="_op_handler_partition")
    return call.respond(listing)


async def read_partitions(call, update_time, flags, *, show_all: bool) -> dict:
    """``{"partitions", "last_update"}`` in the requested version: printed by
    Slurm itself where it can, else read from `scontrol -o show partition`."""
    if update_time is not None:
        call.warn("update_time is not applied: every partition is listed", "scontrol")
    if call.slurm.prints("scontrol", call.version):
        printed = await call.run(ScontrolShowPartitionsJson(call.version, flags=flags,
                                                            show_all=show_all))
        return {
            "partitions": [passthrough.without_nulls(p) for p in printed.get("partitions") or []],
            "last_update": printed.get("last_update") or dict(UNSET),
        }
    found = await call.run(ScontrolShowPartitions(flags=flags, show_all=show_all))
    # scontrol's text carries no time of the last change: unset, as for jobs.
    return {"partitions": found, "last_update": dict(UNSET)}
