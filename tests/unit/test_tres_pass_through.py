"""TRES from a Slurm that prints v0.0.44 itself (the fake 25.11 sacctmgr).
No slurmrestd recording of /tres/ exists: the document is written here, by
hand, in the v0.0.44 shape."""

import json

from tests.schemas import reference_as_meant, validate_response
from tests.fakes.current_slurm import headers

API = "/slurmdb/v0.0.44"
PRINTED = {"TRES": [{"type": "cpu", "name": "", "id": 1, "count": 0},
                    {"type": "gres", "name": "gpu", "id": 1001, "count": 0}],
           "meta": {}, "errors": [], "warnings": []}


def test_tres_pass_through(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    (folder / "sacctmgr.json").write_text(json.dumps(PRINTED))
    response = client.get(f"{API}/tres/", headers=headers())
    assert response.status_code == 200, response.text
    assert (folder / "sacctmgr.argv").read_text().split("\n") == ["--json=v0.0.44", "show", "tres",
                                                                  "withdeleted"]
    assert response.json()["TRES"] == PRINTED["TRES"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/tres/", response.json())


def test_adding_tres_is_refused_as_slurmrestd_refuses_it(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    response = client.post(f"{API}/tres/", json={"TRES": [{"type": "gres", "name": "t-x"}]},
                           headers=headers())
    assert response.status_code == 500
    body = response.json()
    [error] = body["errors"]
    assert error["description"] == "Updating TRES is not currently supported"
    assert error["error_number"] == 2036
    assert not (folder / "sacctmgr.argv").exists()
    validate_response(reference_as_meant("v0.0.44"), "post", f"{API}/tres/", body, status=500)
