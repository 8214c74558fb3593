"""/slurmdb/{version}/qos/ and /qos/{qos}: quality of service records."""

from server.slurmdb.common import nothing_found, query_flag, query_list
from server.slurmdb.qos import delete_qos, read_qos, write_qos

SOURCE = "_op_handler_qos"


async def get_qos(call, description=None, IncludedeletedQOS=None, id=None, format=None,
                  name=None, preempt_mode=None):
    # `format` is accepted and ignored, as slurmrestd does (deprecated).
    found = await read_qos(
        call,
        names=query_list(name),
        ids=query_list(id),
        descriptions=query_list(description),
        preempt_modes=query_list(preempt_mode),
        with_deleted=query_flag(IncludedeletedQOS, "Include deleted QOS"),
    )
    if not found:
        nothing_found(call, "slurmdb_qos_get()", SOURCE)
    return call.respond({"qos": found})


async def get_single_qos(call, qos, with_deleted=None):
    found = await read_qos(call, names=[qos], with_deleted=query_flag(with_deleted, "with_deleted"))
    if not found:
        nothing_found(call, "slurmdb_qos_get()", SOURCE)
    return call.respond({"qos": found})


async def post_qos(call, description=None, IncludedeletedQOS=None, id=None, format=None,
                   name=None, preempt_mode=None, body=None):
    # The query of this POST is the GET's (slurmrestd binds the same one);
    # slurmrestd does not use it to select what is written, nor do we.
    await write_qos(call, (body or {}).get("qos"))
    return call.respond({})


async def delete_single_qos(call, qos):
    removed = await delete_qos(call, [qos])
    if not removed:
        nothing_found(call, "slurmdb_qos_remove()", SOURCE)
    return call.respond({"removed_qos": removed})
