"""Shared answers, ETag/304, gzip and /metrics on a real server with a long
coalescing window (5 s): users never see each other's answer, and a write
made through the server is seen by the very next read."""

import contextlib
import uuid

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import ALICE, API, BOB, start_server, stop_server

SCRIPT = "#!/bin/sh\ntrue\n"
ENV = ["PATH=/usr/bin:/bin"]


@pytest.fixture(scope="module")
def polled(cluster):
    running = start_server(cluster, "--coalesce", "5", log_name="server-answers.log")
    with httpx.Client(base_url=running.url, timeout=60) as client:
        yield client
    stop_server(running)


@contextlib.contextmanager
def held_jobs(client: httpx.Client, cluster, auth, prefix: str):
    """A function that submits a held job of a user through the server;
    every job it made is cancelled at the end."""
    jobs = []

    def submit(user: str) -> int:
        response = client.post(f"{API}/job/submit", headers=auth(user), json={
            "script": SCRIPT, "job": {"name": f"{prefix}-{uuid.uuid4().hex[:8]}", "hold": True,
                                      "environment": ENV}})
        assert response.status_code == 200, response.text
        jobs.append(response.json()["job_id"])
        return jobs[-1]

    try:
        yield submit
    finally:
        if jobs:
            cluster.cancel(*jobs)


@pytest.fixture
def held(cluster, polled, auth):
    with held_jobs(polled, cluster, auth, "answers") as submit:
        yield submit


def job_ids(response) -> set[int]:
    assert response.status_code == 200, response.text
    return {job["job_id"] for job in response.json()["jobs"]}


def test_a_submit_through_us_is_seen_by_the_next_read(polled, auth, held):
    job_ids(polled.get(f"{API}/jobs/", headers=auth(ALICE)))  # an answer now shared for 5 s
    job = held(ALICE)
    assert job in job_ids(polled.get(f"{API}/jobs/", headers=auth(ALICE)))
    assert polled.delete(f"{API}/job/{job}", headers=auth(ALICE)).status_code == 200
    after = polled.get(f"{API}/jobs/", headers=auth(ALICE)).json()["jobs"]
    assert [j["job_state"] for j in after if j["job_id"] == job] in ([], [["CANCELLED"]])


def test_users_never_share_answers_nor_validators(polled, auth, held):
    mine = held(ALICE)
    theirs = held(BOB)
    alice = polled.get(f"{API}/jobs/", headers=auth(ALICE))
    bob = polled.get(f"{API}/jobs/", headers={**auth(BOB), "If-None-Match": alice.headers["etag"]})
    assert bob.status_code == 200  # alice's ETag is not bob's
    assert mine in job_ids(alice) and theirs not in job_ids(alice)
    assert theirs in job_ids(bob) and mine not in job_ids(bob)
    for response, user in ((alice, ALICE), (bob, BOB)):
        assert {job["user_name"] for job in response.json()["jobs"]} == {user}
        assert response.json()["meta"]["client"]["user"] == user
    zipped = polled.get(f"{API}/jobs/", headers={**auth(BOB), "Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and job_ids(zipped) == job_ids(bob)


def test_a_matching_etag_is_answered_304(polled, auth):
    first = polled.get(f"{API}/nodes/", headers=auth(ALICE))
    assert first.status_code == 200
    again = polled.get(f"{API}/nodes/", headers={**auth(ALICE), "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def sample(client, name: str, **labels) -> float:
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return found.value
    return 0.0


def test_metrics_move_as_clients_poll(polled, auth):
    partitions = {"operation": "slurm_v0044_get_partitions", "method": "GET", "status": "200"}
    requests = sample(polled, "slurmrestpy_requests_total", **partitions)
    commands = sample(polled, "slurmrestpy_slurm_commands_total", command="scontrol")
    shared = sample(polled, "slurmrestpy_shared_answers_total")
    for _ in range(4):
        assert polled.get(f"{API}/partitions/", headers=auth(BOB)).status_code == 200
    assert sample(polled, "slurmrestpy_requests_total", **partitions) == requests + 4
    assert sample(polled, "slurmrestpy_slurm_commands_total", command="scontrol") >= commands + 1
    assert sample(polled, "slurmrestpy_shared_answers_total") >= shared + 2  # at most 2 windows


def test_metrics_kept_to_one_listener(cluster):
    from conftest import _free_port

    port = _free_port()
    running = start_server(cluster, "--metrics", f"127.0.0.1:{port}", f"127.0.0.1:{port}",
                           log_name="server-metrics-listener.log")
    try:
        assert httpx.get(f"{running.url}/metrics", timeout=30).status_code == 404
        scraped = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=30)
        assert scraped.status_code == 200 and "slurmrestpy_requests_total" in scraped.text
    finally:
        stop_server(running)
