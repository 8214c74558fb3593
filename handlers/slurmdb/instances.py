"""GET /slurmdb/{version}/instances/ and /instance/: the cloud node instances
slurmdbd records.

A current Slurm prints them itself (`sacctmgr --json=v0.0.44 show
instance`, with slurmrestd's filters as sacctmgr's conditions). Slurm 22.05
records none: instance records, and ``sacctmgr show instance``, came with
Slurm 23.02 (22.05's sacctmgr answers "No valid entity"). The answer there
is the truth: no instances, with a warning saying why. The filters are
checked either way, so that a bad time is refused as slurmrestd refuses it.
"""

from handlers.slurmdb.jobs import bad_request, check_query
from server.convert import passthrough, query_time
from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_entity import SacctmgrShowJson
from server.slurm.errno import by_name
from server.slurmdb.common import nothing_found

FIRST_WITH_INSTANCES = (23, 2)

# slurmrestd's query parameters and the sacctmgr condition each stands for.
CONDITIONS = (("cluster", "Clusters"), ("extra", "Extra"), ("instance_id", "InstanceId"),
              ("instance_type", "InstanceType"), ("node_list", "Nodes"),
              ("time_start", "Start"), ("time_end", "End"))


async def get_instances(call, cluster=None, extra=None, format=None, instance_id=None,
                        instance_type=None, node_list=None, time_end=None, time_start=None):
    given = dict(cluster=cluster, extra=extra, instance_id=instance_id, instance_type=instance_type,
                 node_list=node_list, time_start=time_start, time_end=time_end)
    return call.respond({"instances": await _read(call, given)})


async def get_instance(call, cluster=None, extra=None, format=None, instance_id=None,
                       instance_type=None, node_list=None, time_end=None, time_start=None):
    """One instance: as in slurmrestd, a query that matches several is refused."""
    given = dict(cluster=cluster, extra=extra, instance_id=instance_id, instance_type=instance_type,
                 node_list=node_list, time_start=time_start, time_end=time_end)
    found = await _read(call, given)
    if len(found) > 1:
        raise SlurmError("Ambiguous request: More than 1 instance would have been dumped.",
                         number=by_name("ESLURM_DATA_AMBIGUOUS_QUERY").number, source="_dump_instance_cond")
    return call.respond({"instances": found})


async def _read(call, given: dict) -> list[dict]:
    check_query(call)
    for name in ("time_start", "time_end"):
        value = given[name]
        if value is not None and str(value).strip():
            try:
                query_time.parse(str(value))
            except ValueError as error:
                raise bad_request(name, f"unable to parse time: {error}") from None
    if call.slurm.prints("sacctmgr", call.version):
        return await _printed(call, given)
    if tuple(call.slurm.version[:2]) >= FIRST_WITH_INSTANCES:
        raise SlurmError(f"Slurm {call.slurm.release} records node instances but does not print "
                         f"them as {call.version}", source="slurmrestpy", status=501)
    call.warn(f"Slurm {call.slurm.release} keeps no node instance records (sacctmgr show "
              "instance came with Slurm 23.02): there are none to list", "sacctmgr")
    return []


async def _printed(call, given: dict) -> list[dict]:
    """What the Slurm prints, filtered by sacctmgr's conditions."""
    conditions = [f"{word}={given[name]}" for name, word in CONDITIONS
                  if given[name] is not None and str(given[name]).strip()]
    printed = await call.run(SacctmgrShowJson("instance", call.version, "instances", conditions))
    if not printed:
        nothing_found(call, "slurmdb_instances_get()", "_dump_instance_cond")
    return [passthrough.without_nulls(item) for item in printed]
