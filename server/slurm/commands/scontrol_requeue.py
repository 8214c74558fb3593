"""scontrol requeue / requeuehold: put jobs back into the queue.

scontrol takes a comma list of job IDs and prints nothing for a job it
requeued; for each job slurmctld refused it prints one line to stderr,
"<Slurm's error text> for job <id>" (both 22.05 and 25.11), and exits 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.slurm import errno
from server.slurm.command import Command, SlurmError

_REFUSED = re.compile(r"^(.+?) for job (\S+)\s*$")


@dataclass
class Requeued:
    job: str  # as given: 12, 12_3, 12+1
    error: str | None = None  # Slurm's text, None when it worked
    number: int = 0  # Slurm's error number, 0 when it worked


class ScontrolRequeue(Command):
    """``hold``: requeuehold (the job waits for a release); ``special_exit``
    (with hold): in state SPECIAL_EXIT; ``incomplete``: only jobs that have
    not ended."""

    read_only = False

    def __init__(self, jobs: list[str], *, hold: bool = False, special_exit: bool = False,
                 incomplete: bool = False):
        self.jobs = list(jobs)
        self.hold = hold or special_exit
        self.special_exit = special_exit
        self.incomplete = incomplete

    def argv(self) -> list[str]:
        argv = ["scontrol", "requeuehold" if self.hold else "requeue"]
        if self.incomplete:
            argv.append("Incomplete")
        if self.special_exit:
            argv.append("State=SpecialExit")
        return [*argv, ",".join(self.jobs)]

    def source(self) -> str:
        return " ".join(self.argv()[:2])

    def parse(self, result) -> list[Requeued]:
        outcomes = {job: Requeued(job) for job in self.jobs}
        unexplained = []
        for line in (result.stderr or "").splitlines():
            match = _REFUSED.match(line.strip())
            if match and match.group(2) in outcomes:
                known = errno.from_message(match.group(1))
                outcomes[match.group(2)].error = match.group(1)
                outcomes[match.group(2)].number = known.number if known else -1
            elif line.strip():
                unexplained.append(line.strip())
        if not result.ok and not any(o.error for o in outcomes.values()):
            raise self.failure(result, "Unable to requeue jobs")
        if unexplained and not any(o.error for o in outcomes.values()):
            known = errno.from_message("\n".join(unexplained))
            raise SlurmError(f"Unable to requeue jobs: {unexplained[-1]}",
                             number=known.number if known else None, source=self.source())
        return list(outcomes.values())
