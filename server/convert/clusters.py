"""Cluster records: Slurm 22.05's `sacctmgr show cluster` text (and the
root association of each cluster) into API v0.0.44 `cluster_rec` objects."""

from __future__ import annotations

from server.convert.sacctmgr_values import split_words
from server.convert.tres import TresTable, parse_list

FIELDS = (
    ("name", "Cluster"),
    ("host", "ControlHost"),
    ("port", "ControlPort"),
    ("rpc", "RPC"),
    ("flags", "Flags"),
    ("nodes", "ClusterNodes"),
    ("select", "PluginIDSelect"),
    ("tres", "TRES"),
)

ROOT_ASSOCIATION_FIELDS = (
    ("cluster", "Cluster"),
    ("account", "Account"),
    ("user", "User"),
    ("partition", "Partition"),
    ("id", "ID"),
)

# 22.05's names of cluster flags -> v0.0.44's. FrontEnd and Cray have none.
FLAGS = {
    "registering": "REGISTERING",
    "multipleslurmd": "MULTIPLE_SLURMD",
    "federation": "FEDERATION",
    "external": "EXTERNAL",
}
FLAG_ORDER = ("DELETED", "REGISTERING", "MULTIPLE_SLURMD", "FEDERATION", "EXTERNAL")

# Slurm's select plugin ids, named as slurmrestd names them.
SELECT_PLUGINS = {
    101: "cons_res",
    102: "linear",
    106: "serial",
    107: "cray_aries+linear",
    108: "cray_aries+cons_res",
    109: "cons_tres",
    110: "cray_aries+cons_tres",
}


def root_association_ids(rows: list[dict[str, str]]) -> dict[str, int]:
    """Cluster name -> ID of its root association, from the rows of
    `sacctmgr show association where accounts=root`."""
    return {row["cluster"]: int(row["id"]) for row in rows
            if row["account"] == "root" and not row["user"] and not row["partition"]}


def from_row(row: dict[str, str], table: TresTable, root_ids: dict[str, int], *,
             deleted: bool = False, warn=lambda message: None) -> dict:
    flags = set()
    for word in split_words(row["flags"]):
        if word.lower() == "none":
            continue
        flag = FLAGS.get(word.lower())
        if flag:
            flags.add(flag)
        else:
            warn(f"cluster {row['name']}: flag {word} has no v0.0.44 equivalent and is left out")
    if deleted:
        flags.add("DELETED")
    cluster = {
        "controller": {"host": row["host"], "port": int(row["port"] or 0)},
        "flags": [flag for flag in FLAG_ORDER if flag in flags],
        "name": row["name"],
        "nodes": row["nodes"],
        "select_plugin": SELECT_PLUGINS.get(int(row["select"] or 0), ""),
        "associations": {"root": {"account": "root", "cluster": row["name"], "partition": "",
                                  "user": ""}},
        "rpc_version": int(row["rpc"] or 0),
        "tres": parse_list(row["tres"], table),
    }
    if row["name"] in root_ids:
        cluster["associations"]["root"]["id"] = root_ids[row["name"]]
    return cluster
