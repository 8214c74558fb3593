"""POST /job/{job_id} of v0.0.44 against the live cluster: changes reach the
job exactly, slurmctld decides who may change what, and a field scontrol
cannot change is refused by name with the job left as it was. Every answer
is checked against SchedMD's description (checked_api)."""

import uuid

import pytest

from conftest import ALICE, API, BOB
from tests.live.checked_api import checked_api_fixture

api = checked_api_fixture()

SCRIPT = "#!/bin/sh\nsleep 300\n"


@pytest.fixture
def held_job(api, auth, cluster):
    """A held job of alice's, submitted through the API; cancelled afterwards."""
    response = api.post(f"{API}/job/submit", headers=auth(ALICE), json={
        "script": SCRIPT,
        "job": {"name": f"upd-{uuid.uuid4().hex[:8]}", "hold": True, "environment": ["PATH=/bin"],
                "time_limit": {"set": True, "number": 30}},
    })
    assert response.status_code == 200, response.text
    job_id = response.json()["job_id"]
    yield job_id
    cluster.cancel(job_id)


def record(api, auth, job_id, user=ALICE) -> dict:
    response = api.get(f"{API}/job/{job_id}", headers=auth(user))
    assert response.status_code == 200, response.text
    [job] = response.json()["jobs"]
    return job


def update(api, auth, job_id, body, user=ALICE):
    return api.post(f"{API}/job/{job_id}", headers=auth(user), json=body)


def test_time_limit_and_name_change_and_read_back(api, auth, held_job):
    name = "renamed $(id) 'q' \"d\" ;|& ünï\nline two"
    response = update(api, auth, held_job, {"time_limit": {"set": True, "number": 7}, "name": name})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["results"] == [{"job_id": held_job, "step_id": str(held_job), "error": "No error",
                                "error_code": 0, "why": ""}]
    assert body["errors"] == []
    job = record(api, auth, held_job)
    assert job["time_limit"]["number"] == 7
    assert job["name"] == name


def test_several_fields_in_one_update(api, auth, cluster, held_job):
    response = update(api, auth, held_job, {
        "comment": "a, b; $(c) 'd'", "nice": 3, "partition": "debug", "qos": "normal",
        "dependency": "", "constraints": "", "excluded_nodes": ["n2"],
        "begin_time": {"set": True, "number": 2000000000},
    })
    assert response.status_code == 200, response.text
    job = record(api, auth, held_job)
    assert job["comment"] == "a, b; $(c) 'd'"
    assert job["nice"] == 3
    assert job["excluded_nodes"] == "n2"
    assert job["eligible_time"]["number"] == 2000000000


def test_release_and_hold_again(api, auth, cluster, held_job):
    assert record(api, auth, held_job)["priority"]["number"] == 0
    response = update(api, auth, held_job, {"hold": False, "begin_time": {"set": True, "number": 2000000000}})
    assert response.status_code == 200, response.text
    assert record(api, auth, held_job)["priority"]["number"] > 0  # released, waiting for its begin time
    response = update(api, auth, held_job, {"hold": True})
    assert response.status_code == 200, response.text
    job = record(api, auth, held_job)
    assert job["priority"]["number"] == 0
    assert job["state_reason"] == "JobHeldUser"


def test_another_user_cannot_change_the_job(api, auth, held_job):
    response = update(api, auth, held_job, {"time_limit": {"set": True, "number": 3}}, user=BOB)
    assert response.status_code == 500, response.text
    [error] = response.json()["errors"]
    # slurmctld 22.05 refuses an update of someone else's job as "Invalid user id"
    assert error["error_number"] == 2010
    assert error["error"] == "Invalid user id"
    assert record(api, auth, held_job)["time_limit"]["number"] == 30
    released = update(api, auth, held_job, {"hold": False}, user=BOB)
    assert released.status_code == 500
    assert record(api, auth, held_job)["priority"]["number"] == 0


def test_a_job_that_does_not_exist(api, auth):
    response = update(api, auth, 99999999, {"time_limit": {"set": True, "number": 3}})
    assert response.status_code == 404, response.text
    [error] = response.json()["errors"]
    assert error["error_number"] == 2017 and "99999999" in error["description"]
    empty = update(api, auth, 99999999, {})
    assert empty.status_code == 404


def test_a_field_scontrol_cannot_change_is_refused_by_name_and_nothing_changes(api, auth, held_job):
    response = update(api, auth, held_job, {"name": "must-not-stick", "array": "1-4"})
    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert "'array'" in error["description"]
    assert record(api, auth, held_job)["name"] != "must-not-stick"


def test_values_of_the_wrong_type_are_refused_by_validation(api, auth, held_job):
    response = update(api, auth, held_job, {"nice": "lots"})
    assert response.status_code == 400
    assert "'lots' is not of type 'integer'" in response.json()["errors"][0]["description"]


def test_one_task_of_an_array(api, auth, cluster):
    response = api.post(f"{API}/job/submit", headers=auth(ALICE), json={
        "script": SCRIPT, "job": {"name": f"upd-array-{uuid.uuid4().hex[:8]}", "hold": True, "array": "1-3",
                                  "environment": ["PATH=/bin"], "time_limit": {"set": True, "number": 30}}})
    assert response.status_code == 200, response.text
    job_id = response.json()["job_id"]
    try:
        changed = update(api, auth, f"{job_id}_2", {"time_limit": {"set": True, "number": 4}})
        assert changed.status_code == 200, changed.text
        assert changed.json()["results"][0]["step_id"] == f"{job_id}_2"
        limits = {job["array_task_id"]["number"] if job["array_task_id"]["set"] else None:
                  job["time_limit"]["number"] for job in api.get(f"{API}/job/{job_id}",
                                                                 headers=auth(ALICE)).json()["jobs"]}
        assert limits[2] == 4 and 30 in limits.values()
    finally:
        cluster.cancel(job_id)
