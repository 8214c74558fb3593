"""GET /slurmdb/{version}/diag/: slurmdbd's statistics, as sacctmgr show stats
prints them (slurmdbd lets only its operators and administrators see them)."""

from server.slurm.commands.sacctmgr_diag import SacctmgrStats


async def get_diag(call):
    return call.respond({"statistics": await call.run(SacctmgrStats())})
