"""Workload characterization keys: Slurm 22.05's `sacctmgr show wckey` text
into API v0.0.44 `wckey` objects."""

from __future__ import annotations

FIELDS = (("id", "ID"), ("name", "WCKey"), ("cluster", "Cluster"), ("user", "User"))


def from_row(row: dict[str, str], *, deleted: bool = False) -> dict:
    """One line of `sacctmgr -n -P show wckey format=ID,WCKey,Cluster,User`.
    Usage (`accounting`) is not something sacctmgr lists: it stays empty."""
    return {
        "accounting": [],
        "cluster": row["cluster"],
        "id": int(row["id"]),
        "name": row["name"],
        "user": row["user"],
        "flags": ["DELETED"] if deleted else [],
    }
