"""slurmrestd's response envelope: every answer, good or bad, carries
``meta`` (who answered, for whom, from which Slurm), ``errors`` and
``warnings`` beside the operation's own properties."""

from __future__ import annotations

import grp
import pwd

from starlette.responses import Response

from server import media

PLUGIN_NAMES = {
    "slurmctld": "Slurm OpenAPI slurmctld",
    "slurmdbd": "Slurm OpenAPI slurmdbd",
    "util": "Slurm OpenAPI util",
}


def client_source(request) -> str:
    client = request.scope.get("client")
    if not client:
        return "unknown"
    host, port = client[0], client[1]
    return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"


def primary_group(user: str | None) -> str:
    if not user:
        return ""
    try:
        return grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name
    except KeyError:
        return ""


def meta(services, *, plugin: str, version: str, request, user: str | None, source: str | None = None) -> dict:
    slurm = services.slurm
    return {
        "plugin": {
            "type": f"openapi/{plugin}",
            "name": PLUGIN_NAMES.get(plugin, f"Slurm OpenAPI {plugin}"),
            "data_parser": f"data_parser/{version}",
            "accounting_storage": services.slurm_conf.get("AccountingStorageType", "") or "",
        },
        "client": {
            "source": client_source(request) if source is None else source,
            "user": user or "",
            "group": primary_group(user),
        },
        "command": [],
        "slurm": {
            "version": slurm.version_fields(),
            "release": slurm.release,
            "cluster": services.slurm_conf.cluster_name,
        },
    }


def envelope(body: dict, *, meta: dict, errors=(), warnings=()) -> dict:
    # The operation's properties first, then the envelope, as slurmrestd orders them.
    return {**body, "meta": meta, "errors": list(errors), "warnings": list(warnings)}


def render(document: dict, status: int, *, request, config=None) -> Response:
    """The document in the media type the client asked for (JSON unless it
    asked for YAML), pretty unless SLURM_JSON/SLURMRESTD_YAML say compact."""
    chosen = media.response_type(request.headers) or media.JSON
    compact = bool(config and (config.compact_yaml if chosen == media.YAML else config.compact_json))
    return Response(media.render(document, chosen, compact=compact), status_code=status, media_type=chosen)


def warning(description: str, source: str) -> dict:
    return {"description": description, "source": source}
