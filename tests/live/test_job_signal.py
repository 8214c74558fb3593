"""DELETE /job/{job_id} and DELETE /jobs/ of v0.0.44 against the live
cluster: cancelling and signalling as the caller, with slurmctld's refusals
(another user's job, a job it does not know, a waiting job and a signal)
answered as slurmrestd answers them: before 25.11 a refusal of the one job is
the answer's error (404, 500); slurmrestd 25.11 answers 200 and lists only
refusals in `status`, with no warning (test_oracle_writes.py compares). Every answer is checked against
SchedMD's description (checked_api)."""

import time
import uuid
from pathlib import Path

import pytest

from conftest import ALICE, API, BOB
from tests.live.checked_api import checked_api_fixture

api = checked_api_fixture()

SCRIPT = "#!/bin/sh\nsleep 300\n"


@pytest.fixture
def jobs(api, auth, cluster):
    """submit(name=..., user=..., **fields) -> job ID; all cancelled afterwards."""
    made: list[int] = []

    def submit(*, user=ALICE, script=SCRIPT, **fields):
        job = {"name": fields.pop("name", f"sig-{uuid.uuid4().hex[:8]}"), "environment": ["PATH=/usr/bin:/bin"],
               "time_limit": {"set": True, "number": 5}, "current_working_directory": "/tmp",
               "standard_output": "/dev/null", **fields}
        response = api.post(f"{API}/job/submit", headers=auth(user), json={"script": script, "job": job})
        assert response.status_code == 200, response.text
        made.append(response.json()["job_id"])
        return made[-1]

    yield submit
    if made:
        cluster.cancel(*made)


def state(cluster, job_id) -> str:
    return cluster.run("squeue", "-h", "-t", "all", "-j", str(job_id), "-o", "%T", check=False).stdout.strip()


def wait_for(predicate, seconds=90, what="the condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {seconds}s")


def refused(cluster, response, number: int, status: int) -> dict:
    """The one refusal: the answer's error before 25.11 (with that status),
    or on 25.11 the one `status` entry of a 200 answer."""
    body = response.json()
    if cluster.current:
        assert response.status_code == 200 and body["errors"] == [], response.text
        [entry] = body["status"]
        assert entry["error"]["code"] == number, response.text
        return {"error_number": number, "error": entry["error"]["string"], "description": entry["step_id"]}
    assert response.status_code == status, response.text
    [error] = body["errors"]
    assert error["error_number"] == number, response.text
    return error


