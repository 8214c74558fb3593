"""RS256 tokens checked against the cluster's JWKS, each key used only with
its own algorithm, and root acting for another user."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from conftest import ADMIN, ALICE, API, BOB
from tests.forged_tokens import hs256_with_public_key

KID = "srp-rs256"


def claims(user=ALICE, lifetime=300):
    now = int(time.time())
    return {"iat": now, "exp": now + lifetime, "sun": user}


@pytest.fixture
def private_key(cluster):
    private = cluster.directory / "etc" / "jwks-private.pem"
    if not private.exists():
        pytest.fail(f"{private} is missing: the local cluster predates its JWKS; run make cluster-down cluster")
    return private.read_bytes()


def refused(response, fragment):
    assert response.status_code == 401, response.text
    assert fragment.lower() in response.json()["errors"][0]["description"].lower()


def test_rs256_token_from_the_jwks_is_accepted_and_reaches_slurm(api, private_key):
    token = jwt.encode(claims(ALICE), private_key, algorithm="RS256", headers={"kid": KID})
    response = api.get(f"{API}/jobs/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["client"]["user"] == ALICE
    assert {job["user_name"] for job in response.json()["jobs"]} <= {ALICE}


def test_rs256_token_signed_by_another_key(api):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(), other, algorithm="RS256", headers={"kid": KID})
    refused(api.get(f"{API}/ping/", headers={"X-SLURM-USER-TOKEN": token}), "signature")


def test_rs256_token_naming_an_unknown_key(api, private_key):
    token = jwt.encode(claims(), private_key, algorithm="RS256", headers={"kid": "nope"})
    refused(api.get(f"{API}/ping/", headers={"X-SLURM-USER-TOKEN": token}), "no key 'nope'")


def test_hs256_token_signed_with_the_public_key_is_refused(api, private_key):
    key = serialization.load_pem_private_key(private_key, None)
    token = hs256_with_public_key(key, {"kid": KID}, claims())
    refused(api.get(f"{API}/ping/", headers={"X-SLURM-USER-TOKEN": token}), "signature")


def test_other_algorithms_are_refused(api, private_key):
    token = jwt.encode(claims(), private_key, algorithm="RS512", headers={"kid": KID})
    refused(api.get(f"{API}/ping/", headers={"X-SLURM-USER-TOKEN": token}), "RS512")


def test_root_may_act_for_another_user(api, auth, cluster):
    job = cluster.submit("--hold", "--wrap=sleep 600", user=BOB)
    try:
        headers = {**auth(ADMIN), "X-SLURM-USER-NAME": BOB}
        response = api.get(f"{API}/jobs/", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["meta"]["client"]["user"] == BOB
        assert job in {j["job_id"] for j in body["jobs"]}
        # Slurm applies bob's rights: PrivateData shows him only his own jobs.
        assert {j["user_name"] for j in body["jobs"]} == {BOB}
    finally:
        cluster.cancel(job)


def test_an_ordinary_user_may_not_act_for_another(api, auth):
    refused(api.get(f"{API}/ping/", headers={**auth(ALICE), "X-SLURM-USER-NAME": BOB}), "does not match")
