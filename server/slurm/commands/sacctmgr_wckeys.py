"""sacctmgr and workload characterization keys (wckeys).

22.05's sacctmgr lists wckeys (`show wckey`) but has no wckey entity to add
or delete: a wckey belongs to a user on a cluster, and is added with
`add user <user> wckeys=<wckey> cluster=<cluster>` and removed with
`delete user where name=<user> wckeys=<wckey> cluster=<cluster>`. Note that
`add user` creates the user when there is none: callers check first."""

from __future__ import annotations

from server.convert import wckeys
from server.slurm.commands.sacctmgr_entity import (SacctmgrChange, SacctmgrShow, SacctmgrShowJson,
                                                   listed_after)


def conditions(*, ids=(), names=(), clusters=(), users=(), with_deleted=False) -> list[str]:
    found = []
    for key, values in (("ids", ids), ("names", names), ("clusters", clusters), ("users", users)):
        if values:
            found.append(f"{key}=" + ",".join(values))
    if with_deleted:
        found.append("withdeleted")
    return found


class SacctmgrShowWckeys(SacctmgrShow):
    def __init__(self, **where):
        super().__init__("wckey", wckeys.FIELDS, conditions(**where))


class SacctmgrShowWckeysJson(SacctmgrShowJson):
    def __init__(self, data_parser: str, **where):
        super().__init__("wckey", data_parser, "wckeys", conditions(**where))


class SacctmgrShowUsers(SacctmgrShow):
    """Users by name, with their default wckey."""

    def __init__(self, names=()):
        super().__init__("user", (("user", "User"), ("default_wckey", "DefaultWCKey")),
                         ["names=" + ",".join(names)] if names else [])


class SacctmgrAddWckey(SacctmgrChange):
    def __init__(self, user: str, name: str, cluster: str):
        super().__init__("add", "user", [f"name={user}", f"wckeys={name}", f"cluster={cluster}"],
                         f"add wckey {name} of user {user} on cluster {cluster}")


class SacctmgrDeleteWckey(SacctmgrChange):
    def __init__(self, user: str, name: str, cluster: str):
        super().__init__("delete", "user",
                         ["where", f"name={user}", f"wckeys={name}", f"cluster={cluster}"],
                         f"delete wckey {name} of user {user} on cluster {cluster}")

    def parse(self, result) -> list[str]:
        """What slurmdbd says it removed, one `C = ... W = ... U = ...` each."""
        return listed_after(super().parse(result), "Deleting user WCKeys")
