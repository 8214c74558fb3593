"""GET /slurmdb/{version}/ping/: does slurmdbd answer, and how fast?

slurmrestd pings the AccountingStorageHost of slurm.conf and its backup.
Slurm 22.05's sacctmgr has no ping: ``sacctmgr show configuration`` is the
round trip, timed, to the slurmdbd the client commands reach. They choose
the primary or, failing it, the backup by themselves, so a backup host is
not pinged on its own (a warning says so).

A slurmdbd that does not answer is, as for slurmrestd (which opens its
connection to slurmdbd before pinging), error 7000 with 502, not a ping
that failed.
"""

from server.convert.slurmdbd_diag import ping
from server.slurm.command import SlurmError
from server.slurm.errno import by_name
from server.slurm.commands.sacctmgr_diag import SacctmgrConfiguration


async def get_ping(call):
    answer = await call.run(SacctmgrConfiguration())
    if not answer["responding"]:
        unreachable = by_name("ESLURM_DB_CONNECTION")
        raise SlurmError("Failed to open slurmdbd connection: sacctmgr show configuration reached "
                         "no slurmdbd", number=unreachable.number, source="sacctmgr", status=502)
    host = answer["host"] or call.services.slurm_conf.get("AccountingStorageHost") or "localhost"
    backup = answer["backup_host"] or call.services.slurm_conf.get("AccountingStorageBackupHost")
    if backup:
        call.warn(f"AccountingStorageBackupHost {backup} is not pinged on its own: the Slurm "
                  "commands reach whichever slurmdbd answers", "sacctmgr")
    return call.respond({"pings": [ping(host, answer["responding"], answer["latency"])]})
