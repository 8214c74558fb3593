"""GET /slurm/v0.0.44/reconfigure/ against the live cluster: root (a Slurm
administrator) makes slurmctld re-read its unchanged slurm.conf; srp_alice is
refused by slurmctld itself. Bodies validated against SchedMD's description."""

from conftest import ADMIN, ALICE, API
from tests.schemas import reference_as_meant, validate_response


def test_an_administrator_reconfigures(api, auth, cluster):
    response = api.get(f"{API}/reconfigure/", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/reconfigure/", body)
    assert body["errors"] == [] and body["warnings"] == []
    assert set(body) == {"meta", "errors", "warnings"}
    assert "UP" in cluster.run("scontrol", "ping").stdout  # still there


def test_an_unprivileged_user_is_refused_by_slurmctld(api, auth):
    response = api.get(f"{API}/reconfigure/", headers=auth(ALICE))
    # slurmctld answers ESLURM_USER_ID_MISSING; slurmrestd's table maps it to 500.
    assert response.status_code == 500, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/reconfigure/", body, status=500)
    [error] = body["errors"]
    assert error["error_number"] == 2010
    assert error["error"] == "Invalid user id"
    assert error["description"].startswith("slurm_reconfigure() failed")
    assert body["meta"]["client"]["user"] == ALICE
