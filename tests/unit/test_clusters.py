"""Clusters: Slurm 22.05.8's `sacctmgr show cluster` and the root
associations (recorded from the live cluster) into v0.0.44 `cluster_rec`."""

from pathlib import Path

from server.convert import clusters
from server.convert.sacctmgr_text import rows
from server.convert.tres import TresTable, from_row as tres_from_row
from server.slurm.commands.sacctmgr_clusters import (SacctmgrAddCluster, SacctmgrDeleteCluster,
                                                     SacctmgrShowClusters,
                                                     SacctmgrShowRootAssociations)
from tests.schemas import reference_as_meant, validate_response

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05"


def converted(warnings=None):
    table = TresTable([tres_from_row(r) for r in rows((DATA / "tres" / "show-tres.txt").read_text(),
                                                      ["type", "name", "id"])])
    roots = clusters.root_association_ids(rows(
        (DATA / "clusters" / "show-root-associations.txt").read_text(),
        [k for k, _ in SacctmgrShowRootAssociations().fields]))
    text = (DATA / "clusters" / "show-clusters.txt").read_text()
    warn = warnings.append if warnings is not None else (lambda m: None)
    return [clusters.from_row(r, table, roots, warn=warn)
            for r in rows(text, [k for k, _ in SacctmgrShowClusters().fields])]


def test_commands():
    assert SacctmgrShowClusters(names=("srp",), with_deleted=True, classifications=("capacity",)).argv() == [
        "sacctmgr", "-n", "-P", "show", "cluster", "names=srp", "classification=capacity", "withdeleted",
        "format=Cluster,ControlHost,ControlPort,RPC,Flags,ClusterNodes,PluginIDSelect,TRES"]
    assert SacctmgrShowRootAssociations(("srp",)).argv()[4:7] == ["association", "where", "accounts=root"]
    assert SacctmgrAddCluster("t-c").argv() == ["sacctmgr", "-i", "add", "cluster", "name=t-c"]
    assert SacctmgrDeleteCluster("t-c").argv() == ["sacctmgr", "-i", "delete", "cluster", "where", "names=t-c"]


def test_a_registered_cluster():
    srp = converted()[0]
    assert srp["name"] == "srp"
    assert srp["controller"] == {"host": "127.0.0.1", "port": 16817}
    assert srp["flags"] == ["MULTIPLE_SLURMD"]
    assert srp["nodes"].startswith("n[1-3]")
    assert srp["select_plugin"] == "cons_tres"
    assert srp["rpc_version"] == 9728
    assert srp["associations"] == {"root": {"account": "root", "cluster": "srp", "partition": "",
                                            "user": "", "id": 1}}
    assert [(t["type"], t["count"]) for t in srp["tres"]] == [
        ("cpu", 6), ("mem", 3000), ("energy", 0), ("node", 3), ("billing", 6), ("fs", 0), ("vmem", 0),
        ("pages", 0)]


def test_a_cluster_that_never_registered():
    added = converted()[1]
    assert added == {"controller": {"host": "", "port": 0}, "flags": [], "name": "t-clu-capture",
                     "nodes": "", "select_plugin": "",
                     "associations": {"root": {"account": "root", "cluster": "t-clu-capture",
                                               "partition": "", "user": "", "id": 1}},
                     "rpc_version": 0, "tres": []}


def test_flags_v0_0_44_cannot_say():
    warnings = []
    row = {"name": "c", "host": "", "port": "0", "rpc": "0", "flags": "FrontEnd,External",
           "nodes": "", "select": "102", "tres": ""}
    found = clusters.from_row(row, TresTable([]), {}, deleted=True, warn=warnings.append)
    assert found["flags"] == ["DELETED", "EXTERNAL"] and found["select_plugin"] == "linear"
    assert "id" not in found["associations"]["root"]
    assert warnings == ["cluster c: flag FrontEnd has no v0.0.44 equivalent and is left out"]


def test_valid_v0_0_44():
    body = {"clusters": converted(), "meta": {}, "errors": [], "warnings": []}
    validate_response(reference_as_meant("v0.0.44"), "get", "/slurmdb/v0.0.44/clusters/", body)
