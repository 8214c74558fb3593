"""Forged and abused tokens against the verifier (server/auth.py): each case
of issue 12's corpus is refused, and says why. tests/live/test_token_attacks.py
sends the same tokens to a real server."""

import itertools
import json
import time
from types import SimpleNamespace

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.datastructures import Headers

from server import auth
from server.auth import AuthenticationFailed, JwtVerifier
from tests.forged_tokens import hand_made, hs256_with_public_key, part
from tests.forged_tokens import claims as claims_of

HS_KEY = b"h" * 32
USER = "root"  # a user every host knows
KID = "site-key"


def claims(user=USER, **changes) -> dict:
    return claims_of(user, **changes)


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def verifier(rsa_key):
    """The cluster's set-up: an HS256 jwt_key and a JWKS with one RS256 key."""
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    jwks = {KID: jwt.PyJWK({**jwk, "kid": KID, "alg": "RS256", "use": "sig"})}
    return JwtVerifier(HS_KEY, jwks)


def refused(verifier, token, fragment):
    with pytest.raises(AuthenticationFailed) as raised:
        verifier.verify(token)
    assert fragment.lower() in raised.value.detail.lower(), raised.value.detail
    return raised.value


def test_a_good_token_of_each_kind_is_accepted(verifier, rsa_key):
    # The refusals below mean something only if these pass.
    assert verifier.verify(jwt.encode(claims(), HS_KEY, algorithm="HS256")) == USER
    assert verifier.verify(jwt.encode(claims(), rsa_key, algorithm="RS256", headers={"kid": KID})) == USER


@pytest.mark.parametrize("alg", ["".join(letters) for letters in itertools.product(*zip("none", "NONE"))])
def test_alg_none_in_every_capitalisation(verifier, alg):
    refused(verifier, hand_made({"alg": alg, "typ": "JWT"}, claims()), "alg none")


def test_hs256_signed_with_the_rs256_public_key(verifier, rsa_key):
    refused(verifier, hs256_with_public_key(rsa_key, {"kid": KID}, claims()), "signature")


def test_hs256_when_the_site_has_only_a_jwks(verifier, rsa_key):
    jwks_only = JwtVerifier(None, verifier.jwks)
    refused(jwks_only, hs256_with_public_key(rsa_key, {}, claims()), "HS256 tokens are not accepted")


@pytest.mark.parametrize("kid", ["other-key", "../../etc/jwt.key", "/etc/slurm/jwt_hs256.key", ""])
def test_kid_naming_another_key_or_a_path(verifier, kid):
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(), forger, algorithm="RS256", headers={"kid": kid})
    refused(verifier, token, "key" if kid else "signature")


def test_kid_of_the_site_key_on_a_token_signed_by_another(verifier):
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    refused(verifier, jwt.encode(claims(), forger, algorithm="RS256", headers={"kid": KID}), "signature")


def test_expired(verifier):
    refused(verifier, jwt.encode(claims(exp=int(time.time()) - 5), HS_KEY, algorithm="HS256"), "expired")


def test_nbf_in_the_future(verifier):
    token = jwt.encode(claims(nbf=int(time.time()) + 3600), HS_KEY, algorithm="HS256")
    refused(verifier, token, "not valid yet")


def test_iat_in_the_future(verifier):
    now = int(time.time())
    token = jwt.encode(claims(iat=now + 3600, exp=now + 7200), HS_KEY, algorithm="HS256")
    refused(verifier, token, "not valid yet")


@pytest.mark.parametrize("claim", ["sun", "exp", "iat"])
def test_missing_claim(verifier, claim):
    payload = claims()
    del payload[claim]
    refused(verifier, jwt.encode(payload, HS_KEY, algorithm="HS256"), f"lacks the {claim!r} claim")


def test_username_claim_does_not_stand_in_for_sun(verifier):
    payload = claims()
    payload["username"] = payload.pop("sun")
    refused(verifier, jwt.encode(payload, HS_KEY, algorithm="HS256"), "lacks the 'sun' claim")


@pytest.mark.parametrize("user", ["", 0, ["root"]])
def test_user_claim_that_is_no_user_name(verifier, user):
    refused(verifier, jwt.encode(claims(user), HS_KEY, algorithm="HS256"), "not a user name")


def test_token_for_an_unknown_user(verifier):
    token = jwt.encode(claims("srp_nobody_at_all"), HS_KEY, algorithm="HS256")
    refused(verifier, token, "'srp_nobody_at_all' is not a user on this host")


def test_tampered_payload_with_the_signature_kept(verifier):
    header, payload, signature = jwt.encode(claims("nobody"), HS_KEY, algorithm="HS256").split(".")
    forged = part({**claims("nobody"), "sun": USER})
    refused(verifier, f"{header}.{forged}.{signature}", "signature")


