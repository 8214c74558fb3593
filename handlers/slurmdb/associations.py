"""/slurmdb/{version}/associations/ and /association/: the associations of
slurmdbd (cluster, account, user, partition, and their limits)."""

from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_associations import AssocCondition
from server.slurm.errno import by_name
from server.slurmdb import associations as store
from server.slurmdb.common import nothing_found, query_flag, query_list


def condition(call, *, account, cluster, default_qos, Includedeletedassociations, Includeusage,
              Filtertoonlydefaults, IncludetherawQOSordelta_qos, Includesubacctinformation,
              Excludeparentidname, Excludelimitsfromparents, id, parent_account, partition, qos,
              usage_end, usage_start, user) -> AssocCondition:
    """The query of the association operations as sacctmgr's conditions."""
    if query_flag(Includeusage, "Include usage") or usage_start or usage_end:
        call.warn(f"usage is not available from Slurm {call.slurm.release}'s sacctmgr: "
                  "accounting is left empty", "slurmrestpy")
    ids = query_list(id)
    for value in ids:
        if not value.isdigit():
            raise SlurmError(f"id: {value!r} is not an association id",
                             number=by_name("ESLURM_REST_FAIL_PARSING").number, status=400)
    return AssocCondition(
        accounts=[a.lower() for a in query_list(account)],
        clusters=[c.lower() for c in query_list(cluster)],
        users=[u.lower() for u in query_list(user)],
        partitions=query_list(partition),
        ids=ids,
        parents=[p.lower() for p in query_list(parent_account)],
        qos=query_list(qos),
        default_qos=query_list(default_qos),
        with_deleted=query_flag(Includedeletedassociations, "Include deleted associations"),
        only_defaults=query_flag(Filtertoonlydefaults, "Filter to only defaults"),
        with_raw_qos=query_flag(IncludetherawQOSordelta_qos, "Include the raw QOS or delta_qos"),
        with_sub_accounts=query_flag(Includesubacctinformation, "Include sub acct information"),
        without_parent_info=query_flag(Excludeparentidname, "Exclude parent id/name"),
        without_parent_limits=query_flag(Excludelimitsfromparents, "Exclude limits from parents"),
    )


async def get_associations(call, account=None, cluster=None, default_qos=None,
                           Includedeletedassociations=None, Includeusage=None,
                           Filtertoonlydefaults=None, IncludetherawQOSordelta_qos=None,
                           Includesubacctinformation=None, Excludeparentidname=None,
                           Excludelimitsfromparents=None, format=None, id=None, parent_account=None,
                           partition=None, qos=None, usage_end=None, usage_start=None, user=None):
    # `format` is accepted and ignored, as slurmrestd does.
    return call.respond({"associations": await _read(call, _query(locals()))})


async def get_association(call, account=None, cluster=None, default_qos=None,
                          Includedeletedassociations=None, Includeusage=None,
                          Filtertoonlydefaults=None, IncludetherawQOSordelta_qos=None,
                          Includesubacctinformation=None, Excludeparentidname=None,
                          Excludelimitsfromparents=None, format=None, id=None, parent_account=None,
                          partition=None, qos=None, usage_end=None, usage_start=None, user=None):
    found = await _read(call, _query(locals()))
    if len(found) > 1:
        known = by_name("ESLURM_DATA_AMBIGUOUS_QUERY")
        raise SlurmError(f"More than one association ({len(found)}) matches: narrow the query to "
                         "one (cluster, account, user and partition, or id)",
                         number=known.number if known else None, source="_dump_assoc_cond")
    return call.respond({"associations": found})


async def _read(call, query: dict) -> list[dict]:
    found = await store.read_associations(call, condition(call, **query))
    if not found:
        nothing_found(call, "slurmdb_associations_get()", "_dump_assoc_cond")
    return found


async def post_associations(call, body=None):
    await store.write_associations(call, (body or {}).get("associations"))
    return call.respond({})


async def _delete(call, only_one: bool, query: dict):
    where = condition(call, **query)
    removed = await store.delete_associations(call, where, only_one=only_one)
    if not removed:
        nothing_found(call, "slurmdb_associations_remove()", "_delete_assoc")
    return call.respond({"removed_associations": removed})


async def delete_associations(call, account=None, cluster=None, default_qos=None,
                                 Includedeletedassociations=None, Includeusage=None,
                                 Filtertoonlydefaults=None, IncludetherawQOSordelta_qos=None,
                                 Includesubacctinformation=None, Excludeparentidname=None,
                                 Excludelimitsfromparents=None, format=None, id=None,
                                 parent_account=None, partition=None, qos=None, usage_end=None,
                                 usage_start=None, user=None):
    return await _delete(call, False, _query(locals()))


async def delete_association(call, account=None, cluster=None, default_qos=None,
                             Includedeletedassociations=None, Includeusage=None,
                             Filtertoonlydefaults=None, IncludetherawQOSordelta_qos=None,
                             Includesubacctinformation=None, Excludeparentidname=None,
                             Excludelimitsfromparents=None, format=None, id=None, parent_account=None,
                             partition=None, qos=None, usage_end=None, usage_start=None, user=None):
    return await _delete(call, True, _query(locals()))


def _query(names: dict) -> dict:
    """The query parameters among a handler's arguments (not the call, and
    not `format`, which changes nothing)."""
    return {k: v for k, v in names.items() if k not in ("call", "format")}
