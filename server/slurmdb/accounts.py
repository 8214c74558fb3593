"""Accounts of slurmdbd: read, add or change (coordinators included),
delete, and add with associations.

``read_accounts`` gives v0.0.44 `account` objects; ``write_accounts`` is
slurmrestd's POST /accounts/: an account slurmdbd does not have is added
(alone: no association), one it has gets the description and organization
given, and in both cases the coordinators listed become the account's own
coordinators (those made coordinator of this very account and not listed are
removed). ``delete_account`` removes an account and its associations;
``add_accounts_with_assocs`` is POST /accounts_association/.
/slurmdb/config uses the same functions.
"""

from __future__ import annotations

from server.convert import accounts as convert
from server.convert import associations as assoc_convert
from server.convert import passthrough
from server.convert import sacctmgr_values as values
from server.convert.sacctmgr_values import FieldError
from server.slurm.commands.sacctmgr_accounts import (
    SacctmgrAddAccount,
    SacctmgrAddAccountsWithAssocs,
    SacctmgrAddCoordinators,
    SacctmgrDeleteAccount,
    SacctmgrDeleteCoordinators,
    SacctmgrModifyAccount,
    SacctmgrShowAccounts,
    SacctmgrShowAccountsJson,
)
from server.slurm.commands.sacctmgr_associations import (
    AssocCondition,
    SacctmgrDeleteAccountAssoc,
    SacctmgrShowAssocs,
    SacctmgrShowNames,
)
from server.slurm.commands.sacctmgr_entity import SacctmgrChange
from server.slurmdb.associations import missing, read_associations, tres_table
from server.slurmdb.common import apply, bad_field, bad_request


async def read_accounts(call, *, names=(), descriptions=(), organizations=(), with_assocs=False,
                        with_coords=False, with_deleted=False) -> list[dict]:
    """The accounts asked for (all without names), as v0.0.44 `account`
    objects; associations and coordinators only when asked for, as in
    slurmrestd."""
    if call.slurm.prints("sacctmgr", call.version):
        printed = await call.run(SacctmgrShowAccountsJson(
            call.version, names=names, descriptions=descriptions, organizations=organizations,
            with_deleted=with_deleted, with_coords=with_coords, with_assocs=with_assocs))
        return [passthrough.without_nulls(item) for item in printed]
    rows = await call.run(SacctmgrShowAccounts(names=names, descriptions=descriptions,
                                               organizations=organizations,
                                               with_deleted=with_deleted, with_coords=with_coords))
    if not rows:
        return []
    deleted: set[str] = set()
    if with_deleted:
        live = await call.run(SacctmgrShowAccounts(names=[r["name"] for r in rows]))
        deleted = {r["name"] for r in rows} - {r["name"] for r in live}
    coordinators = {}
    if with_coords:
        coords, parent_of = await coordinator_map(call, rows if not (names or descriptions or organizations)
                                                  else None)
        coordinators = {r["name"]: convert.coordinators(r["name"], coords, parent_of) for r in rows}
    associations: dict[str, list[dict]] = {}
    if with_assocs:
        found = await read_associations(call, AssocCondition(accounts=[r["name"] for r in rows],
                                                             with_deleted=with_deleted))
        for assoc in found:
            associations.setdefault(assoc["account"], []).append(assoc_convert.short(assoc))
    return [convert.from_row(row, deleted=row["name"] in deleted,
                             coordinators=coordinators.get(row["name"]),
                             associations=associations.get(row["name"]))
            for row in rows]


async def coordinator_map(call, rows=None) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Every account's coordinator names (inherited ones included, as 22.05
    prints them) and every account's parent."""
    if rows is None:
        rows = await call.run(SacctmgrShowAccounts(with_coords=True))
    tree = await call.run(SacctmgrShowAssocs(AssocCondition(users=[""]), assoc_convert.TREE_FIELDS))
    return convert.coordinators_by_account(rows), convert.parents(tree)


# -- writing ------------------------------------------------------------------


