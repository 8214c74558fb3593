"""GET /slurmdb/v0.0.45/conf: the settings slurmdbd runs with, read from
`sacctmgr show configuration` against the version's ``slurmdbd_conf`` (see
server.convert.conf_text)."""

from server.convert.conf_text import ConfReader
from server.slurm.commands.show_config import SacctmgrShowConfiguration


async def get_conf(call):
    printed = await call.run(SacctmgrShowConfiguration())
    version = call.requested_version
    reader = ConfReader(call.services.specs.documents[version])
    return call.respond({"slurmdbd_conf": reader.read(printed, f"{version}_slurmdbd_conf")})
