"""Associations of slurmdbd: read, add or change, delete.

``read_associations(call, condition)`` gives v0.0.44 `assoc` objects,
``write_associations(call, assocs)`` adds the ones slurmdbd does not have and
changes the others (slurmrestd's POST /associations/), and
``delete_associations(call, condition)`` removes what a condition selects.
/slurmdb/config uses the same functions.

Reading in Slurm 22.05 takes up to five sacctmgr commands, because its text
leaves out what v0.0.44 has: the associations asked for, the same without
`withdeleted` (to flag the deleted ones), the tree of account associations
(for `lineage`), the default associations of the users in the answer (for
`is_default`), and the TRES table (TRES limits are printed by name). A Slurm
printing v0.0.44 itself answers in one command, passed through.
"""

from __future__ import annotations

import dataclasses

from server.convert import associations as convert
from server.convert import passthrough
from server.convert import sacctmgr_values as values
from server.convert import tres as tres_convert
from server.convert.sacctmgr_values import FieldError
from server.convert.tres import TresTable
from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_associations import (
    AssocCondition,
    SacctmgrAddAccountAssoc,
    SacctmgrAddUserAssoc,
    SacctmgrDeleteAccountAssoc,
    SacctmgrDeleteUserAssoc,
    SacctmgrModifyAccountAssoc,
    SacctmgrModifyUserAssoc,
    SacctmgrShowAssocs,
    SacctmgrShowAssocsJson,
    SacctmgrShowNames,
)
from server.slurm.commands.sacctmgr_entity import SacctmgrChange, SacctmgrShow
from server.slurmdb.common import apply, bad_field, bad_request
from server.slurm.errno import by_name

ID_ONLY = (("id", "ID"),)


def _number(name: str) -> int | None:
    known = by_name(name)
    return known.number if known else None


def missing(field: str, message: str, errno_name: str) -> SlurmError:
    """A reference to something slurmdbd does not have: Slurm's error number
    for it, answered 400 since the request cannot be applied as it is."""
    return SlurmError(f"{field}: {message}", number=_number(errno_name), source="slurmrestpy",
                      status=400)


async def tres_table(call) -> TresTable:
    rows = await call.run(SacctmgrShow("tres", tres_convert.FIELDS, ["withdeleted"]))
    return TresTable([tres_convert.from_row(row) for row in rows])


# -- reading ------------------------------------------------------------------


async def read_associations(call, condition: AssocCondition | None = None) -> list[dict]:
    """The associations a condition selects, as v0.0.44 `assoc` objects."""
    condition = condition or AssocCondition()
    if call.slurm.prints("sacctmgr", call.version):
        printed = await call.run(SacctmgrShowAssocsJson(call.version, condition))
        return [passthrough.without_nulls(item) for item in printed]
    rows = await call.run(SacctmgrShowAssocs(condition))
    return await _from_rows(call, rows, with_deleted=condition.with_deleted, condition=condition)


async def _from_rows(call, rows, *, with_deleted: bool, condition: AssocCondition) -> list[dict]:
    if not rows:
        return []
    clusters = sorted({row["cluster"] for row in rows})
    users = sorted({row["user"] for row in rows if row["user"]})
    deleted: set[str] = set()
    if with_deleted:
        live = await call.run(SacctmgrShowAssocs(dataclasses.replace(condition, with_deleted=False),
                                                 ID_ONLY))
        deleted = {row["id"] for row in rows} - {row["id"] for row in live}
    tree = await call.run(SacctmgrShowAssocs(
        AssocCondition(users=[""], clusters=clusters, with_deleted=with_deleted), convert.TREE_FIELDS))
    defaults: set[str] = set()
    if users:
        found = await call.run(SacctmgrShowAssocs(
            AssocCondition(users=users, clusters=clusters, only_defaults=True), ID_ONLY))
        defaults = {row["id"] for row in found}
    table = TresTable([])
    if any(row.get(field) for row in rows for _, _, kind, field, _ in convert.TRES_LIMITS):
        table = await tres_table(call)
    accounts = convert.lineages(tree)
    return [convert.from_row(row, table, lineage=convert.lineage_of(row, accounts),
                             is_default=row["id"] in defaults, deleted=row["id"] in deleted)
            for row in rows]


# -- writing ------------------------------------------------------------------


@dataclasses.dataclass
class _Plan:
    changes: list[SacctmgrChange]
    warnings: list[str]


