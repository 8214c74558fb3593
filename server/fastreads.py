"""Polls answered before connexion: a GET whose caller's token verifies and
for which the full path (routing, security, validation, handler) made a
shared answer that is still fresh, or is making one now (waited for, as
``Answers.serve`` waits), is sent that answer's bytes here.

Most of a poll's cost, once its answer is shared, is connexion's middleware
stack; this skips it and changes nothing about what is sent. The answer is
found under exactly the key server/answers.py keeps it under (the user the
token proves, path, query; JSON only), so one user's answer never reaches
another; ``Answers.fresh`` gives it only within the staleness bound and
while no write went through us since it was begun. ETag/304, gzip and
``meta.client.source`` are those of ``answers.send``. The request is counted
in /metrics under the operation that made the answer, and logged by the
access log with its user, as any other.

Everything else (another method, a body, YAML, a token that does not
verify, acting for another user, no fresh answer) goes on to connexion
unchanged, and is answered there as before.
"""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request

from server import answers as shared
from server import media
from server.auth import USER_HEADER, AuthenticationFailed
from server.gate import TOKEN_HEADER
from server.request_input import InputRefused, check_target
from server.slurm.runner import Identity


class FastReads:
    def __init__(self, app, on_served=None):
        self.app = app
        self.on_served = on_served  # called for each poll answered here (/metrics)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET" and media.is_api(scope["path"]):
            found = await self._fresh(scope)
            if found is not None:
                return await self._send(scope, receive, send, *found)
        return await self.app(scope, receive, send)

    async def _fresh(self, scope) -> tuple[shared.Answer, Identity] | None:
        services = (scope.get("state") or {}).get("services")
        if services is None or services.verifier is None:
            return None
        headers = Headers(scope=scope)
        if headers.get("content-length", "0") != "0" or "transfer-encoding" in headers:
            return None  # a GET with a body: connexion decides
        if media.response_type(headers) != media.JSON:
            return None  # YAML answers are not shared
        identity = _caller(headers, services.verifier)
        if identity is None:
            return None
        try:
            check_target(scope.get("raw_path") or scope["path"].encode(), scope.get("query_string", b""))
        except InputRefused:
            return None  # refused the usual way
        query = QueryParams(scope.get("query_string", b""))  # as starlette's Request reads it
        key = (identity.user, scope["path"], tuple(sorted(query.multi_items())))
        answer = await services.answers.fresh(key)
        if answer is None or answer.operation_id is None:
            return None
        return answer, identity

    async def _send(self, scope, receive, send, answer: shared.Answer, identity: Identity):
        extensions = scope.setdefault("extensions", {})
        # What /metrics and the access log read from connexion's routing and security.
        extensions["connexion_routing"] = {"operation_id": answer.operation_id}
        extensions.setdefault("connexion_context", {})["token_info"] = {"identity": identity}
        answers = scope["state"]["services"].answers
        if answers.on_shared:
            answers.on_shared()
        if self.on_served:
            self.on_served()
        await shared.send(answer, Request(scope))(scope, receive, send)


def _caller(headers: Headers, verifier) -> Identity | None:
    """The caller the full path's security step would find, when it is the
    token's own user; None for anything else (connexion then decides)."""
    token = headers.get(TOKEN_HEADER)
    scheme, _, bearer = (headers.get("authorization") or "").partition(" ")
    bearer = bearer.strip() if scheme.lower() == "bearer" else None
    if token is not None and bearer is not None and not hmac.compare_digest(token.strip().encode(),
                                                                             bearer.encode()):
        return None
    token = token or bearer
    if not token:
        return None
    try:
        user = verifier.verify(token)
    except AuthenticationFailed:
        return None
    named = headers.get(USER_HEADER)
    if named is not None and not hmac.compare_digest(named.encode(), user.encode()):
        return None  # acting for another user: a minted token, made by the full path
    return Identity(user, token)
