"""/slurmdb/v0.0.44/associations/ and /association/ against the live
cluster: accounts and users of our own (t-acct-<random>, t-user-<random>)
get associations with limits, which are read, changed and deleted; every
response is validated against SchedMD's description. research, root,
srp_alice and srp_bob are only read."""

import uuid

import pytest

from conftest import ADMIN, ALICE
from tests.schemas import reference_as_meant, validate_response

API = "/slurmdb/v0.0.44"


def checked(api, method, template, url=None, **kwargs):
    """A request whose answer, whatever its status, must match SchedMD's
    description of the operation."""
    response = api.request(method, f"{API}{url or template}", **kwargs)
    validate_response(reference_as_meant("v0.0.44"), method.lower(), f"{API}{template}", response.json(),
                      status=response.status_code)
    return response


@pytest.fixture
def tree(cluster):
    """Names for one test: two accounts and two users; whatever of them
    exists at the end is removed (users first)."""
    tag = uuid.uuid4().hex[:8]
    names = {"top": f"t-acct-{tag}-top", "sub": f"t-acct-{tag}-sub",
             "user": f"t-user-{tag}-a", "other": f"t-user-{tag}-b"}
    yield names
    cluster.run("sacctmgr", "-i", "delete", "user", "where", f"name={names['user']},{names['other']}",
                check=False)
    for account in (names["sub"], names["top"]):
        cluster.run("sacctmgr", "-i", "delete", "account", "where", f"name={account}", check=False)


def add_account(cluster, name, parent="root"):
    cluster.run("sacctmgr", "-i", "add", "account", f"name={name}", "cluster=srp", f"parent={parent}",
                "description=live test", "organization=slurmrestpy")


def sacctmgr_assoc(cluster, *where, fields):
    out = cluster.run("sacctmgr", "-n", "-P", "show", "associations", *where, "woplimits",
                      f"format={fields}").stdout
    return out.strip()


def post(api, auth, assocs, user=ADMIN):
    return checked(api, "POST", "/associations/", json={"associations": assocs}, headers=auth(user))


