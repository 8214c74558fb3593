"""/slurmdb/v0.0.44/users/, /user/{name} and /users_association/ against
the live cluster: users of our own (t-user-<random>, under an account
t-acct-<random>) are created, read, changed, renamed and deleted; every
response is validated against SchedMD's description. srp_alice, srp_bob
and root are only read. Slurm 22.05 needs no Unix account for a user."""

import uuid

import pytest

from conftest import ADMIN, ALICE, BOB
from tests.live.test_slurmdb_associations import checked


@pytest.fixture
def names(cluster):
    tag = uuid.uuid4().hex[:8]
    made = {"account": f"t-acct-{tag}", "other": f"t-acct-{tag}-b", "user": f"t-user-{tag}",
            "renamed": f"t-user-{tag}-r", "second": f"t-user-{tag}-2"}
    for account in (made["account"], made["other"]):
        cluster.run("sacctmgr", "-i", "add", "account", f"name={account}", "cluster=srp", "description=live test")
    yield made
    cluster.run("sacctmgr", "-i", "delete", "user", "where",
                f"name={made['user']},{made['renamed']},{made['second']}", check=False)
    for account in (made["other"], made["account"]):
        cluster.run("sacctmgr", "-i", "delete", "account", "where", f"name={account}", check=False)


def sacctmgr(cluster, *argv):
    return cluster.run("sacctmgr", "-n", "-P", "show", *argv).stdout.strip()


def post(api, auth, users, user=ADMIN):
    return checked(api, "POST", "/users/", json={"users": users}, headers=auth(user))


