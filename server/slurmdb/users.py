"""Users of slurmdbd: read, add or change, delete, and add with
associations.

``read_users`` gives v0.0.44 `user` objects; ``write_users`` is slurmrestd's
POST /users/: a user slurmdbd does not have is added, one it has gets the
administrator level, default account, default WCKey and name (`old_name`
renames) given. As in slurmrestd, the associations and coordinators a user
object lists are not set there (POST /associations/ and the coordinators of
POST /accounts/ set them). ``delete_user`` removes a user;
``add_users_with_assocs`` is POST /users_association/. /slurmdb/config uses
the same functions.

A new user with a default account is added with an association to it on
this cluster. One without is added as slurmrestd adds it, with no
association: sacctmgr adds a user only with an association or a WCKey, so
the user is added with a WCKey (their default one, or a stand-in removed
again at once).
"""

from __future__ import annotations

from server.convert import accounts as accounts_convert
from server.convert import associations as assoc_convert
from server.convert import passthrough
from server.convert import sacctmgr_values as values
from server.convert import users as convert
from server.convert.sacctmgr_values import FieldError
from server.slurm.commands.sacctmgr_associations import (
    AssocCondition,
    SacctmgrAddUserAssoc,
    SacctmgrShowAssocs,
    SacctmgrShowNames,
)
from server.slurm.commands.sacctmgr_entity import SacctmgrChange
from server.slurm.commands.sacctmgr_users import (
    SacctmgrAddUsersWithAssocs,
    SacctmgrDeleteUser,
    SacctmgrModifyUser,
    SacctmgrShowUsers,
    SacctmgrShowUsersJson,
    SacctmgrShowWckeys,
)
from server.slurmdb.accounts import coordinator_map
from server.slurmdb.associations import missing, read_associations, tres_table
from server.slurmdb.common import apply, bad_field, bad_request

ASSOC_KEYS = (("cluster", "Cluster"), ("account", "Account"), ("user", "User"),
              ("partition", "Partition"))


async def read_users(call, *, names=(), default_accounts=(), default_wckeys=(), admin_level=None,
                     with_assocs=False, with_coords=False, with_deleted=False, with_wckeys=False,
                     without_defaults=False) -> list[dict]:
    """The users asked for (all without names), as v0.0.44 `user` objects;
    associations, coordinators and WCKeys only when asked for."""
    where = dict(names=names, default_accounts=default_accounts, default_wckeys=default_wckeys,
                 admin_level=admin_level)
    if call.slurm.prints("sacctmgr", call.version):
        printed = await call.run(SacctmgrShowUsersJson(call.version, **where, with_deleted=with_deleted,
                                                       with_coords=with_coords, with_assocs=with_assocs))
        return [passthrough.without_nulls(item) for item in printed]
    rows = await call.run(SacctmgrShowUsers(**where, with_deleted=with_deleted))
    if not rows:
        return []
    found = [row["name"] for row in rows]
    deleted: set[str] = set()
    if with_deleted:
        live = await call.run(SacctmgrShowUsers(names=found))
        deleted = set(found) - {row["name"] for row in live}
    coordinators: dict[str, list[dict]] = {}
    if with_coords:
        coords, parent_of = await coordinator_map(call)
        coordinators = {user: accounts_convert.user_coordinators(user, coords, parent_of)
                        for user in found}
    associations: dict[str, list[dict]] = {}
    if with_assocs:
        for assoc in await read_associations(call, AssocCondition(users=found, with_deleted=with_deleted)):
            associations.setdefault(assoc["user"], []).append(assoc_convert.short(assoc))
    wckeys: dict[str, list[dict]] = {}
    if with_wckeys:
        keys = await call.run(SacctmgrShowWckeys(users_=found, with_deleted=with_deleted))
        gone: set[str] = set()
        if with_deleted:
            live_keys = await call.run(SacctmgrShowWckeys(users_=found))
            gone = {k["id"] for k in keys} - {k["id"] for k in live_keys}
        for key in keys:
            wckeys.setdefault(key["user"], []).append(
                convert.wckey_from_row(key, deleted=key["id"] in gone))
    return [convert.from_row(row, deleted=row["name"] in deleted,
                             associations=associations.get(row["name"]),
                             coordinators=coordinators.get(row["name"]),
                             wckeys=wckeys.get(row["name"]), without_defaults=without_defaults)
            for row in rows]


