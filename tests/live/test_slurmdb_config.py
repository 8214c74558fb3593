"""GET and POST /slurmdb/v0.0.44/config against the live cluster: a QOS,
an account and a user of our own (t-cfg-*-<random>, with limits, two user
associations and a coordinator) are read in the whole configuration,
deleted through the API and brought back by posting the configuration
read before; every response is validated against SchedMD's description.

What is posted is the part of the configuration about our own objects (and
the cluster): on a shared cluster, posting all of it back would also bring
back what other tests deleted meanwhile. srp, normal, research, root,
srp_alice and srp_bob are only read."""

from __future__ import annotations

import time
import uuid

import pytest

from conftest import ADMIN, ALICE, BOB
from tests.live.checked_api import checked_api_fixture

API = "/slurmdb/v0.0.44"
api = checked_api_fixture()


@pytest.fixture
def names(cluster):
    tag = uuid.uuid4().hex[:8]
    made = {"tag": tag, "qos": f"t-cfg-qos-{tag}", "account": f"t-cfg-acct-{tag}",
            "user": f"t-cfg-user-{tag}"}
    yield made
    cluster.run("sacctmgr", "-i", "delete", "user", "where", f"name={made['user']}", check=False)
    cluster.run("sacctmgr", "-i", "delete", "account", "where", f"name={made['account']}", check=False)
    cluster.run("sacctmgr", "-i", "delete", "qos", "where", f"name={made['qos']}", check=False)


def sacctmgr(cluster, *argv) -> str:
    return cluster.run("sacctmgr", "-n", "-P", "show", *argv).stdout.strip()


def build(cluster, names) -> None:
    """Our objects, made with sacctmgr as an administrator would."""
    qos, account, user = names["qos"], names["account"], names["user"]
    cluster.run("sacctmgr", "-i", "add", "qos", qos, "Description=config test", "MaxJobsPerUser=3",
                "GrpTRES=cpu=8", "Priority=5", "MaxWall=60", "Flags=DenyOnLimit")
    cluster.run("sacctmgr", "-i", "add", "account", account, "Cluster=srp", "Parent=root",
                "Description=config test", "Organization=slurmrestpy", "MaxJobs=5", "GrpTRES=cpu=16",
                f"QOS=normal,{qos}", f"DefaultQOS={qos}", "Fairshare=7")
    cluster.run("sacctmgr", "-i", "add", "user", user, f"Account={account}", "Cluster=srp",
                "MaxSubmitJobs=9", "MaxWall=90", "AdminLevel=Operator")
    cluster.run("sacctmgr", "-i", "add", "user", user, f"Account={account}", "Cluster=srp",
                "Partition=debug", "MaxJobs=2", "MaxTRES=cpu=2")
    cluster.run("sacctmgr", "-i", "add", "coordinator", f"Account={account}", f"Names={user}")


def as_sacctmgr_says(cluster, names) -> dict:
    """Our objects in sacctmgr's own words, to compare before and after."""
    qos, account, user = names["qos"], names["account"], names["user"]
    return {
        "qos": sacctmgr(cluster, "qos", f"names={qos}",
                        "format=Name,Description,Priority,MaxJobsPU,GrpTRES,MaxWall,Flags"),
        "account": sacctmgr(cluster, "accounts", f"names={account}", "withcoordinators",
                            "format=Account,Description,Organization,Coordinators"),
        # (in the order of their ids, which a record added again changes)
        "associations": sorted(sacctmgr(cluster, "associations", f"accounts={account}", "woplimits",
                                        "format=Cluster,Account,User,Partition,ParentName,Fairshare,"
                                        "MaxJobs,MaxSubmit,MaxWall,GrpTRES,MaxTRES,QOS,DefaultQOS"
                                        ).splitlines()),
        "user": sacctmgr(cluster, "users", f"names={user}", "format=User,DefaultAccount,AdminLevel"),
    }


def get_config(api, auth, user=ADMIN) -> dict:
    response = api.get(f"{API}/config", headers=auth(user))
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == []
    return response.json()


