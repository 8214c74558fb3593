"""GET /slurm/{version}/reconfigure/: slurmctld re-reads its configuration,
as `scontrol reconfigure` asks, with the caller's token: only a Slurm
administrator may. A refusal is Slurm's own error (22.05 says "Invalid user
id", error 2010) with slurmrestd's HTTP status for it."""

from server.slurm.commands.scontrol_misc import ScontrolReconfigure


async def get_reconfigure(call):
    await call.run(ScontrolReconfigure())
    return call.respond({})
