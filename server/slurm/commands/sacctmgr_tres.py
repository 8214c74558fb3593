"""sacctmgr show tres: the trackable resources slurmdbd knows, with their IDs.

Slurm 22.05's sacctmgr cannot add TRES (its `add` takes account, cluster,
coordinator, federation, QOS, resource and user only): slurmctld registers
the TRES of AccountingStorageTRES itself."""

from __future__ import annotations

from server.convert import tres
from server.slurm.commands.sacctmgr_entity import SacctmgrShow, SacctmgrShowJson


class SacctmgrShowTres(SacctmgrShow):
    """Every TRES, deleted ones too: slurmrestd lists them with with_deleted
    set (22.05 keeps a deleted placeholder, `dynamic_offset` with ID 1000)."""

    def __init__(self):
        super().__init__("tres", tres.FIELDS, ["withdeleted"])


class SacctmgrShowTresJson(SacctmgrShowJson):
    def __init__(self, data_parser: str):
        super().__init__("tres", data_parser, "TRES", ["withdeleted"])
