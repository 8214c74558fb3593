"""Tokens already verified are kept (server/auth.py), so that a poller's
token is not decoded and checked again on every request; kept only until
the token expires and while the key it was checked with is in force."""

import time

import jwt
import pytest

from server import auth
from server.auth import AuthenticationFailed, JwtVerifier
from server.jwtkey import KeyFile

USER = "root"  # a user every host knows


def token(key: bytes, **claims) -> str:
    now = int(time.time())
    return jwt.encode({"iat": now, "exp": now + 60, "sun": USER, **claims}, key, algorithm="HS256")


@pytest.fixture
def decodes(monkeypatch):
    """How many times a token was really decoded."""
    count = {"n": 0}
    real = jwt.decode

    def counting(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(auth.jwt, "decode", counting)
    return count


def test_a_token_is_decoded_once_while_it_is_valid(decodes):
    verifier = JwtVerifier(b"k" * 32)
    good = token(b"k" * 32)
    assert [verifier.verify(good) for _ in range(5)] == [USER] * 5
    assert decodes["n"] == 1
    assert good not in repr(verifier)  # kept by digest, never shown


def test_a_kept_token_is_refused_once_it_expires():
    verifier = JwtVerifier(b"k" * 32)
    expires = int(time.time()) + 1
    soon = token(b"k" * 32, exp=expires)
    assert verifier.verify(soon) == USER
    time.sleep(max(0.0, expires - time.time()) + 0.1)
    with pytest.raises(AuthenticationFailed, match="expired"):
        verifier.verify(soon)


def test_a_kept_token_is_refused_once_the_key_file_changes(tmp_path):
    key = tmp_path / "jwt.key"
    key.write_bytes(b"a" * 32)
    verifier = JwtVerifier(KeyFile(key))
    old = token(b"a" * 32)
    assert verifier.verify(old) == USER
    key.write_bytes(b"b" * 40)  # another key, another size: the file's stamp changes
    with pytest.raises(AuthenticationFailed, match="signature"):
        verifier.verify(old)
    assert verifier.verify(token(b"b" * 40)) == USER


def test_refused_tokens_are_not_kept(decodes):
    verifier = JwtVerifier(b"k" * 32)
    forged = token(b"x" * 32)
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            verifier.verify(forged)
    assert decodes["n"] == 2


def test_kept_tokens_are_bounded(monkeypatch):
    monkeypatch.setattr(auth, "MAX_VERIFIED_TOKENS", 3)
    verifier = JwtVerifier(b"k" * 32)
    for n in range(10):
        verifier.verify(token(b"k" * 32, jti=str(n)))
    assert len(verifier._verified) <= 3
