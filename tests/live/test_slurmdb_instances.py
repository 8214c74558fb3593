"""GET /slurmdb/v0.0.44/instances/ and /instance/ against the live clusters:
Slurm 22.05 keeps no node instances, which the answer says; a current Slurm
answers what its sacctmgr shows (compared with its slurmrestd in
tests/live/test_oracle_reads.py)."""

import pytest

from conftest import ALICE
from tests.schemas import reference_as_meant, validate_response

DB = "/slurmdb/v0.0.44"


@pytest.mark.parametrize("path", [f"{DB}/instances/", f"{DB}/instance/"])
def test_no_instances_and_why(api, auth, cluster, path):
    if cluster.current:
        pytest.skip("a current Slurm keeps instances: see test_oracle_reads.py")
    response = api.get(path, headers=auth(ALICE), params={"cluster": "srp", "time_start": "now-1day"})
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", path, body)
    assert body["instances"] == [] and body["errors"] == []
    [warning] = body["warnings"]
    assert "22.05" in warning["description"]


def test_a_bad_time_is_refused(api, auth):
    response = api.get(f"{DB}/instances/", headers=auth(ALICE), params={"time_end": "yesterdayish"})
    assert response.status_code == 400
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", f"{DB}/instances/", body, status=400)
    assert body["errors"][0]["source"] == "time_end"
    response = api.get(f"{DB}/instances/?time_end=02/28/24", headers=auth(ALICE))
    assert response.status_code == 400 and response.json()["errors"][0]["source"] == "time_end"
