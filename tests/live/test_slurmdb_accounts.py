"""/slurmdb/v0.0.44/accounts/, /account/{account_name} and
/accounts_association/ against the live cluster: accounts of our own
(t-acct-<random>) are created, read, changed, given a coordinator and
deleted; every response is validated against SchedMD's description.
research, root, srp_alice and srp_bob are only read."""

import uuid

import pytest

from conftest import ADMIN, ALICE
from tests.live.test_slurmdb_associations import checked


@pytest.fixture
def names(cluster):
    tag = uuid.uuid4().hex[:8]
    made = {"account": f"t-acct-{tag}", "other": f"t-acct-{tag}-b", "user": f"t-user-{tag}"}
    yield made
    cluster.run("sacctmgr", "-i", "delete", "user", "where", f"name={made['user']}", check=False)
    for account in (made["other"], made["account"]):
        cluster.run("sacctmgr", "-i", "delete", "account", "where", f"name={account}", check=False)


def sacctmgr(cluster, *argv):
    return cluster.run("sacctmgr", "-n", "-P", "show", *argv).stdout.strip()


def post(api, auth, accounts, user=ADMIN):
    return checked(api, "POST", "/accounts/", json={"accounts": accounts}, headers=auth(user))


def test_create_read_change_delete(api, auth, cluster, names):
    name = names["account"]
    response = post(api, auth, [{"name": name, "description": "live test", "organization": "slurmrestpy"}])
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == []
    assert sacctmgr(cluster, "accounts", f"names={name}", "format=Account,Description,Organization") == \
        f"{name}|live test|slurmrestpy"
    # As slurmrestd adds it: the account alone, with no association.
    assert sacctmgr(cluster, "associations", f"accounts={name}", "format=ID") == ""

    response = checked(api, "GET", "/account/{account_name}", f"/account/{name}?with_assocs=true&with_coords",
                       headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["accounts"] == [{"associations": [], "coordinators": [], "description": "live test",
                                            "name": name, "organization": "slurmrestpy", "flags": []}]

    response = post(api, auth, [{"name": name, "description": "changed", "organization": "slurmrestpy"}])
    assert response.status_code == 200, response.text
    assert sacctmgr(cluster, "accounts", f"names={name}", "format=Description") == "changed"

    response = checked(api, "GET", "/accounts/", "/accounts/?description=changed", headers=auth(ADMIN))
    assert name in [a["name"] for a in response.json()["accounts"]]

    response = checked(api, "DELETE", "/account/{account_name}", f"/account/{name}", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["removed_accounts"] == [name]
    assert sacctmgr(cluster, "accounts", f"names={name}", "format=Account") == ""
    response = checked(api, "GET", "/account/{account_name}", f"/account/{name}?with_deleted=true",
                       headers=auth(ADMIN))
    # slurmdbd keeps no trace of an account that never had jobs.
    assert response.status_code == 200 and response.json()["accounts"] == []


def test_a_user_made_coordinator(api, auth, cluster, names):
    account, user = names["account"], names["user"]
    response = post(api, auth, [{"name": account, "description": "live test", "organization": "slurmrestpy"}])
    assert response.status_code == 200, response.text
    response = checked(api, "POST", "/associations/", json={"associations": [
        {"account": account, "cluster": "srp", "user": "", "parent_account": "root"}]}, headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    response = checked(api, "POST", "/users/", json={"users": [{"name": user, "default": {"account": account}}]},
                       headers=auth(ADMIN))
    assert response.status_code == 200, response.text

    response = post(api, auth, [{"name": account, "description": "live test", "organization": "slurmrestpy",
                                 "coordinators": [{"name": user}]}])
    assert response.status_code == 200, response.text
    assert sacctmgr(cluster, "accounts", f"names={account}", "withcoordinators",
                    "format=Coordinators") == user
    response = checked(api, "GET", "/account/{account_name}", f"/account/{account}?with_coords=1",
                       headers=auth(ADMIN))
    assert response.json()["accounts"][0]["coordinators"] == [{"name": user, "direct": True}]
    response = checked(api, "GET", "/user/{name}", f"/user/{user}?with_coords=true", headers=auth(ADMIN))
    assert response.json()["users"][0]["coordinators"] == [{"name": account, "direct": True}]

    # The coordinators listed are the account's: none listed, none left.
    response = post(api, auth, [{"name": account, "description": "live test", "organization": "slurmrestpy"}])
    assert response.status_code == 200, response.text
    assert sacctmgr(cluster, "accounts", f"names={account}", "withcoordinators", "format=Coordinators") == ""


def test_accounts_with_associations(api, auth, cluster, names):
    body = {"association_condition": {"accounts": [names["account"], names["other"]], "clusters": ["srp"],
                                      "association": {"parent": "root", "maxjobs": {"set": True, "number": 4},
                                                      "grptres": [{"type": "cpu", "count": 6}]}},
            "account": {"description": "two at once", "organization": "slurmrestpy"}}
    response = checked(api, "POST", "/accounts_association/", json=body, headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert names["other"] in response.json()["added_accounts"]
    for account in (names["account"], names["other"]):
        assert sacctmgr(cluster, "associations", f"accounts={account}",
                        "format=Cluster,ParentName,MaxJobs,GrpTRES") == "srp|root|4|cpu=6"
        assert sacctmgr(cluster, "accounts", f"names={account}", "format=Description") == "two at once"


def test_an_unprivileged_user_reads_but_cannot_add_change_or_delete(api, auth, cluster, names):
    name = names["account"]
    response = checked(api, "GET", "/accounts/", "/accounts/", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    assert "research" in [a["name"] for a in response.json()["accounts"]]

    response = post(api, auth, [{"name": name, "description": "x", "organization": "y"}], user=ALICE)
    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert (error["error_number"], error["error"]) == (2002, "Access/permission denied")
    assert sacctmgr(cluster, "accounts", f"names={name}", "format=Account") == ""

    cluster.run("sacctmgr", "-i", "add", "account", f"name={name}", "cluster=srp", "description=mine")
    response = post(api, auth, [{"name": name, "description": "by alice", "organization": "y"}], user=ALICE)
    assert response.status_code == 500 and response.json()["errors"][0]["error_number"] == 2002
    response = checked(api, "DELETE", "/account/{account_name}", f"/account/{name}", headers=auth(ALICE))
    assert response.status_code == 500 and response.json()["errors"][0]["error_number"] == 2002
    assert sacctmgr(cluster, "accounts", f"names={name}", "format=Description") == "mine"


def test_unknown_names_and_bad_input(api, auth, cluster, names):
    name = names["account"]
    response = checked(api, "GET", "/account/{account_name}", f"/account/{name}", headers=auth(ADMIN))
    assert response.status_code == 200
    assert response.json()["accounts"] == []
    assert response.json()["warnings"][0]["description"] == "slurmdb_accounts_get() found nothing"
    response = checked(api, "DELETE", "/account/{account_name}", f"/account/{name}", headers=auth(ADMIN))
    assert response.status_code == 200 and response.json()["removed_accounts"] == []

    response = post(api, auth, [{"name": name, "description": "d", "organization": "o"},
                                {"name": "t-acct-a,b", "description": "d", "organization": "o"}])
    assert response.status_code == 400
    assert response.json()["errors"][0]["description"].startswith("accounts[1].name")
    response = post(api, auth, [{"name": name, "description": "d", "organization": "o",
                                 "coordinators": [{"name": names["user"]}]}])
    assert response.status_code == 400
    assert response.json()["errors"][0]["description"].startswith("accounts[0].coordinators[0].name")
    response = post(api, auth, [{"name": name}])  # description and organization are required
    assert response.status_code == 400
    assert sacctmgr(cluster, "accounts", f"names={name}", "format=Account") == ""
