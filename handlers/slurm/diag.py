"""GET /slurm/{version}/diag/: slurmctld's scheduling statistics (sdiag)."""

from server.slurm.commands.sdiag import Sdiag, SdiagJson


async def get_diag(call):
    if call.slurm.prints("sdiag", call.version):
        statistics = await call.run(SdiagJson(call.version))
    else:
        statistics = await call.run(Sdiag())
    return call.respond({"statistics": statistics})
