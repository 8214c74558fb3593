"""Every setting of the server and its default, in one place. The command line
and slurmrestd's environment variables (server/cli.py) map onto this and
nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_LISTEN = "127.0.0.1:6820"

OPENAPI_PLUGINS = ("slurmctld", "slurmdbd", "util")
AUTH_PLUGINS = ("rest_auth/jwt", "rest_auth/local")


@dataclass
class Config:
    listeners: list[str] = field(default_factory=lambda: [DEFAULT_LISTEN])
    slurm_conf: str | None = None  # -f; else SLURM_CONF; else /etc/slurm/slurm.conf
    jwt_key: str | None = None  # else AuthAltParameters=jwt_key= of slurm.conf
    jwks: str | None = None  # else AuthAltParameters=jwks= of slurm.conf
    verbosity: int = 0  # -v, repeated; SLURMRESTD_DEBUG
    data_parsers: list[str] | None = None  # -d: API versions to serve; None: all we have
    openapi_plugins: list[str] = field(default_factory=lambda: list(OPENAPI_PLUGINS))  # -s
    auth_types: list[str] = field(default_factory=lambda: list(AUTH_PLUGINS))  # -a
    user: str | None = None  # -u: drop to this user after opening the listeners
    group: str | None = None  # -g
    allow_root: bool = False  # serve TCP as root anyway (development boxes)
    max_connections: int | None = None  # beyond it, connections wait
    command_timeout: float = 30.0  # seconds one Slurm command may take
    max_concurrent_commands: int = 8  # Slurm commands running at once (-t)
    max_user_commands: int | None = None  # of those, one user's at once; None: half of -t
    max_command_output: int = 256 * 1024 * 1024  # bytes read from one command's output
    max_body_size: int = 50 * 1024 * 1024  # bytes of a request body (slurmrestd's limit)
    forwarded_allow_ips: list[str] = field(default_factory=list)  # proxies whose X-Forwarded-For we trust
    coalesce_seconds: float = 1.0  # identical reads within this share one command (and answer)
    cache: str | None = None  # --cache: redis://host:port/db shared by several instances; None: in-process only
    metrics: str = "on"  # GET /metrics: "on" (every listener), "off", or the one listener serving it
    compact_json: bool = False  # SLURM_JSON=compact
    compact_yaml: bool = False  # SLURMRESTD_YAML / SLURM_YAML=compact
    # Responses each operation of the served description lists.
    response_status_codes: list[str] = field(default_factory=lambda: ["200", "default"])
    security: list[str] = field(default_factory=list)  # SLURMRESTD_SECURITY flags
    inet: bool = False  # serve the one client connected on standard input

    def user_command_share(self) -> int:
        """How many commands one user may run at once."""
        return self.max_user_commands or max(1, self.max_concurrent_commands // 2)
