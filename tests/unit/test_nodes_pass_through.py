"""Nodes on a Slurm that prints API v0.0.44 itself (25.11's `scontrol
--json=v0.0.44 show node`): every recorded real response comes through
unchanged but for nulls the schema forbids; and what the write operations
hand to scontrol. The fake 25.11 client (tests/fakes/slurm-25.11) plays
Slurm, through the real runner, command objects and handlers."""

import json

import pytest

from tests.schemas import reference_as_meant, validate_response
from tests.fakes.current_slurm import headers, RECORDED, recorded
API = "/slurm/v0.0.44"

NODE_FILES = sorted(p.name for p in RECORDED.glob("slurm-node-*.json") if recorded(p.name).get("nodes"))


def without_nulls(nodes):
    return [{k: v for k, v in node.items() if v is not None} for node in nodes]


def argv_of(folder, command="scontrol"):
    return (folder / f"{command}.argv").read_text().split("\n")


def test_node_list_passes_through(fake_slurm):
    folder, client = fake_slurm
    original = recorded("slurm-nodes.json")
    (folder / "scontrol.json").write_text(json.dumps(original))
    response = client.get(f"{API}/nodes/", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    # slurmrestd's own default: SHOW_ALL | SHOW_DETAIL | SHOW_MIXED
    assert argv_of(folder) == ["--json=v0.0.44", "--all", "--details", "--", "show", "node"]
    assert body["nodes"] == without_nulls(original["nodes"])
    assert body["last_update"] == original["last_update"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/nodes/", body)


@pytest.mark.parametrize("name", NODE_FILES)
def test_each_recorded_node_passes_through(fake_slurm, name):
    folder, client = fake_slurm
    original = recorded(name)
    (folder / "scontrol.json").write_text(json.dumps(original))
    node_name = original["nodes"][0]["name"]
    response = client.get(f"{API}/node/{node_name}", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert argv_of(folder)[-3:] == ["show", "node", node_name]
    assert body["nodes"] == without_nulls(original["nodes"])
    assert body["last_update"] == original["last_update"]
    assert body["errors"] == original["errors"] == []
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/node/{{node_name}}", body)


def test_flags_become_scontrol_options(fake_slurm):
    folder, client = fake_slurm
    (folder / "scontrol.json").write_text(json.dumps(recorded("slurm-nodes.json")))
    for flag, options in (("FUTURE", ["--future"]), ("ALL", ["--all"]), ("DETAIL", ["--details"]),
                          ("MIXED", []), ("FEDERATION", ["--federation"])):
        response = client.get(f"{API}/nodes/", params={"flags": flag}, headers=headers())
        assert response.status_code == 200, response.text
        assert argv_of(folder) == ["--json=v0.0.44", *options, "--", "show", "node"]


def test_unfound_node_answers_as_slurmrestd(fake_slurm):
    folder, client = fake_slurm
    # 25.11 lists nothing for a name it does not know (recorded: no nodes at all)
    (folder / "scontrol.json").write_text(json.dumps(recorded("slurm-node-unfound.json")))
    expected = recorded("slurm-node-unfound.json")
    response = client.get(f"{API}/node/unexisting-node", headers=headers())
    assert response.status_code == 200  # what slurmrestd sends, see the YAML note
    body = response.json()
    [error], [expected_error] = body["errors"], expected["errors"]
    for key in ("description", "error_number", "error"):
        assert error[key] == expected_error[key]
    # ... plus the two properties the schema requires, empty
    assert body["nodes"] == []
    assert body["last_update"] == {"set": False, "infinite": False, "number": 0}
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/node/{{node_name}}", body)


def test_a_node_listed_under_another_name_is_not_the_one_asked_for(fake_slurm):
    folder, client = fake_slurm
    (folder / "scontrol.json").write_text(json.dumps(recorded("slurm-node-drain.json")))  # cn2
    response = client.get(f"{API}/node/cn", headers=headers())
    assert response.status_code == 200
    assert response.json()["nodes"] == []
    assert response.json()["errors"][0]["description"] == "Failure to query node cn"


def test_update_of_one_node(fake_slurm):
    folder, client = fake_slurm
    (folder / "scontrol.txt").write_text("")
    body = {"state": ["DRAIN"], "reason": "ECC memory error", "comment": "c",
            "resume_after": {"set": True, "infinite": False, "number": 600}}
    response = client.post(f"{API}/node/cn2", json=body, headers=headers())
    assert response.status_code == 200, response.text
    # 25.11's scontrol knows ResumeAfter=
    assert argv_of(folder) == ["--", "update", "nodename=cn2", "Comment=c",
                               'Reason="ECC memory error"', "State=DRAIN", "ResumeAfter=600"]
    validate_response(reference_as_meant("v0.0.44"), "post", f"{API}/node/{{node_name}}",
                      response.json())


def test_update_of_several_nodes_names_them_in_the_body(fake_slurm):
    folder, client = fake_slurm
    (folder / "scontrol.txt").write_text("")
    response = client.post(f"{API}/nodes/", json={"name": ["cn1", "cn[3-4]"], "state": ["RESUME"]},
                           headers=headers())
    assert response.status_code == 200, response.text
    assert argv_of(folder) == ["--", "update", "nodename=cn1,cn[3-4]", "State=RESUME"]


def test_a_field_scontrol_cannot_apply_is_refused_and_nothing_runs(fake_slurm):
    folder, client = fake_slurm
    (folder / "scontrol.txt").write_text("")
    response = client.post(f"{API}/node/cn2", json={"comment": "c", "topology_str": "sw1"},
                           headers=headers())
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "'topology_str'" in error["description"]
    assert error["error_number"] == 9001
    assert not (folder / "scontrol.argv").exists()
    validate_response(reference_as_meant("v0.0.44"), "post", f"{API}/node/{{node_name}}",
                      response.json(), status=400)


def test_failure_of_scontrol_is_an_error_in_the_envelope(fake_slurm):
    folder, client = fake_slurm  # no scontrol.txt: the fake scontrol fails
    response = client.post(f"{API}/nodes/", json={"name": ["cn1"], "comment": "x"}, headers=headers())
    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert "the test gave no scontrol.txt" in error["description"]
    assert error["source"].startswith("scontrol")
    validate_response(reference_as_meant("v0.0.44"), "post", f"{API}/nodes/", response.json(),
                      status=500)


def test_delete_of_one_node(fake_slurm):
    folder, client = fake_slurm
    (folder / "scontrol.txt").write_text("dyn1\n")  # `show hostnames dyn1`, then delete
    response = client.delete(f"{API}/node/dyn1", headers=headers())
    assert response.status_code == 200, response.text
    assert argv_of(folder) == ["--", "delete", "nodename=dyn1"]
