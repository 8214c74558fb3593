"""sacctmgr and clusters: show (with the root association of each), add,
delete."""

from __future__ import annotations

from server.convert import clusters
from server.slurm.commands.sacctmgr_entity import (SacctmgrChange, SacctmgrShow, SacctmgrShowJson,
                                                   listed_after)


def conditions(*, names=(), with_deleted=False, classifications=(), federations=()) -> list[str]:
    found = ["names=" + ",".join(names)] if names else []
    if classifications:
        found.append("classification=" + ",".join(classifications))
    if federations:
        found.append("federation=" + ",".join(federations))
    if with_deleted:
        found.append("withdeleted")
    return found


class SacctmgrShowClusters(SacctmgrShow):
    def __init__(self, **where):
        super().__init__("cluster", clusters.FIELDS, conditions(**where))


class SacctmgrShowClustersJson(SacctmgrShowJson):
    def __init__(self, data_parser: str, **where):
        super().__init__("cluster", data_parser, "clusters", conditions(**where))


class SacctmgrShowRootAssociations(SacctmgrShow):
    """The associations of account root: each cluster's root association is
    the one without a user."""

    def __init__(self, names=()):
        where = ["where", "accounts=root"]
        if names:
            where.append("clusters=" + ",".join(names))
        super().__init__("association", clusters.ROOT_ASSOCIATION_FIELDS, where)


class SacctmgrAddCluster(SacctmgrChange):
    def __init__(self, name: str):
        super().__init__("add", "cluster", [f"name={name}"], f"add cluster {name}")


class SacctmgrDeleteCluster(SacctmgrChange):
    def __init__(self, name: str):
        super().__init__("delete", "cluster", ["where", f"names={name}"], f"delete cluster {name}")

    def parse(self, result) -> list[str]:
        """The names of the clusters removed."""
        return listed_after(super().parse(result), "Deleting clusters")
