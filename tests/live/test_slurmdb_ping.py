"""GET /slurmdb/v0.0.44/ping/ against the live slurmdbd (a timed round trip;
22.05's sacctmgr has no ping)."""

import re

import pytest

from conftest import ADMIN, ALICE
from tests.schemas import reference_as_meant, validate_response

PING = "/slurmdb/v0.0.44/ping/"


@pytest.mark.parametrize("user", [ALICE, ADMIN])
def test_slurmdbd_answers(api, auth, cluster, user):
    response = api.get(PING, headers=auth(user))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", PING, body)
    [ping] = body["pings"]
    host = re.search(r"^AccountingStorageHost\s*=\s*(\S+)", cluster.slurm_conf.read_text(),
                     re.MULTILINE | re.IGNORECASE).group(1)
    assert ping["hostname"] == host
    assert ping["responding"] is True and ping["primary"] is True
    assert 0 < ping["latency"] < 30_000_000
    assert body["errors"] == [] and body["warnings"] == []
    assert body["meta"]["plugin"]["type"] == "openapi/slurmdbd"
