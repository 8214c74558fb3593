"""Where each version's answers come from: on a Slurm that prints some API
versions itself, a version it does not print is converted from the nearest
one it does (v0.0.40 from v0.0.41 on Slurm 25.11), so fields the two share
and later versions dropped are Slurm's own."""

import json

import pytest

from conftest import ALICE
from tests.live.checked_api import checked_api_fixture

api = checked_api_fixture()


@pytest.fixture
def current(cluster):
    """Before `api`, whose check wants a request of every test that runs."""
    if not cluster.current:
        pytest.skip("Slurm 22.05 prints none of v0.0.40-45: every version is converted")
    return cluster


def test_v0040_jobs_carry_what_v0041_prints(current, api, auth, cluster):
    job_id = cluster.submit("--hold", "--exclusive", "--wrap", "sleep 300")
    try:
        printed = json.loads(cluster.run("squeue", "--json=v0.0.41", "-j", str(job_id), user=ALICE).stdout)
        [source] = printed["jobs"]
        response = api.get(f"/slurm/v0.0.40/job/{job_id}", headers=auth(ALICE))
        assert response.status_code == 200, response.text
        [job] = response.json()["jobs"]
        # in v0.0.40 and v0.0.41, gone from v0.0.44: only v0.0.41 can supply them
        for field in ("exclusive", "oversubscribe", "show_flags", "minimum_switches"):
            assert job[field] == source[field], field
        assert "exclusive" not in " ".join(w["description"] for w in response.json()["warnings"])
    finally:
        cluster.cancel(job_id)
