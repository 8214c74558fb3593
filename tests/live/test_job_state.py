"""GET /slurm/v0.0.44/jobs/state/ against the live cluster: compact states
of held, array, heterogeneous and cancelled jobs, PrivateData, unknown and
bad ids. Every body validated against SchedMD's description."""

import time

import pytest

from conftest import ADMIN, ALICE, API, BOB
from tests.schemas import reference_as_meant, validate_response

HETJOB = """#!/bin/bash
#SBATCH -o /dev/null
#SBATCH hetjob
#SBATCH -o /dev/null
sleep 600
"""


def number(struct):
    return struct["number"] if struct.get("set") else None


@pytest.fixture(scope="module")
def jobs(cluster):
    made = {}
    try:
        made["held"] = cluster.submit("--hold", "-o", "/dev/null", "--job-name=state-held", "--wrap=sleep 600")
        made["array"] = cluster.submit("--hold", "-o", "/dev/null", "--array=1-3", "--wrap=sleep 600")
        out = cluster.run("sbatch", "--parsable", "--hold", user=ALICE, stdin=HETJOB).stdout
        made["het"] = int(out.strip().split(";")[0])
        made["cancelled"] = cluster.submit("--hold", "-o", "/dev/null", "--wrap=sleep 600")
        made["bob"] = cluster.submit("--hold", "-o", "/dev/null", "--wrap=sleep 600", user=BOB)
        cluster.cancel(made["cancelled"])
        yield made
    finally:
        cluster.cancel(*made.values())


def get_states(api, auth, user=ALICE, job_id=None, status=200):
    params = {"job_id": job_id} if job_id is not None else {}
    response = api.get(f"{API}/jobs/state/", params=params, headers=auth(user))
    assert response.status_code == status, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/jobs/state/", body, status=status)
    return body


def test_states_of_named_jobs(api, auth, jobs):
    ids = f"{jobs['held']},{jobs['array']}_2,{jobs['het']}+1,{jobs['cancelled']}"
    body = get_states(api, auth, job_id=ids)
    assert body["errors"] == [] and body["warnings"] == []
    records = body["jobs"]
    by_id = {(r["job_id"], number(r["array_task_id"]), number(r["het_job_offset"])): r for r in records}
    assert by_id[(jobs["held"], None, 0)]["job_state"] == ["PENDING"]
    assert by_id[(jobs["array"], 2, 0)]["array_job_id"]["number"] == jobs["array"]
    het = [r for r in records if number(r["het_job_id"]) == jobs["het"]]
    assert [number(r["het_job_offset"]) for r in het] == [1]  # only the component asked for
    assert by_id[(jobs["cancelled"], None, 0)]["job_state"] == ["CANCELLED"]
    assert len(records) == 4
    assert all(set(r) <= {"job_id", "array_job_id", "array_task_id", "array_task_string", "het_job_id",
                          "het_job_offset", "job_state"} for r in records)


def test_state_matches_squeue(api, auth, cluster, jobs):
    body = get_states(api, auth, job_id=str(jobs["array"]))
    [record] = body["jobs"]
    assert record["array_task_string"] == "1-3"
    printed = cluster.run("squeue", "-h", "-j", str(jobs["array"]), "-o", "%T").stdout.split()
    assert record["job_state"] == printed == ["PENDING"]


def test_every_job_the_caller_may_see(api, auth, jobs):
    # PrivateData=jobs: srp_alice's list has her jobs, not srp_bob's.
    mine = {r["job_id"] for r in get_states(api, auth)["jobs"]}
    assert {jobs["held"], jobs["array"], jobs["het"], jobs["cancelled"]} <= mine
    assert jobs["bob"] not in mine
    everything = {r["job_id"] for r in get_states(api, auth, ADMIN)["jobs"]}
    assert {jobs["held"], jobs["bob"]} <= everything


def test_another_users_job_is_not_listed(api, auth, jobs):
    assert get_states(api, auth, job_id=str(jobs["bob"]))["jobs"] == []
    assert [r["job_id"] for r in get_states(api, auth, job_id=f"{jobs['bob']},{jobs['held']}")["jobs"]] == \
        [jobs["held"]]


def test_unknown_jobs_are_not_an_error(api, auth):
    body = get_states(api, auth, job_id="99999999")
    assert body["jobs"] == [] and body["errors"] == []
    assert get_states(api, auth, job_id="99999998,99999999")["jobs"] == []


def test_plus_sign_left_unencoded_in_the_query(api, auth, jobs):
    # "123+1" typed into a URL arrives as "123 1".
    response = api.get(f"{API}/jobs/state/?job_id={jobs['het']}+1", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    assert [number(r["het_job_offset"]) for r in response.json()["jobs"]] == [1]


@pytest.mark.parametrize("job_id", ["abc", "1,x", "12.batch", "-1"])
def test_bad_ids(api, auth, job_id):
    body = get_states(api, auth, job_id=job_id, status=400)
    [error] = body["errors"]
    assert "'job_id'" in error["description"] and error["error_number"] == 9001
    assert body["jobs"] == []


def test_a_state_that_changes(api, auth, cluster, jobs):
    job = cluster.submit("--hold", "-o", "/dev/null", "--wrap=sleep 600")
    try:
        assert get_states(api, auth, job_id=str(job))["jobs"][0]["job_state"] == ["PENDING"]
        cluster.cancel(job)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            state = get_states(api, auth, job_id=str(job))["jobs"][0]["job_state"]
            if state == ["CANCELLED"]:
                break
            time.sleep(0.5)
        assert state == ["CANCELLED"]
    finally:
        cluster.cancel(job)
