"""A Slurm that prints API v0.0.44 itself (25.11's `sacctmgr
--json=v0.0.44 show ...`): accounts, users and associations are passed
through. The recorded slurmrestd 25.11 responses play what sacctmgr prints,
through the real runner, command objects and handlers, and come out
unchanged but for `meta`."""

import json

from tests.fakes.current_slurm import headers, recorded
from tests.schemas import reference_as_meant, validate_response

API = "/slurmdb/v0.0.44"


def printed_argv(folder):
    return (folder / "sacctmgr.argv").read_text().split("\n")


def test_accounts_pass_through(fake_slurm):
    folder, client = fake_slurm
    original = recorded("slurm-accounts.json")
    (folder / "sacctmgr.json").write_text(json.dumps(original))
    response = client.get(f"{API}/accounts/", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["accounts"] == original["accounts"]
    assert printed_argv(folder) == ["--json=v0.0.44", "show", "accounts"]
    assert body["meta"]["slurm"]["release"] == "25.11.0"
    assert body["meta"]["plugin"]["type"] == "openapi/slurmdbd"
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/accounts/", body)


def test_accounts_query_becomes_sacctmgrs(fake_slurm):
    folder, client = fake_slurm
    (folder / "sacctmgr.json").write_text(json.dumps(recorded("slurm-accounts.json")))
    response = client.get(f"{API}/accounts/?description=physic&DELETED=true&WithAssociations&"
                          "WithCoordinators=1", headers=headers())
    assert response.status_code == 200, response.text
    assert printed_argv(folder) == ["--json=v0.0.44", "show", "accounts", "descriptions=physic",
                                    "withdeleted", "withcoordinators", "withassoc"]


def test_one_account(fake_slurm):
    folder, client = fake_slurm
    original = recorded("slurm-accounts.json")
    physic = [a for a in original["accounts"] if a["name"] == "physic"]
    (folder / "sacctmgr.json").write_text(json.dumps({**original, "accounts": physic}))
    response = client.get(f"{API}/account/physic?with_assocs=true", headers=headers())
    assert response.status_code == 200, response.text
    assert response.json()["accounts"] == physic
    assert printed_argv(folder) == ["--json=v0.0.44", "show", "accounts", "names=physic", "withassoc"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/account/{{account_name}}",
                      response.json())


def test_associations_pass_through(fake_slurm):
    folder, client = fake_slurm
    original = recorded("slurmdb-associations.json")
    (folder / "sacctmgr.json").write_text(json.dumps(original))
    response = client.get(f"{API}/associations/?account=physic,optic&user=sevans&"
                          "Include%20deleted%20associations=true", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["associations"] == original["associations"]
    assert printed_argv(folder) == ["--json=v0.0.44", "show", "associations", "accounts=physic,optic",
                                    "users=sevans", "withdeleted"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/associations/", body)


def test_one_association_and_ambiguity(fake_slurm):
    folder, client = fake_slurm
    original = recorded("slurmdb-associations.json")
    one = [a for a in original["associations"] if a["user"] == "sevans"]
    (folder / "sacctmgr.json").write_text(json.dumps({**original, "associations": one}))
    response = client.get(f"{API}/association/?user=sevans", headers=headers())
    assert response.status_code == 200, response.text
    assert response.json()["associations"] == one
    (folder / "sacctmgr.json").write_text(json.dumps(original))
    response = client.get(f"{API}/association/?account=physic", headers=headers())
    assert response.status_code == 500
    body = response.json()
    assert body["associations"] == [] and body["errors"][0]["error_number"] == 9211
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/association/", body, status=500)


def test_users_pass_through(fake_slurm):
    """No slurmrestd 25.11 recording of users exists: this one is built from
    the users the recorded associations name, in v0.0.44's `user` shape."""
    folder, client = fake_slurm
    associations = recorded("slurmdb-associations.json")["associations"]
    users = sorted({a["user"] for a in associations if a["user"]})
    printed = {"users": [{"administrator_level": ["None"], "associations": [], "coordinators": [],
                          "default": {"account": next(a["account"] for a in associations
                                                      if a["user"] == u and a["is_default"]),
                                      "wckey": ""},
                          "flags": [], "name": u, "wckeys": []} for u in users],
               "meta": {}, "errors": [], "warnings": []}
    (folder / "sacctmgr.json").write_text(json.dumps(printed))
    response = client.get(f"{API}/users/?with_coords=true&admin_level=Operator", headers=headers())
    assert response.status_code == 200, response.text
    assert response.json()["users"] == printed["users"]
    assert printed_argv(folder) == ["--json=v0.0.44", "show", "users", "adminlevel=Operator",
                                    "withcoordinators"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/users/", response.json())
    response = client.get(f"{API}/user/sevans?with_deleted=yes", headers=headers())
    assert printed_argv(folder) == ["--json=v0.0.44", "show", "users", "names=sevans", "withdeleted"]


def test_nothing_found_is_a_warning(fake_slurm):
    folder, client = fake_slurm
    (folder / "sacctmgr.json").write_text(json.dumps({"accounts": [], "errors": [], "warnings": []}))
    response = client.get(f"{API}/account/nosuch", headers=headers())
    assert response.status_code == 200
    body = response.json()
    assert body["accounts"] == [] and body["warnings"][0]["description"] == "slurmdb_accounts_get() found nothing"
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/account/{{account_name}}", body)


def test_failure_of_sacctmgr(fake_slurm):
    folder, client = fake_slurm  # no sacctmgr.json: the fake fails
    response = client.get(f"{API}/associations/", headers=headers())
    assert response.status_code == 500
    body = response.json()
    assert body["associations"] == [] and "Unable to query associations" in body["errors"][0]["description"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/associations/", body, status=500)


def test_bad_query_values(fake_slurm):
    folder, client = fake_slurm
    (folder / "sacctmgr.json").write_text(json.dumps(recorded("slurmdb-associations.json")))
    response = client.get(f"{API}/associations/?id=3,x", headers=headers())
    assert response.status_code == 400 and "id" in response.json()["errors"][0]["description"]
    response = client.get(f"{API}/accounts/?WithAssociations=maybe", headers=headers())
    assert response.status_code == 400
    assert "WithAssociations" in response.json()["errors"][0]["description"]
