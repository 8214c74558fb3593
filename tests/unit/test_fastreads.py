"""Polls answered before connexion (server/fastreads.py), against the fake
current Slurm: what "Slurm" prints changes between requests, so an answer
sent by the fast path is told apart from one made afresh, and
slurmrestpy_fast_reads_total says which path a request took."""

import logging
import time

import jwt
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from server.accesslog import AccessLog

from tests.fakes.current_slurm import KEY, headers
from tests.unit.test_answers import API, WINDOW, name, slurm  # noqa: F401 (the fixture)

JOBS = f"{API}/jobs/"


def fast_reads(client) -> float:
    return _sample(client, "slurmrestpy_fast_reads_total")


def _sample(client, wanted: str, **labels) -> float:
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for found in family.samples:
            if found.name == wanted and all(found.labels.get(k) == v for k, v in labels.items()):
                return found.value
    return 0.0


def test_a_poll_of_a_fresh_answer_takes_the_fast_path(slurm):
    set_jobs, client = slurm
    set_jobs("first")
    alice = headers("alice")
    made = client.get(JOBS, headers=alice)
    before = fast_reads(client)
    ok_before = _sample(client, "slurmrestpy_requests_total", operation="slurm_v0044_get_jobs", status="200")
    set_jobs("second")
    polled = client.get(JOBS, headers=alice)
    assert fast_reads(client) == before + 1
    assert polled.status_code == 200 and name(polled) == "first"
    assert polled.content == made.content  # the same bytes, the same client address here
    assert polled.headers["etag"] == made.headers["etag"] and polled.headers["vary"] == made.headers["vary"]
    # Counted under its operation, as the full path does.
    assert _sample(client, "slurmrestpy_requests_total", operation="slurm_v0044_get_jobs",
                   status="200") == ok_before + 1


def test_the_access_log_names_the_user_of_a_fast_read(slurm, caplog):
    set_jobs, client = slurm
    set_jobs("x")
    alice = headers("alice")
    with TestClient(AccessLog(client.app)) as logged:  # as server/daemon.py serves it
        logged.get(JOBS, headers=alice)
        before = fast_reads(logged)
        with caplog.at_level(logging.INFO, logger="slurmrestpy.access"):
            assert logged.get(JOBS, headers=alice).status_code == 200
        assert fast_reads(logged) == before + 1
    lines = [r.getMessage() for r in caplog.records if r.name == "slurmrestpy.access"]
    assert len(lines) == 1 and ' alice "GET /slurm/v0.0.44/jobs/" 200 ' in lines[0], lines
    assert alice["X-SLURM-USER-TOKEN"] not in lines[0]


def test_bearer_token_takes_it_too(slurm):
    set_jobs, client = slurm
    set_jobs("first")
    token = headers("alice")["X-SLURM-USER-TOKEN"]
    client.get(JOBS, headers={"Authorization": f"Bearer {token}"})
    set_jobs("second")
    before = fast_reads(client)
    assert name(client.get(JOBS, headers={"Authorization": f"Bearer {token}"})) == "first"
    assert fast_reads(client) == before + 1


def test_never_another_users_answer(slurm):
    set_jobs, client = slurm
    set_jobs("alice's")
    alice = client.get(JOBS, headers=headers("alice"))
    set_jobs("bob's")
    before = fast_reads(client)
    bob = client.get(JOBS, headers=headers("bob"))
    again = client.get(JOBS, headers={**headers("bob"), "If-None-Match": alice.headers["etag"]})
    assert name(bob) == "bob's" and bob.json()["meta"]["client"]["user"] == "bob"
    assert again.status_code == 200 and name(again) == "bob's"  # bob's own, from the fast path
    assert fast_reads(client) == before + 1


def test_a_token_naming_another_user_is_not_served_alices_answer(slurm):
    set_jobs, client = slurm
    set_jobs("alice's")
    client.get(JOBS, headers=headers("alice"))
    set_jobs("other")
    before = fast_reads(client)
    # bob's token with alice's name: refused by the full path, as before.
    refused = client.get(JOBS, headers={**headers("bob"), "X-SLURM-USER-NAME": "alice"})
    assert refused.status_code == 401
    # alice's header token, bob's bearer token: refused too.
    both = client.get(JOBS, headers={**headers("alice"),
                                     "Authorization": f"Bearer {headers('bob')['X-SLURM-USER-TOKEN']}"})
    assert both.status_code == 401
    assert fast_reads(client) == before


def test_root_acting_for_a_user_goes_the_full_way(slurm):
    set_jobs, client = slurm
    set_jobs("first")
    acting = {**headers("root"), "X-SLURM-USER-NAME": "alice"}
    client.get(JOBS, headers=acting)
    before = fast_reads(client)
    assert client.get(JOBS, headers=acting).status_code == 200
    assert fast_reads(client) == before


def test_not_past_the_staleness_bound(slurm):
    set_jobs, client = slurm
    set_jobs("old")
    client.get(JOBS, headers=headers("alice"))
    set_jobs("new")
    time.sleep(WINDOW + 0.2)
    before = fast_reads(client)
    assert name(client.get(JOBS, headers=headers("alice"))) == "new"
    assert fast_reads(client) == before


def test_not_after_a_write_through_us(slurm):
    set_jobs, client = slurm
    set_jobs("before")
    client.get(JOBS, headers=headers("alice"))
    set_jobs("after")
    assert client.post(f"{API}/job/123", headers=headers("alice"), json={"comment": "x"}).status_code == 200
    before = fast_reads(client)
    assert name(client.get(JOBS, headers=headers("alice"))) == "after"
    assert fast_reads(client) == before


def test_expired_or_forged_tokens_are_refused_though_an_answer_is_fresh(slurm):
    set_jobs, client = slurm
    set_jobs("x")
    client.get(JOBS, headers=headers("alice"))
    now = int(time.time())
    expired = jwt.encode({"iat": now - 100, "exp": now - 10, "sun": "alice"}, KEY, algorithm="HS256")
    forged = jwt.encode({"iat": now, "exp": now + 60, "sun": "alice"}, b"another key", algorithm="HS256")
    before = fast_reads(client)
    for token in (expired, forged):
        response = client.get(JOBS, headers={"X-SLURM-USER-NAME": "alice", "X-SLURM-USER-TOKEN": token})
        assert response.status_code == 401
    assert fast_reads(client) == before


def test_etag_and_gzip_on_the_fast_path(slurm):
    set_jobs, client = slurm
    set_jobs("x")
    made = client.get(JOBS, headers=headers("alice"))
    before = fast_reads(client)
    not_modified = client.get(JOBS, headers={**headers("alice"), "If-None-Match": made.headers["etag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    zipped = client.get(JOBS, headers={**headers("alice"), "Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and name(zipped) == "x"
    assert fast_reads(client) == before + 2


@pytest.mark.parametrize("extra", [{"Accept": "application/yaml"}, {"Content-Length": "2"}])
def test_yaml_and_bodies_go_the_full_way(slurm, extra):
    set_jobs, client = slurm
    set_jobs("x")
    client.get(JOBS, headers=headers("alice"))
    before = fast_reads(client)
    content = b"{}" if "Content-Length" in extra else None
    client.request("GET", JOBS, headers={**headers("alice"), **extra}, content=content)
    assert fast_reads(client) == before
