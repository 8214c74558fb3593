"""GET /slurm/{version}/ping/: are the slurmctld controllers answering?"""

from server.slurm.commands.scontrol import ScontrolPing, ScontrolPingJson


async def get_ping(call):
    if call.slurm.prints("scontrol", call.version):
        pings = await call.run(ScontrolPingJson(call.version))
    else:
        pings = await call.run(ScontrolPing())
    return call.respond({"pings": pings})
