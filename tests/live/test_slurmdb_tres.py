"""/slurmdb/v0.0.44/tres/ against the live cluster: the TRES slurmdbd knows,
and the refusal to add any (every response validated against SchedMD's
description)."""

from conftest import ADMIN, ALICE
from tests.live.checked_api import checked_api_fixture
from tests.schemas import reference_as_meant, validate_response

API = "/slurmdb/v0.0.44"
api = checked_api_fixture()  # every answer is validated against SchedMD's description


def test_tres_are_what_sacctmgr_lists(api, auth, cluster):
    response = api.get(f"{API}/tres/", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/tres/", body)
    listed = cluster.run("sacctmgr", "-n", "-P", "show", "tres", "withdeleted",
                         "format=ID,Type,Name").stdout.split()
    assert [f"{t['id']}|{t['type']}|{t['name']}" for t in body["TRES"]] == listed
    assert {"type": "cpu", "name": "", "id": 1, "count": 0} in body["TRES"]
    assert body["meta"]["plugin"]["type"] == "openapi/slurmdbd"


def test_adding_tres_is_refused_and_changes_nothing(api, auth, cluster):
    before = cluster.run("sacctmgr", "-n", "-P", "show", "tres", "withdeleted").stdout
    for user in (ADMIN, ALICE):
        response = api.post(f"{API}/tres/", json={"TRES": [{"type": "gres", "name": "t-live", "count": 1}]},
                            headers=auth(user))
        assert response.status_code == 500, response.text
        body = response.json()
        validate_response(reference_as_meant("v0.0.44"), "post", f"{API}/tres/", body, status=500)
        [error] = body["errors"]
        assert error["description"] == "Updating TRES is not currently supported"
        assert error["error_number"] == 2036
    assert cluster.run("sacctmgr", "-n", "-P", "show", "tres", "withdeleted").stdout == before