def ours(document: dict, names: dict) -> dict:
    """The part of a configuration about our objects, and the cluster."""
    tag = names["tag"]

    def mine(*values):
        return any(tag in (value or "") for value in values)

    return {
        "clusters": [c for c in document["clusters"] if c["name"] == "srp"],
        "qos": [q for q in document["qos"] if mine(q["name"])],
        "accounts": [a for a in document["accounts"] if mine(a["name"])],
        "users": [u for u in document["users"] if mine(u["name"])],
        "associations": [a for a in document["associations"] if mine(a["account"], a["user"])],
        "wckeys": [w for w in document["wckeys"] if mine(w["user"])],
    }


def comparable(value):
    """Ids are slurmdbd's (a record added again gets a new one), and so is
    the order of associations (by id)."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        items = [comparable(v) for v in value]
        if all(isinstance(v, dict) and "account" in v and "user" in v for v in items):
            items.sort(key=lambda a: (a["cluster"], a["account"], a["user"], a["partition"]))
        return items
    return value


def qos_named(part: dict, document: dict) -> dict:
    """25.11 gives a user's default QOS by id, which a QOS added again
    changes: the name instead, from the document's own QOS list."""
    by_id = {q["id"]: q["name"] for q in document["qos"]}
    users = []
    for user in part["users"]:
        default = user.get("default", {})
        if isinstance(default.get("qos"), int) and default["qos"] in by_id:
            user = {**user, "default": {**default, "qos": by_id[default["qos"]]}}
        users.append(user)
    return {**part, "users": users}


def changes_since(cluster, start: str, tag: str) -> list[str]:
    """slurmdbd's own record of changes to our objects since ``start``."""
    lines = cluster.run("sacctmgr", "-n", "-P", "show", "transactions", f"start={start}",
                        "format=Action,Where,Info").stdout.splitlines()
    return [line for line in lines if tag in line]


def now_for_sacctmgr() -> str:
    time.sleep(1.1)  # transactions are stamped to the second
    return time.strftime("%Y-%m-%dT%H:%M:%S")


