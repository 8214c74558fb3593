"""sacctmgr and QOS: show (text in 22.05, the API version itself in a
Slurm that prints it), add, modify and delete."""

from __future__ import annotations

from server.convert import qos
from server.slurm.commands.sacctmgr_entity import (SacctmgrChange, SacctmgrShow, SacctmgrShowJson,
                                                   listed_after)


def conditions(*, names=(), ids=(), with_deleted=False) -> list[str]:
    """The `where` part of `sacctmgr show qos`; empty lists match everything."""
    found = []
    if names:
        found.append("names=" + ",".join(names))
    if ids:
        found.append("ids=" + ",".join(ids))
    if with_deleted:
        found.append("withdeleted")
    return found


class SacctmgrShowQos(SacctmgrShow):
    def __init__(self, **where):
        super().__init__("qos", qos.FIELDS, conditions(**where))


class SacctmgrShowQosJson(SacctmgrShowJson):
    def __init__(self, data_parser: str, **where):
        super().__init__("qos", data_parser, "qos", conditions(**where))


class SacctmgrAddQos(SacctmgrChange):
    def __init__(self, name: str, settings: list[str]):
        super().__init__("add", "qos", [f"Name={name}", *settings], f"add QOS {name}")


class SacctmgrModifyQos(SacctmgrChange):
    def __init__(self, name: str, settings: list[str]):
        super().__init__("modify", "qos", ["where", f"name={name}", "set", *settings],
                         f"modify QOS {name}")


class SacctmgrDeleteQos(SacctmgrChange):
    def __init__(self, name: str):
        super().__init__("delete", "qos", ["where", f"name={name}"], f"delete QOS {name}")

    def parse(self, result) -> list[str]:
        """The names of the QOS removed."""
        return listed_after(super().parse(result), "Deleting QOS")
