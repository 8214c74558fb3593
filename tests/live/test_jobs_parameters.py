"""GET /slurm/v0.0.44/jobs/ and /job/{job_id} parameters against the live
cluster: update_time (see handlers/slurm/jobs.py for what can be known),
flags, and job_resources.select_type from SelectTypeParameters. Every body
validated against SchedMD's description."""

import time

import pytest

from conftest import ADMIN, ALICE, API
from tests.schemas import reference_as_meant, validate_response


def get(api, auth, path, user=ALICE, status=200, **params) -> dict:
    response = api.get(f"{API}{path}", params=params, headers=auth(user))
    assert response.status_code == status, response.text
    body = response.json()
    template = "/job/{job_id}" if path.startswith("/job/") else path
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}{template}", body, status=status)
    return body


@pytest.fixture(scope="module")
def held(cluster):
    job = cluster.submit("--hold", "-o", "/dev/null", "--job-name=params-held", "--wrap=sleep 300")
    yield job
    cluster.cancel(job)


@pytest.fixture(scope="module")
def finished(cluster):
    """A job that ran and ended: it keeps its job_resources until MinJobAge."""
    job = cluster.submit("-o", "/dev/null", "--job-name=params-done", "--wrap=true")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if cluster.run("squeue", "-h", "-j", str(job), "-t", "PD,R,CG", "-o", "%T").stdout.strip() == "":
            break
        time.sleep(1)
    else:
        cluster.cancel(job)
        pytest.fail(f"job {job} did not run within 120s (the shared cluster may be full)")
    yield job


def ids(body) -> set[int]:
    return {job["job_id"] for job in body["jobs"]}


def test_update_time_in_the_future_means_no_change(api, auth, held):
    since = int(time.time()) + 3600
    body = get(api, auth, "/jobs/", update_time=str(since))
    assert body["jobs"] == []
    [warning] = body["warnings"]
    assert warning["description"].startswith(f"No job changes since update_time[{since}]=")


def test_update_time_before_a_submission_lists_everything(api, auth, cluster):
    since = int(time.time()) - 1
    job = cluster.submit("--hold", "-o", "/dev/null", "--wrap=sleep 300")
    try:
        body = get(api, auth, "/jobs/", update_time=str(since))
        assert job in ids(body)
        assert body["warnings"] == []  # the new job's submit time shows the change
    finally:
        cluster.cancel(job)


def test_last_update_is_the_time_of_the_answer(api, auth, held):
    before = int(time.time())
    body = get(api, auth, "/jobs/")
    after = int(time.time())
    assert body["last_update"]["set"] is True
    assert before <= body["last_update"]["number"] <= after


def test_update_time_as_a_date(api, auth, held):
    body = get(api, auth, "/jobs/", update_time="2000-01-01T00:00:00")
    assert held in ids(body) and body["warnings"] == []


@pytest.mark.parametrize("value", ["yesterday", "-1", "1e9"])
def test_bad_update_time(api, auth, value):
    body = get(api, auth, "/jobs/", status=400, update_time=value)
    [error] = body["errors"]
    assert "'update_time'" in error["description"] and body["jobs"] == []


def test_one_job_ignores_update_time_like_slurmrestd(api, auth, held):
    body = get(api, auth, f"/job/{held}", update_time=str(int(time.time()) + 3600))
    assert ids(body) == {held} and body["warnings"] == []
    get(api, auth, f"/job/{held}", status=400, update_time="soon")


@pytest.mark.parametrize("flags", ["ALL", "DETAIL", "LOCAL", "SIBLING", "FEDERATION"])
def test_flags_squeue_can_express(api, auth, held, flags):
    body = get(api, auth, "/jobs/", flags=flags)
    assert held in ids(body) and body["warnings"] == []
    assert get(api, auth, f"/job/{held}", flags=flags)["warnings"] == []


@pytest.mark.parametrize("flags", ["MIXED", "FUTURE"])
def test_node_flags_are_ignored_with_a_warning(api, auth, held, flags):
    body = get(api, auth, "/jobs/", flags=flags)
    assert held in ids(body)
    [warning] = body["warnings"]
    assert flags in warning["description"] and warning["source"] == "flags"


def test_select_type_is_the_clusters(api, auth, cluster, finished):
    configured = cluster.run("scontrol", "show", "config").stdout
    line = next(line for line in configured.splitlines() if line.startswith("SelectTypeParameters"))
    assert line.split("=", 1)[1].strip() == "CR_CORE_MEMORY"
    [job] = get(api, auth, f"/job/{finished}", ADMIN)["jobs"]
    if cluster.current:
        # a current slurmctld reports the job's own selection, which Slurm's
        # slurmrestd passes on: ["CORE"] on 25.11 for CR_CORE_MEMORY
        [told] = cluster.oracle(f"{API}/job/{finished}")["jobs"]
        assert job["job_resources"]["select_type"] == told["job_resources"]["select_type"] == ["CORE"]
    else:
        assert job["job_resources"]["select_type"] == ["CORE", "MEMORY"]