async def write_associations(call, assocs: list[dict], field: str = "associations") -> None:
    """Add each association slurmdbd does not have and change each it has
    (matched by cluster, account, user and partition), as slurmrestd's POST
    /associations/ does. Everything is checked before anything is changed;
    the first change Slurm refuses stops the rest and its error says what
    was applied before it."""
    plan = await plan_associations(call, assocs, field)
    for warning in plan.warnings:
        call.warn(warning, "sacctmgr")
    await apply(call, plan.changes)


async def plan_associations(call, assocs: list[dict], field: str = "associations") -> _Plan:
    if not isinstance(assocs, list):
        raise bad_request(field, "expected a list of associations")
    keys = [_key(assoc, f"{field}[{i}]") for i, assoc in enumerate(assocs)]
    if len(set(keys)) != len(keys):
        seen = set()
        for i, key in enumerate(keys):
            if key in seen:
                raise bad_request(f"{field}[{i}]", f"{convert.describe(key)} is given twice")
            seen.add(key)
    if not keys:
        return _Plan([], [])

    clusters = set(await call.run(SacctmgrShowNames("cluster", "Cluster")))
    accounts_known = set(await call.run(SacctmgrShowNames("account", "Account")))
    wanted_accounts = {"root"} | {k[1] for k in keys} | {
        a.get("parent_account") for a in assocs if isinstance(a, dict) and a.get("parent_account")}
    current_rows = await call.run(SacctmgrShowAssocs(AssocCondition(
        clusters=sorted({k[0] for k in keys}), accounts=sorted(wanted_accounts),
        without_parent_limits=True)))
    table = await tres_table(call)
    defaults: set[str] = set()
    default_users = sorted({k[2] for k, a in zip(keys, assocs) if k[2] and a.get("is_default") is True})
    if default_users:
        defaults = {row["id"] for row in await call.run(SacctmgrShowAssocs(
            AssocCondition(users=default_users, only_defaults=True), ID_ONLY))}
    qos_names = None
    if any(convert.qos_named(a) for a in assocs):
        qos_names = {name.lower() for name in await call.run(SacctmgrShowNames("qos", "Name"))}

    current = {convert.key_of(row_key(row)): row for row in current_rows}
    # Account associations by (cluster, account), as they will be after each
    # change in order: a later item may hang under one added before it.
    parents = {(row["cluster"], row["account"]): row["parent_account"]
               for row in current_rows if not row["user"]}
    changes: list[SacctmgrChange] = []
    warnings: list[str] = []
    for index, (assoc, key) in enumerate(zip(assocs, keys)):
        where = f"{field}[{index}]"
        cluster, account, user, partition = key
        if cluster not in clusters:
            raise missing(f"{where}.cluster", f"slurmdbd has no cluster {cluster!r}",
                          "ESLURM_INVALID_CLUSTER_NAME")
        if account not in accounts_known:
            raise missing(f"{where}.account", f"slurmdbd has no account {account!r} (add it with "
                          "POST /accounts/ first)", "ESLURM_INVALID_ACCOUNT")
        for name_field, name in convert.qos_named(assoc):
            if qos_names is not None and name.lower() not in qos_names:
                raise missing(f"{where}.{name_field}", f"slurmdbd has no QOS {name!r}",
                              "ESLURM_INVALID_QOS")
        if assoc.get("comment"):
            warnings.append(f"{where}: Slurm {call.slurm.release} keeps no comment on an "
                            "association; the comment is ignored")
        try:
            if key in current:
                now = convert.from_row(current[key], table)
                settings = convert.settings(assoc, table, where, current=now)
                parent = assoc.get("parent_account") or ""
                if not user and parent and parent != current[key]["parent_account"]:
                    _check_parent(parents, cluster, parent, f"{where}.parent_account")
                    settings.append(f"Parent={parent}")
                    parents[(cluster, account)] = parent
                if settings:
                    changes.append(SacctmgrModifyAccountAssoc(account, cluster, settings) if not user
                                   else SacctmgrModifyUserAssoc(user, account, cluster, partition,
                                                                settings))
                if user and assoc.get("is_default") is True and current[key]["id"] not in defaults:
                    changes.append(SetDefaultAccount(user, account, cluster))
            else:
                settings = convert.settings(assoc, table, where)
                if not user:
                    parent = assoc.get("parent_account") or "root"
                    if account != "root":
                        _check_parent(parents, cluster, parent, f"{where}.parent_account")
                    changes.append(SacctmgrAddAccountAssoc(account, cluster, parent, settings))
                    parents[(cluster, account)] = parent
                else:
                    if (cluster, account) not in parents:
                        raise missing(f"{where}.account", f"account {account!r} has no association on "
                                      f"cluster {cluster!r} for a user's to hang under",
                                      "ESLURM_INVALID_ACCOUNT")
                    extra = [f"DefaultAccount={account}"] if assoc.get("is_default") is True else []
                    changes.append(SacctmgrAddUserAssoc(user, account, cluster, partition, settings,
                                                        extra))
        except FieldError as error:
            raise bad_field(error) from None
    return _Plan(changes, warnings)


