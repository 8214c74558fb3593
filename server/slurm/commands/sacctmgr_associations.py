"""sacctmgr and associations: show (text in 22.05, the API version itself in
a Slurm that prints it), add, modify and delete.

An association is added and changed through the entity it belongs to: an
account's own association with `sacctmgr add|modify|delete account`, a
user's with `... user` (22.05 has no `add association`). Every change names
the cluster, so that sacctmgr never goes on to other clusters of the same
slurmdbd (without `cluster=` it adds to every cluster, and a refusal on one
of them leaves the others changed), and a user's association names its
partition, `''` for none (else `modify user` changes the user's
associations in every partition of the account).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from server.convert import associations
from server.slurm.commands.sacctmgr_entity import SacctmgrChange, SacctmgrShow, SacctmgrShowJson

NONE = "''"  # how sacctmgr is told "the empty value" (no user, no partition)


def csv(items) -> str:
    return ",".join(item if item else NONE for item in items)


@dataclass
class AssocCondition:
    """Which associations: the filters of GET /associations/ (each a list of
    names; an empty list matches everything, a "" in it the empty value) and
    its flags."""

    accounts: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    partitions: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    qos: list[str] = field(default_factory=list)
    default_qos: list[str] = field(default_factory=list)
    only_defaults: bool = False
    with_deleted: bool = False
    with_raw_qos: bool = False
    with_sub_accounts: bool = False
    without_parent_info: bool = False
    without_parent_limits: bool = False

    def conditions(self) -> list[str]:
        found = []
        for key, items in (("accounts", self.accounts), ("clusters", self.clusters),
                           ("users", self.users), ("partitions", self.partitions),
                           ("ids", self.ids), ("parent", self.parents), ("qos", self.qos),
                           ("defaultqos", self.default_qos)):
            if items:
                found.append(f"{key}={csv(items)}")
        for word, wanted in (("onlydefaults", self.only_defaults), ("withdeleted", self.with_deleted),
                             ("withrawqos", self.with_raw_qos),
                             ("withsubaccounts", self.with_sub_accounts),
                             ("wopinfo", self.without_parent_info),
                             ("woplimits", self.without_parent_limits)):
            if wanted:
                found.append(word)
        return found

    def filters(self) -> bool:
        """Does it select anything narrower than every association?"""
        return any((self.accounts, self.clusters, self.users, self.partitions, self.ids,
                    self.parents, self.qos, self.default_qos, self.only_defaults))


class SacctmgrShowAssocs(SacctmgrShow):
    def __init__(self, condition: AssocCondition, fields=associations.FIELDS):
        super().__init__("associations", fields, condition.conditions())


class SacctmgrShowAssocsJson(SacctmgrShowJson):
    def __init__(self, data_parser: str, condition: AssocCondition):
        super().__init__("associations", data_parser, "associations", condition.conditions())


class SacctmgrShowNames(SacctmgrShow):
    """The names of every record of an entity (clusters, QOS, users,
    accounts), to check references before a change."""

    def __init__(self, entity: str, field_name: str, conditions=()):
        super().__init__(entity, (("name", field_name),), conditions)

    def parse(self, result) -> list[str]:
        return [row["name"] for row in super().parse(result)]


class SacctmgrAddAccountAssoc(SacctmgrChange):
    """An account's association on a cluster, under a parent account (the
    account itself is created too when slurmdbd does not know it yet)."""

    def __init__(self, account: str, cluster: str, parent: str, settings: list[str],
                 extra: list[str] = ()):
        super().__init__("add", "account", [f"Name={account}", f"Cluster={cluster}", f"Parent={parent}",
                                            *extra, *settings],
                         f"add association of account {account} on cluster {cluster}")


class SacctmgrAddUserAssoc(SacctmgrChange):
    def __init__(self, user: str, account: str, cluster: str, partition: str,
                 settings: list[str], extra: list[str] = ()):
        arguments = [f"Name={user}", f"Account={account}", f"Cluster={cluster}"]
        if partition:
            arguments.append(f"Partition={partition}")
        super().__init__("add", "user", [*arguments, *extra, *settings],
                         f"add association of user {user} to account {account} on cluster {cluster}"
                         + (f" partition {partition}" if partition else ""))


class SacctmgrModifyAccountAssoc(SacctmgrChange):
    def __init__(self, account: str, cluster: str, settings: list[str]):
        super().__init__("modify", "account",
                         ["where", f"Name={account}", f"Cluster={cluster}", "set", *settings],
                         f"modify association of account {account} on cluster {cluster}")


class SacctmgrModifyUserAssoc(SacctmgrChange):
    def __init__(self, user: str, account: str, cluster: str, partition: str, settings: list[str]):
        super().__init__("modify", "user",
                         ["where", f"Name={user}", f"Account={account}", f"Cluster={cluster}",
                          f"Partition={partition or NONE}", "set", *settings],
                         f"modify association of user {user} to account {account} on cluster {cluster}"
                         + (f" partition {partition}" if partition else ""))


class SacctmgrDeleteAccountAssoc(SacctmgrChange):
    """An account's association on one cluster, and every association below
    it; the account itself stays."""

    def __init__(self, account: str, cluster: str):
        super().__init__("delete", "account", ["where", f"Name={account}", f"Cluster={cluster}"],
                         f"delete association of account {account} on cluster {cluster}")


class SacctmgrDeleteUserAssoc(SacctmgrChange):
    """A user's association (22.05 also deletes the user when it was their
    last one)."""

    def __init__(self, user: str, account: str, cluster: str, partition: str):
        super().__init__("delete", "user",
                         ["where", f"Name={user}", f"Account={account}", f"Cluster={cluster}",
                          f"Partition={partition or NONE}"],
                         f"delete association of user {user} to account {account} on cluster {cluster}"
                         + (f" partition {partition}" if partition else ""))
