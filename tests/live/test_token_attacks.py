"""Issue 12's corpus of token attacks, sent to a real slurmrestpy on the live
cluster: each is answered 401 in slurmrestd's envelope (a header over the
bound: 431), and the server's log never holds the token."""

import itertools
import json
import os
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from conftest import ALICE, API, BOB, start_server, stop_server
from tests.forged_tokens import hand_made, hs256_with_public_key, part
from tests.forged_tokens import claims as claims_of
from tests.schemas import reference_as_meant, validate_response

KID = "srp-rs256"  # the cluster's JWKS key (cluster/cluster.sh)
TARGET = f"{API}/jobs/"


def claims(user=ALICE, **changes) -> dict:
    return claims_of(user, **changes)


def signed(key: bytes, **changes) -> str:
    return jwt.encode(claims(**changes), key, algorithm="HS256")


def send(api, token: str, **headers):
    return api.get(TARGET, headers={"X-SLURM-USER-TOKEN": token, **headers})


def assert_refused(server, response, token: str, fragment: str, status: int = 401):
    """The answer is slurmrestd's, says why, and the token stays out of the log."""
    assert response.status_code == status, response.text[:500]
    body = response.json()
    assert set(body) >= {"meta", "errors", "warnings"}
    [error] = body["errors"]
    assert set(error) == {"description", "error_number", "error", "source"}
    assert error["error_number"] > 0
    assert fragment.lower() in error["description"].lower(), error
    if status == 401:
        validate_response(reference_as_meant("v0.0.44"), "get", TARGET, body, status=401)
    assert token[:200] not in response.text
    time.sleep(0.2)  # the access line is written after the answer
    log = server.log.read_text()
    if status == 401:  # answered by the app, so logged by it
        assert response.headers["x-request-id"] in log
    signature = token.rsplit(".", 1)[-1]
    assert token[:200] not in log
    assert not signature or signature not in log


@pytest.fixture(scope="module")
def cluster_key(cluster) -> bytes:
    return cluster.key()


@pytest.fixture(scope="module")
def jwks_private_key(cluster):
    private = cluster.directory / "etc" / "jwks-private.pem"
    if not private.exists():
        pytest.fail(f"{private} is missing: the local cluster predates its JWKS")
    return serialization.load_pem_private_key(private.read_bytes(), None)


def test_a_good_token_is_accepted(api, cluster_key):
    # The refusals below mean something only if this passes.
    response = send(api, signed(cluster_key))
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["client"]["user"] == ALICE


@pytest.mark.parametrize("alg", ["".join(letters) for letters in itertools.product(*zip("none", "NONE"))])
def test_alg_none_in_every_capitalisation(server, api, alg):
    token = hand_made({"alg": alg, "typ": "JWT"}, claims())
    assert_refused(server, send(api, token), token, "alg none")


def test_hs256_signed_with_the_rs256_public_key(server, api, jwks_private_key):
    token = hs256_with_public_key(jwks_private_key, {"kid": KID}, claims())
    assert_refused(server, send(api, token), token, "signature")


@pytest.mark.parametrize("kid", ["another-key", "../../etc/jwt.key", "<the cluster's key file>"])
def test_kid_naming_another_key_or_a_path(server, api, cluster, kid):
    if kid == "<the cluster's key file>":
        kid = str(cluster.directory / "etc" / "jwt.key")
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(), forger, algorithm="RS256", headers={"kid": kid})
    assert_refused(server, send(api, token), token, f"no key {kid!r}")


def test_kid_of_the_cluster_key_on_a_token_signed_by_another(server, api):
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(), forger, algorithm="RS256", headers={"kid": KID})
    assert_refused(server, send(api, token), token, "signature")


def test_expired(server, api, cluster_key):
    token = signed(cluster_key, exp=int(time.time()) - 5)
    assert_refused(server, send(api, token), token, "expired")


def test_nbf_in_the_future(server, api, cluster_key):
    token = signed(cluster_key, nbf=int(time.time()) + 3600)
    assert_refused(server, send(api, token), token, "not valid yet")


def test_iat_in_the_future(server, api, cluster_key):
    now = int(time.time())
    token = signed(cluster_key, iat=now + 3600, exp=now + 7200)
    assert_refused(server, send(api, token), token, "not valid yet")


