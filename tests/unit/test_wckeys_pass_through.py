"""Wckeys from a Slurm that prints v0.0.44 itself (the fake 25.11 sacctmgr).
No slurmrestd recording of /wckeys/ exists: the document is written here, by
hand, in the v0.0.44 shape."""

import json

import pytest

from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_wckeys import SacctmgrShowWckeysJson
from server.slurm.runner import Result
from tests.schemas import reference_as_meant, validate_response
from tests.fakes.current_slurm import headers

API = "/slurmdb/v0.0.44"
WCKEYS = [{"accounting": [], "cluster": "hpc", "id": 1, "name": "proj-a", "user": "alice", "flags": []},
          {"accounting": [], "cluster": "hpc", "id": 2, "name": "proj-b", "user": "bob", "flags": []},
          {"accounting": [], "cluster": "lab", "id": 1, "name": "proj-c", "user": "bob", "flags": []}]


def serve(folder):
    (folder / "sacctmgr.json").write_text(json.dumps({"wckeys": WCKEYS, "errors": [], "warnings": []}))


def argv(folder):
    return (folder / "sacctmgr.argv").read_text().split("\n")


def test_wckeys_pass_through(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    serve(folder)
    response = client.get(f"{API}/wckeys/", headers=headers())
    assert response.status_code == 200, response.text
    assert argv(folder) == ["--json=v0.0.44", "show", "wckey"]
    assert response.json()["wckeys"] == WCKEYS
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/wckeys/", response.json())
    bob = client.get(f"{API}/wckeys/", params={"user": "bob", "cluster": "lab"}, headers=headers())
    assert argv(folder) == ["--json=v0.0.44", "show", "wckey", "clusters=lab", "users=bob"]
    assert bob.json()["wckeys"] == [WCKEYS[2]]


def test_one_wckey_by_id_or_by_name(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    serve(folder)
    by_id = client.get(f"{API}/wckey/1", headers=headers()).json()
    assert by_id["wckeys"] == [WCKEYS[0], WCKEYS[2]]  # IDs are numbered per cluster
    # slurmrestd looks the value up as a name: so do we when it is no ID.
    by_name = client.get(f"{API}/wckey/proj-b", headers=headers())
    assert argv(folder) == ["--json=v0.0.44", "show", "wckey", "names=proj-b"]
    assert by_name.json()["wckeys"] == [WCKEYS[1]]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/wckey/{{id}}", by_name.json())
    none = client.get(f"{API}/wckey/77", headers=headers()).json()
    assert none["wckeys"] == [] and none["warnings"][0]["description"] == "slurmdb_wckeys_get() found nothing"


def test_a_read_slurmdbd_denies_is_an_error_not_an_empty_list():
    # 25.11's sacctmgr --json, for a user slurmdbd does not let list wckeys:
    # an empty list, exit 0, and the denial on stderr only.
    command = SacctmgrShowWckeysJson("v0.0.44")
    printed = json.dumps({"wckeys": [], "errors": [], "warnings": []})
    denied = "sacctmgr: error: Your user doesn't have privilege to perform this action\n"
    with pytest.raises(SlurmError) as raised:
        command.parse(Result(tuple(command.argv()), 0, printed, denied, 0.01))
    assert raised.value.number == 2002 and "Access/permission denied" in str(raised.value)
    allowed = json.dumps({"wckeys": WCKEYS, "errors": [], "warnings": []})
    assert command.parse(Result(tuple(command.argv()), 0, allowed, "", 0.01)) == WCKEYS