def test_cancel_a_job(api, auth, cluster, jobs):
    job_id = jobs(hold=True)
    response = api.delete(f"{API}/job/{job_id}", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    body = response.json()
    if cluster.current:  # successes are not listed
        assert body["status"] == [] and body["errors"] == [] and body["warnings"] == []
        assert state(cluster, job_id) == "CANCELLED"
        return
    [status] = body["status"]
    assert status["job_id"] == {"set": True, "infinite": False, "number": job_id}
    assert status["error"]["code"] == 0 and status["step_id"] == str(job_id)
    assert body["errors"] == []
    assert state(cluster, job_id) == "CANCELLED"


def test_cancelling_a_job_twice_says_it_ended_already(api, auth, cluster, jobs):
    job_id = jobs(hold=True)
    assert api.delete(f"{API}/job/{job_id}", headers=auth(ALICE)).status_code == 200
    again = api.delete(f"{API}/job/{job_id}", headers=auth(ALICE))
    assert again.status_code == 200, again.text
    if cluster.current:
        assert [s["error"]["code"] for s in again.json()["status"]] == [2021]  # ESLURM_ALREADY_DONE
    else:
        assert "already" in again.json()["warnings"][0]["description"]


def test_a_job_that_does_not_exist(api, auth, cluster):
    response = api.delete(f"{API}/job/99999999", headers=auth(ALICE))
    error = refused(cluster, response, 2017, 404)
    assert error["error"] == "Invalid job id specified"
    assert "99999999" in error["description"]


def test_another_user_cannot_cancel_or_signal_the_job(api, auth, cluster, jobs):
    job_id = jobs(hold=True)
    for query in ("", "?signal=SIGUSR1", "?signal=TERM&flags=BATCH_JOB"):
        response = api.delete(f"{API}/job/{job_id}{query}", headers=auth(BOB))
        error = refused(cluster, response, 2002, 500)
        assert error["error"] == "Access/permission denied"
    assert state(cluster, job_id) == "PENDING"


def test_a_signal_to_a_waiting_job_is_refused_at_once(api, auth, cluster, jobs):
    job_id = jobs(hold=True)
    started = time.monotonic()
    response = api.delete(f"{API}/job/{job_id}?signal=USR1", headers=auth(ALICE))
    assert time.monotonic() - started < 10  # scancel alone would retry for a minute and a half
    refused(cluster, response, 2020, 500)  # ESLURM_TRANSITION_STATE_NO_UPDATE
    assert state(cluster, job_id) == "PENDING"


def test_a_signal_reaches_the_batch_shell_of_a_running_job(api, auth, cluster, jobs):
    marker = Path("/tmp") / f"srp-signal-{uuid.uuid4().hex[:10]}"
    script = (f"#!/bin/sh\ntrap 'echo got-usr1 > {marker}; exit 0' USR1\n"
              f"echo started > {marker}.started\nwhile true; do sleep 1; done\n")
    try:
        job_id = jobs(script=script)
        wait_for(lambda: state(cluster, job_id) == "RUNNING" and Path(f"{marker}.started").exists(),
                 what="the job starting")
        response = api.delete(f"{API}/job/{job_id}?signal=SIGUSR1&flags=BATCH_JOB", headers=auth(ALICE))
        assert response.status_code == 200, response.text
        if not cluster.current:  # 25.11 lists no success
            [status] = response.json()["status"]
            assert status["error"]["code"] == 0 and status["job_id"]["number"] == job_id
        assert wait_for(lambda: marker.exists() and marker.read_text(), seconds=30,
                        what="the trap running") == "got-usr1\n"
    finally:
        marker.unlink(missing_ok=True)
        Path(f"{marker}.started").unlink(missing_ok=True)


def test_bad_signal_and_flag(api, auth, jobs):
    job_id = jobs(hold=True)
    response = api.delete(f"{API}/job/{job_id}?signal=NOT_A_SIGNAL", headers=auth(ALICE))
    assert response.status_code == 400
    assert "'signal'" in response.json()["errors"][0]["description"]
    response = api.delete(f"{API}/job/{job_id}?flags=NOT_A_FLAG", headers=auth(ALICE))
    assert response.status_code == 400
    assert "'flags'" in response.json()["errors"][0]["description"]
    response = api.delete(f"{API}/job/{job_id}?flags=CRON_JOBS", headers=auth(ALICE))
    assert response.status_code == 400 and "CRON_JOBS" in response.json()["errors"][0]["description"]


def test_one_task_of_an_array(api, auth, cluster, jobs):
    job_id = jobs(hold=True, array="1-3")
    response = api.delete(f"{API}/job/{job_id}_2", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    if not cluster.current:  # 25.11 lists no success
        assert response.json()["status"][0]["step_id"] == f"{job_id}_2"
    states = dict(line.split() for line in cluster.run(
        "squeue", "-h", "-t", "all", "-j", str(job_id), "-o", "%i %T").stdout.splitlines())
    # a pending task cancelled leaves the array's record (22.05 keeps no record of it)
    assert states.get(f"{job_id}_2", "CANCELLED") == "CANCELLED"
    assert states[f"{job_id}_[1,3]"] == "PENDING"


def test_a_heterogeneous_job_is_cancelled_whole(api, auth, cluster):
    response = api.post(f"{API}/job/submit", headers=auth(ALICE), json={
        "script": SCRIPT, "jobs": [{"name": "sig-het", "hold": True, "environment": ["PATH=/bin"]},
                                   {"name": "sig-het", "tasks": 1}]})
    assert response.status_code == 200, response.text
    leader = response.json()["job_id"]
    try:
        cancelled = api.delete(f"{API}/job/{leader}", headers=auth(ALICE))
        assert cancelled.status_code == 200, cancelled.text
        states = cluster.run("squeue", "-h", "-t", "all", "-j", str(leader), "-o", "%T").stdout.split()
        assert states == ["CANCELLED", "CANCELLED"]
    finally:
        cluster.cancel(leader)


# -- DELETE /jobs/ --------------------------------------------------------------


def test_a_list_of_jobs_with_a_refusal_among_them(api, auth, cluster, jobs):
    mine = [jobs(hold=True), jobs(hold=True)]
    bobs = jobs(hold=True, user=BOB)
    response = api.request("DELETE", f"{API}/jobs/", headers=auth(ALICE),
                           json={"jobs": [str(j) for j in [*mine, bobs]]})
    assert response.status_code == 200, response.text
    status = {s["job_id"]["number"]: s for s in response.json()["status"]}
    assert set(status) == ({bobs} if cluster.current else {*mine, bobs})  # 25.11 lists no success
    assert all(status[j]["error"]["code"] == 0 for j in mine if j in status)
    assert status[bobs]["error"]["code"] == 2002
    assert status[bobs]["error"]["message"] == "Access/permission denied"
    assert [state(cluster, j) for j in mine] == ["CANCELLED", "CANCELLED"]
    assert state(cluster, bobs) == "PENDING"


def test_filters_select_only_what_they_name(api, auth, cluster, jobs):
    name = f"sig-filter-{uuid.uuid4().hex[:8]}"
    chosen = [jobs(hold=True, name=name), jobs(hold=True, name=name)]
    other = jobs(hold=True)
    bobs = jobs(hold=True, name=name, user=BOB)
    response = api.request("DELETE", f"{API}/jobs/", headers=auth(ALICE),
                           json={"job_name": name, "user_name": ALICE, "job_state": ["PENDING"],
                                 "partition": "debug", "account": "research"})
    assert response.status_code == 200, response.text
    assert {s["job_id"]["number"] for s in response.json()["status"]} == (set() if cluster.current else set(chosen))
    assert [state(cluster, j) for j in chosen] == ["CANCELLED", "CANCELLED"]
    assert state(cluster, other) == "PENDING" and state(cluster, bobs) == "PENDING"


def test_filters_that_match_nothing(api, auth, cluster, jobs):
    response = api.request("DELETE", f"{API}/jobs/", headers=auth(ALICE),
                           json={"job_name": f"nothing-{uuid.uuid4().hex}", "user_name": ALICE})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == []
    if cluster.current:  # slurmrestd 25.11 says nothing
        assert body["warnings"] == []
    else:
        assert "Zero jobs" in body["warnings"][0]["description"]


def test_a_request_that_selects_no_job_is_refused(api, auth):
    for body in ({}, {"signal": "KILL"}, {"flags": ["FULL_JOB"]}):
        response = api.request("DELETE", f"{API}/jobs/", headers=auth(ALICE), json=body)
        assert response.status_code == 400, (body, response.text)
        assert "no job selected" in response.json()["errors"][0]["description"]


def test_a_signal_to_the_listed_jobs_only_reaches_running_ones(api, auth, cluster, jobs):
    job_id = jobs(hold=True)
    started = time.monotonic()
    response = api.request("DELETE", f"{API}/jobs/", headers=auth(ALICE),
                           json={"jobs": [str(job_id)], "signal": "USR1"})
    assert time.monotonic() - started < 10
    assert response.status_code == 200, response.text
    # 25.11's slurmrestd lists slurmctld's refusal of the waiting job
    assert [s["error"]["code"] for s in response.json()["status"]] == ([2020] if cluster.current else [])
    assert state(cluster, job_id) == "PENDING"


def test_bad_bodies(api, auth):
    response = api.request("DELETE", f"{API}/jobs/", headers=auth(ALICE),
                           json={"jobs": ["12"], "job_state": ["NOT_A_STATE"]})
    assert response.status_code == 400
    assert "NOT_A_STATE" in response.json()["errors"][0]["description"]
    response = api.request("DELETE", f"{API}/jobs/", headers=auth(ALICE), json={"jobs": ["abc"]})
    assert response.status_code == 400
    assert "abc" in response.json()["errors"][0]["description"]
