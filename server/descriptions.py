"""/openapi.json, /openapi/v3 and /openapi.yaml: the description of every
loaded version, rendered once on first demand and answered from memory.

Six versions make megabytes; connexion would render its own copies on every
request (the YAML one in pure Python, over a minute), so this middleware sits
in front of connexion's Swagger UI and answers these paths itself."""

from __future__ import annotations

import json

import yaml
from starlette.responses import Response

JSON, YAML = "application/json", "application/yaml"
PATHS = {"/openapi.json": JSON, "/openapi/v3": JSON, "/openapi.yaml": YAML}


class DescriptionRoutes:
    def __init__(self, app, document: dict):
        self.app = app
        self.document = document
        self.rendered: dict[str, bytes] = {}

    def body(self, media_type: str) -> bytes:
        if media_type not in self.rendered:
            if media_type == JSON:
                text = json.dumps(self.document, indent=2)
            else:
                dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml where installed
                text = yaml.dump(self.document, Dumper=dumper, sort_keys=False)
            self.rendered[media_type] = text.encode()
        return self.rendered[media_type]

    async def __call__(self, scope, receive, send):
        media_type = PATHS.get(scope.get("path")) if scope["type"] == "http" else None
        if media_type is None or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        await Response(self.body(media_type), media_type=media_type)(scope, receive, send)
