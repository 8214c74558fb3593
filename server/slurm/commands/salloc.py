"""salloc --no-shell: an allocation with nothing started in it.

salloc waits until slurmctld grants the allocation. It must not outlive the
request, nor leave a pending job behind when it gives up: the runner sends
it SIGINT ``interrupt_grace`` seconds before the command timeout, on which
salloc withdraws its pending job itself ("Job aborted due to signal"). The
allocation then counts as refused, with the job ID and the last reason
salloc gave.

Like sbatch it runs as the caller (``runs_as_caller``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.slurm import errno
from server.slurm.command import Command, SlurmError
from server.slurm.commands.sbatch import submission_failure, tool_messages

SOURCE = "salloc"


@dataclass(frozen=True)
class Allocated:
    job_id: int
    warnings: tuple[str, ...]
    user_message: str


class SallocNoShell(Command):
    read_only = False
    runs_as_caller = True
    interrupt_grace = 5.0

    def __init__(self, components: list[list[str]]):
        if not components:
            raise ValueError("an allocation needs at least one component")
        self.components = [list(c) for c in components]

    def argv(self) -> list[str]:
        argv = ["salloc", "--no-shell"]
        for index, options in enumerate(self.components):
            if index:
                argv.append(":")
            argv.extend(options)
        return argv

    def source(self) -> str:
        return SOURCE

    def parse(self, result) -> Allocated:
        messages = tool_messages(result.stderr, "salloc")
        granted = re.search(r"Granted job allocation (\d+)", result.stderr)
        if result.ok and granted:
            info = [line for line in messages.info if not _progress(line)]
            return Allocated(int(granted.group(1)), tuple(messages.warnings), "\n".join(info))
        pending = re.search(r"Pending job allocation (\d+)", result.stderr)
        if result.interrupted and pending:
            reasons = [line for line in messages.info + messages.errors
                       if not _progress(line) and "aborted due to signal" not in line]
            reason = reasons[-1] if reasons else "resources were not available"
            known = errno.from_message(reason) or errno.by_name("ESLURM_NODES_BUSY")
            raise SlurmError(
                f"Job allocation request failed: job {pending.group(1)} was not granted before "
                f"the command timeout and has been withdrawn ({reason})",
                number=known.number if known else None, source=SOURCE)
        raise submission_failure(result, messages, "Job allocation request failed", SOURCE)


def _progress(line: str) -> bool:
    """salloc's own progress lines, not messages for the user."""
    return bool(re.match(r"(Granted job allocation|Pending job allocation|job \d+ queued|"
                         r"job \d+ has been allocated|Waiting for resource|Nodes .* are ready|"
                         r"Job allocation \d+ has been revoked)", line))
