"""Clusters from a Slurm that prints v0.0.44 itself (the fake 25.11
sacctmgr). No slurmrestd recording of /clusters/ exists: the document is
written here, by hand, in the v0.0.44 shape."""

import json

from tests.schemas import reference_as_meant, validate_response
from tests.fakes.current_slurm import headers

API = "/slurmdb/v0.0.44"
CLUSTERS = [
    {"controller": {"host": "ctl", "port": 6817}, "flags": ["MULTIPLE_SLURMD"], "name": "hpc",
     "nodes": "cn[1-4]", "select_plugin": "cons_tres",
     "associations": {"root": {"account": "root", "cluster": "hpc", "partition": "", "user": "", "id": 1}},
     "rpc_version": 11008, "tres": [{"type": "cpu", "name": "", "id": 1, "count": 64}]},
    {"controller": {"host": "", "port": 0}, "flags": [], "name": "lab", "nodes": "",
     "select_plugin": "", "associations": {"root": {"account": "root", "cluster": "lab", "user": ""}},
     "rpc_version": 0, "tres": []},
]


def serve(folder):
    (folder / "sacctmgr.json").write_text(json.dumps({"clusters": CLUSTERS, "errors": [], "warnings": []}))


def test_clusters_pass_through(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    serve(folder)
    response = client.get(f"{API}/clusters/", headers=headers())
    assert response.status_code == 200, response.text
    assert (folder / "sacctmgr.argv").read_text().split("\n") == ["--json=v0.0.44", "show", "cluster"]
    assert response.json()["clusters"] == CLUSTERS
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/clusters/", response.json())


def test_one_cluster_and_its_filters(fake_slurm):  # noqa: F811
    folder, client = fake_slurm
    serve(folder)
    lab = client.get(f"{API}/cluster/lab", headers=headers())
    assert (folder / "sacctmgr.argv").read_text().split("\n") == ["--json=v0.0.44", "show", "cluster",
                                                                  "names=lab"]
    assert lab.json()["clusters"] == [CLUSTERS[1]]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/cluster/{{cluster_name}}", lab.json())
    flagged = client.get(f"{API}/cluster/lab", params={"flags": "MULTIPLE_SLURMD"}, headers=headers())
    assert flagged.json()["clusters"] == []
    other = client.get(f"{API}/cluster/hpc", params={"cluster": "lab"}, headers=headers()).json()
    assert other["clusters"] == [] and other["warnings"]
    rpc = client.get(f"{API}/cluster/hpc", params={"rpc_version": "11008"}, headers=headers()).json()
    assert rpc["clusters"] == [CLUSTERS[0]]
