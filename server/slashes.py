"""Paths answered with or without their trailing slash, as slurmrestd does.

The descriptions spell each path one way (`/diag/`, `/job/{job_id}`), and the
router would answer the other spelling with a 307 that curl without `-L`
stops at. This middleware, in front of routing, rewrites a path the
descriptions do not know into its other spelling when that one is known.
"""

from __future__ import annotations


class TrailingSlash:
    def __init__(self, app, specs):
        self.app = app
        self.specs = specs

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = scope["path"]
            other = _other_spelling(path)
            if other and not self.specs.routes_path(path) and self.specs.routes_path(other):
                scope = dict(scope, path=other, raw_path=_toggled(scope.get("raw_path")))
        await self.app(scope, receive, send)


def _other_spelling(path: str) -> str | None:
    if path in ("", "/"):
        return None
    return path[:-1] if path.endswith("/") else path + "/"


def _toggled(raw_path: bytes | None) -> bytes | None:
    if raw_path is None:
        return None
    return raw_path[:-1] if raw_path.endswith(b"/") else raw_path + b"/"
