"""Workload characterization keys of slurmdbd: read, add, delete.

A wckey is (name, user, cluster); its id is numbered per cluster, so one id
may name a wckey on each of several clusters. slurmrestd's POST adds the
wckeys given (one that exists already is left as it is: there is nothing of
a wckey to update). Slurm 22.05 adds one through `sacctmgr add user`, which
would also create the user: a wckey for a user slurmdbd does not know, or on
a cluster it does not know, is refused before anything runs.
"""

from __future__ import annotations

from server.convert import passthrough
from server.convert import wckeys as convert
from server.convert.sacctmgr_values import FieldError, name_argument
from server.slurm.commands.sacctmgr_wckeys import (SacctmgrAddWckey, SacctmgrDeleteWckey,
                                                   SacctmgrShowUsers, SacctmgrShowWckeys,
                                                   SacctmgrShowWckeysJson)
from server.slurmdb.clusters import cluster_names
from server.slurmdb.common import apply, possible_names, bad_field, bad_request


def _key(wckey: dict) -> tuple[str, str, str]:
    # sacctmgr lowercases wckey, user and cluster names
    return (wckey["name"].lower(), wckey["user"].lower(), wckey["cluster"].lower())


async def read_wckeys(call, *, ids=(), names=(), clusters=(), users=(), only_defaults=False,
                      with_deleted: bool = False) -> list[dict]:
    """The wckeys matching every filter given (each a list of alternatives).
    ``only_defaults`` keeps the wckeys that are their user's default as
    `sacctmgr show user` tells it (one default per user)."""
    for value in ids:
        if not str(value).isdigit():
            raise bad_request("id", f"{value!r} is not a wckey id (a number)")
    if names and not possible_names(names):
        return []  # nothing can have such a name
    names = possible_names(names)
    if clusters and not possible_names(clusters):
        return []  # nothing can have such a name
    clusters = possible_names(clusters)
    if users and not possible_names(users):
        return []  # nothing can have such a name
    users = possible_names(users)
    where = dict(ids=tuple(str(i) for i in ids), names=tuple(names), clusters=tuple(clusters),
                 users=tuple(users), with_deleted=with_deleted)
    if call.slurm.prints("sacctmgr", call.version):
        found = [passthrough.without_nulls(item)
                 for item in await call.run(SacctmgrShowWckeysJson(call.version, **where))]
    else:
        rows = await call.run(SacctmgrShowWckeys(**where))
        deleted: set[tuple] = set()
        if with_deleted:
            live = await call.run(SacctmgrShowWckeys(**{**where, "with_deleted": False}))
            deleted = {_row_key(r) for r in rows} - {_row_key(r) for r in live}
        found = [convert.from_row(row, deleted=_row_key(row) in deleted) for row in rows]
    # Also here: a Slurm printing JSON is not trusted to filter.
    for key, wanted in (("id", where["ids"]), ("name", names), ("cluster", clusters),
                        ("user", users)):
        if wanted:
            allowed = {value.lower() for value in wanted}
            found = [w for w in found if str(w.get(key, "")).lower() in allowed]
    if only_defaults and found:
        users_found = sorted({w["user"] for w in found})
        defaults = {row["user"].lower(): row["default_wckey"]
                    for row in await call.run(SacctmgrShowUsers(users_found))}
        found = [w for w in found if defaults.get(w["user"].lower(), "").lower() == w["name"].lower()]
    return found


def _folded(triple) -> tuple:
    return tuple(part.lower() for part in triple)


def _row_key(row: dict) -> tuple:
    return (row["id"], row["cluster"], row["user"], row["name"])


async def write_wckeys(call, items, *, where: str = "wckeys") -> None:
    """Add each wckey of ``items`` (v0.0.44 objects) that does not exist yet.
    Every object is checked before anything changes."""
    if not isinstance(items, list):
        raise bad_request(where, "expected a list of wckeys")
    if not items:
        call.warn("ignoring empty or non-existent wckeys array for update", "_update_wckeys")
        return
    wanted: list[tuple[str, str, str]] = []
    try:
        for index, item in enumerate(items):
            field = f"{where}[{index}]"
            if not isinstance(item, dict):
                raise FieldError(field, "expected a wckey object")
            triple = tuple(name_argument(item.get(part), f"{field}.{part}")
                           for part in ("name", "user", "cluster"))
            if _folded(triple) not in {_folded(w) for w in wanted}:
                wanted.append(triple)
    except FieldError as error:
        raise bad_field(error) from None
    users = {u.lower() for _, u, _ in wanted}
    known_users = {row["user"].lower() for row in await call.run(SacctmgrShowUsers(sorted(users)))}
    known_clusters = {name.lower() for name in await cluster_names(call)}
    for index, item in enumerate(items):
        field = f"{where}[{index}]"
        if item["user"].lower() not in known_users:
            raise bad_request(f"{field}.user", f"slurmdbd has no user {item['user']} "
                              "(add the user first)")
        if item["cluster"].lower() not in known_clusters:
            raise bad_request(f"{field}.cluster", f"slurmdbd has no cluster {item['cluster']}")
    existing = {_key(w) for w in await read_wckeys(call, users=sorted(users))}
    changes = [SacctmgrAddWckey(user, name, cluster) for name, user, cluster in wanted
               if (name.lower(), user.lower(), cluster.lower()) not in existing]
    await apply(call, changes)


async def delete_wckeys(call, wckeys: list[dict]) -> list[str]:
    """Remove the wckeys given (as read); what slurmdbd says it removed."""
    changes = [SacctmgrDeleteWckey(w["user"], w["name"], w["cluster"]) for w in wckeys]
    return [line for printed in await apply(call, changes) for line in printed]
