"""POST /slurm/v0.0.45/partitions/ and DELETE /slurm/v0.0.45/partition/{name}:
partitions created, changed or removed in slurmctld's running configuration,
as `scontrol create/update/delete partition` do (an administrator's right;
slurmctld refuses anyone else).

The whole body is checked before Slurm is asked (server.convert.
partition_settings); a partition that exists (hidden ones included) is
updated, any other created. A refusal part-way says which partitions were
applied before it.
"""

from __future__ import annotations

from handlers.slurm.partitions import read_partitions
from server import jobdesc
from server.convert.partition_settings import settings
from server.slurm.command import SlurmError
from server.slurm.commands.scontrol_partitions import ScontrolWritePartition

MAX_PARTITIONS = 1_000  # partitions of one request


async def post_partitions(call, body=None):
    request = body if body is not None else {}
    listed = request.get("partitions") if isinstance(request, dict) else None
    if not isinstance(listed, list) or not listed:
        raise jobdesc.bad_field("partitions", "expected a list of at least one partition_info")
    if len(listed) > MAX_PARTITIONS:
        raise jobdesc.bad_field("partitions", f"more than {MAX_PARTITIONS} partitions")
    wanted = [settings(partition, f"partitions[{n}]") for n, partition in enumerate(listed)]
    existing = {p.get("name", "").lower()
                for p in (await read_partitions(call, None, None, show_all=True))["partitions"]}
    applied: list[str] = []
    for name, values in wanted:
        action = "update" if name.lower() in existing else "create"
        try:
            await call.run(ScontrolWritePartition(action, name, values))
        except SlurmError as error:
            if applied:
                error.description += f" (applied before it: {', '.join(applied)})"
            raise
        applied.append(name)
        existing.add(name.lower())
    return call.respond({})


async def delete_partition(call, partition_name):
    if not partition_name or any(c in partition_name for c in " ,=\n\t"):
        raise jobdesc.bad_field("partition_name", "expected a partition name")
    await call.run(ScontrolWritePartition("delete", partition_name))
    return call.respond({})
