"""Tokens as an attacker makes them, for the unit and live corpora of token
attacks: any header, any payload, any signature (PyJWT refuses to make
some of these)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from cryptography.hazmat.primitives import serialization


def b64url(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def part(document: dict) -> str:
    return b64url(json.dumps(document).encode()).decode()


def claims(user: str, **changes) -> dict:
    now = int(time.time())
    return {"iat": now, "exp": now + 300, "sun": user, **changes}


def hand_made(header: dict, payload: dict, sign=lambda signing_input: b"") -> str:
    signing_input = f"{part(header)}.{part(payload)}".encode()
    return f"{signing_input.decode()}.{b64url(sign(signing_input)).decode()}"


def hs256_with_public_key(private_key, header: dict, payload: dict) -> str:
    """The classic confusion: HMAC with the RSA public key as its secret."""
    public_pem = private_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                       serialization.PublicFormat.SubjectPublicKeyInfo)
    return hand_made({"alg": "HS256", "typ": "JWT", **header}, payload,
                     lambda signing_input: hmac.new(public_pem, signing_input, hashlib.sha256).digest())
