"""GET /slurmdb/{version}/ping/: does slurmdbd answer, and how fast?

slurmrestd pings the AccountingStorageHost of slurm.conf and its backup.
Slurm 22.05's sacctmgr has no ping: ``sacctmgr show configuration`` is the
round trip, timed, to the slurmdbd the client commands reach. They choose
the primary or, failing it, the backup by themselves, so a backup host is
not pinged on its own (a warning says so).
"""

from server.convert.slurmdbd_diag import ping
from server.slurm.commands.sacctmgr_diag import SacctmgrConfiguration


async def get_ping(call):
    answer = await call.run(SacctmgrConfiguration())
    host = answer["host"] or call.services.slurm_conf.get("AccountingStorageHost") or "localhost"
    backup = answer["backup_host"] or call.services.slurm_conf.get("AccountingStorageBackupHost")
    if backup:
        call.warn(f"AccountingStorageBackupHost {backup} is not pinged on its own: the Slurm "
                  "commands reach whichever slurmdbd answers", "sacctmgr")
    return call.respond({"pings": [ping(host, answer["responding"], answer["latency"])]})