def test_get_delete_post_brings_it_back(api, auth, cluster, names):
    build(cluster, names)
    before = as_sacctmgr_says(cluster, names)
    document = get_config(api, auth)
    for section in ("clusters", "tres", "accounts", "users", "qos", "wckeys", "associations", "instances"):
        assert isinstance(document[section], list), section
    saved = ours(document, names)
    qos, account, user = names["qos"], names["account"], names["user"]

    # What the document says of them.
    [q] = saved["qos"]
    assert q["description"] == "config test" and q["priority"]["number"] == 5
    assert q["limits"]["max"]["jobs"]["active_jobs"]["per"]["user"]["number"] == 3
    assert [(t["type"], t["count"]) for t in q["limits"]["max"]["tres"]["total"]] == [("cpu", 8)]
    [a] = saved["accounts"]
    assert a["coordinators"] == [{"name": user, "direct": True}]
    assert {(s["user"], s["partition"]) for s in a["associations"]} == {("", ""), (user, ""), (user, "debug")}
    [u] = saved["users"]
    assert u["administrator_level"] == ["Operator"] and u["default"]["account"] == account
    assert len(u["associations"]) == 2
    by_key = {(s["user"], s["partition"]): s for s in saved["associations"]}
    mine = by_key[("", "")]
    assert mine["parent_account"] == "root" and mine["shares_raw"] == 7
    assert sorted(mine["qos"]) == sorted(["normal", qos]) and mine["default"]["qos"] == qos
    assert mine["max"]["jobs"]["active"]["number"] == 5
    # Each association's own limits: the user's do not repeat the account's.
    assert by_key[(user, "")]["max"]["jobs"]["active"]["set"] is False
    assert by_key[(user, "")]["max"]["jobs"]["total"]["number"] == 9
    assert by_key[(user, "")]["is_default"] is True and by_key[(user, "debug")]["is_default"] is False

    # Posted back unchanged: nothing changes, not even in slurmdbd's record.
    start = now_for_sacctmgr()
    response = api.post(f"{API}/config", json=saved, headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == []
    assert changes_since(cluster, start, names["tag"]) == []
    assert as_sacctmgr_says(cluster, names) == before

    # Deleted through the API (the user first: the account is their default)...
    response = api.delete(f"{API}/user/{user}", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["removed_users"] == [user]
    response = api.delete(f"{API}/account/{account}", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["removed_accounts"] == [account]
    response = api.delete(f"{API}/qos/{qos}", headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["removed_qos"] == [qos]
    gone = as_sacctmgr_says(cluster, names)
    assert gone == {"qos": "", "account": "", "associations": [], "user": ""}

    # ... and back as they were, from the configuration read before.
    response = api.post(f"{API}/config", json=saved, headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == []
    assert as_sacctmgr_says(cluster, names) == before
    again_document = get_config(api, auth)
    again = ours(again_document, names)
    assert comparable(qos_named(again, again_document)) == comparable(qos_named(saved, document))

    # Loaded once more: nothing to do.
    start = now_for_sacctmgr()
    response = api.post(f"{API}/config", json=saved, headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    assert changes_since(cluster, start, names["tag"]) == []


def test_an_unprivileged_user_reads_what_slurm_shows_but_cannot_load(api, auth, cluster, names):
    document = get_config(api, auth, ALICE)
    assert "research" in {a["name"] for a in document["accounts"]}
    assert {ALICE, BOB} <= {u["name"] for u in document["users"]}
    assert "normal" in {q["name"] for q in document["qos"]}
    assert {a["account"] for a in document["associations"]} >= {"root", "research"}
    # 22.05's slurmdbd lists wckeys to operators only: said, and the rest is given.
    assert document["wckeys"] == []
    assert any(w["description"].startswith("wckeys: not listed") for w in document["warnings"])

    response = api.post(f"{API}/config", headers=auth(ALICE), json={
        "qos": [{"name": names["qos"], "description": "by alice"}]})
    assert response.status_code == 500, response.text
    [error] = response.json()["errors"]
    assert (error["error_number"], error["error"]) == (2002, "Access/permission denied")
    assert "applied before QOS: none" in error["description"]
    assert sacctmgr(cluster, "qos", f"names={names['qos']}", "format=Name") == ""


def test_bad_input_is_refused_before_anything_changes(api, auth, cluster, names):
    qos, account, user = names["qos"], names["account"], names["user"]
    good = {"qos": [{"name": qos, "description": "config test"}],
            "accounts": [{"name": account, "description": "config test", "organization": "slurmrestpy"}]}

    def refused(document, field):
        response = api.post(f"{API}/config", json=document, headers=auth(ADMIN))
        assert response.status_code == 400, response.text
        [error] = response.json()["errors"]
        assert error["description"].startswith(field), error["description"]
        assert sacctmgr(cluster, "qos", f"names={qos}", "format=Name") == ""
        assert sacctmgr(cluster, "accounts", f"names={account}", "format=Account") == ""
        return error

    refused({**good, "associations": [
        {"cluster": "srp", "account": account, "user": "", "parent_account": "root"},
        {"cluster": "srp", "account": account, "user": user,
         "max": {"tres": {"total": [{"type": "bogus", "count": 1}]}}}]},
        "associations[1].max.tres.total[0]")
    refused({**good, "associations": [{"cluster": "srp", "account": f"t-cfg-nosuch-{names['tag']}",
                                       "user": user}]}, "associations[0].account")
    refused({**good, "associations": [{"cluster": "srp", "account": account, "user": user}]},
            "associations[0].account")  # the account gets no association to hang it under
    refused({**good, "users": [{"name": user, "default": {"account": account}}]}, "users[0].default.account")
    refused({**good, "wckeys": [{"name": "w", "user": user, "cluster": "srp"}]}, "wckeys[0].user")
    refused({**good, "qos": [*good["qos"], {"name": qos.upper()}]}, "qos[1].name")
    error = refused({**good, "accounts": "nope"}, "")
    assert "accounts" in error["description"]


def test_deleted_records_are_not_brought_back(api, auth, cluster, names):
    response = api.post(f"{API}/config", headers=auth(ADMIN), json={
        "qos": [{"name": names["qos"], "flags": ["DELETED"]}],
        "accounts": [{"name": names["account"], "description": "d", "organization": "o", "flags": ["DELETED"]}],
        "instances": [{"cluster": "srp", "instance_id": "i-1"}]})
    assert response.status_code == 200, response.text
    warnings = " ".join(w["description"] for w in response.json()["warnings"])
    assert "qos: 1 record(s) flagged DELETED" in warnings and "accounts: 1 record(s)" in warnings
    assert "instances: not loaded" in warnings
    assert sacctmgr(cluster, "qos", f"names={names['qos']}", "format=Name") == ""
    assert sacctmgr(cluster, "accounts", f"names={names['account']}", "format=Account") == ""
