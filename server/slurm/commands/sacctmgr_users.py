"""sacctmgr and users: show (text in 22.05, the API version itself in a
Slurm that prints it), add, modify, delete, and their WCKeys.

Slurm 22.05 keeps no user without an association: `sacctmgr add user` needs
an account, and removing a user's last association removes the user.
"""

from __future__ import annotations

from server.convert import users
from server.slurm.commands.sacctmgr_associations import csv
from server.slurm.commands.sacctmgr_entity import (
    SacctmgrChange,
    SacctmgrShow,
    SacctmgrShowJson,
    listed_after,
)


def conditions(*, names=(), default_accounts=(), default_wckeys=(), admin_level=None,
               with_deleted=False, with_coords=False, with_assocs=False) -> list[str]:
    found = []
    for key, items in (("names", names), ("defaultaccount", default_accounts),
                       ("defaultwckey", default_wckeys)):
        if items:
            found.append(f"{key}={csv(items)}")
    if admin_level:
        found.append(f"adminlevel={admin_level}")
    for word, wanted in (("withdeleted", with_deleted), ("withcoordinators", with_coords),
                         ("withassoc", with_assocs)):
        if wanted:
            found.append(word)
    return found


class SacctmgrShowUsers(SacctmgrShow):
    def __init__(self, **where):
        super().__init__("users", users.FIELDS, conditions(**where))


class SacctmgrShowUsersJson(SacctmgrShowJson):
    def __init__(self, data_parser: str, **where):
        super().__init__("users", data_parser, "users", conditions(**where))


class SacctmgrShowWckeys(SacctmgrShow):
    def __init__(self, *, users_=(), with_deleted=False):
        found = [f"users={csv(users_)}"] if users_ else []
        if with_deleted:
            found.append("withdeleted")
        super().__init__("wckeys", users.WCKEY_FIELDS, found)


class SacctmgrModifyUser(SacctmgrChange):
    """The user's own settings (admin level, default account, default WCKey,
    name), on every cluster."""

    def __init__(self, name: str, settings: list[str]):
        super().__init__("modify", "user", ["where", f"Name={name}", "set", *settings],
                         f"modify user {name}")


class SacctmgrAddUsersWithAssocs(SacctmgrChange):
    """POST /users_association/: users and their associations, in one
    command."""

    def __init__(self, names: list[str], arguments: list[str]):
        super().__init__("add", "user", [f"Names={csv(names)}", *arguments],
                         f"add users {', '.join(names)}")


class SacctmgrDeleteUser(SacctmgrChange):
    """A user, with all their associations and coordinator roles."""

    def __init__(self, name: str):
        super().__init__("delete", "user", ["where", f"Name={name}"], f"delete user {name}")

    def removed(self, lines: list[str]) -> list[str]:
        return listed_after(lines, "Deleting users")
