"""Request bodies of older versions reach Slurm as they meant: v0.0.40 and
v0.0.41 say exclusive/oversubscribe where v0.0.44 says `shared`."""

import pytest

from conftest import ALICE
from tests.live.checked_api import checked_api_fixture

api = checked_api_fixture()
SCRIPT = "#!/bin/sh\nsleep 300\n"


def oversubscribe_of(cluster, job_id: int) -> str:
    return cluster.run("squeue", "-h", "-j", str(job_id), "-o", "%h").stdout.strip()


@pytest.mark.parametrize("version", ["v0.0.40", "v0.0.41"])
@pytest.mark.parametrize("job,expected", [({"exclusive": ["user"]}, "USER"),
                                          ({"oversubscribe": True}, "YES")])
def test_exclusive_and_oversubscribe_of_old_versions(api, auth, cluster, version, job, expected):
    response = api.post(f"/slurm/{version}/job/submit", headers=auth(ALICE), json={
        "script": SCRIPT, "job": {"name": "srp-e-old-body", "hold": True, "environment": ["PATH=/bin"],
                                  "current_working_directory": "/tmp", **job}})
    assert response.status_code == 200, response.text
    job_id = response.json()["job_id"]
    try:
        assert oversubscribe_of(cluster, job_id) == expected
    finally:
        cluster.cancel(job_id)


def test_v0040_cores_per_socket_reaches_sbatch(api, auth, cluster):
    response = api.post("/slurm/v0.0.40/job/submit", headers=auth(ALICE), json={
        "script": SCRIPT, "job": {"hold": True, "environment": ["PATH=/bin"], "name": "srp-e-old-body",
                                  "current_working_directory": "/tmp", "cores_per_socket": 1}})
    assert response.status_code == 200, response.text
    job_id = response.json()["job_id"]
    try:
        assert cluster.run("squeue", "-h", "-j", str(job_id), "-o", "%z").stdout.strip() == "*:1:*"
        assert not any("cores_per_socket" in w["description"] for w in response.json()["warnings"])
    finally:
        cluster.cancel(job_id)


def test_v0041_resv_mpi_ports_is_refused_by_name(api, auth, cluster):
    response = api.post("/slurm/v0.0.41/job/submit", headers=auth(ALICE), json={
        "script": SCRIPT, "job": {"hold": True, "environment": ["PATH=/bin"], "name": "srp-e-old-body",
                                  "current_working_directory": "/tmp", "resv_mpi_ports": 2}})
    assert response.status_code == 400, response.text
    assert "job.resv_mpi_ports" in response.json()["errors"][0]["description"]
