"""/slurmdb/{version}/clusters/ and /cluster/{cluster_name}: clusters
registered in slurmdbd."""

from server.slurmdb.clusters import delete_clusters, read_clusters, write_clusters
from server.slurmdb.common import nothing_found, query_flag, query_list

SOURCE = "_dump_clusters"


async def get_clusters(call, update_time=None):
    if update_time is not None:
        call.warn("update_time is not applied: every cluster is listed", "sacctmgr show cluster")
    found = await read_clusters(call)
    if not found:
        nothing_found(call, "slurmdb_clusters_get()", SOURCE)
    return call.respond({"clusters": found})


async def get_cluster(call, cluster_name, classification=None, cluster=None, federation=None,
                      flags=None, format=None, rpc_version=None, usage_end=None, usage_start=None,
                      with_deleted=None, with_usage=None):
    # format is deprecated and ignored; usage figures are no part of
    # cluster_rec, so with_usage, usage_start and usage_end change nothing.
    names = _named(cluster_name, cluster)
    found = []
    if names:
        found = await read_clusters(
            call, names=names,
            with_deleted=query_flag(with_deleted, "with_deleted"),
            classifications=query_list(classification),
            federations=query_list(federation),
            flags=query_list(flags),
            rpc_versions=query_list(rpc_version),
        )
    if not found:
        nothing_found(call, "slurmdb_clusters_get()", SOURCE)
    return call.respond({"clusters": found})


async def post_clusters(call, update_time=None, body=None):
    await write_clusters(call, (body or {}).get("clusters"))
    return call.respond({})


async def delete_cluster(call, cluster_name, classification=None, cluster=None, federation=None,
                         flags=None, format=None, rpc_version=None, usage_end=None,
                         usage_start=None, with_deleted=None, with_usage=None):
    # The query narrows which cluster may go: one that does not match it stays.
    names = _named(cluster_name, cluster)
    if names and any(v is not None for v in (classification, federation, flags, rpc_version)):
        matching = await read_clusters(
            call, names=names, classifications=query_list(classification),
            federations=query_list(federation), flags=query_list(flags),
            rpc_versions=query_list(rpc_version))
        names = [c["name"] for c in matching]
    removed = await delete_clusters(call, names) if names else []
    if not removed:
        nothing_found(call, "slurmdb_clusters_remove()", "_delete_cluster")
    return call.respond({"deleted_clusters": removed})


def _named(cluster_name: str, cluster) -> list[str]:
    """The path's cluster, unless the `cluster` query names others only."""
    if cluster is not None and cluster_name.lower() not in {n.lower() for n in query_list(cluster)}:
        return []
    return [cluster_name]
