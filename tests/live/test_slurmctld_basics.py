"""GET /ping/, /diag/, /jobs/ and /job/{job_id} of v0.0.44 against the live
cluster; every response validated against SchedMD's reference description."""

import pytest

from conftest import ADMIN, ALICE, API, BOB
from tests.schemas import reference_as_meant, validate_response



def reference():
    return reference_as_meant("v0.0.44")


@pytest.fixture(scope="module")
def jobs(cluster):
    """A held job of alice's and one of bob's: they stay pending, so they are
    there for every test of this module."""
    alice_job = cluster.submit("--hold", "--job-name=alice-held", "--wrap=sleep 600", user=ALICE)
    bob_job = cluster.submit("--hold", "--job-name=bob-held", "--wrap=sleep 600", user=BOB)
    yield {"alice": alice_job, "bob": bob_job}
    cluster.cancel(alice_job, bob_job)


def job_ids(body):
    return {job["job_id"] for job in body["jobs"]}


def test_ping(api, auth, cluster):
    response = api.get(f"{API}/ping/", headers=auth())
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference(), "get", f"{API}/ping/", body)
    [ping] = body["pings"]
    assert ping["pinged"] == "UP" and ping["responding"] is True and ping["primary"] is True
    hostname = cluster.run("scontrol", "ping").stdout.split(" at ")[1].split()[0]
    assert ping["hostname"] == hostname
    assert body["meta"]["plugin"]["type"] == "openapi/slurmctld"
    assert body["meta"]["plugin"]["data_parser"] == "data_parser/v0.0.44"
    assert body["meta"]["slurm"]["cluster"] == "srp"
    assert body["errors"] == [] and body["warnings"] == []


def test_diag(api, auth, jobs):
    response = api.get(f"{API}/diag/", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference(), "get", f"{API}/diag/", body)
    statistics = body["statistics"]
    assert statistics["jobs_submitted"] >= 2  # the module's own two jobs at least
    assert statistics["server_thread_count"] >= 1


def test_jobs_lists_what_slurm_lists(api, auth, cluster, jobs):
    response = api.get(f"{API}/jobs/", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference(), "get", f"{API}/jobs/", body)
    squeue = {int(line) for line in cluster.run("squeue", "-h", "-t", "all", "-o", "%A").stdout.split()}
    assert job_ids(body) == squeue
    alice = next(job for job in body["jobs"] if job["job_id"] == jobs["alice"])
    assert alice["user_name"] == ALICE
    assert alice["name"] == "alice-held"
    assert "PENDING" in alice["job_state"]


def test_an_unprivileged_user_sees_only_their_own_jobs(api, auth, jobs):
    # The cluster has PrivateData=jobs: slurmctld decides, from the caller's token.
    alice = api.get(f"{API}/jobs/", headers=auth(ALICE)).json()
    bob = api.get(f"{API}/jobs/", headers=auth(BOB)).json()
    admin = api.get(f"{API}/jobs/", headers=auth(ADMIN)).json()
    assert jobs["alice"] in job_ids(alice) and jobs["bob"] not in job_ids(alice)
    assert jobs["bob"] in job_ids(bob) and jobs["alice"] not in job_ids(bob)
    assert {jobs["alice"], jobs["bob"]} <= job_ids(admin)
    assert {job["user_name"] for job in alice["jobs"]} == {ALICE}


def test_job_by_id(api, auth, jobs):
    response = api.get(f"{API}/job/{jobs['alice']}", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference(), "get", f"{API}/job/{{job_id}}", body)
    [job] = body["jobs"]
    assert job["job_id"] == jobs["alice"] and job["user_name"] == ALICE


def test_another_users_job_is_not_found_for_an_unprivileged_user(api, auth, jobs):
    response = api.get(f"{API}/job/{jobs['bob']}", headers=auth(ALICE))
    assert response.status_code == 404, response.text


def test_job_that_does_not_exist(api, auth):
    response = api.get(f"{API}/job/99999999", headers=auth(ADMIN))
    assert response.status_code == 404, response.text
    body = response.json()
    validate_response(reference(), "get", f"{API}/job/{{job_id}}", body, status=404)
    assert body["jobs"] == []
    [error] = body["errors"]
    assert error["error_number"] == 2017
    assert error["error"] == "Invalid job id specified"
    assert "99999999" in error["description"]


def test_job_id_that_is_not_a_job_id(api, auth):
    response = api.get(f"{API}/job/abc", headers=auth(ADMIN))
    assert response.status_code == 400, response.text
    assert "abc" in response.json()["errors"][0]["description"]


def test_array_task_and_het_component_ids(api, auth, cluster):
    array_job = cluster.submit("--hold", "--array=1-3", "--wrap=sleep 600", user=ALICE)
    try:
        whole = api.get(f"{API}/job/{array_job}", headers=auth(ALICE)).json()
        one = api.get(f"{API}/job/{array_job}_2", headers=auth(ALICE))
        assert one.status_code == 200, one.text
        # Pending tasks not split off yet are one record, as in slurmctld.
        [record] = one.json()["jobs"]
        assert record["array_job_id"]["number"] == array_job
        assert record["array_task_string"] == "1-3"
        assert [job["job_id"] for job in whole["jobs"]] == [array_job]
        assert api.get(f"{API}/job/{array_job}_7", headers=auth(ALICE)).status_code == 404
    finally:
        cluster.cancel(array_job)


def test_unknown_path(api, auth):
    response = api.get("/slurm/v0.0.44/no-such-thing/", headers=auth())
    assert response.status_code == 404
    assert "/openapi/v3" in response.json()["errors"][0]["description"]


def test_descriptions_are_served(api):
    for path in ("/openapi.json", "/openapi/v3"):
        document = api.get(path).json()
        assert f"{API}/jobs/" in document["paths"]
    assert "/slurm/v0.0.44/ping/" in api.get("/openapi.yaml").text
    assert api.get("/ui/").status_code == 200


def test_bad_query_parameter_value(api, auth):
    response = api.get(f"{API}/jobs/", params={"flags": "NOT_A_FLAG"}, headers=auth())
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "'flags'" in error["description"] and "NOT_A_FLAG" in error["description"]
    assert "\n" not in error["description"]
