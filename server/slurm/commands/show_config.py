"""The settings the daemons run with, as the client commands print them:
`scontrol show config` (slurmctld's) and the second part of `sacctmgr show
configuration` (slurmdbd's). Neither prints JSON, on 22.05 or 25.11."""

from __future__ import annotations

from server.convert import conf_text, slurmdbd_diag
from server.slurm import errno
from server.slurm.command import Command, SlurmError


class ScontrolShowConfig(Command):
    def argv(self):
        return ["scontrol", "show", "config"]

    def source(self) -> str:
        return "scontrol show config"

    def parse(self, result) -> dict[str, str]:
        blocks = conf_text.sections(result.stdout) if result.ok else []
        if not blocks or "ClusterName" not in blocks[0]:
            raise self.failure(result, "Unable to read slurmctld's configuration")
        return blocks[0]


class SacctmgrShowConfiguration(Command):
    def argv(self):
        return ["sacctmgr", "show", "configuration"]

    def source(self) -> str:
        return "sacctmgr show configuration"

    def parse(self, result) -> dict[str, str]:
        if not slurmdbd_diag.answered(result.stdout):
            # 22.05's sacctmgr prints the failure and may still exit 0.
            known = errno.from_message(result.stderr or "")
            raise SlurmError("Unable to read slurmdbd's configuration"
                             + (f": {known.message}" if known else ""),
                             number=known.number if known else None, source=self.source())
        heading = result.stdout.index("SlurmDBD configuration:")
        blocks = conf_text.sections(result.stdout[heading:])
        return blocks[0] if blocks else {}
