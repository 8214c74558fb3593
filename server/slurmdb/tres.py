"""Trackable resources of slurmdbd: read them; adding them is not possible.

slurmrestd (release builds) answers every POST /tres/ with
ESLURM_NOT_SUPPORTED, "Updating TRES is not currently supported", and so
does Slurm 22.05 in its own way: sacctmgr has no `add tres`. slurmctld
registers the TRES named in AccountingStorageTRES when it starts. As in
slurmrestd, /slurmdb/config leaves TRES alone when loading (``write_tres``
with ``loading_config``)."""

from __future__ import annotations

from server.convert import passthrough
from server.convert import tres as convert
from server.convert.tres import TresTable
from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_tres import SacctmgrShowTres, SacctmgrShowTresJson
from server.slurm.errno import by_name


async def read_tres(call) -> list[dict]:
    """Every TRES slurmdbd knows, as v0.0.44 `tres` objects."""
    if call.slurm.prints("sacctmgr", call.version):
        printed = await call.run(SacctmgrShowTresJson(call.version))
        return [passthrough.without_nulls(item) for item in printed]
    return [convert.from_row(row) for row in await call.run(SacctmgrShowTres())]


async def tres_table(call) -> TresTable:
    return TresTable(await read_tres(call))


async def write_tres(call, items: list[dict], *, loading_config: bool = False) -> None:
    """What slurmrestd does with TRES to add: refuse them (a POST /tres/), or
    skip them (loading /slurmdb/config)."""
    if loading_config:
        return
    known = by_name("ESLURM_NOT_SUPPORTED")
    raise SlurmError("Updating TRES is not currently supported",
                     number=known.number if known else None, source="_op_handler_tres")