def test_association_with_limits_added_read_changed_deleted(api, auth, cluster, tree):
    add_account(cluster, tree["top"])
    # slurmrestd's way: the account alone first, then its associations.
    response = checked(api, "POST", "/accounts/", json={"accounts": [
        {"name": tree["sub"], "description": "live test", "organization": "slurmrestpy"}]},
        headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert sacctmgr_assoc(cluster, f"accounts={tree['sub']}", fields="ID") == ""
    response = post(api, auth, [
        {"account": tree["sub"], "cluster": "srp", "user": "", "parent_account": tree["top"],
         "max": {"jobs": {"active": {"set": True, "number": 7}, "per": {"count": {"set": True, "number": 20}}},
                 "tres": {"total": [{"type": "cpu", "count": 16}, {"type": "mem", "count": 4096}],
                          "per": {"job": [{"type": "node", "count": 2}]}},
                 "per": {"account": {"wall_clock": {"set": True, "number": 600}}}},
         "shares_raw": 30, "priority": {"set": True, "number": 9}, "qos": ["normal"],
         "default": {"qos": "normal"}},
        {"account": tree["sub"], "cluster": "srp", "user": tree["user"], "partition": "debug",
         "max": {"jobs": {"per": {"wall_clock": {"set": True, "number": 90}}, "total": {"set": True, "number": 5}}},
         "is_default": True},
    ])
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == []
    # What slurmdbd now has, in sacctmgr's words.
    assert sacctmgr_assoc(cluster, f"accounts={tree['sub']}", "users=''",
                          fields="ParentName,MaxJobs,GrpJobs,GrpTRES,MaxTRES,GrpWall,Fairshare,Priority,QOS,"
                                 "DefaultQOS") == \
        f"{tree['top']}|7|20|cpu=16,mem=4G|node=2|10:00:00|30|9|normal|normal"
    assert sacctmgr_assoc(cluster, f"users={tree['user']}",
                          fields="Account,Partition,MaxWall,MaxSubmit") == f"{tree['sub']}|debug|01:30:00|5"

    response = checked(api, "GET", "/associations/", f"/associations/?account={tree['sub']}",
                       headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    found = {(a["user"], a["partition"]): a for a in response.json()["associations"]}
    assert set(found) == {("", ""), (tree["user"], "debug")}
    account = found[("", "")]
    assert account["parent_account"] == tree["top"]
    assert account["lineage"] == f"/{tree['top']}/{tree['sub']}/"
    assert account["max"]["jobs"]["active"] == {"set": True, "infinite": False, "number": 7}
    assert [(t["type"], t["count"]) for t in account["max"]["tres"]["total"]] == [("cpu", 16), ("mem", 4096)]
    assert account["max"]["per"]["account"]["wall_clock"]["number"] == 600
    assert account["shares_raw"] == 30 and account["priority"]["number"] == 9
    user = found[(tree["user"], "debug")]
    assert user["is_default"] is True
    assert user["lineage"] == f"/{tree['top']}/{tree['sub']}/0-{tree['user']}/debug/"
    assert user["max"]["jobs"]["per"]["wall_clock"]["number"] == 90
    # A child shows what it inherits unless asked for its own limits only.
    assert user["max"]["jobs"]["active"]["number"] == 7
    own = checked(api, "GET", "/association/",
                  f"/association/?account={tree['sub']}&user={tree['user']}&partition=debug&cluster=srp"
                  "&Exclude%20limits%20from%20parents=true", headers=auth(ADMIN)).json()
    [mine] = own["associations"]
    assert mine["id"] == user["id"] and mine["max"]["jobs"]["active"]["set"] is False

    # A change: new MaxJobs, mem dropped from GrpTRES (the TRES list given is the whole limit).
    response = post(api, auth, [{"account": tree["sub"], "cluster": "srp", "user": "",
                                 "max": {"jobs": {"active": {"set": True, "number": 3}},
                                         "tres": {"total": [{"type": "cpu", "count": 16}]}}}])
    assert response.status_code == 200, response.text
    assert sacctmgr_assoc(cluster, f"accounts={tree['sub']}", "users=''",
                          fields="MaxJobs,GrpJobs,GrpTRES,Fairshare") == "3|20|cpu=16|30"

    # Remove the user's, then the account's (and so everything below it).
    response = checked(api, "DELETE", "/association/",
                       f"/association/?account={tree['sub']}&user={tree['user']}&partition=debug",
                       headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["removed_associations"] == [
        f"C = srp        A = {tree['sub']} U = {tree['user']} P = debug"]
    assert any(tree["user"] in w["description"] for w in response.json()["warnings"])  # its last one
    response = checked(api, "DELETE", "/associations/", f"/associations/?account={tree['sub']}",
                       headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["removed_associations"] == [f"C = srp        A = {tree['sub']} of {tree['top']}"]
    assert sacctmgr_assoc(cluster, f"accounts={tree['sub']}", fields="ID") == ""


def test_query_filters(api, auth, cluster, tree):
    add_account(cluster, tree["top"])
    add_account(cluster, tree["sub"], parent=tree["top"])
    cluster.run("sacctmgr", "-i", "add", "user", f"name={tree['user']}", f"account={tree['sub']}", "cluster=srp")
    cluster.run("sacctmgr", "-i", "add", "user", f"name={tree['user']}", f"account={tree['top']}", "cluster=srp",
                "partition=debug")

    def ids(query):
        response = checked(api, "GET", "/associations/", f"/associations/?{query}", headers=auth(ADMIN))
        assert response.status_code == 200, response.text
        return {(a["account"], a["user"], a["partition"]) for a in response.json()["associations"]}

    everything = ids(f"account={tree['top']},{tree['sub']}")
    assert len(everything) == 4
    assert ids(f"user={tree['user']}") == {(tree["sub"], tree["user"], ""), (tree["top"], tree["user"], "debug")}
    assert ids(f"account={tree['top']},{tree['sub']}&partition=debug") == {(tree["top"], tree["user"], "debug")}
    assert ids(f"parent_account={tree['top']}") == {(tree["sub"], "", "")}
    assert ids(f"user={tree['user']}&Filter%20to%20only%20defaults") == {(tree["sub"], tree["user"], "")}
    assert ids(f"account={tree['top']}") == {(tree["top"], "", ""), (tree["top"], tree["user"], "debug")}
    assert ids(f"account={tree['top']}&Include%20sub%20acct%20information=true") == everything
    some_id = checked(api, "GET", "/associations/", f"/associations/?user={tree['user']}&partition=debug",
                      headers=auth(ADMIN)).json()["associations"][0]["id"]
    assert ids(f"id={some_id}") == {(tree["top"], tree["user"], "debug")}
    response = checked(api, "GET", "/associations/",
                       f"/associations/?account={tree['sub']}&Include%20deleted%20associations&"
                       "Exclude%20parent%20id/name=true&Include%20usage=true&format=ignored",
                       headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert {a["parent_account"] for a in response.json()["associations"]} == {""}
    assert any("usage" in w["description"] for w in response.json()["warnings"])


def test_an_unprivileged_user_reads_but_cannot_change(api, auth, cluster, tree):
    add_account(cluster, tree["top"])
    response = checked(api, "GET", "/associations/", "/associations/?account=research", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    assert {a["user"] for a in response.json()["associations"]} >= {"", ALICE}

    response = post(api, auth, [{"account": tree["top"], "cluster": "srp", "user": "",
                                 "max": {"jobs": {"active": {"set": True, "number": 1}}}}], user=ALICE)
    assert response.status_code == 500
    [error] = response.json()["errors"]
    assert error["error_number"] == 2002 and error["error"] == "Access/permission denied"
    assert sacctmgr_assoc(cluster, f"accounts={tree['top']}", fields="MaxJobs") == ""

    response = checked(api, "DELETE", "/associations/", f"/associations/?account={tree['top']}",
                       headers=auth(ALICE))
    assert response.status_code == 500
    assert response.json()["errors"][0]["error_number"] == 2002
    assert sacctmgr_assoc(cluster, f"accounts={tree['top']}", fields="Account") == tree["top"]


def test_unknown_names_and_bad_input(api, auth, cluster, tree):
    response = checked(api, "GET", "/associations/", f"/associations/?account={tree['top']}",
                       headers=auth(ADMIN))
    assert response.status_code == 200
    body = response.json()
    assert body["associations"] == []
    assert body["warnings"][0]["description"] == "slurmdb_associations_get() found nothing"

    response = checked(api, "DELETE", "/associations/", f"/associations/?account={tree['top']}",
                       headers=auth(ADMIN))
    assert response.status_code == 200 and response.json()["removed_associations"] == []

    # An account slurmdbd does not have: refused, nothing added.
    response = post(api, auth, [{"account": tree["top"], "cluster": "srp", "user": tree["user"]}])
    assert response.status_code == 400
    assert response.json()["errors"][0]["description"].startswith("associations[0].account")
    assert cluster.run("sacctmgr", "-n", "-P", "show", "user", tree["user"]).stdout == ""

    add_account(cluster, tree["top"])
    # A bad second item: the first is not applied either.
    response = post(api, auth, [
        {"account": tree["top"], "cluster": "srp", "user": tree["user"]},
        {"account": tree["top"], "cluster": "srp", "user": tree["other"],
         "max": {"tres": {"total": [{"type": "bogus", "count": 1}]}}},
    ])
    assert response.status_code == 400
    assert response.json()["errors"][0]["description"].startswith("associations[1].max.tres.total[0]")
    assert sacctmgr_assoc(cluster, f"accounts={tree['top']}", "users=" + tree["user"], fields="ID") == ""

    response = checked(api, "DELETE", "/associations/", "/associations/", headers=auth(ADMIN))
    assert response.status_code == 400
    response = checked(api, "GET", "/association/", "/association/?account=root", headers=auth(ADMIN))
    assert response.status_code == 500 and response.json()["errors"][0]["error_number"] == 9211
    response = checked(api, "GET", "/associations/", "/associations/?id=abc", headers=auth(ADMIN))
    assert response.status_code == 400