@pytest.mark.parametrize("cut", ["no signature", "half the signature", "in the payload", "in the header"])
def test_truncated_token(verifier, cut):
    token = jwt.encode(claims(), HS_KEY, algorithm="HS256")
    header, payload, signature = token.split(".")
    truncated = {"no signature": f"{header}.{payload}.", "half the signature": token[:-len(signature) // 2],
                 "in the payload": f"{header}.{payload[:10]}", "in the header": header[:7]}[cut]
    with pytest.raises(AuthenticationFailed):
        verifier.verify(truncated)


def test_a_1mb_token_is_refused_before_it_is_decoded(verifier, monkeypatch):
    # Correctly signed: only its size can refuse it.
    token = jwt.encode(claims(padding="x" * (1 << 20)), HS_KEY, algorithm="HS256")

    def must_not_decode(*args, **kwargs):
        raise AssertionError("a 1 MB token was decoded")

    monkeypatch.setattr(auth.jwt, "get_unverified_header", must_not_decode)
    monkeypatch.setattr(auth.jwt, "decode", must_not_decode)
    refused(verifier, token, "longer than")


def test_token_made_with_the_key_before_it_changed(verifier):
    # slurmctld's key changed: the server reads the new one; tokens of the old are refused.
    new = JwtVerifier(b"n" * 32, {})
    refused(new, jwt.encode(claims(), HS_KEY, algorithm="HS256"), "signature")
    assert new.verify(jwt.encode(claims(), b"n" * 32, algorithm="HS256")) == USER


# The request-level checks: headers against the token.

def request_with(verifier, **headers):
    return SimpleNamespace(headers=Headers(headers), scope={"state": {"services": SimpleNamespace(verifier=verifier)}})


def test_user_name_header_disagreeing_with_the_token():
    unprivileged = JwtVerifier(HS_KEY, {}, privileged=frozenset({"slurm"}))
    token = jwt.encode(claims(USER), HS_KEY, algorithm="HS256")
    with pytest.raises(AuthenticationFailed, match="does not match"):
        auth.slurm_token_info(token, request_with(unprivileged, **{"X-SLURM-USER-NAME": "daemon",
                                                                    "X-SLURM-USER-TOKEN": token}))


def test_root_naming_an_unknown_user(verifier):
    token = jwt.encode(claims(USER), HS_KEY, algorithm="HS256")
    with pytest.raises(AuthenticationFailed, match="'srp_nobody_at_all' is not a user on this host"):
        auth.slurm_token_info(token, request_with(verifier, **{"X-SLURM-USER-NAME": "srp_nobody_at_all",
                                                               "X-SLURM-USER-TOKEN": token}))


@pytest.mark.parametrize("scheme", ["slurm_token_info", "bearer_token_info"])
def test_header_and_bearer_tokens_that_disagree(verifier, scheme):
    good = jwt.encode(claims(USER), HS_KEY, algorithm="HS256")
    other = jwt.encode(claims("daemon"), HS_KEY, algorithm="HS256")
    request = request_with(verifier, **{"X-SLURM-USER-TOKEN": good, "Authorization": f"Bearer {other}"})
    token = good if scheme == "slurm_token_info" else other
    with pytest.raises(AuthenticationFailed, match="different tokens"):
        getattr(auth, scheme)(token, request)


def test_header_and_bearer_carrying_the_same_token(verifier):
    good = jwt.encode(claims(USER), HS_KEY, algorithm="HS256")
    request = request_with(verifier, **{"X-SLURM-USER-TOKEN": good, "Authorization": f"Bearer {good}"})
    assert auth.bearer_token_info(good, request)["sub"] == USER


# slurmctld's key changed in place: the server follows the file.

def test_token_of_the_old_key_after_the_key_file_changed(tmp_path):
    key_file = tmp_path / "jwt.key"
    key_file.write_bytes(b"o" * 32)
    verifier = JwtVerifier.from_files(key_file, None)
    old = jwt.encode(claims(), b"o" * 32, algorithm="HS256")
    assert verifier.verify(old) == USER
    key_file.write_bytes(b"n" * 48)  # the new key
    refused(verifier, old, "signature")
    assert verifier.verify(jwt.encode(claims(), b"n" * 48, algorithm="HS256")) == USER


def test_a_changed_key_that_cannot_be_read_accepts_no_token(tmp_path, monkeypatch, caplog):
    key_file = tmp_path / "jwt.key"
    key_file.write_bytes(b"o" * 32)
    verifier = JwtVerifier.from_files(key_file, None)
    key_file.write_bytes(b"n" * 48)

    def unreadable(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(key_file), "read_bytes", unreadable)
    for token in (jwt.encode(claims(), b"o" * 32, algorithm="HS256"), jwt.encode(claims(), b"n" * 48, algorithm="HS256")):
        refused(verifier, token, "cannot be read again")
    warnings = [r for r in caplog.records if "cannot be read again" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelname == "WARNING"  # once, for the operator


def test_a_key_file_that_cannot_be_looked_at_keeps_the_key_read_at_start_up(tmp_path, monkeypatch):
    # After -u the key may sit in a folder only SlurmUser may enter: tokens still work.
    from server import jwtkey

    key_file = tmp_path / "jwt.key"
    key_file.write_bytes(b"o" * 32)
    verifier = JwtVerifier.from_files(key_file, None)

    def no_entry(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(jwtkey, "os", SimpleNamespace(stat=no_entry))
    assert verifier.verify(jwt.encode(claims(), b"o" * 32, algorithm="HS256")) == USER
