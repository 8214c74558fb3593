"""A Slurm that prints API v0.0.44 itself (`sacctmgr --json=v0.0.44 show
qos`, 25.11) is passed through: SchedMD's recorded QOS answer, played by the
fake 25.11 sacctmgr, comes out unchanged through the real runner, command
objects and handlers."""

import json

from tests.schemas import reference_as_meant, validate_response
from tests.fakes.current_slurm import headers, recorded

API = "/slurmdb/v0.0.44"


def give(folder, document):
    (folder / "sacctmgr.json").write_text(json.dumps(document))


def argv(folder):
    return (folder / "sacctmgr.argv").read_text().split("\n")


def test_qos_list_passes_through(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    original = recorded("slurm-qos.json")
    give(folder, original)
    response = client.get(f"{API}/qos/", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert argv(folder) == ["--json=v0.0.44", "show", "qos"]
    assert body["qos"] == original["qos"]
    assert body["meta"]["plugin"]["type"] == "openapi/slurmdbd"
    assert body["errors"] == [] and body["warnings"] == []
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/qos/", body)


def test_one_qos_and_filters(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    original = recorded("slurm-qos.json")
    give(folder, original)
    study = [q for q in original["qos"] if q["name"] == "study"]
    response = client.get(f"{API}/qos/study", params={"with_deleted": ""}, headers=headers())
    assert response.status_code == 200, response.text
    assert argv(folder) == ["--json=v0.0.44", "show", "qos", "names=study", "withdeleted"]
    assert response.json()["qos"] == study  # filtered here too, whatever Slurm printed
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/qos/{{qos}}", response.json())

    listed = client.get(f"{API}/qos/", params={"id": "2", "Include deleted QOS": "true"},
                        headers=headers()).json()
    assert argv(folder) == ["--json=v0.0.44", "show", "qos", "ids=2", "withdeleted"]
    assert listed["qos"] == study
    by_description = client.get(f"{API}/qos/", params={"description": "Normal QOS default"},
                                headers=headers()).json()
    assert [q["name"] for q in by_description["qos"]] == ["normal"]
    by_mode = client.get(f"{API}/qos/", params={"preempt_mode": "GANG"}, headers=headers()).json()
    assert by_mode["qos"] == []


def test_unknown_qos_is_an_empty_list_with_a_warning(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    give(folder, recorded("slurm-qos.json"))
    response = client.get(f"{API}/qos/nothing-like-it", headers=headers())
    assert response.status_code == 200
    body = response.json()
    assert body["qos"] == [] and body["errors"] == []
    assert body["warnings"] == [{"description": "slurmdb_qos_get() found nothing",
                                 "source": "_op_handler_qos"}]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/qos/{{qos}}", body)


def test_bad_id_filter_is_a_400_naming_it(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    give(folder, recorded("slurm-qos.json"))
    response = client.get(f"{API}/qos/", params={"id": "1,x"}, headers=headers())
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["description"].startswith("id: 'x'")
    assert not (folder / "sacctmgr.argv").exists()  # nothing ran
