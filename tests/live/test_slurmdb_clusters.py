"""/slurmdb/v0.0.44/clusters/ and /cluster/{cluster_name} against the live
cluster: `srp` is only read; clusters of our own (t-clu-<random>) are added
and deleted. Every response is validated against SchedMD's description."""

import uuid

import pytest

from conftest import ADMIN, ALICE
from tests.live.checked_api import checked_api_fixture
from tests.schemas import reference_as_meant, validate_response

API = "/slurmdb/v0.0.44"
api = checked_api_fixture()  # every answer is validated against SchedMD's description


def reference():
    return reference_as_meant("v0.0.44")


@pytest.fixture
def name(cluster):
    made = f"t-clu-{uuid.uuid4().hex[:8]}"
    yield made
    cluster.run("sacctmgr", "-i", "delete", "cluster", "where", f"names={made}", check=False)


def exists(cluster, name):
    return cluster.run("sacctmgr", "-n", "-P", "show", "cluster", f"names={name}",
                       "format=Cluster").stdout.strip() == name


def test_the_running_cluster(api, auth, cluster):
    response = api.get(f"{API}/clusters/", headers=auth(ALICE))
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference(), "get", f"{API}/clusters/", body)
    listed = cluster.run("sacctmgr", "-n", "-P", "show", "cluster", "format=Cluster").stdout.split()
    assert [c["name"] for c in body["clusters"]] == listed
    srp = next(c for c in body["clusters"] if c["name"] == "srp")
    host, port, rpc = cluster.run("sacctmgr", "-n", "-P", "show", "cluster", "names=srp",
                                  "format=ControlHost,ControlPort,RPC").stdout.strip().split("|")
    assert srp["controller"] == {"host": host, "port": int(port)}
    assert srp["rpc_version"] == int(rpc)
    if cluster.current:
        # slurmdbd of 25.11 records no select plugin (cons_tres is the only one
        # left); Slurm's own slurmrestd says "" too
        [told] = [c for c in cluster.oracle(f"{API}/clusters/", ALICE)["clusters"] if c["name"] == "srp"]
        assert srp["select_plugin"] == told["select_plugin"] == ""
    else:
        assert srp["select_plugin"] == "cons_tres"
    assert "MULTIPLE_SLURMD" in srp["flags"]
    assert srp["associations"]["root"]["account"] == "root"
    assert {t["type"]: t["count"] for t in srp["tres"]}["node"] >= 3

    one = api.get(f"{API}/cluster/srp", headers=auth(ADMIN))
    assert one.status_code == 200, one.text
    validate_response(reference(), "get", f"{API}/cluster/{{cluster_name}}", one.json())
    assert one.json()["clusters"] == [srp]
    flagged = api.get(f"{API}/cluster/srp", params={"flags": "EXTERNAL"}, headers=auth(ADMIN)).json()
    assert flagged["clusters"] == []


def test_add_and_delete(api, auth, cluster, name):
    response = api.post(f"{API}/clusters/", json={"clusters": [{"name": name}]}, headers=auth(ADMIN))
    assert response.status_code == 200, response.text
    validate_response(reference(), "post", f"{API}/clusters/", response.json())
    assert exists(cluster, name)
    [added] = api.get(f"{API}/cluster/{name}", headers=auth(ADMIN)).json()["clusters"]
    assert added["name"] == name and added["flags"] == [] and added["rpc_version"] == 0
    assert added["controller"] == {"host": "", "port": 0}
    assert added["associations"]["root"]["cluster"] == name

    # Adding it again changes nothing; what slurmctld sets is not written, and said so.
    again = api.post(f"{API}/clusters/", headers=auth(ADMIN),
                     json={"clusters": [{"name": name, "controller": {"host": "elsewhere", "port": 1}}]})
    assert again.status_code == 200, again.text
    [warning] = again.json()["warnings"]
    assert "controller" in warning["description"]

    deleted = api.delete(f"{API}/cluster/{name}", headers=auth(ADMIN))
    assert deleted.status_code == 200, deleted.text
    validate_response(reference(), "delete", f"{API}/cluster/{{cluster_name}}", deleted.json())
    assert deleted.json()["deleted_clusters"] == [name]
    assert not exists(cluster, name)
    gone = api.get(f"{API}/cluster/{name}", headers=auth(ADMIN)).json()
    assert gone["clusters"] == [] and gone["warnings"]


def test_an_unprivileged_user_can_neither_add_nor_delete(api, auth, cluster, name):
    response = api.post(f"{API}/clusters/", json={"clusters": [{"name": name}]}, headers=auth(ALICE))
    assert response.status_code == 500
    validate_response(reference(), "post", f"{API}/clusters/", response.json(), status=500)
    assert response.json()["errors"][0]["error_number"] == 2002
    assert not exists(cluster, name)
    cluster.run("sacctmgr", "-i", "add", "cluster", f"name={name}")
    response = api.delete(f"{API}/cluster/{name}", headers=auth(ALICE))
    assert response.status_code == 500
    validate_response(reference(), "delete", f"{API}/cluster/{{cluster_name}}", response.json(), status=500)
    assert response.json()["deleted_clusters"] == []
    assert exists(cluster, name)


def test_unknown_and_bad(api, auth, cluster, name):
    for method in ("get", "delete"):
        response = api.request(method.upper(), f"{API}/cluster/{name}", headers=auth(ADMIN))
        assert response.status_code == 200, response.text
        validate_response(reference(), method, f"{API}/cluster/{{cluster_name}}", response.json())
        assert response.json()["warnings"]
    # A query that does not match keeps the cluster from being deleted.
    cluster.run("sacctmgr", "-i", "add", "cluster", f"name={name}")
    kept = api.delete(f"{API}/cluster/{name}", params={"flags": "FEDERATION"}, headers=auth(ADMIN))
    assert kept.status_code == 200 and kept.json()["deleted_clusters"] == [] and exists(cluster, name)
    bad = api.post(f"{API}/clusters/", headers=auth(ADMIN),
                   json={"clusters": [{"name": f"{name}-x"}, {"name": "two words"}]})
    assert bad.status_code == 400
    validate_response(reference(), "post", f"{API}/clusters/", bad.json(), status=400)
    assert bad.json()["errors"][0]["description"].startswith("clusters[1].name")
    assert not exists(cluster, f"{name}-x")
    nameless = api.post(f"{API}/clusters/", headers=auth(ADMIN), json={"clusters": [{"nodes": "x"}]})
    assert nameless.status_code == 400
    empty = api.post(f"{API}/clusters/", headers=auth(ADMIN), json={"clusters": []})
    assert empty.status_code == 200 and empty.json()["warnings"][0]["description"] == "ignoring empty clusters array"
