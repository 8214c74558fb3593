"""slurmdbd's whole accounting setup as one document: /slurmdb/config.

``read_config`` is GET: clusters, TRES, accounts, users, QOS, wckeys and
associations, read concurrently with the read_ functions of this package,
deleted records included and flagged DELETED, as slurmrestd dumps them.
Associations carry their own limits and QOS, not those inherited from their
parents (`woplimits`): the document says what each association is set to,
so that loading it sets nothing a parent gave (slurmrestd dumps inherited
limits too, and loading its dump back sets them on every child). A section
Slurm does not let the caller read (22.05 lists wckeys to operators only)
is left empty with a warning; any other failure fails the whole GET.

``load_config`` is POST, the inverse of GET: the document is made true
through the write_ functions of this package, in the order Slurm 22.05
needs, since sacctmgr commits each command on its own and checks references
at once:

1. clusters (added when slurmdbd does not have them);
2. TRES are not loaded, as slurmrestd does not load them (slurmctld
   registers them; a release build of slurmrestd even stops its load
   there); a TRES slurmdbd does not know is warned about;
3. QOS (before the associations that name them);
4. accounts (before their associations; coordinators who are users not yet
   known come at the end);
5. associations, parents before children, then users' (adding a user's
   association adds a new user);
6. users (administrator level, default account and WCKey), once they exist;
7. wckeys, once their users exist;
8. the coordinators left over from 4.

Records flagged DELETED are not loaded (loading them would bring back what
was deleted): posting back an unchanged GET changes nothing. A QOS or an
association that already is as the document describes it is left alone;
the others are added or changed. QOS are matched by name, associations by
cluster, account, user and partition, never by id: ids are slurmdbd's, and
one that was deleted is not given back. An account whose `coordinators`
are left out keeps its coordinators; coordinators listed as not `direct`
(inherited from a parent account) are not made direct.

Everything is checked before the first change: the form of every object,
and every reference (cluster, account, parent, QOS, user) against what
slurmdbd has or the document adds; a problem is a 400 naming the field and
changes nothing. A change Slurm then refuses (permissions, say) stops the
load; its error says what was applied before it and what was not loaded.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from server.convert import accounts as accounts_convert
from server.convert import associations as assoc_convert
from server.convert import qos as qos_convert
from server.convert.sacctmgr_values import FieldError, name_argument
from server.convert.tres import TresTable
from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_associations import AssocCondition, SacctmgrShowNames
from server.slurm.commands.sacctmgr_entity import SacctmgrChange
from server.slurm.errno import by_name
from server.slurmdb import accounts as accounts_store
from server.slurmdb import associations as assoc_store
from server.slurmdb import users as users_store
from server.slurmdb.accounts import coordinator_map, read_accounts, write_accounts
from server.slurmdb.associations import missing, read_associations, write_associations
from server.slurmdb.clusters import read_clusters, write_clusters
from server.slurmdb.common import bad_field, bad_request
from server.slurmdb.qos import read_qos, write_qos
from server.slurmdb.tres import read_tres, write_tres
from server.slurmdb.users import read_users, write_users
from server.slurmdb.wckeys import read_wckeys, write_wckeys

# The sections of the document, in slurmrestd's order.
SECTIONS = ("clusters", "tres", "accounts", "users", "qos", "wckeys", "associations", "instances")
# What the envelope of a GET adds; a GET posted back carries them.
ENVELOPE = ("meta", "errors", "warnings")
# What slurmrestd's dump warns about when it finds none (wckeys it does not).
FOUND_NOTHING = {"clusters": "slurmdb_clusters_get", "tres": "slurmdb_tres_get",
                 "accounts": "slurmdb_accounts_get", "users": "slurmdb_users_get",
                 "qos": "slurmdb_qos_get", "associations": "slurmdb_associations_get"}
# What slurmdbd sets, never a load: left out when comparing with what is there.
NOT_SETTINGS = {"qos": ("id",), "associations": ("id", "accounting", "lineage", "flags")}
DELETED = "DELETED"
# What the users and wckeys steps take of each object.
USER_SETTINGS = ("name", "old_name", "administrator_level", "default")
WCKEY_KEY = ("name", "user", "cluster")


def _association_condition(**more) -> AssocCondition:
    # Own limits and own QOS of each association (see the module's doc).
    return AssocCondition(with_raw_qos=True, without_parent_limits=True, **more)


# -- GET ----------------------------------------------------------------------


async def read_config(call) -> dict:
    """Everything slurmdbd lets the caller read, as an
    `openapi_slurmdbd_config_resp` (without the envelope)."""
    passed_through = call.slurm.prints("sacctmgr", call.version)
    # A Slurm printing v0.0.44 lists accounts' and users' associations
    # itself; 22.05 would read them twice more, so they are taken from the
    # one read of every association below.
    denied: list[str] = []
    (clusters, tres, accounts, users, qos, wckeys, associations) = await asyncio.gather(
        _readable(call, "clusters", read_clusters(call, with_deleted=True), denied),
        _readable(call, "tres", read_tres(call), denied),
        _readable(call, "accounts", read_accounts(call, with_deleted=True, with_coords=True,
                                                  with_assocs=passed_through), denied),
        _readable(call, "users", read_users(call, with_deleted=True, with_coords=True,
                                            with_assocs=passed_through), denied),
        _readable(call, "qos", read_qos(call, with_deleted=True), denied),
        _readable(call, "wckeys", read_wckeys(call, with_deleted=True), denied),
        _readable(call, "associations",
                  read_associations(call, _association_condition(with_deleted=True)), denied),
    )
    if not passed_through:
        by_account: dict[str, list[dict]] = {}
        by_user: dict[str, list[dict]] = {}
        for assoc in associations:
            by_account.setdefault(assoc["account"], []).append(assoc_convert.short(assoc))
            if assoc.get("user"):
                by_user.setdefault(assoc["user"], []).append(assoc_convert.short(assoc))
        for account in accounts:
            account["associations"] = by_account.get(account["name"], [])
        for user in users:
            user["associations"] = by_user.get(user["name"], [])
    document = {"clusters": clusters, "tres": tres, "accounts": accounts, "users": users,
                "qos": qos, "wckeys": wckeys, "associations": associations, "instances": []}
    for section, function in FOUND_NOTHING.items():
        if not document[section] and section not in denied:
            call.warn(f"{function}() found nothing", "_dump")
    return document


async def _readable(call, section: str, reading, denied: list[str]) -> list[dict]:
    """What a read gives; a section Slurm does not let the caller read (22.05
    lets operators only list wckeys) is left empty, with a warning saying
    so, and the rest of the document is still given."""
    try:
        return await reading
    except SlurmError as error:
        if error.number != _number("ESLURM_ACCESS_DENIED"):
            raise
        denied.append(section)
        call.warn(f"{section}: not listed, Slurm does not let this user read them "
                  f"({error.description})", error.source)
        return []


def _number(name: str) -> int | None:
    known = by_name(name)
    return known.number if known else None


# -- POST ---------------------------------------------------------------------


@dataclass
class _Step:
    """One write_ function over the objects of one section that need it."""

    label: str  # for messages: "QOS", "associations", ...
    section: str  # where the objects are in the document
    write: Callable[..., Awaitable[None]]
    items: list[dict] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)  # each item's index in the section

    def add(self, index: int, item: dict) -> None:
        self.indices.append(index)
        self.items.append(item)


@dataclass
class _Now:
    """What slurmdbd has before the load."""

    clusters: set[str]
    accounts: set[str]
    users: set[str]
    qos: dict[str, dict]  # lower-cased name -> qos
    associations: dict[tuple, dict]  # (cluster, account, user, partition) -> assoc
    tres: TresTable
    coordinators: dict[str, list[str]]
    parent_of: dict[str, str]


class _Recording:
    """The request's Call, keeping what each change it runs did (for the
    report of a load that stops half-way)."""

    def __init__(self, call):
        self._call = call
        self.applied: list[str] = []

    def __getattr__(self, name):
        return getattr(self._call, name)

    async def run(self, command):
        result = await self._call.run(command)
        if isinstance(command, SacctmgrChange):
            self.applied.append(command.what)
        return result


async def load_config(call, body) -> list[str]:
    """Make slurmdbd what the document describes (see the module's doc);
    what was changed, in sacctmgr's words."""
    sections = _sections(call, body)
    now = await _read_now(call, sections)
    steps = _plan(call, sections, now)
    # As slurmrestd: TRES are not loaded (write_tres knows it; _plan warned).
    await write_tres(call, [item for _, item in sections["tres"]], loading_config=True)
    recording = _Recording(call)
    for number, step in enumerate(steps):
        if not step.items:
            continue
        before = list(recording.applied)
        try:
            await step.write(recording, step.items)
        except SlurmError as error:
            left = [s.label for s in steps[number + 1:] if s.items]
            raise _stopped(error, step, before, left) from None
    return recording.applied


def _sections(call, body) -> dict[str, list[tuple[int, dict]]]:
    """The document's sections as (index, object) lists, DELETED records
    left out (with a warning), TRES and instances looked at only."""
    if not isinstance(body, dict):
        raise bad_request("body", "expected a configuration object (clusters, tres, accounts, "
                          "users, qos, wckeys, associations)")
    for key in body:
        if key not in SECTIONS and key not in ENVELOPE:
            call.warn(f"{key}: not part of a configuration; ignored", "slurmrestpy")
    found: dict[str, list[tuple[int, dict]]] = {}
    for section in SECTIONS:
        items = body.get(section)
        if items is None:
            items = []
        if not isinstance(items, list):
            raise bad_request(section, "expected a list")
        kept, deleted = [], 0
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise bad_request(f"{section}[{index}]", "expected an object")
            flags = item.get("flags")
            if isinstance(flags, list) and DELETED in flags and section not in ("clusters", "tres"):
                deleted += 1
                continue
            kept.append((index, item))
        if deleted:
            call.warn(f"{section}: {deleted} record(s) flagged DELETED not loaded (loading them "
                      "would bring back what was deleted)", "slurmrestpy")
        found[section] = kept
    if found["instances"]:
        call.warn("instances: not loaded; slurmdbd records node instances from slurmctld (and "
                  f"Slurm {call.slurm.release} keeps none)", "slurmrestpy")
    return found


async def _read_now(call, sections) -> _Now:
    wanted = [
        call.run(SacctmgrShowNames("cluster", "Cluster")),
        call.run(SacctmgrShowNames("account", "Account")),
        call.run(SacctmgrShowNames("user", "User")),
        read_qos(call),
        read_associations(call, _association_condition()),
        read_tres(call),
    ]
    if sections["accounts"]:
        wanted.append(coordinator_map(call))
    clusters, accounts, users, qos, assocs, tres, *coords = await asyncio.gather(*wanted)
    coordinators, parent_of = coords[0] if coords else ({}, {})
    return _Now(
        clusters={c.lower() for c in clusters},
        accounts={a.lower() for a in accounts},
        users={u.lower() for u in users},
        qos={q["name"].lower(): q for q in qos},
        associations={_folded(assoc_convert.key_of(a)): a for a in assocs},
        tres=TresTable(tres),
        coordinators=coordinators,
        parent_of=parent_of,
    )


def _folded(key: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
    # sacctmgr keeps cluster, account and user names in lower case.
    cluster, account, user, partition = key
    return (cluster.lower(), account.lower(), user.lower(), partition)


def _name(value, field: str) -> str:
    try:
        return name_argument(value, field).lower()
    except FieldError as error:
        raise bad_field(error) from None


def _unknown(field: str, what: str, name: str, errno_name: str) -> SlurmError:
    return missing(field, f"slurmdbd has no {what} {name!r} and the document adds none", errno_name)


def _once(seen: set, value, field: str, what: str) -> None:
    if value in seen:
        raise bad_request(field, f"{what} is given twice")
    seen.add(value)


def _plan(call, sections, now: _Now) -> list[_Step]:
    """Check the whole document against what slurmdbd has and what the
    document adds, and plan the steps; nothing has changed yet."""
    return _Planner(call, sections, now).steps()


class _Planner:
    """The checks of each section, in the order of the steps (a section's
    references are to what slurmdbd has or what an earlier step adds), and
    the objects each step writes."""

    def __init__(self, call, sections, now: _Now):
        self.call = call
        self.sections = sections
        self.now = now
        self.cluster = call.services.slurm_conf.cluster_name
        # What the document adds, for the references of later sections.
        self.clusters = set(now.clusters)
        self.qos = set(now.qos)
        self.accounts = set(now.accounts)
        self.assoc_users = {a["user"].lower() for _, a in sections["associations"]
                            if isinstance(a.get("user"), str) and a["user"]}
        self.users = now.users | self.assoc_users | {
            u["name"].lower() for _, u in sections["users"] if isinstance(u.get("name"), str)}
        # (cluster, account) -> parent of every account association, as
        # slurmdbd has them and as the document sets them.
        self.tree: dict[tuple[str, str], str] = {}
        self.doc_parents: dict[tuple[str, str], str] = {}
        self.assoc_keys: set[tuple[str, str, str, str]] = set()

    def steps(self) -> list[_Step]:
        clusters = self.plan_clusters()
        self.warn_unknown_tres()
        qos = self.plan_qos()
        accounts, coordinators = self.plan_accounts()
        associations = self.plan_associations()
        users = self.plan_users()
        wckeys = self.plan_wckeys()
        return [clusters, qos, accounts, associations, users, wckeys, coordinators]

    def plan_clusters(self) -> _Step:
        step = _Step("clusters", "clusters", write_clusters)
        seen: set = set()
        for index, item in self.sections["clusters"]:
            name = _name(item.get("name"), f"clusters[{index}].name")
            _once(seen, name, f"clusters[{index}].name", f"cluster {name!r}")
            self.clusters.add(name)
            step.add(index, item)
        return step

    def warn_unknown_tres(self) -> None:
        """TRES are never loaded (see write_tres); unknown ones are said."""
        known = {(t.get("type"), t.get("name") or "") for t in self.now.tres.tres}
        unknown = []
        for _, item in self.sections["tres"]:
            kind, name = item.get("type"), item.get("name") or ""
            if (kind, name) not in known:
                unknown.append(f"{kind}/{name}" if name else str(kind))
        if unknown:
            self.call.warn("tres: not loaded; slurmctld registers TRES (AccountingStorageTRES), "
                           f"and slurmdbd does not have {', '.join(unknown)}", "slurmrestpy")

    def plan_qos(self) -> _Step:
        """QOS matched by name (never by id); one as described is left alone."""
        step = _Step("QOS", "qos", write_qos)
        seen: set = set()
        for index, item in self.sections["qos"]:
            name = _name(item.get("name"), f"qos[{index}].name")
            _once(seen, name, f"qos[{index}].name", f"QOS {name!r}")
            self.qos.add(name)
        for index, item in self.sections["qos"]:
            where = f"qos[{index}]"
            wanted = {k: v for k, v in item.items() if k not in NOT_SETTINGS["qos"]}
            current = self.now.qos.get(item["name"].lower())
            try:
                qos_convert.settings(wanted, self.now.tres, where, current=current)
                preempts = (item.get("preempt") or {}).get("list") or []
                for position, other in enumerate(preempts):
                    if str(other).lower() not in self.qos:
                        raise FieldError(f"{where}.preempt.list[{position}]",
                                         f"there is no QOS named {other}")
            except FieldError as error:
                raise bad_field(error) from None
            if current is None or not covers(current, wanted):
                step.add(index, wanted)
        return step

    def plan_accounts(self) -> tuple[_Step, _Step]:
        """The accounts, and (a second step, once the users exist) the
        coordinators who are not users yet."""
        step = _Step("accounts", "accounts", write_accounts)
        later = _Step("coordinators", "accounts", write_accounts)
        seen: set = set()
        for index, item in self.sections["accounts"]:
            where = f"accounts[{index}]"
            name, _, _, listed = accounts_store._account_fields(item, where)
            _once(seen, name, f"{where}.name", f"account {name!r}")
            self.accounts.add(name)
            for position, user in enumerate(listed or []):
                if user not in self.users:
                    raise _unknown(f"{where}.coordinators[{position}].name", "user", user,
                                   "ESLURM_USER_ID_MISSING")
            wanted = {k: item[k] for k in ("name", "description", "organization") if k in item}
            if "coordinators" in item:  # inherited ones stay inherited
                direct = [c["name"] for c in item["coordinators"]
                          if c.get("direct", True) is not False]
            else:  # left out: the account keeps its own
                direct = sorted(accounts_convert.direct_coordinators(name, self.now.coordinators,
                                                                     self.now.parent_of))
            ready = [user for user in direct if user.lower() in self.now.users]
            step.add(index, {**wanted, "coordinators": [{"name": user} for user in ready]})
            if len(ready) < len(direct):
                later.add(index, {"name": item["name"],
                                  "coordinators": [{"name": user} for user in direct]})
        return step, later

    def plan_associations(self) -> _Step:
        """Matched by cluster, account, user and partition; one as described
        is left alone; parents first, a user's default one first."""
        step = _Step("associations", "associations", write_associations)
        self.tree = {(k[0], k[1]): a.get("parent_account") or ""
                     for k, a in self.now.associations.items() if not k[2]}
        # A cluster has a root association from the moment it is added.
        self.tree.update({(name, "root"): "" for name in self.clusters})
        for index, item in self.sections["associations"]:
            where = f"associations[{index}]"
            key = _folded(assoc_store._key(item, where))
            cluster, account, user, _ = key
            if key in self.assoc_keys:
                raise bad_request(where, f"{assoc_convert.describe(key)} is given twice")
            self.assoc_keys.add(key)
            if cluster not in self.clusters:
                raise _unknown(f"{where}.cluster", "cluster", cluster,
                               "ESLURM_INVALID_CLUSTER_NAME")
            if account not in self.accounts:
                raise _unknown(f"{where}.account", "account", account, "ESLURM_INVALID_ACCOUNT")
            for name_field, name in assoc_convert.qos_named(item):
                if name.lower() not in self.qos:
                    raise _unknown(f"{where}.{name_field}", "QOS", name, "ESLURM_INVALID_QOS")
            try:
                assoc_convert.settings(item, self.now.tres, where)
            except FieldError as error:
                raise bad_field(error) from None
            if not user and account != "root":
                parent = (item.get("parent_account") or self.tree.get((cluster, account))
                          or "root")
                self.doc_parents[(cluster, account)] = parent.lower()
        self.tree.update(self.doc_parents)
        for index, item in self.sections["associations"]:
            where = f"associations[{index}]"
            cluster, account, user, _ = _folded(assoc_convert.key_of(item))
            if user and (cluster, account) not in self.tree:
                raise missing(f"{where}.account", f"account {account!r} has no association on "
                              f"cluster {cluster!r} for a user's to hang under, and the document "
                              "adds none", "ESLURM_INVALID_ACCOUNT")
            parent = self.doc_parents.get((cluster, account)) if not user else None
            if parent is not None and (cluster, parent) not in self.tree:
                raise missing(f"{where}.parent_account", f"account {parent!r} has no association "
                              f"on cluster {cluster!r}, and the document adds none",
                              "ESLURM_INVALID_PARENT_ACCOUNT")
        for index, item in _parents_first(self.sections["associations"], self.doc_parents):
            wanted = {k: v for k, v in item.items() if k not in NOT_SETTINGS["associations"]}
            current = self.now.associations.get(_folded(assoc_convert.key_of(item)))
            if current is None or not covers(current, wanted):
                step.add(index, wanted)
        return step

    def plan_users(self) -> _Step:
        """Administrator level and defaults; a user the document gives no
        association needs a default account to be added with."""
        step = _Step("users", "users", write_users)
        accounts_of: dict[str, set[str]] = {}
        for cluster, account, user, _ in [*self.now.associations, *self.assoc_keys]:
            if user:
                accounts_of.setdefault(user, set()).add(account)
        seen: set = set()
        for index, item in self.sections["users"]:
            where = f"users[{index}]"
            parsed = users_store._user_fields(item, where)
            name, default = parsed["name"].lower(), parsed["default_account"]
            old = (parsed["old_name"] or "").lower()
            _once(seen, name, f"{where}.name", f"user {name!r}")
            exists = name in self.now.users or name in self.assoc_users or old in self.now.users
            if default and default not in self.accounts:
                raise _unknown(f"{where}.default.account", "account", default,
                               "ESLURM_INVALID_ACCOUNT")
            if not exists and not default:
                raise bad_request(f"{where}.default.account",
                                  f"Slurm {self.call.slurm.release} keeps no user without an "
                                  "association, and the document gives this user none: name the "
                                  "account the user is added to")
            if not exists and (self.cluster, default) not in self.tree:
                raise missing(f"{where}.default.account", f"account {default!r} has no "
                              f"association on cluster {self.cluster!r} for the user's to hang "
                              "under", "ESLURM_INVALID_ACCOUNT")
            mine = accounts_of.get(name, set()) | accounts_of.get(old, set())
            if exists and default and default not in mine:
                raise missing(f"{where}.default.account", f"user {name!r} has no association with "
                              f"account {default!r}, and the document adds none",
                              "ESLURM_INVALID_ACCOUNT")
            step.add(index, {key: item[key] for key in USER_SETTINGS if key in item})
        return step

    def plan_wckeys(self) -> _Step:
        step = _Step("wckeys", "wckeys", write_wckeys)
        seen: set = set()
        for index, item in self.sections["wckeys"]:
            where = f"wckeys[{index}]"
            name, user, cluster = (_name(item.get(part), f"{where}.{part}") for part in WCKEY_KEY)
            _once(seen, (name, user, cluster), where,
                  f"wckey {name!r} of user {user!r} on cluster {cluster!r}")
            if user not in self.users:
                raise _unknown(f"{where}.user", "user", user, "ESLURM_USER_ID_MISSING")
            if cluster not in self.clusters:
                raise _unknown(f"{where}.cluster", "cluster", cluster,
                               "ESLURM_INVALID_CLUSTER_NAME")
            step.add(index, {part: item[part] for part in WCKEY_KEY})
        return step


def _parents_first(items: list[tuple[int, dict]], doc_parents: dict[tuple[str, str], str]):
    """Account associations in an order where a parent the document adds
    comes before its children, then the users' ones (which hang under
    account associations), default ones first."""
    depth: dict[tuple[str, str], int] = {}

    def depth_of(key, trail=()):
        if key in depth:
            return depth[key]
        if key in trail:
            raise bad_request("associations", f"account {key[1]!r} on cluster {key[0]!r} is its "
                              "own ancestor: the parents form a loop")
        parent = doc_parents.get(key)
        found = 0 if parent is None else 1 + depth_of((key[0], parent), (*trail, key))
        depth[key] = found
        return found

    accounts, users = [], []
    for index, item in items:
        cluster, account, user, _ = _folded(assoc_convert.key_of(item))
        if user:
            # A new user's default association first: slurmdbd makes the
            # first one added the default, and adding another with
            # DefaultAccount does not take that back.
            users.append((item.get("is_default") is not True, index, item))
        else:
            accounts.append((depth_of((cluster, account)), index, item))
    accounts.sort(key=lambda entry: entry[:2])
    users.sort(key=lambda entry: entry[:2])
    return [(index, item) for _, index, item in accounts + users]


def covers(current, wanted) -> bool:
    """Does ``current`` already say everything ``wanted`` says? Objects may
    leave properties out; lists must hold the same (lists of names in any
    order)."""
    if isinstance(wanted, dict):
        return isinstance(current, dict) and all(covers(current.get(key), value)
                                                 for key, value in wanted.items())
    if isinstance(wanted, list):
        if not isinstance(current, list) or len(current) != len(wanted):
            return False
        if all(isinstance(v, str) for v in wanted) and all(isinstance(v, str) for v in current):
            return sorted(current) == sorted(wanted)
        return all(covers(c, w) for c, w in zip(current, wanted))
    if isinstance(wanted, bool) or isinstance(current, bool):
        return wanted is current
    return current == wanted


def _stopped(error: SlurmError, step: _Step, before: list[str], left: list[str]) -> SlurmError:
    """The error of a step, its objects named by their place in the
    document, with what the load did before it and what it did not do."""

    def in_document(match):
        position = int(match.group(1))
        if position < len(step.indices):
            return f"{step.section}[{step.indices[position]}]"
        return match.group(0)

    description = re.sub(rf"\b{re.escape(step.section)}\[(\d+)\]", in_document, error.description)
    if not description.startswith(step.section):
        description = f"{step.label}: {description}"
    error.description = (f"{description} [loading the configuration, changes applied before "
                         f"{step.label}: {'; '.join(before) or 'none'}; not loaded: "
                         f"{', '.join(left) or 'nothing'}]")
    return error
