"""sacctmgr's view of slurmdbd itself: its statistics and whether it answers.

22.05's sacctmgr reports some failures only on stderr and still exits 0
(``acct_storage_p_get_stats: RC:2002 ...``); the commands look at what it
said, not only at its exit status.
"""

from __future__ import annotations

import re

from server.convert import slurmdbd_diag
from server.slurm import errno
from server.slurm.command import Command, SlurmError

_RC = re.compile(r"RC:(\d+)\s*(.*)")

# Failures of the caller, not of slurmdbd: a ping reports them as errors.
CALLER_ERRORS = {"SLURM_PROTOCOL_AUTHENTICATION_ERROR", "ESLURM_ACCESS_DENIED",
                 "ESLURM_AUTH_CRED_INVALID", "ESLURM_AUTH_EXPIRED", "ESLURM_USER_ID_MISSING",
                 "ESLURM_INVALID_AUTHTYPE_CHANGE", "ESLURM_AUTH_UNABLE_TO_GENERATE_TOKEN"}


class SacctmgrStats(Command):
    def argv(self):
        return ["sacctmgr", "show", "stats"]

    def source(self) -> str:
        return "sacctmgr show stats"

    def parse(self, result) -> dict:
        match = _RC.search(result.stderr or "")
        if match and int(match.group(1)):
            raise SlurmError(f"Unable to query slurmdbd statistics: {match.group(2).strip()}",
                             number=int(match.group(1)), source=self.source())
        if not result.ok or "Data since" not in result.stdout:
            raise self.failure(result, "Unable to query slurmdbd statistics")
        return slurmdbd_diag.stats(result.stdout)


class SacctmgrConfiguration(Command):
    """A round trip to slurmdbd: its configuration, how long it took."""

    def argv(self):
        return ["sacctmgr", "show", "configuration"]

    def source(self) -> str:
        return "sacctmgr show configuration"

    def parse(self, result) -> dict:
        if not slurmdbd_diag.answered(result.stdout):
            known = errno.from_message(result.stderr or "")
            if known is not None and known.name in CALLER_ERRORS:
                raise self.failure(result, "Unable to ping slurmdbd")
        return {
            "responding": slurmdbd_diag.answered(result.stdout),
            "latency": int(result.seconds * 1e6),
            "host": slurmdbd_diag.configured_host(result.stdout, "AccountingStorageHost"),
            "backup_host": slurmdbd_diag.configured_host(result.stdout,
                                                         "AccountingStorageBackupHost"),
        }
