"""The cheap gate in front of every API request: the caller is known before
anything else is done for the request, its body included.

A request with a token (X-SLURM-USER-TOKEN or Authorization: Bearer) passes
when one of its tokens verifies; a request without one passes only where
rest_auth/local may serve it (a UNIX socket whose peer we may serve).
Anything else is answered 401 here, in slurmrestd's envelope, from its
headers alone: the body is never read.

connexion's security handlers, named by the OpenAPI description, stay the
authority for each operation (the user header, acting for others); this
only makes sure an unknown caller costs nothing.
"""

from __future__ import annotations

from starlette.datastructures import Headers

from server.auth import AuthenticationFailed
from server.media import is_api
from server.peercred import LocalAuthRefused, local_identity
from server.problems import NO_CREDENTIALS, refusal

TOKEN_HEADER = "x-slurm-user-token"


def tokens_of(headers: Headers) -> list[str]:
    found = []
    if headers.get(TOKEN_HEADER):
        found.append(headers[TOKEN_HEADER])
    scheme, _, bearer = (headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and bearer.strip():
        found.append(bearer.strip())
    return found


class AuthenticationGate:
    def __init__(self, app, verifier, local_allowed: bool):
        self.app = app
        self.verifier = verifier  # None when rest_auth/jwt is not loaded
        self.local_allowed = local_allowed

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not is_api(scope["path"]):
            return await self.app(scope, receive, send)
        refused = self.refusal_of(scope)
        if refused is None:
            return await self.app(scope, receive, send)
        description, errno_name, source = refused
        return await refusal(scope, 401, description, errno_name, source)(scope, receive, send)

    def refusal_of(self, scope) -> tuple[str, str, str] | None:
        """(description, errno name, source) of a 401, or None to let it in."""
        tokens = tokens_of(Headers(scope=scope))
        if not tokens:
            if not self.local_allowed:
                return NO_CREDENTIALS, "ESLURM_AUTH_CRED_INVALID", "rest_auth/jwt"
            try:
                local_identity(scope)
            except LocalAuthRefused as error:
                return str(error), "ESLURM_AUTH_CRED_INVALID", "rest_auth"
            return None
        if self.verifier is None:
            return ("JWT authentication is not enabled on this server (-a)", "ESLURM_AUTH_CRED_INVALID",
                    "rest_auth/jwt")
        first = None
        for token in tokens:
            try:
                self.verifier.verify(token)
                return None
            except AuthenticationFailed as error:
                first = first or error
        return first.detail, first.errno_name, "rest_auth/jwt"
