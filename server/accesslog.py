"""One line per request: client, user, method, path, status, duration and a
request id (also sent back as X-Request-ID). Never a token: only the path is
logged, not the query string or headers. Every field is escaped, so that no
request can write a newline or a control character into the log."""

from __future__ import annotations

import logging
import time
import uuid

from server.auth import identity_from

log = logging.getLogger("slurmrestpy.access")

# Control characters, the quote around the request, the backslash that
# escapes, and what a terminal or a log reader would take for a line end.
_UNSAFE = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x22, 0x5c, *range(0x7f, 0xa0))}
_UNSAFE.update({code: f"\\u{code:04x}" for code in (0x2028, 0x2029)})


def escaped(text: str) -> str:
    return text.translate(_UNSAFE)


def _client(scope) -> str:
    client = scope.get("client")
    if client:
        return f"{client[0]}:{client[1]}"
    peer = scope.get("extensions", {}).get("peer_credentials")
    return f"unix:uid={peer['uid']}" if peer else "unix"


class AccessLog:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = uuid.uuid4().hex[:16]
        # Shared with the layers below, so connexion's security step can put
        # the authenticated user where we can read it afterwards.
        extensions = scope.setdefault("extensions", {})
        extensions["request_id"] = request_id
        context = extensions.setdefault("connexion_context", {})
        started = time.monotonic()
        status = 0

        async def sending(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            identity = identity_from(context.get("token_info"))
            log.info('%s %s "%s %s" %d %.1fms id=%s', escaped(_client(scope)),
                     escaped(identity.user) if identity else "-",
                     escaped(scope["method"]), escaped(scope["path"]), status or 500,
                     (time.monotonic() - started) * 1000, request_id)


class ConnectionLimit:
    """--max-connections: at most N requests are served at once; the others
    wait for a turn rather than being refused."""

    def __init__(self, app, limit: int):
        import asyncio

        self.app = app
        self.turns = asyncio.Semaphore(limit)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        async with self.turns:
            await self.app(scope, receive, send)
