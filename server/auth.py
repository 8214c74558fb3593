"""JSON Web Token authentication, as slurmrestd's rest_auth/jwt does it.

The OpenAPI description names these functions in its security schemes
(``x-apikeyInfoFunc``, ``x-bearerInfoFunc``), so the description, not the
code, says what guards each route. A valid token becomes the request's
``Identity``, and its token is handed to every Slurm command of the request
as ``SLURM_JWT``: slurmctld then applies that user's permissions.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path

import jwt
from connexion.exceptions import OAuthProblem

from server.services import services_of
from server.slurm.runner import Identity

USER_HEADER = "X-SLURM-USER-NAME"
USER_CLAIM = "sun"  # Slurm's claim for the user name
REQUIRED_CLAIMS = ("exp", "iat", USER_CLAIM)


class AuthenticationFailed(OAuthProblem):
    """A 401 whose detail says exactly what was wrong with the credentials."""

    def __init__(self, reason: str, errno_name: str = "ESLURM_AUTH_CRED_INVALID"):
        super().__init__(detail=reason)
        self.errno_name = errno_name


@dataclass(frozen=True)
class JwtVerifier:
    """Checks HS256 tokens against the cluster's key (AuthAltParameters=jwt_key=)."""

    key: bytes
    leeway_seconds: int = 0

    @classmethod
    def from_file(cls, path: Path) -> JwtVerifier:
        key = path.read_bytes()
        if not key:
            raise ValueError(f"{path}: the JWT key is empty")
        return cls(key)

    def verify(self, token: str) -> str:
        """The user a token names, or AuthenticationFailed saying why not."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise AuthenticationFailed("Malformed token: not a JSON Web Token") from None
        algorithm = str(header.get("alg", ""))
        if algorithm.lower() == "none":
            raise AuthenticationFailed("Unsigned token (alg none) refused")
        if algorithm != "HS256":
            raise AuthenticationFailed(f"Token algorithm {algorithm or '(none given)'} is not accepted; HS256 is")
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=["HS256"],
                options={"require": list(REQUIRED_CLAIMS)},
                leeway=self.leeway_seconds,
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("Token expired", "ESLURM_AUTH_EXPIRED") from None
        except jwt.InvalidSignatureError:
            raise AuthenticationFailed("Token signature does not match the cluster's key") from None
        except jwt.MissingRequiredClaimError as error:
            raise AuthenticationFailed(f"Token lacks the {error.claim!r} claim") from None
        except jwt.ImmatureSignatureError:
            raise AuthenticationFailed("Token is not valid yet (iat or nbf in the future)") from None
        except jwt.InvalidTokenError as error:
            raise AuthenticationFailed(f"Malformed token: {_safe(error)}") from None
        user = claims[USER_CLAIM]
        if not isinstance(user, str) or not user:
            raise AuthenticationFailed(f"Token's {USER_CLAIM!r} claim is not a user name")
        return user


def _safe(error: Exception) -> str:
    # PyJWT's messages describe structure, never the token itself; keep them short.
    return str(error).splitlines()[0][:200]


def _identity(token: str, request) -> dict:
    services = services_of(request)
    if services.verifier is None:
        raise AuthenticationFailed("JWT authentication is not configured on this server")
    user = services.verifier.verify(token)
    named = request.headers.get(USER_HEADER)
    if named is not None and not hmac.compare_digest(named.encode(), user.encode()):
        raise AuthenticationFailed(
            f"{USER_HEADER} {named!r} does not match the token's user {user!r}"
        )
    return {"sub": user, "identity": Identity(user, token)}


# The functions the OpenAPI security schemes name.

def user_name_info(user_name: str, request=None) -> dict:
    """X-SLURM-USER-NAME alone proves nothing; it is checked with the token."""
    return {"sub": user_name}


def slurm_token_info(token: str, request=None) -> dict:
    return _identity(token, request)


def bearer_token_info(token: str, request=None) -> dict:
    return _identity(token, request)


def identity_from(token_info: dict | None) -> Identity | None:
    """The identity connexion's security step found, whichever scheme matched
    (a single scheme gives its own info; user+token gives one per scheme)."""
    if not token_info:
        return None
    for info in (token_info, *token_info.values()):
        if isinstance(info, dict) and isinstance(info.get("identity"), Identity):
            return info["identity"]
    return None
