"""GET /slurm/v0.0.45/conf: the settings slurmctld runs with, read from
`scontrol show config` against the version's ``slurm_conf`` (see
server.convert.conf_text)."""

from server.convert.conf_text import ConfReader
from server.slurm.commands.show_config import ScontrolShowConfig


async def get_conf(call, update_time=None):
    if update_time is not None:
        call.warn("update_time is not applied: the whole configuration is sent", "scontrol")
    printed = await call.run(ScontrolShowConfig())
    version = call.requested_version
    reader = ConfReader(call.services.specs.documents[version])
    return call.respond({"slurm_conf": reader.read(printed, f"{version}_slurm_conf"),
                         "slurm_conf_meta": reader.read(printed, f"{version}_slurm_conf_meta")})