@pytest.mark.parametrize("replacement", [None, "username"])
def test_missing_sun(server, api, cluster_key, replacement):
    payload = claims()
    user = payload.pop("sun")
    if replacement:
        payload[replacement] = user
    token = jwt.encode(payload, cluster_key, algorithm="HS256")
    assert_refused(server, send(api, token), token, "lacks the 'sun' claim")


def test_user_name_header_disagreeing_with_the_token(server, api, cluster_key):
    token = signed(cluster_key)
    assert_refused(server, send(api, token, **{"X-SLURM-USER-NAME": BOB}), token, "does not match")


def test_token_for_an_unknown_user(server, api, cluster_key):
    # Correctly signed with the cluster's key: only the user is wrong.
    token = signed(cluster_key, user="srp_nobody_at_all")
    assert_refused(server, send(api, token), token, "'srp_nobody_at_all' is not a user on this host")


def test_tampered_payload_with_the_signature_kept(server, api, cluster_key):
    header, _, signature = signed(cluster_key, user=BOB).split(".")
    token = f"{header}.{part(claims(ALICE))}.{signature}"
    assert_refused(server, send(api, token), token, "signature")


@pytest.mark.parametrize("keep", ["no signature", "half the signature", "header only"])
def test_truncated_token(server, api, cluster_key, keep):
    token = signed(cluster_key)
    header, payload, signature = token.split(".")
    truncated = {"no signature": f"{header}.{payload}.", "half the signature": token[:-len(signature) // 2],
                 "header only": header}[keep]
    # "Malformed" or "signature does not match", depending on where base64 breaks.
    assert_refused(server, send(api, truncated), truncated, "token")


def test_a_long_token_is_refused_before_it_is_decoded(server, api, cluster_key):
    # Correctly signed: only its size refuses it.
    token = signed(cluster_key, padding="x" * 20_000)
    assert_refused(server, send(api, token), token, "longer than")


def test_a_1mb_token_meets_the_header_bound(server, api, cluster_key):
    token = signed(cluster_key, padding="x" * (1 << 20))
    response = send(api, token)
    assert_refused(server, response, token, "longer than 65536 bytes", status=431)
    assert send(api, signed(cluster_key)).status_code == 200  # the server is none the worse


def test_the_header_bound_counts_headers_only(api, auth):
    # Bodies far over the header bound, one connection after another request.
    headers = {**auth(ALICE), "Content-Type": "application/json"}
    body = json.dumps({"hostlist": "n1", "padding": "x" * (2 << 20)})
    for _ in range(2):
        response = api.post("/util/v0.0.44/hostnames", headers=headers, content=body)
        assert response.status_code == 200 and response.json()["hostnames"] == ["n1"], response.text[:300]
    assert api.get(f"{API}/ping/", headers={**auth(ALICE), "X-Padding": "y" * 60_000}).status_code == 200


def test_header_and_bearer_tokens_that_disagree(server, api, cluster, cluster_key):
    alice, bob = signed(cluster_key), cluster.token(BOB)
    response = send(api, alice, Authorization=f"Bearer {bob}")
    assert_refused(server, response, bob, "different tokens")
    assert alice[-40:] not in server.log.read_text()


def test_header_and_bearer_carrying_the_same_token(api, cluster_key):
    token = signed(cluster_key)
    response = send(api, token, Authorization=f"Bearer {token}")
    assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def key_file_server(cluster, tmp_path_factory):
    """A server reading the key from a file of ours, at first a copy of the
    cluster's: changing it models slurmctld's key changing, while the shared
    cluster's own key stays as it is."""
    key_file = tmp_path_factory.mktemp("rotated") / "jwt.key"
    key_file.write_bytes(cluster.key())
    key_file.chmod(0o600)
    running = start_server(cluster, "--jwt-key", str(key_file), "--coalesce", "0",
                           log_name="server-token-rotated.log")
    yield running, key_file
    stop_server(running)


def test_token_reused_after_the_key_changed(key_file_server, cluster):
    import httpx

    server, key_file = key_file_server
    old = cluster.token(ALICE)  # made by slurmctld with the key it has
    with httpx.Client(base_url=server.url, timeout=60) as client:
        assert send(client, old).status_code == 200
        new_key = os.urandom(48)
        key_file.write_bytes(new_key)  # the key changes; the server was not restarted
        assert_refused(server, send(client, old), old, "signature")
        # The new key's tokens pass the server's check (the cluster's slurmctld,
        # which kept its key, is not asked to agree here).
        assert send(client, signed(new_key)).status_code != 401
        assert "the JWT key" in server.log.read_text() and "read again" in server.log.read_text()
