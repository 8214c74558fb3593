"""sacctmgr and accounts: show (text in 22.05, the API version itself in a
Slurm that prints it), add, modify, delete, and their coordinators.

`sacctmgr add account` always gives the new account an association (on the
cluster named, else on every cluster); slurmrestd's POST /accounts/ adds the
account alone. The association is removed again at once
(``SacctmgrDeleteAccountAssoc``): 22.05 keeps an account without any.
"""

from __future__ import annotations

from server.convert import accounts
from server.slurm.commands.sacctmgr_associations import csv
from server.slurm.commands.sacctmgr_entity import (
    SacctmgrChange,
    SacctmgrShow,
    SacctmgrShowJson,
    listed_after,
)


def conditions(*, names=(), descriptions=(), organizations=(), with_deleted=False,
               with_coords=False, with_assocs=False) -> list[str]:
    found = []
    for key, items in (("names", names), ("descriptions", descriptions),
                       ("organizations", organizations)):
        if items:
            found.append(f"{key}={csv(items)}")
    for word, wanted in (("withdeleted", with_deleted), ("withcoordinators", with_coords),
                         ("withassoc", with_assocs)):
        if wanted:
            found.append(word)
    return found


class SacctmgrShowAccounts(SacctmgrShow):
    def __init__(self, *, names=(), descriptions=(), organizations=(), with_deleted=False,
                 with_coords=False):
        super().__init__("accounts", accounts.FIELDS,
                         conditions(names=names, descriptions=descriptions, organizations=organizations,
                                    with_deleted=with_deleted, with_coords=with_coords))


class SacctmgrShowAccountsJson(SacctmgrShowJson):
    def __init__(self, data_parser: str, **where):
        super().__init__("accounts", data_parser, "accounts", conditions(**where))


class SacctmgrAddAccount(SacctmgrChange):
    """A new account (with an association on ``cluster`` under root, which
    sacctmgr cannot leave out)."""

    def __init__(self, name: str, cluster: str, settings: list[str]):
        super().__init__("add", "account", [f"Name={name}", f"Cluster={cluster}", *settings],
                         f"add account {name}")


class SacctmgrAddAccountsWithAssocs(SacctmgrChange):
    """POST /accounts_association/: accounts and their associations on the
    clusters named, in one command."""

    def __init__(self, names: list[str], clusters: list[str], settings: list[str]):
        super().__init__("add", "account", [f"Names={csv(names)}", f"Clusters={csv(clusters)}", *settings],
                         f"add accounts {', '.join(names)}")


class SacctmgrModifyAccount(SacctmgrChange):
    def __init__(self, name: str, settings: list[str]):
        super().__init__("modify", "account", ["where", f"Name={name}", "set", *settings],
                         f"modify account {name}")


class SacctmgrDeleteAccount(SacctmgrChange):
    """An account, with all its associations on every cluster."""

    def __init__(self, name: str):
        super().__init__("delete", "account", ["where", f"Name={name}"], f"delete account {name}")

    def removed(self, lines: list[str]) -> list[str]:
        return listed_after(lines, "Deleting account")


class SacctmgrAddCoordinators(SacctmgrChange):
    def __init__(self, account: str, users: list[str]):
        super().__init__("add", "coordinator", [f"Accounts={account}", f"Names={csv(users)}"],
                         f"make {', '.join(users)} coordinator of account {account}")


class SacctmgrDeleteCoordinators(SacctmgrChange):
    def __init__(self, account: str, users: list[str]):
        super().__init__("delete", "coordinator", [f"Accounts={account}", f"Names={csv(users)}"],
                         f"remove {', '.join(users)} as coordinator of account {account}")