def _account_fields(account, where: str) -> tuple[str, str | None, str | None, list[str] | None]:
    if not isinstance(account, dict):
        raise bad_request(where, "expected an account object")
    try:
        name = values.name_argument(account.get("name"), f"{where}.name").lower()
        description = account.get("description")
        if description is not None:
            description = values.text_argument(description, f"{where}.description")
        organization = account.get("organization")
        if organization is not None:
            organization = values.text_argument(organization, f"{where}.organization")
        coordinators = None
        if "coordinators" in account:
            if not isinstance(account["coordinators"], list):
                raise FieldError(f"{where}.coordinators", "expected a list of coordinators")
            coordinators = []
            for i, coord in enumerate(account["coordinators"]):
                if not isinstance(coord, dict):
                    raise FieldError(f"{where}.coordinators[{i}]", "expected a coordinator object")
                coordinators.append(values.name_argument(coord.get("name"),
                                                         f"{where}.coordinators[{i}].name").lower())
    except FieldError as error:
        raise bad_field(error) from None
    return name, description, organization, coordinators


async def write_accounts(call, accounts: list[dict], field: str = "accounts") -> None:
    """slurmrestd's POST /accounts/: add or change each account. Every
    account is checked before anything changes; the first change Slurm
    refuses stops the rest, and its error says what was applied before it."""
    if not isinstance(accounts, list):
        raise bad_request(field, "expected a list of accounts")
    parsed = [_account_fields(a, f"{field}[{i}]") for i, a in enumerate(accounts)]
    names = [p[0] for p in parsed]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise bad_request(f"{field}[{i}].name", f"account {name!r} is given twice")
    if not parsed:
        return
    for i, account in enumerate(accounts):
        if account.get("associations"):
            call.warn(f"{field}[{i}]: associations are not set through accounts; "
                      "POST /associations/ sets them", "slurmrestpy")
        if "DELETED" in (account.get("flags") or []):
            call.warn(f"{field}[{i}]: the DELETED flag cannot be set; it is ignored", "slurmrestpy")

    coords, parent_of = await coordinator_map(call)
    existing = {row["name"]: row for row in await call.run(SacctmgrShowAccounts(names=names))}
    wanted_users = sorted({u for p in parsed for u in (p[3] or [])})
    if wanted_users:
        known_users = set(await call.run(SacctmgrShowNames("user", "User", [f"names={','.join(wanted_users)}"])))
        for i, (_, _, _, coordinators) in enumerate(parsed):
            for j, user in enumerate(coordinators or []):
                if user not in known_users:
                    raise missing(f"{field}[{i}].coordinators[{j}].name",
                                  f"slurmdbd has no user {user!r}", "ESLURM_USER_ID_MISSING")
    cluster = call.services.slurm_conf.cluster_name

    changes: list[SacctmgrChange] = []
    for i, (name, description, organization, coordinators) in enumerate(parsed):
        wanted = list(dict.fromkeys(coordinators or []))
        if name not in existing:
            settings = [f"Description={description or name}",
                        f"Organization={organization or name}"]
            changes.append(SacctmgrAddAccount(name, cluster, settings))
            changes.append(SacctmgrDeleteAccountAssoc(name, cluster))
            if wanted:
                changes.append(SacctmgrAddCoordinators(name, wanted))
            continue
        now = existing[name]
        settings = []
        if description is not None and description != now["description"]:
            settings.append(f"Description={description}")
        if organization is not None and organization != now["organization"]:
            settings.append(f"Organization={organization}")
        if settings:
            changes.append(SacctmgrModifyAccount(name, settings))
        have = set(coords.get(name, []))
        add = [u for u in wanted if u not in have]
        drop = sorted(convert.direct_coordinators(name, coords, parent_of) - set(wanted))
        if add:
            changes.append(SacctmgrAddCoordinators(name, add))
        if drop:
            changes.append(SacctmgrDeleteCoordinators(name, drop))
    await apply(call, changes)


