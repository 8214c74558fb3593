"""GET /slurm/v0.0.44/resources/{job_id} against the live cluster: the layout
of a running job checked against what `scontrol -d show job` and
`scontrol show node` print; held, other users' and unknown jobs. Every body
validated against SchedMD's description."""

import re
import time

import pytest

from conftest import ADMIN, ALICE, API, BOB
from tests.schemas import reference_as_meant, validate_response

PATH = f"{API}/resources/{{job_id}}"


def get_layout(api, auth, job_id, user=ALICE, status=200) -> dict:
    response = api.get(f"{API}/resources/{job_id}", headers=auth(user))
    assert response.status_code == status, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", PATH, body, status=status)
    return body


def wait_running(cluster, job_id, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = cluster.run("squeue", "-h", "-j", str(job_id), "-o", "%T").stdout.strip()
        if state == "RUNNING":
            return
        time.sleep(1)
    pytest.fail(f"job {job_id} did not start within {seconds}s (the shared cluster may be full): {state}")


@pytest.fixture(scope="module")
def running(cluster):
    job = cluster.submit("-n2", "--mem-per-cpu=60", "-o", "/dev/null", "--job-name=layout", "--wrap=sleep 300")
    try:
        wait_running(cluster, job)
        yield job
    finally:
        cluster.cancel(job)


@pytest.fixture(scope="module")
def held(cluster):
    jobs = {"alice": cluster.submit("--hold", "-o", "/dev/null", "--wrap=sleep 300")}
    try:
        jobs["bob"] = cluster.submit("--hold", "-o", "/dev/null", "--wrap=sleep 300", user=BOB)
        yield jobs
    finally:
        cluster.cancel(*jobs.values())


def printed_layout(cluster, job_id) -> dict[str, tuple[str, int]]:
    """node -> (CPU_IDs, Mem) from scontrol -d show job (groups expanded)."""
    text = cluster.run("scontrol", "-d", "-o", "show", "job", str(job_id)).stdout
    layout = {}
    for nodes, cpu_ids, mem in re.findall(r"Nodes=(\S+) CPU_IDs=(\S*) Mem=(\d+)", text):
        for node in cluster.run("scontrol", "show", "hostnames", nodes).stdout.split():
            layout[node] = (cpu_ids, int(mem))
    return layout


def test_layout_of_a_running_job(api, auth, cluster, running):
    body = get_layout(api, auth, running)
    assert body["errors"] == [] and body["warnings"] == []
    nodes = body["nodes"]
    assert nodes, body
    printed = printed_layout(cluster, running)
    assert [n["node"] for n in nodes] == list(printed)
    for node in nodes:
        hardware = cluster.run("scontrol", "-o", "show", "node", node["node"]).stdout
        sockets = int(re.search(r"\bSockets=(\d+)", hardware).group(1))
        cores = int(re.search(r"\bCoresPerSocket=(\d+)", hardware).group(1))
        threads = int(re.search(r"\bThreadsPerCore=(\d+)", hardware).group(1))
        assert (node["sockets_per_node"], node["cores_per_socket"]) == (sockets, cores)
        assert threads == 1  # so scontrol's CPU_IDs are the cores
        assert (node["core_bitmap"], node["mem_alloc"]) == printed[node["node"]]
        assert node["gres"] == []
    assert sum(n["mem_alloc"] for n in nodes) == 120


def test_an_administrator_sees_it_too(api, auth, running):
    assert get_layout(api, auth, running, ADMIN)["nodes"] == get_layout(api, auth, running)["nodes"]


def test_a_held_job_is_not_running(api, auth, held):
    # as slurmrestd 25.11 answers it (measured)
    body = get_layout(api, auth, held["alice"], status=500)
    assert body["nodes"] == []
    [error] = body["errors"]
    assert (error["error_number"], error["error"]) == (2085, "Job is not running")


def test_another_users_job_is_not_found(api, auth, held, running):
    body = get_layout(api, auth, held["bob"], status=404)
    assert body["errors"][0]["error_number"] == 2017
    get_layout(api, auth, running, BOB, status=404)


def test_unknown_and_bad_job_ids(api, auth):
    body = get_layout(api, auth, 99999999, status=404)
    assert body["nodes"] == [] and "99999999" in body["errors"][0]["description"]
    bad = api.get(f"{API}/resources/abc", headers=auth(ALICE))
    assert bad.status_code == 400
    validate_response(reference_as_meant("v0.0.44"), "get", PATH, bad.json(), status=400)
