"""slurmrestd's response envelope: every answer, good or bad, carries
``meta`` (who answered, for whom, from which Slurm), ``errors`` and
``warnings`` beside the operation's own properties."""

from __future__ import annotations

import asyncio
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


def render(document: dict, status: int, *, request, config=None) -> DocumentResponse:
    """The document in the media type the client asked for (JSON unless it
    asked for YAML), pretty unless SLURM_JSON/SLURMRESTD_YAML say compact."""
    chosen = media.response_type(request.headers) or media.JSON
    compact = bool(config and (config.compact_yaml if chosen == media.YAML else config.compact_json))
    return DocumentResponse(document, status, chosen, compact)


class DocumentResponse(Response):
    """A response written when it is sent, in a thread: a YAML answer of
    thousands of jobs takes seconds to write, and the event loop must go on
    answering everyone else meanwhile."""

    def __init__(self, document: dict, status: int, chosen: str, compact: bool):
        self.document, self.chosen, self.compact = document, chosen, compact
        super().__init__(b"", status_code=status, media_type=chosen)

    def render_now(self) -> bytes:
        self._set_body(media.render(self.document, self.chosen, compact=self.compact))
        return self.body

    async def __call__(self, scope, receive, send):
        if not self.body:
            self._set_body(await asyncio.to_thread(media.render, self.document, self.chosen,
                                                   compact=self.compact))
        await super().__call__(scope, receive, send)

    def _set_body(self, body: bytes) -> None:
        self.body = body
        self.raw_headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]
        self.raw_headers.append((b"content-length", str(len(body)).encode()))


def warning(description: str, source: str) -> dict:
    return {"description": description, "source": source}
