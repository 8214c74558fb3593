"""Clusters registered in slurmdbd: read, add, delete.

What a v0.0.44 `cluster_rec` holds besides its name (controller host and
port, RPC version, nodes, TRES, flags, select plugin) is written by the
cluster's slurmctld when it registers, not by an administrator: neither
sacctmgr nor slurmrestd's POST sets it. A POST adds the clusters that do not
exist yet; what it says of the rest is left to slurmctld, with a warning
where it differs from what slurmdbd has.
"""

from __future__ import annotations

from server.convert import clusters as convert
from server.convert import passthrough
from server.convert.sacctmgr_values import FieldError, name_argument
from server.slurm.commands.sacctmgr_clusters import (SacctmgrAddCluster, SacctmgrDeleteCluster,
                                                     SacctmgrShowClusters,
                                                     SacctmgrShowClustersJson,
                                                     SacctmgrShowRootAssociations)
from server.slurmdb.common import apply, possible_names, bad_field, bad_request
from server.slurmdb.tres import tres_table

SOURCE = "sacctmgr show cluster"
REGISTERED = ("controller", "flags", "nodes", "select_plugin", "rpc_version", "tres")


async def read_clusters(call, *, names=(), with_deleted: bool = False, classifications=(),
                        federations=(), flags=(), rpc_versions=()) -> list[dict]:
    """The clusters matching every filter given (each a list of alternatives)."""
    for value in rpc_versions:
        if not str(value).isdigit():
            raise bad_request("rpc_version", f"{value!r} is not an RPC version (a number)")
    if names and not possible_names(names):
        return []  # nothing can have such a name
    names = possible_names(names)
    if classifications and not possible_names(classifications):
        return []  # nothing can have such a name
    classifications = possible_names(classifications)
    if federations and not possible_names(federations):
        return []  # nothing can have such a name
    federations = possible_names(federations)
    where = dict(names=tuple(names), with_deleted=with_deleted,
                 classifications=tuple(classifications), federations=tuple(federations))
    if call.slurm.prints("sacctmgr", call.version):
        found = [passthrough.without_nulls(item)
                 for item in await call.run(SacctmgrShowClustersJson(call.version, **where))]
    else:
        table = await tres_table(call)
        rows = await call.run(SacctmgrShowClusters(**where))
        deleted: set[str] = set()
        if with_deleted:
            live = await call.run(SacctmgrShowClusters(**{**where, "with_deleted": False}))
            deleted = {r["name"] for r in rows} - {r["name"] for r in live}
        root_ids = {}
        if rows:
            root_ids = convert.root_association_ids(
                await call.run(SacctmgrShowRootAssociations([r["name"] for r in rows])))
        warned: set[str] = set()

        def warn(message: str) -> None:
            if message not in warned:
                warned.add(message)
                call.warn(message, SOURCE)

        found = [convert.from_row(r, table, root_ids, deleted=r["name"] in deleted, warn=warn)
                 for r in rows]
    if names:  # also here: a Slurm printing JSON is not trusted to filter
        found = [c for c in found if c.get("name", "").lower() in {n.lower() for n in names}]
    if rpc_versions:
        found = [c for c in found if str(c.get("rpc_version")) in set(map(str, rpc_versions))]
    if flags:
        wanted = {flag.upper() for flag in flags}
        found = [c for c in found if wanted & set(c.get("flags", []))]
    return found


async def cluster_names(call) -> list[str]:
    return [c["name"] for c in await read_clusters(call)]


async def write_clusters(call, items, *, where: str = "clusters") -> None:
    """Add each cluster of ``items`` (v0.0.44 objects) that slurmdbd does not
    have. Every object is checked before anything changes."""
    if not isinstance(items, list):
        raise bad_request(where, "expected a list of clusters")
    if not items:
        call.warn("ignoring empty clusters array", "_update_clusters")
        return
    names: list[str] = []
    try:
        for index, item in enumerate(items):
            field = f"{where}[{index}]"
            if not isinstance(item, dict):
                raise FieldError(field, "expected a cluster object")
            name = name_argument(item.get("name"), f"{field}.name")
            if name.lower() in (n.lower() for n in names):
                raise FieldError(f"{field}.name", f"cluster {name} is given more than once")
            names.append(name)
    except FieldError as error:
        raise bad_field(error) from None
    existing = {c["name"].lower(): c for c in await read_clusters(call, names=names)} if names else {}
    for index, item in enumerate(items):
        current = existing.get(item["name"].lower())
        ignored = [key for key in REGISTERED if key in item
                   and item[key] not in (None, "", [], {}, 0)
                   and (current is None or _differs(item[key], current.get(key)))]
        if ignored:
            call.warn(f"{where}[{index}] ({item['name']}): {', '.join(ignored)} not written: "
                      "the cluster's slurmctld sets them when it registers", "_update_clusters")
    changes = [SacctmgrAddCluster(name) for name in names if name.lower() not in existing]
    await apply(call, changes)


def _differs(given, current) -> bool:
    if isinstance(given, dict) and isinstance(current, dict):
        return any(_differs(value, current.get(key)) for key, value in given.items())
    if isinstance(given, list) and isinstance(current, list) and given and isinstance(given[0], dict):
        def simple(items):
            return sorted((t.get("type"), t.get("name", ""), t.get("count")) for t in items)
        return simple(given) != simple(current)
    return given != current


async def delete_clusters(call, names: list[str]) -> list[str]:
    """Remove the clusters named (with their associations); the names removed."""
    try:
        for name in names:
            name_argument(name, "cluster_name")
    except FieldError as error:
        raise bad_field(error) from None
    removed: list[str] = []
    for name in names:
        if not await read_clusters(call, names=[name]):
            continue
        removed += await call.run(SacctmgrDeleteCluster(name))
    return removed