def test_create_read_change_rename_delete(api, auth, cluster, names):
    user, account = names["user"], names["account"]
    response = post(api, auth, [{"name": user, "default": {"account": account},
                                 "administrator_level": ["Operator"]}])
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == []
    assert sacctmgr(cluster, "users", f"names={user}", "format=User,DefaultAccount,AdminLevel") == \
        f"{user}|{account}|Operator"

    response = checked(api, "GET", "/user/{name}", f"/user/{user}?with_assocs=true&with_coords=true&with_wckeys",
                       headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    [found] = response.json()["users"]
    assert found["administrator_level"] == ["Operator"]
    # 25.11 gives the user's default QOS too, as an id (0: none)
    assert found["default"] == {"account": account, "wckey": "", **({"qos": 0} if cluster.current else {})}
    assert [(a["account"], a["cluster"], a["user"]) for a in found["associations"]] == [(account, "srp", user)]
    # 25.11 says a user with no flag has flag NONE, as its slurmrestd does
    assert found["coordinators"] == [] and found["flags"] == (["NONE"] if cluster.current else [])

    # A second association, then the default moves there and the level drops.
    response = checked(api, "POST", "/associations/", json={"associations": [
        {"account": names["other"], "cluster": "srp", "user": user}]}, headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    response = post(api, auth, [{"name": user, "default": {"account": names["other"]},
                                 "administrator_level": ["None"]}])
    assert response.status_code == 200, response.text
    assert sacctmgr(cluster, "users", f"names={user}", "format=DefaultAccount,AdminLevel") == \
        f"{names['other']}|None"

    response = post(api, auth, [{"name": names["renamed"], "old_name": user}])
    assert response.status_code == 200, response.text
    assert sacctmgr(cluster, "users", f"names={names['renamed']}", "format=User") == names["renamed"]
    assert sacctmgr(cluster, "users", f"names={user}", "format=User") == ""

    response = checked(api, "DELETE", "/user/{name}", f"/user/{names['renamed']}", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["removed_users"] == [names["renamed"]]
    assert sacctmgr(cluster, "users", f"names={names['renamed']}", "format=User") == ""


def test_list_and_filters(api, auth, cluster, names):
    post(api, auth, [{"name": names["user"], "default": {"account": names["account"]}},
                     {"name": names["second"], "default": {"account": names["other"]},
                      "administrator_level": ["Operator"]}])
    response = checked(api, "GET", "/users/", f"/users/?default_account={names['account']},{names['other']}",
                       headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert {u["name"] for u in response.json()["users"]} == {names["user"], names["second"]}
    query = f"/users/?default_account={names['other']}&admin_level=Operator&with_assocs=true&without_defaults=true"
    response = checked(api, "GET", "/users/", query, headers=auth(ADMIN))
    [second] = response.json()["users"]
    if cluster.current:
        # 25.11's sacctmgr --json, passed through, has no way to leave the
        # defaults out (its slurmrestd gives them too, for some users)
        assert second["name"] == names["second"]
        assert second["default"] == {"account": names["other"], "wckey": "", "qos": 0}
    else:
        assert second["name"] == names["second"] and second["default"] == {}
    assert [a["account"] for a in second["associations"]] == [names["other"]]


def test_users_with_associations(api, auth, cluster, names):
    body = {"association_condition": {"users": [names["user"], names["second"]],
                                      "accounts": [names["account"]], "clusters": ["srp"],
                                      "partitions": ["debug"],
                                      "association": {"maxjobs": {"set": True, "number": 2}}},
            "user": {"defaultaccount": names["account"]}}
    response = checked(api, "POST", "/users_association/", json=body, headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert names["second"] in response.json()["added_users"]
    for user in (names["user"], names["second"]):
        assert sacctmgr(cluster, "associations", f"users={user}", "format=Account,Partition,MaxJobs") == \
            f"{names['account']}|debug|2"


def test_coordinators_are_not_set_through_users(api, auth, cluster, names):
    response = post(api, auth, [{"name": names["user"], "default": {"account": names["account"]},
                                 "coordinators": [{"name": names["account"]}]}])
    assert response.status_code == 200, response.text
    assert "coordinators" in response.json()["warnings"][0]["description"]
    assert sacctmgr(cluster, "users", f"names={names['user']}", "withcoordinators", "format=Coordinators") == ""


def test_an_unprivileged_user_reads_but_cannot_add_or_delete(api, auth, cluster, names):
    response = checked(api, "GET", "/users/", "/users/", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    assert {ALICE, BOB} <= {u["name"] for u in response.json()["users"]}
    response = checked(api, "GET", "/user/{name}", f"/user/{BOB}?with_assocs=1", headers=auth(ALICE))
    assert response.json()["users"][0]["associations"][0]["account"] == "research"

    response = post(api, auth, [{"name": names["user"], "default": {"account": "research"}}], user=ALICE)
    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert (error["error_number"], error["error"]) == (2002, "Access/permission denied")
    assert sacctmgr(cluster, "users", f"names={names['user']}", "format=User") == ""

    response = post(api, auth, [{"name": ALICE, "administrator_level": ["Administrator"]}], user=ALICE)
    assert response.status_code == 500 and response.json()["errors"][0]["error_number"] == 2002
    assert sacctmgr(cluster, "users", f"names={ALICE}", "format=AdminLevel") == "None"

    cluster.run("sacctmgr", "-i", "add", "user", f"name={names['user']}", f"account={names['account']}",
                "cluster=srp")
    response = checked(api, "DELETE", "/user/{name}", f"/user/{names['user']}", headers=auth(ALICE))
    assert response.status_code == 500 and response.json()["errors"][0]["error_number"] == 2002
    assert sacctmgr(cluster, "users", f"names={names['user']}", "format=User") == names["user"]


def test_a_user_without_an_account_is_added_without_association(api, auth, cluster, names):
    response = post(api, auth, [{"name": names["user"], "administrator_level": ["Operator"]}])
    assert response.status_code == 200, response.text
    assert response.json()["warnings"] == [] and response.json()["errors"] == []
    assert sacctmgr(cluster, "users", f"names={names['user']}",
                    "format=User,DefaultAccount,DefaultWCKey,AdminLevel") == f"{names['user']}|||Operator"
    assert sacctmgr(cluster, "associations", f"users={names['user']}", "format=User") == ""
    assert sacctmgr(cluster, "wckeys", f"users={names['user']}", "format=User") == ""


def test_unknown_names_and_bad_input(api, auth, cluster, names):
    response = checked(api, "GET", "/user/{name}", f"/user/{names['user']}", headers=auth(ADMIN))
    assert response.status_code == 200 and response.json()["users"] == []
    assert response.json()["warnings"][0]["description"] == "slurmdb_users_get() found nothing"
    response = checked(api, "DELETE", "/user/{name}", f"/user/{names['user']}", headers=auth(ADMIN))
    assert response.status_code == 200 and response.json()["warnings"]

    for users, field in (
        ([{"name": names["user"], "default": {"account": "t-acct-nosuch-x"}}], "users[0].default.account"),
        ([{"name": names["user"], "default": {"account": names["account"]}},
          {"name": names["second"], "administrator_level": ["Superuser"]}],
         "'Superuser' is not one of"),  # the description's enum: connexion's own words
    ):
        response = post(api, auth, users)
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["description"].startswith(field)
    assert "users.1.administrator_level" in response.json()["errors"][0]["description"]
    assert sacctmgr(cluster, "users", f"names={names['user']},{names['second']}", "format=User") == ""