def row_key(row: dict[str, str]) -> dict:
    return {"cluster": row["cluster"], "account": row["account"], "user": row["user"],
            "partition": row["partition"]}


def _check_parent(parents, cluster: str, parent: str, field: str) -> None:
    if (cluster, parent) not in parents:
        raise missing(field, f"account {parent!r} has no association on cluster {cluster!r}",
                      "ESLURM_INVALID_PARENT_ACCOUNT")


def _key(assoc, where: str) -> tuple[str, str, str, str]:
    if not isinstance(assoc, dict):
        raise bad_request(where, "expected an association object")
    try:
        cluster = values.name_argument(assoc.get("cluster"), f"{where}.cluster")
        account = values.name_argument(assoc.get("account"), f"{where}.account")
        user = assoc.get("user") or ""
        if user:
            user = values.name_argument(user, f"{where}.user")
        partition = assoc.get("partition") or ""
        if partition:
            partition = values.name_argument(partition, f"{where}.partition")
            if not user:
                raise FieldError(f"{where}.partition", "only a user's association has a partition")
        parent = assoc.get("parent_account")
        if parent:
            values.name_argument(parent, f"{where}.parent_account")
    except FieldError as error:
        raise bad_field(error) from None
    # sacctmgr keeps account, cluster and user names in lower case.
    return (cluster.lower(), account.lower(), user.lower(), partition)


class SetDefaultAccount(SacctmgrChange):
    def __init__(self, user: str, account: str, cluster: str):
        super().__init__("modify", "user",
                         ["where", f"Name={user}", f"Cluster={cluster}", "set",
                          f"DefaultAccount={account}"],
                         f"make {account} the default account of user {user} on cluster {cluster}")


# -- deleting -----------------------------------------------------------------


async def delete_associations(call, condition: AssocCondition, *, only_one: bool = False) -> list[str]:
    """Remove every association the condition selects (with the ones below
    an account's), as slurmrestd's DELETE /associations/ does; the removed
    ones in slurmdbd's words (`C = srp A = acct U = user`)."""
    if not condition.filters():
        raise bad_request("query", "name at least one of account, cluster, user, partition, id, "
                          "parent_account, qos or default_qos: without one, every association "
                          "would be removed")
    rows = await call.run(SacctmgrShowAssocs(dataclasses.replace(condition, with_deleted=False),
                                             convert.TREE_FIELDS + (("user", "User"),
                                                                    ("partition", "Partition"),
                                                                    ("id", "ID"))))
    if not rows:
        return []
    if only_one and len(rows) > 1:
        raise SlurmError("ambiguous request: More than 1 association would have been deleted.",
                         number=_number("ESLURM_DATA_AMBIGUOUS_MODIFY"), source="_delete_assoc")
    # An account's association takes everything below it along: remove the
    # users' ones first (they may be the only ones asked for), then the
    # accounts' from the bottom of the tree up.
    accounts = {(r["cluster"], r["account"]) for r in rows if not r["user"]}
    changes: list[SacctmgrChange] = [
        SacctmgrDeleteUserAssoc(r["user"], r["account"], r["cluster"], r["partition"])
        for r in rows if r["user"] and (r["cluster"], r["account"]) not in accounts]
    changes += [SacctmgrDeleteAccountAssoc(r["account"], r["cluster"])
                for r in reversed(rows) if not r["user"]]
    printed = await apply(call, changes)
    for user in (u for lines in printed for u in convert.users_removed_with(lines)):
        call.warn(f"user {user} had no association left and was removed too (Slurm "
                  f"{call.slurm.release} keeps no user without one)", "sacctmgr delete")
    return [line for lines in printed for line in convert.removed(lines)]