# -- writing ------------------------------------------------------------------


def _user_fields(user, where: str) -> dict:
    if not isinstance(user, dict):
        raise bad_request(where, "expected a user object")
    try:
        found = {"name": convert.name(user.get("name"), f"{where}.name")}
        old = user.get("old_name")
        found["old_name"] = convert.name(old, f"{where}.old_name") if old else None
        found["admin_level"] = None
        if "administrator_level" in user:
            found["admin_level"] = convert.admin_level_argument(user["administrator_level"],
                                                                f"{where}.administrator_level")
        default = user.get("default") or {}
        if not isinstance(default, dict):
            raise FieldError(f"{where}.default", "expected an object")
        account = default.get("account")
        found["default_account"] = (values.name_argument(account, f"{where}.default.account").lower()
                                    if account else None)
        wckey = default.get("wckey")
        found["default_wckey"] = values.name_argument(wckey, f"{where}.default.wckey") if wckey else None
    except FieldError as error:
        raise bad_field(error) from None
    return found


async def write_users(call, users: list[dict], field: str = "users") -> None:
    """slurmrestd's POST /users/: add or change each user. Every user is
    checked before anything changes; the first change Slurm refuses stops the
    rest, and its error says what was applied before it."""
    if not isinstance(users, list):
        raise bad_request(field, "expected a list of users")
    parsed = [_user_fields(u, f"{field}[{i}]") for i, u in enumerate(users)]
    names = [p["name"] for p in parsed]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise bad_request(f"{field}[{i}].name", f"user {name!r} is given twice")
    if not parsed:
        return
    for i, user in enumerate(users):
        for key, what in (("associations", "POST /associations/ sets them"),
                          ("coordinators", "the coordinators of POST /accounts/ set them"),
                          ("wckeys", "sacctmgr adds a user's WCKeys with their associations")):
            if user.get(key):
                call.warn(f"{field}[{i}].{key} is not applied: {what}", "slurmrestpy")
        if "DELETED" in (user.get("flags") or []):
            call.warn(f"{field}[{i}]: the DELETED flag cannot be set; it is ignored", "slurmrestpy")

    every = sorted({n for p in parsed for n in (p["name"], p["old_name"]) if n})
    existing = {row["name"]: row for row in await call.run(SacctmgrShowUsers(names=every))}
    assocs = await call.run(SacctmgrShowAssocs(AssocCondition(users=every), ASSOC_KEYS))
    accounts = set(await call.run(SacctmgrShowNames("account", "Account")))
    cluster = call.services.slurm_conf.cluster_name
    # Where new users go: the accounts with an association on this cluster.
    wanted = sorted({p["default_account"] for p in parsed
                     if p["default_account"] and (p["old_name"] or p["name"]) not in existing})
    here = set()
    if wanted:
        here = {r["account"] for r in await call.run(SacctmgrShowAssocs(
            AssocCondition(users=[""], clusters=[cluster], accounts=wanted), ASSOC_KEYS))}

    changes: list[SacctmgrChange] = []
    for i, user in enumerate(parsed):
        where = f"{field}[{i}]"
        name, old = user["name"], user["old_name"]
        if user["default_account"] and user["default_account"] not in accounts:
            raise missing(f"{where}.default.account", f"slurmdbd has no account {user['default_account']!r}",
                          "ESLURM_INVALID_ACCOUNT")
        current_name = name
        if old and old != name:
            if old not in existing:
                raise missing(f"{where}.old_name", f"slurmdbd has no user {old!r} to rename",
                              "ESLURM_USER_ID_MISSING")
            if name in existing:
                raise bad_request(f"{where}.name", f"user {name!r} exists already: {old!r} cannot "
                                  "be renamed to it")
            changes.append(SacctmgrModifyUser(old, [f"NewName={name}"]))
            current_name = old
        if current_name not in existing:
            if not user["default_account"]:
                changes.extend(add_without_association(name, cluster, user["admin_level"],
                                                       user["default_wckey"]))
                continue
            if user["default_account"] not in here:
                raise missing(f"{where}.default.account", f"account {user['default_account']!r} has "
                              f"no association on cluster {cluster!r} for the user's to hang under",
                              "ESLURM_INVALID_ACCOUNT")
            extra = [f"AdminLevel={user['admin_level']}"] if user["admin_level"] else []
            if user["default_wckey"]:
                extra.append(f"DefaultWCKey={user['default_wckey']}")
            changes.append(SacctmgrAddUserAssoc(name, user["default_account"], cluster, "", [], extra))
            continue
        now = existing[current_name]
        mine = [a for a in assocs if a["user"] == current_name]
        if user["admin_level"] and convert.admin_level(now["admin_level"]) != user["admin_level"]:
            changes.append(SacctmgrModifyUser(name, [f"AdminLevel={user['admin_level']}"]))
        for key, setting in (("default_account", "DefaultAccount"), ("default_wckey", "DefaultWCKey")):
            wanted = user[key]
            if not wanted or wanted == now[key]:
                continue
            clusters = sorted({a["cluster"] for a in mine
                               if key != "default_account" or a["account"] == wanted})
            if not clusters:
                raise missing(f"{where}.default.account", f"user {current_name!r} has no association "
                              f"with account {wanted!r}", "ESLURM_INVALID_ACCOUNT")
            changes.append(SetUserDefault(name, clusters, setting, wanted))
    await apply(call, changes)


