"""GET /slurmdb/{version}/instances/ and /instance/: the cloud node instances
slurmdbd records.

Slurm 22.05 records none: instance records, and ``sacctmgr show instance``,
came with a later Slurm (22.05's sacctmgr answers "No valid entity"). The
answer is the truth: no instances, with a warning saying why. The filters
are still checked, so that a bad time is refused as slurmrestd refuses it.
"""

from handlers.slurmdb.jobs import bad_request, check_query
from server.convert import query_time
from server.slurm.command import SlurmError

FIRST_WITH_INSTANCES = (23, 2)


async def get_instances(call, cluster=None, extra=None, format=None, instance_id=None,
                        instance_type=None, node_list=None, time_end=None, time_start=None):
    check_query(call)
    for name, value in (("time_start", time_start), ("time_end", time_end)):
        if value is not None and str(value).strip():
            try:
                query_time.parse(str(value))
            except ValueError as error:
                raise bad_request(name, f"unable to parse time: {error}") from None
    if tuple(call.slurm.version[:2]) >= FIRST_WITH_INSTANCES:
        raise SlurmError(f"Reading node instances from Slurm {call.slurm.release} is not "
                         "implemented by slurmrestpy yet", source="slurmrestpy", status=501)
    call.warn(f"Slurm {call.slurm.release} keeps no node instance records (sacctmgr show "
              "instance came with Slurm 23.02): there are none to list", "sacctmgr")
    return call.respond({"instances": []})


get_instance = get_instances
