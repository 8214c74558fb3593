"""Authentication against the live server: every way a token can be wrong
gets a 401 in slurmrestd's envelope saying which, and no token leaks."""

import time

import jwt
import pytest

from conftest import ALICE, API, BOB
from tests.schemas import reference_as_meant, validate_response



def make_token(key: bytes, user: str = ALICE, *, lifetime: int = 300, alg: str = "HS256", **claims) -> str:
    now = int(time.time())
    payload = {"iat": now, "exp": now + lifetime, "sun": user, **claims}
    return jwt.encode(payload, key, algorithm=alg)


def assert_refused(response, reason_fragment: str, *, secret: str | None = None):
    assert response.status_code == 401, response.text
    body = response.json()
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert reason_fragment.lower() in error["description"].lower(), error
    assert error["error_number"] > 0
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/jobs/", body, status=401)
    if secret:
        assert secret not in response.text


@pytest.mark.parametrize("style", ["user+token", "token", "bearer"])
def test_each_security_scheme_of_the_reference_is_accepted(api, auth, style):
    response = api.get(f"{API}/ping/", headers=auth(ALICE, style))
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["client"]["user"] == ALICE


def test_no_token_at_all(api):
    assert_refused(api.get(f"{API}/jobs/"), "no X-SLURM-USER-TOKEN")


def test_user_name_without_token(api):
    assert_refused(api.get(f"{API}/jobs/", headers={"X-SLURM-USER-NAME": ALICE}), "no X-SLURM-USER-TOKEN")


def test_malformed_token(api):
    assert_refused(api.get(f"{API}/jobs/", headers={"X-SLURM-USER-TOKEN": "not-a-jwt"}), "malformed")


def test_expired_token(api, cluster):
    token = make_token(cluster.key(), lifetime=-60)
    assert_refused(api.get(f"{API}/jobs/", headers={"X-SLURM-USER-TOKEN": token}), "expired", secret=token)


def test_token_signed_with_another_key(api):
    token = make_token(b"k" * 32)
    assert_refused(api.get(f"{API}/jobs/", headers={"Authorization": f"Bearer {token}"}), "signature",
                   secret=token)


def test_unsigned_token_alg_none(api):
    token = make_token(None, alg="none")
    assert_refused(api.get(f"{API}/jobs/", headers={"X-SLURM-USER-TOKEN": token}), "alg none")


def test_token_without_user_claim(api, cluster):
    now = int(time.time())
    token = jwt.encode({"iat": now, "exp": now + 60}, cluster.key(), algorithm="HS256")
    assert_refused(api.get(f"{API}/jobs/", headers={"X-SLURM-USER-TOKEN": token}), "'sun'")


def test_user_name_header_differs_from_token(api, auth):
    headers = {**auth(ALICE), "X-SLURM-USER-NAME": BOB}
    assert_refused(api.get(f"{API}/jobs/", headers=headers), "does not match")


def test_a_token_we_made_with_the_cluster_key_reaches_slurm_as_that_user(api, cluster):
    token = make_token(cluster.key(), BOB)
    response = api.get(f"{API}/ping/", headers={"X-SLURM-USER-TOKEN": token})
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["client"]["user"] == BOB