# The WCKey a user without association is added with, then removed again.
STAND_IN_WCKEY = "slurmrestpy-new-user"


def add_without_association(name: str, cluster: str, admin_level: str | None,
                            default_wckey: str | None) -> list[SacctmgrChange]:
    wckey = default_wckey or STAND_IN_WCKEY
    extra = [f"AdminLevel={admin_level}"] if admin_level else []
    if default_wckey:
        extra.append(f"DefaultWCKey={default_wckey}")
    changes = [SacctmgrChange("add", "user", [f"Names={name}", f"WCKeys={wckey}", f"Cluster={cluster}",
                                              *extra], f"add user {name}")]
    if not default_wckey:
        changes.append(SacctmgrChange("delete", "user", ["where", f"Name={name}", f"WCKeys={wckey}"],
                                      f"remove the stand-in WCKey of user {name}"))
    return changes


class SetUserDefault(SacctmgrChange):
    """A default (account or WCKey) on the clusters where the user has an
    association (sacctmgr refuses the change on every cluster when one of
    them has none)."""

    def __init__(self, user: str, clusters: list[str], setting: str, value: str):
        super().__init__("modify", "user",
                         ["where", f"Name={user}", f"Clusters={','.join(clusters)}", "set",
                          f"{setting}={value}"],
                         f"set {setting} of user {user} to {value}")


async def delete_user(call, name: str) -> list[str]:
    """Remove a user with all their associations; the names removed."""
    try:
        name = values.name_argument(name, "name")
    except FieldError as error:
        raise bad_field(error) from None
    command = SacctmgrDeleteUser(name)
    [printed] = await apply(call, [command])
    return command.removed(printed)


