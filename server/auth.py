"""JSON Web Token authentication, as slurmrestd's rest_auth/jwt does it.

The OpenAPI description names these functions in its security schemes
(``x-apikeyInfoFunc``, ``x-bearerInfoFunc``), so the description, not the
code, says what guards each route. A valid token becomes the request's
``Identity``, and its token is handed to every Slurm command of the request
as ``SLURM_JWT``: slurmctld then applies that user's permissions.

Tokens are HS256, checked against the cluster's key (AuthAltParameters=
jwt_key=), or RS256, checked against a JWKS file (jwks=). Each key is used
only with its own algorithm: an HS256 token "signed" with a public RSA key
is refused, never checked as HMAC. root and SlurmUser may act for another
user named in X-SLURM-USER-NAME; nobody else may. A token longer than any
real one is refused before it is decoded; one for a user this host does not
know, or two token headers that disagree, are refused too (issue 12's corpus:
tests/unit/test_token_attacks.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import pwd
import time
from dataclasses import dataclass, field
from pathlib import Path

import jwt
from connexion.exceptions import OAuthProblem

from server.jwtkey import KeyFile, KeyUnavailable
from server.services import services_of
from server.slurm.runner import Identity

USER_HEADER = "X-SLURM-USER-NAME"
USER_CLAIM = "sun"  # Slurm's claim for the user name
TOKEN_HEADER = "X-SLURM-USER-TOKEN"
# Slurm's tokens are a few hundred bytes, an identity provider's a few KiB;
# anything longer is refused before it is decoded.
MAX_TOKEN_CHARS = 16 * 1024
REQUIRED_CLAIMS = ("exp", "iat")
DELEGATED_TOKEN_SECONDS = 300  # a token we mint for a user root acts for
# Tokens already verified, kept (by digest, never the token) until they expire:
# a poller sends the same token many times a second.
MAX_VERIFIED_TOKENS = 4096


class AuthenticationFailed(OAuthProblem):
    """A 401 whose detail says exactly what was wrong with the credentials."""

    def __init__(self, reason: str, errno_name: str = "ESLURM_AUTH_CRED_INVALID"):
        super().__init__(detail=reason)
        self.errno_name = errno_name


@dataclass(frozen=True)
class JwtVerifier:
    """The keys tokens are checked with, and who may act for others."""

    hs256_key: bytes | KeyFile | None = field(default=None, repr=False)  # a KeyFile follows changes
    jwks: dict[str, jwt.PyJWK] = field(default_factory=dict, repr=False)  # by kid
    user_claim: str = USER_CLAIM
    privileged: frozenset[str] = frozenset({"root"})  # root and SlurmUser
    leeway_seconds: int = 0
    # digest of a token -> (user, exp, the key it was checked with)
    _verified: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_files(cls, key_path: Path | None, jwks_path: Path | None, *, user_claim: str = USER_CLAIM,
                   slurm_user: str = "root") -> JwtVerifier:
        key = KeyFile(key_path) if key_path is not None else None
        if key is not None:
            # pyjwt reads an HS256 key as JSON at every check, and json picks a
            # codec by the key's first bytes (UTF-16/32 for a 0 byte): have it
            # imported now, while -u has not yet taken the Python files away.
            jwt.algorithms.HMACAlgorithm(jwt.algorithms.HMACAlgorithm.SHA256).prepare_key(key.current())
        keys = {}
        if jwks_path is not None:
            keys = _read_jwks(jwks_path)
        if key is None and not keys:
            raise ValueError("neither an HS256 key nor a JWKS file")
        return cls(key, keys, user_claim, frozenset({"root", slurm_user}))

    def verify(self, token: str) -> str:
        """The user a token names, or AuthenticationFailed saying why not."""
        if len(token) > MAX_TOKEN_CHARS:
            raise AuthenticationFailed(f"Token refused: longer than {MAX_TOKEN_CHARS} characters")
        digest = hashlib.blake2b(token.encode(errors="surrogatepass"), digest_size=20).digest()
        known = self._verified.get(digest)
        if known is not None:
            user, expires, key = known
            # Only until it expires, and only while its key is the one in force.
            if time.time() < expires and self._still_current(key):
                return user
            self._verified.pop(digest, None)
        user, expires, key = self._verify(token)
        self._remember(digest, user, expires, key)
        return user

    def _verify(self, token: str) -> tuple[str, float, object]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise AuthenticationFailed("Malformed token: not a JSON Web Token") from None
        algorithm = str(header.get("alg", ""))
        if algorithm.lower() == "none":
            raise AuthenticationFailed("Unsigned token (alg none) refused")
        key = self._key_for(algorithm, header.get("kid"))
        try:
            claims = jwt.decode(token, key, algorithms=[algorithm],
                                options={"require": [*REQUIRED_CLAIMS, self.user_claim]},
                                leeway=self.leeway_seconds)
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
        user = claims[self.user_claim]
        if not isinstance(user, str) or not user:
            raise AuthenticationFailed(f"Token's {self.user_claim!r} claim is not a user name")
        require_known_user(user, "Token's user")
        expires = claims["exp"]
        if not isinstance(expires, (int, float)) or isinstance(expires, bool):
            expires = 0  # checked, but not kept
        return user, float(expires), key

    def _still_current(self, key) -> bool:
        if isinstance(key, bytes):  # HS256: the key file may have changed since
            try:
                return hmac.compare_digest(key, self._hs256())
            except AuthenticationFailed:
                return False
        return True  # a JWKS key is read once, at start-up

    def _remember(self, digest: bytes, user: str, expires: float, key) -> None:
        if len(self._verified) >= MAX_VERIFIED_TOKENS:
            now = time.time()
            for stale in [d for d, (_, e, _) in self._verified.items() if e <= now]:
                self._verified.pop(stale, None)
            while len(self._verified) >= MAX_VERIFIED_TOKENS:
                self._verified.pop(next(iter(self._verified)), None)  # the oldest
        self._verified[digest] = (user, expires, key)

    def _key_for(self, algorithm: str, kid):
        if algorithm == "HS256":
            if self.hs256_key is None:
                raise AuthenticationFailed("HS256 tokens are not accepted here: the cluster has no jwt_key")
            return self._hs256()
        if algorithm == "RS256":
            if not self.jwks:
                raise AuthenticationFailed("RS256 tokens are not accepted here: the cluster has no jwks")
            found = self.jwks.get(kid) if kid else (next(iter(self.jwks.values())) if len(self.jwks) == 1 else None)
            if found is None:
                raise AuthenticationFailed(f"No key {kid!r} in the cluster's JWKS" if kid
                                           else "Token names no key (kid) and the JWKS has several")
            if found.algorithm_name != "RS256":
                raise AuthenticationFailed(f"JWKS key {kid!r} is for {found.algorithm_name}, not RS256")
            return found.key
        raise AuthenticationFailed(f"Token algorithm {algorithm or '(none given)'} is not accepted; "
                                   "HS256 or RS256 are")

    def may_act_for_others(self, user: str) -> bool:
        return user in self.privileged

    def mint(self, user: str) -> str:
        """A short-lived token for `user`, so that Slurm applies their rights
        when root or SlurmUser acts for them."""
        if self.hs256_key is None:
            raise AuthenticationFailed("Acting for another user needs the cluster's HS256 jwt_key")
        now = int(time.time())
        return jwt.encode({"iat": now, "exp": now + DELEGATED_TOKEN_SECONDS, USER_CLAIM: user},
                          self._hs256(), algorithm="HS256")

    def _hs256(self) -> bytes:
        if not isinstance(self.hs256_key, KeyFile):
            return self.hs256_key
        try:
            return self.hs256_key.current()
        except KeyUnavailable as error:
            raise AuthenticationFailed(str(error)) from None


def _read_jwks(path: Path) -> dict[str, jwt.PyJWK]:
    try:
        document = json.loads(path.read_text())
        keys = {}
        for entry in document.get("keys", []):
            if entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig":
                continue
            entry = {"alg": "RS256", **entry}  # Slurm's JWKS keys are RS256
            keys[entry.get("kid", "")] = jwt.PyJWK(entry)
    except (OSError, ValueError, jwt.PyJWKError) as error:
        raise ValueError(f"{path}: unreadable JWKS: {_safe(error)}") from None
    if not keys:
        raise ValueError(f"{path}: no RSA signing key in the JWKS")
    return keys


def require_known_user(user: str, who: str) -> None:
    """slurmctld resolves the user name to a uid; one this host does not know
    could only fail later, inside Slurm, so it is refused here."""
    try:
        pwd.getpwnam(user)
    except (KeyError, ValueError):  # ValueError: an embedded NUL
        raise AuthenticationFailed(f"{who} {user!r} is not a user on this host") from None


def _safe(error: Exception) -> str:
    # PyJWT's messages describe structure, never the token itself; keep them short.
    return str(error).splitlines()[0][:200]


def _identity(token: str, request) -> dict:
    services = services_of(request)
    verifier = services.verifier
    if verifier is None:
        raise AuthenticationFailed("JWT authentication is not enabled on this server (-a)")
    _require_one_token(request)
    user = verifier.verify(token)
    named = request.headers.get(USER_HEADER)
    if named is None or hmac.compare_digest(named.encode(), user.encode()):
        return {"sub": user, "identity": Identity(user, token)}
    if not verifier.may_act_for_others(user):
        raise AuthenticationFailed(f"{USER_HEADER} {named!r} does not match the token's user {user!r}")
    require_known_user(named, USER_HEADER)
    return {"sub": named, "identity": Identity(named, verifier.mint(named))}


def _require_one_token(request) -> None:
    """Both token headers may be sent, but they must carry the same token:
    otherwise which one is checked would depend on the order of the
    description's security alternatives."""
    header_token = request.headers.get(TOKEN_HEADER)
    scheme, _, bearer = (request.headers.get("Authorization") or "").partition(" ")
    if header_token is None or scheme.lower() != "bearer":
        return
    if not hmac.compare_digest(header_token.strip().encode(), bearer.strip().encode()):
        raise AuthenticationFailed(f"{TOKEN_HEADER} and Authorization: Bearer carry different tokens")


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
