"""What every request needs from the running server, created once at start-up
(the ASGI lifespan) and reached from a request through its scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from server.joblist import JobWriters

if TYPE_CHECKING:
    from server.answers import Answers
    from server.auth import JwtVerifier
    from server.config import Config
    from server.slurm.installation import SlurmInstallation
    from server.slurm.runner import Runner
    from server.slurm.slurmconf import SlurmConf
    from server.specs import Specs


@dataclass
class Services:
    config: Config
    slurm_conf: SlurmConf
    runner: Runner
    slurm: SlurmInstallation
    verifier: JwtVerifier | None
    specs: Specs
    answers: Answers
    # What each job became, remembered from one list to the next (server.joblist).
    job_writers: JobWriters = field(default_factory=JobWriters)


def services_of(request) -> Services:
    return request.scope["state"]["services"]
