"""/slurmdb/{version}/wckeys/ and /wckey/{id}: workload characterization keys.

The {id} of /wckey/ is what the description says, a wckey's numeric ID
(IDs are numbered per cluster, so it may match one wckey on each of several
clusters). slurmrestd itself looks the value up as a wckey *name*; a value
that is not a number, or a number no wckey has as its ID, is looked up that
way too, so requests written for slurmrestd keep working.
"""

from server.slurmdb.common import nothing_found, query_flag, query_list
from server.slurmdb.wckeys import delete_wckeys, read_wckeys, write_wckeys

SOURCE = "_dump_wckeys"


async def get_wckeys(call, cluster=None, format=None, id=None, name=None, only_defaults=None,
                     usage_end=None, usage_start=None, user=None, with_usage=None,
                     with_deleted=None):
    # format is deprecated and ignored, as in slurmrestd.
    if query_flag(with_usage, "with_usage") or usage_start is not None or usage_end is not None:
        call.warn("wckey usage is not available from Slurm 22.05's sacctmgr: accounting is empty",
                  "sacctmgr show wckey")
    found = await read_wckeys(
        call,
        ids=query_list(id),
        names=query_list(name),
        clusters=query_list(cluster),
        users=query_list(user),
        only_defaults=query_flag(only_defaults, "only_defaults"),
        with_deleted=query_flag(with_deleted, "with_deleted"),
    )
    if not found:
        nothing_found(call, "slurmdb_wckeys_get()", SOURCE)
    return call.respond({"wckeys": found})


async def _find(call, id) -> list[dict]:
    found = []
    if id.isdigit():
        found = await read_wckeys(call, ids=[id])
    return found or await read_wckeys(call, names=[id])


async def get_wckey(call, id):
    found = await _find(call, id)
    if not found:
        nothing_found(call, "slurmdb_wckeys_get()", SOURCE)
    return call.respond({"wckeys": found})


async def post_wckeys(call, cluster=None, format=None, id=None, name=None, only_defaults=None,
                      usage_end=None, usage_start=None, user=None, with_usage=None,
                      with_deleted=None, body=None):
    # The query is the GET's (slurmrestd binds the same one) and selects nothing here.
    await write_wckeys(call, (body or {}).get("wckeys"))
    return call.respond({})


async def delete_wckey(call, id):
    found = await _find(call, id)
    removed = await delete_wckeys(call, found) if found else []
    if not removed:
        nothing_found(call, "slurmdb_wckeys_remove()", "_delete_wckey")
    return call.respond({"deleted_wckeys": removed})
