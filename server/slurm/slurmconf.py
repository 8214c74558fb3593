"""Reading the few settings slurmrestpy needs from slurm.conf.

Only what the server itself must know before it can talk to Slurm: where the
JWT key is, and the cluster's name. Everything else is Slurm's business.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PATH = "/etc/slurm/slurm.conf"


def locate(explicit: str | None = None) -> Path:
    """slurm.conf as Slurm's own commands find it: -f, then SLURM_CONF, then the default."""
    return Path(explicit or os.environ.get("SLURM_CONF") or DEFAULT_PATH)


@dataclass
class SlurmConf:
    path: Path
    settings: dict[str, str] = field(default_factory=dict)  # keys lower-cased

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.settings.get(key.lower(), default)

    @property
    def cluster_name(self) -> str:
        return self.get("ClusterName", "")

    def auth_alt_parameters(self) -> dict[str, str]:
        """AuthAltParameters=jwt_key=/path,jwks=/path as a dict."""
        parameters = {}
        for item in (self.get("AuthAltParameters") or "").split(","):
            key, _, value = item.partition("=")
            if key.strip():
                parameters[key.strip().lower()] = value.strip()
        return parameters

    @property
    def jwt_key_path(self) -> Path | None:
        path = self.auth_alt_parameters().get("jwt_key")
        return Path(path) if path else None


def read(path: Path) -> SlurmConf:
    conf = SlurmConf(path)
    _read_into(conf.settings, path, depth=0)
    return conf


def _read_into(settings: dict[str, str], path: Path, depth: int) -> None:
    if depth > 8:
        raise ValueError(f"{path}: Include nested too deeply")
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.lower().startswith("include "):
            included = Path(line.split(None, 1)[1].strip())
            if not included.is_absolute():
                included = path.parent / included
            for each in sorted(included.parent.glob(included.name)):
                _read_into(settings, each, depth + 1)
            continue
        key, sep, value = line.partition("=")
        # Node and partition lines hold several key=value pairs; only simple
        # settings matter here, and the first word names the line.
        if sep and " " not in key.strip():
            name = key.strip().lower()
            if name in ("nodename", "partitionname", "nodeset", "frontendname", "downnodes"):
                continue
            settings[name] = value.strip()