async def delete_account(call, name: str) -> list[str]:
    """Remove an account and all its associations; the names removed (none
    when there was no such account: slurmrestd answers that with a warning)."""
    try:
        name = values.name_argument(name, "account_name")
    except FieldError as error:
        raise bad_field(error) from None
    command = SacctmgrDeleteAccount(name)
    [printed] = await apply(call, [command])
    return command.removed(printed)


async def add_accounts_with_assocs(call, body: dict) -> str:
    """slurmrestd's POST /accounts_association/: accounts (with the given
    description and organization) and their associations on the clusters
    named (every cluster when none is), under the parent named (root when
    none is), with the limits given. What sacctmgr says it added."""
    condition = body.get("association_condition")
    if not isinstance(condition, dict):
        raise bad_request("association_condition", "is required")
    account = body.get("account") or {}
    try:
        names = [values.name_argument(n, f"association_condition.accounts[{i}]").lower()
                 for i, n in enumerate(condition.get("accounts") or [])]
        if not names:
            raise FieldError("association_condition.accounts", "name at least one account")
        clusters = [values.name_argument(c, f"association_condition.clusters[{i}]").lower()
                    for i, c in enumerate(condition.get("clusters") or [])]
        rec = condition.get("association") or {}
        if not isinstance(rec, dict):
            raise FieldError("association_condition.association", "expected an object")
        parent = rec.get("parent") or "root"
        values.name_argument(parent, "association_condition.association.parent")
        settings = assoc_convert.rec_set_settings(rec, await tres_table(call),
                                                  "association_condition.association")
        for key in ("description", "organization"):
            if account.get(key) is not None:
                settings.append(f"{key.capitalize()}={values.text_argument(account[key], f'account.{key}')}")
    except FieldError as error:
        raise bad_field(error) from None
    if rec.get("comment"):
        call.warn("association_condition.association.comment: Slurm "
                  f"{call.slurm.release} keeps no comment on an association; it is ignored", "slurmrestpy")

    known_clusters = await call.run(SacctmgrShowNames("cluster", "Cluster"))
    for i, cluster in enumerate(clusters):
        if cluster not in known_clusters:
            raise missing(f"association_condition.clusters[{i}]", f"slurmdbd has no cluster {cluster!r}",
                          "ESLURM_INVALID_CLUSTER_NAME")
    named = bool(clusters)
    clusters = clusters or list(known_clusters)
    tree = await call.run(SacctmgrShowAssocs(AssocCondition(users=[""], clusters=clusters),
                                             assoc_convert.TREE_FIELDS))
    have = {(r["cluster"], r["account"]) for r in tree}
    if not named:
        # No cluster named: every cluster where the parent is.
        skipped = [c for c in clusters if (c, parent) not in have]
        clusters = [c for c in clusters if (c, parent) in have] or clusters
        if skipped and len(skipped) < len(known_clusters):
            call.warn(f"not added on cluster(s) {', '.join(skipped)}, where account {parent} has no "
                      "association", "slurmrestpy")
    for cluster in clusters:
        if (cluster, parent) not in have:
            raise missing("association_condition.association.parent",
                          f"account {parent!r} has no association on cluster {cluster!r}",
                          "ESLURM_INVALID_PARENT_ACCOUNT")
    for (name_field, name) in assoc_convert.rec_set_qos_named(rec):
        known = {q.lower() for q in await call.run(SacctmgrShowNames("qos", "Name"))}
        if name.lower() not in known:
            raise missing(f"association_condition.association.{name_field}",
                          f"slurmdbd has no QOS {name!r}", "ESLURM_INVALID_QOS")
    if all((cluster, name) in have for cluster in clusters for name in names):
        call.warn("Nothing added: every account named has an association on every cluster named",
                  "sacctmgr add")
        return ""
    [printed] = await apply(call, [SacctmgrAddAccountsWithAssocs(names, clusters,
                                                                 [f"Parent={parent}", *settings])])
    return "\n".join(printed) + "\n"
