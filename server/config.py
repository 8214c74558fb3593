"""Every setting of the server and its default, in one place. The command line
(server/cli.py) maps onto this and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_LISTEN = "127.0.0.1:6820"


@dataclass
class Config:
    listeners: list[str] = field(default_factory=lambda: [DEFAULT_LISTEN])
    slurm_conf: str | None = None  # -f; else SLURM_CONF; else /etc/slurm/slurm.conf
    jwt_key: str | None = None  # else AuthAltParameters=jwt_key= of slurm.conf
    verbosity: int = 0  # -v, repeated
    data_parsers: list[str] | None = None  # API versions to serve; None: all we have
    command_timeout: float = 30.0  # seconds one Slurm command may take
    max_concurrent_commands: int = 8  # Slurm commands running at once
    coalesce_seconds: float = 1.0  # identical reads within this share one command