async def add_users_with_assocs(call, body: dict) -> str:
    """slurmrestd's POST /users_association/: users and their associations
    to the accounts (or WCKeys) named, on the clusters and partitions named,
    with the limits given. What sacctmgr says it added."""
    condition = body.get("association_condition")
    if not isinstance(condition, dict):
        raise bad_request("association_condition", "is required")
    user = body.get("user") or {}
    if not isinstance(user, dict):
        raise bad_request("user", "expected an object")
    arguments: list[str] = []
    try:
        lists = {}
        for key in ("users", "accounts", "clusters", "partitions", "wckeys"):
            items = condition.get(key) or []
            if not isinstance(items, list):
                raise FieldError(f"association_condition.{key}", "expected a list")
            lists[key] = [values.name_argument(v, f"association_condition.{key}[{i}]")
                          for i, v in enumerate(items)]
        names = [n.lower() for n in lists["users"]]
        if not names:
            raise FieldError("association_condition.users", "name at least one user")
        default_account = user.get("defaultaccount")
        accounts = [a.lower() for a in lists["accounts"]]
        if not accounts and default_account:
            accounts = [values.name_argument(default_account, "user.defaultaccount").lower()]
        wckeys = lists["wckeys"]
        if not wckeys and user.get("defaultwckey"):
            wckeys = [values.name_argument(user["defaultwckey"], "user.defaultwckey")]
        if not accounts and not wckeys:
            raise FieldError("association_condition.accounts",
                             "name the accounts (or WCKeys) the users are added to")
        rec = condition.get("association") or {}
        if not isinstance(rec, dict):
            raise FieldError("association_condition.association", "expected an object")
        arguments += assoc_convert.rec_set_settings(rec, await tres_table(call),
                                                    "association_condition.association")
        level = None
        if "adminlevel" in user:
            level = convert.admin_level_argument(user["adminlevel"], "user.adminlevel")
        if default_account:
            arguments.append(f"DefaultAccount={values.name_argument(default_account, 'user.defaultaccount').lower()}")
        if user.get("defaultwckey"):
            arguments.append(f"DefaultWCKey={values.name_argument(user['defaultwckey'], 'user.defaultwckey')}")
        if level:
            arguments.append(f"AdminLevel={level}")
    except FieldError as error:
        raise bad_field(error) from None
    if "defaultqos" in user:
        call.warn("user.defaultqos is not applied: Slurm keeps a default QOS per association "
                  "(association_condition.association.defaultqos)", "slurmrestpy")

    known_clusters = await call.run(SacctmgrShowNames("cluster", "Cluster"))
    for i, cluster in enumerate(lists["clusters"]):
        if cluster.lower() not in known_clusters:
            raise missing(f"association_condition.clusters[{i}]", f"slurmdbd has no cluster {cluster!r}",
                          "ESLURM_INVALID_CLUSTER_NAME")
    clusters = [c.lower() for c in lists["clusters"]] or list(known_clusters)
    tree = await call.run(SacctmgrShowAssocs(AssocCondition(clusters=clusters, accounts=accounts),
                                             ASSOC_KEYS)) if accounts else []
    have = {(r["cluster"], r["account"]) for r in tree if not r["user"]}
    if accounts and not lists["clusters"]:
        # No cluster named: every cluster where the accounts are, as slurmdbd
        # skips a cluster an account is not on.
        skipped = [c for c in clusters if any((c, a) not in have for a in accounts)]
        clusters = [c for c in clusters if c not in skipped]
        if skipped:
            call.warn(f"not added on cluster(s) {', '.join(skipped)}, where not every account named "
                      "has an association", "slurmrestpy")
        if not clusters:
            raise missing("association_condition.accounts", "no cluster has an association of every "
                          "account named", "ESLURM_INVALID_ACCOUNT")
    for i, account in enumerate(accounts):
        for cluster in clusters:
            if (cluster, account) not in have:
                raise missing(f"association_condition.accounts[{i}]",
                              f"account {account!r} has no association on cluster {cluster!r}",
                              "ESLURM_INVALID_ACCOUNT")
    known_qos = None
    for name_field, qos in assoc_convert.rec_set_qos_named(rec):
        if known_qos is None:
            known_qos = {q.lower() for q in await call.run(SacctmgrShowNames("qos", "Name"))}
        if qos.lower() not in known_qos:
            raise missing(f"association_condition.association.{name_field}", f"slurmdbd has no QOS {qos!r}",
                          "ESLURM_INVALID_QOS")
    partitions = lists["partitions"]
    existing = {(r["cluster"], r["account"], r["user"], r["partition"]) for r in tree if r["user"]}
    wanted = {(c, a, u, p) for c in clusters for a in accounts for u in names for p in (partitions or [""])}
    if accounts and wanted <= existing and not wckeys:
        call.warn("Nothing added: every association named exists already", "sacctmgr add")
        return ""
    if accounts:
        arguments[:0] = [f"Accounts={','.join(accounts)}"]
    arguments[:0] = [f"Clusters={','.join(clusters)}"]
    if partitions:
        arguments.append(f"Partitions={','.join(partitions)}")
    if lists["wckeys"]:
        arguments.append(f"WCKeys={','.join(lists['wckeys'])}")
    [printed] = await apply(call, [SacctmgrAddUsersWithAssocs(names, arguments)])
    return "\n".join(printed) + "\n"
