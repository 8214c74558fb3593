"""GET /slurm/v0.0.44/shares against the live cluster (sshare of Slurm
22.05): the fair-share tree as root and as srp_alice, and the accounts and
users filters. Other engineers add accounts to the shared cluster while this
runs, so the checks are about the associations this project set up (account
research, users srp_alice and srp_bob) and about the tree's consistency."""

import pytest

from conftest import ADMIN, ALICE, API, BOB
from tests.schemas import reference_as_meant, validate_response


def get_shares(api, auth, user=ADMIN, **params):
    response = api.get(f"{API}/shares", params=params, headers=auth(user))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/shares", body)
    assert body["errors"] == []
    return body["shares"]["shares"]


def assoc_ids(cluster, *filters) -> dict[tuple[str, str], int]:
    """(account, user) -> association id, as sacctmgr knows them."""
    out = cluster.run("sacctmgr", "-n", "-P", "show", "assoc", "cluster=srp", "format=account,user,id",
                      *filters).stdout
    return {(a, u): int(i) for a, u, i in (line.split("|") for line in out.splitlines() if line)}


def find(shares, name, kind):
    [share] = [s for s in shares if s["name"] == name and s["type"] == [kind]]
    return share


def test_the_tree_as_root(api, auth, cluster):
    shares = get_shares(api, auth)
    ids = assoc_ids(cluster, "account=research")
    research = find(shares, "research", "ASSOCIATION")
    alice = find(shares, ALICE, "USER")
    root = find(shares, "root", "ASSOCIATION")
    assert (root["parent"], research["parent"], alice["parent"]) == ("", "root", "research")
    assert research["id"] == ids[("research", "")]
    assert alice["id"] == ids[("research", ALICE)]
    assert find(shares, BOB, "USER")["id"] == ids[("research", BOB)]
    assert all(s["cluster"] == "srp" for s in shares)
    # Every parent is an account of the tree; research's is the one slurmdbd
    # knows (other accounts come and go while this runs: not compared).
    accounts = {s["name"] for s in shares if s["type"] == ["ASSOCIATION"]}
    assert all(s["parent"] in accounts for s in shares if s["name"] != "root" or s["type"] == ["USER"])
    out = cluster.run("sacctmgr", "-n", "-P", "show", "assoc", "cluster=srp", "account=research",
                      "format=account,user,parentname").stdout
    assert f"research||{research['parent']}" in out.splitlines()
    assert [t["name"] for t in alice["tres"]["run_seconds"]][:2] == ["cpu", "mem"]


def test_the_same_numbers_as_sshare(api, auth, cluster):
    alice = find(get_shares(api, auth), ALICE, "USER")
    printed = cluster.run("sshare", "-n", "-P", "-A", "research", "-u", ALICE,
                          "-o", "RawShares,RawUsage,EffectvUsage,LevelFS").stdout.splitlines()[-1]
    raw_shares, raw_usage, effective, level = printed.split("|")
    assert alice["shares"] == {"set": True, "infinite": False, "number": int(raw_shares)}
    assert alice["usage"] == int(raw_usage)
    assert alice["effective_usage"]["number"] == pytest.approx(float(effective))
    assert alice["fairshare"]["level"]["number"] == pytest.approx(float(level))


def test_a_normal_user_sees_the_tree_too(api, auth):
    # PrivateData=jobs hides jobs, not associations.
    shares = get_shares(api, auth, ALICE)
    assert {ALICE, BOB} <= {s["name"] for s in shares if s["type"] == ["USER"]}


def test_users_filter(api, auth):
    shares = get_shares(api, auth, ADMIN, users=BOB)
    assert [s["name"] for s in shares if s["type"] == ["USER"]] == [BOB]
    assert {"root", "research"} <= {s["name"] for s in shares if s["type"] == ["ASSOCIATION"]}


def test_accounts_filter(api, auth):
    shares = get_shares(api, auth, ALICE, accounts="research")
    assert {(s["name"], s["parent"]) for s in shares} >= {("research", "root"), (ALICE, "research"),
                                                           (BOB, "research")}
    assert all("research" in (s["name"], s["parent"]) for s in shares)


def test_both_filters(api, auth):
    shares = get_shares(api, auth, ALICE, accounts="research", users=ALICE)
    assert [(s["name"], s["type"]) for s in shares] == [("research", ["ASSOCIATION"]), (ALICE, ["USER"])]


def test_unknown_names_select_nothing(api, auth):
    assert get_shares(api, auth, ALICE, accounts="no-such-account") == []
    shares = get_shares(api, auth, ALICE, users="no-such-user")
    assert shares and all(s["type"] == ["ASSOCIATION"] for s in shares)


def test_a_name_that_is_an_option_is_refused(api, auth):
    response = api.get(f"{API}/shares", params={"accounts": "--all"}, headers=auth(ALICE))
    assert response.status_code == 400
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/shares", body, status=400)
    assert "'accounts'" in body["errors"][0]["description"]
