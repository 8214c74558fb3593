"""Every API version, v0.0.40 to v0.0.45, on the live cluster: each read
without path parameters answers as v0.0.44's does, a job is submitted, read
and cancelled through each version, and every answer validates against the
version's description, ours and SchedMD's as meant (checked_api)."""

import pytest

from conftest import ADMIN, ALICE
from server.specs import available_versions
from tests.live.checked_api import checked_api_fixture
from tests.schemas import load_spec, ours_path

api = checked_api_fixture()
VERSIONS = available_versions()
SCRIPT = "#!/bin/sh\nsleep 300\n"
ENV = ["PATH=/usr/bin:/bin"]
# Reads that change nothing but need a body or a slow Slurm are left to their own modules.
# /association/ needs a filter naming one association.
SKIPPED = {"/slurm/{v}/reconfigure/", "/slurmdb/{v}/config", "/slurmdb/{v}/association/"}


def plain_reads(version: str) -> list[str]:
    """GET paths of a version with no path parameter."""
    paths = load_spec(ours_path(version))["paths"]
    skipped = {p.format(v=version) for p in SKIPPED}
    return [p for p, item in paths.items() if "get" in item and "{" not in p and p not in skipped]


READS = [(v, p) for v in VERSIONS for p in plain_reads(v)]


@pytest.mark.parametrize("version,path", READS, ids=lambda x: x)
def test_read_answers_as_v0044_does(api, auth, version, path):
    response = api.get(path, headers=auth(ADMIN))
    if response.status_code >= 500 and response.status_code != 501:
        # Only a refusal of Slurm's, answered as slurmrestd answers it (one
        # /instance/ of several is 9211), never an error of ours.
        errors = response.json()["errors"]
        assert errors and all(e["source"] != "slurmrestpy" for e in errors), response.text
    internal = path.replace(f"/{version}/", "/v0.0.44/")
    if internal in load_spec(ours_path("v0.0.44"))["paths"]:
        assert response.status_code == api.get(internal, headers=auth(ADMIN)).status_code
    assert response.json()["meta"]["plugin"]["data_parser"] == f"data_parser/{version}"


@pytest.mark.parametrize("version", VERSIONS)
def test_diag_without_trailing_slash(api, auth, version):
    response = api.get(f"/slurm/{version}/diag", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    assert response.json()["statistics"]["server_thread_count"] >= 1


@pytest.mark.parametrize("version", VERSIONS)
def test_submit_read_cancel(api, auth, version):
    name = f"srp-versions-{version}"
    response = api.post(f"/slurm/{version}/job/submit", headers=auth(ALICE), json={
        "script": SCRIPT, "job": {"name": name, "hold": True, "environment": ENV,
                                  "current_working_directory": "/tmp"}})
    assert response.status_code == 200, response.text
    job_id = response.json()["job_id"]
    try:
        response = api.get(f"/slurm/{version}/job/{job_id}", headers=auth(ALICE))
        assert response.status_code == 200, response.text
        [job] = response.json()["jobs"]
        assert job["job_id"] == job_id and job["name"] == name
    finally:
        response = api.delete(f"/slurm/{version}/job/{job_id}", headers=auth(ALICE))
    assert response.status_code == 200, response.text


# Reads that name one object, of the objects every local cluster has
NAMED_READS = ["/slurm/{v}/node/n1", "/slurm/{v}/partition/debug", "/slurmdb/{v}/account/research",
               "/slurmdb/{v}/cluster/srp", "/slurmdb/{v}/qos/normal", "/slurmdb/{v}/user/srp_alice",
               "/slurmdb/{v}/association/?account=research&user=srp_alice"]


@pytest.mark.parametrize("path", NAMED_READS)
@pytest.mark.parametrize("version", VERSIONS)
def test_named_read(api, auth, version, path):
    """A read naming an object answers it, in every version, as root and as
    an ordinary user; both answers validate against both descriptions."""
    for user in (ADMIN, ALICE):
        response = api.get(path.format(v=version), headers=auth(user))
        assert response.status_code == 200, response.text
        [plural] = [k for k, v in response.json().items() if isinstance(v, list) and k not in ("errors", "warnings")]
        assert len(response.json()[plural]) == 1, (user, response.text[:2000])
