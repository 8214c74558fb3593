"""Polls answered before connexion (server/fastreads.py) on a real server
with a 5 s coalescing window: they are taken (slurmrestpy_fast_reads_total
moves), each user gets only their own jobs, a write through the server ends
them at once, and each is counted and logged like any other request."""

import httpx
import pytest

from conftest import ALICE, API, BOB, start_server, stop_server
from tests.live.test_answers import held_jobs, job_ids, sample

FAST = "slurmrestpy_fast_reads_total"


@pytest.fixture(scope="module")
def served(cluster):
    running = start_server(cluster, "--coalesce", "5", log_name="server-fast-reads.log")
    with httpx.Client(base_url=running.url, timeout=60) as client:
        yield client, running
    stop_server(running)


@pytest.fixture
def held(cluster, served, auth):
    client, _ = served
    with held_jobs(client, cluster, auth, "fast") as submit:
        yield submit


def test_polls_take_the_fast_path_and_users_get_their_own(served, auth, held):
    client, running = served
    mine, theirs = held(ALICE), held(BOB)
    before = sample(client, FAST)
    jobs = {"operation": "slurm_v0044_get_jobs", "method": "GET", "status": "200"}
    counted = sample(client, "slurmrestpy_requests_total", **jobs)
    polls = {user: [client.get(f"{API}/jobs/", headers=auth(user)) for _ in range(3)] for user in (ALICE, BOB)}
    assert sample(client, FAST) >= before + 2  # at least one of each user's later polls
    assert sample(client, "slurmrestpy_requests_total", **jobs) == counted + 6
    for user, own, other in ((ALICE, mine, theirs), (BOB, theirs, mine)):
        for response in polls[user]:
            assert own in job_ids(response) and other not in job_ids(response)
            assert {job["user_name"] for job in response.json()["jobs"]} == {user}
            assert response.json()["meta"]["client"]["user"] == user
    # One job, polled: the fast path too, and never the other user's.
    one = [client.get(f"{API}/job/{mine}", headers=auth(ALICE)) for _ in range(2)]
    assert [job_ids(r) for r in one] == [{mine}, {mine}]
    assert mine not in job_ids(client.get(f"{API}/jobs/", headers=auth(BOB)))
    log = running.log.read_text()
    assert f' {ALICE} "GET {API}/jobs/" 200 ' in log and f' {BOB} "GET {API}/jobs/" 200 ' in log
    assert auth(ALICE)["X-SLURM-USER-TOKEN"] not in log


def test_a_write_through_us_ends_the_fast_path(served, auth, held):
    client, _ = served
    job_ids(client.get(f"{API}/jobs/", headers=auth(ALICE)))
    job_ids(client.get(f"{API}/jobs/", headers=auth(ALICE)))  # fresh and shared now
    job = held(ALICE)
    before = sample(client, FAST)
    assert job in job_ids(client.get(f"{API}/jobs/", headers=auth(ALICE)))
    assert sample(client, FAST) == before  # made afresh, not sent from the fast path
    assert job in job_ids(client.get(f"{API}/jobs/", headers=auth(ALICE)))
    assert sample(client, FAST) == before + 1  # and that new answer is shared in turn
