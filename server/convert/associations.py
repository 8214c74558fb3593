"""Associations: Slurm 22.05's `sacctmgr show associations` text into API
v0.0.44 `assoc` objects, and v0.0.44 `assoc` objects (or the `assoc_rec_set`
of an add-with-condition request) into `sacctmgr add|modify` settings.

An association is a (cluster, account, user, partition) node of the tree
slurmdbd keeps: an account's own association (user "") hangs under its
parent account's, a user's under its account's. Every limit of the v0.0.44
object is one field of sacctmgr, read with the name 22.05 accepts in
`format=` and written with the key it accepts after `set`; the table LIMITS
is the one place that says which.

What 22.05 does not print is derived:
- `lineage` (Slurm 23.11 stores it; 22.05 keeps lft/rgt): the path from the
  root, `/` for root, `/<parent lineage><account>/` for an account,
  `<account lineage>0-<user>/` for a user, then `<partition>/` for a
  partition association, built from the tree of account associations;
- `is_default`: the ids `show associations onlydefaults` lists;
- the DELETED flag: what `withdeleted` adds to the same query without it.
22.05 has no association comment or flags (`comment` is "", `flags` empty
but for DELETED) and no usage (`accounting` is empty).
"""

from __future__ import annotations

from server.convert import sacctmgr_values as values
from server.convert.sacctmgr_values import FieldError
from server.convert.tres import TresTable, format_list, parse_list

# A fair-share of "parent" (SLURMDB_FS_USE_PARENT), as slurmrestd prints it.
SHARES_USE_PARENT = 0x7FFFFFFF

# (path in the v0.0.44 assoc, path in an assoc_rec_set, kind, field in
#  `format=`, key after `set`)   kind: uint32 | tres | minutes
LIMITS: tuple[tuple[tuple[str, ...], str, str, str, str], ...] = (
    (("max", "jobs", "per", "count"), "grpjobs", "uint32", "GrpJobs", "GrpJobs"),
    (("max", "jobs", "per", "accruing"), "grpjobsaccrue", "uint32", "GrpJobsAccrue", "GrpJobsAccrue"),
    (("max", "jobs", "per", "submitted"), "grpsubmitjobs", "uint32", "GrpSubmit", "GrpSubmitJobs"),
    (("max", "jobs", "per", "wall_clock"), "maxwalldurationperjob", "minutes", "MaxWall", "MaxWall"),
    (("max", "jobs", "active"), "maxjobs", "uint32", "MaxJobs", "MaxJobs"),
    (("max", "jobs", "accruing"), "maxjobsaccrue", "uint32", "MaxJobsAccrue", "MaxJobsAccrue"),
    (("max", "jobs", "total"), "maxsubmitjobs", "uint32", "MaxSubmit", "MaxSubmitJobs"),
    (("max", "tres", "total"), "grptres", "tres", "GrpTRES", "GrpTRES"),
    (("max", "tres", "group", "minutes"), "grptresmins", "tres", "GrpTRESMins", "GrpTRESMins"),
    (("max", "tres", "group", "active"), "grptresrunmins", "tres", "GrpTRESRunMins", "GrpTRESRunMins"),
    (("max", "tres", "minutes", "per", "job"), "maxtresminsperjob", "tres", "MaxTRESMins", "MaxTRESMins"),
    (("max", "tres", "per", "job"), "maxtresperjob", "tres", "MaxTRES", "MaxTRES"),
    (("max", "tres", "per", "node"), "maxtrespernode", "tres", "MaxTRESPerNode", "MaxTRESPerNode"),
    (("max", "per", "account", "wall_clock"), "grpwall", "minutes", "GrpWall", "GrpWall"),
    (("min", "priority_threshold"), "minpriothresh", "uint32", "MinPrioThresh", "MinPrioThresh"),
    (("priority",), "priority", "uint32", "Priority", "Priority"),
)

TRES_LIMITS = tuple(limit for limit in LIMITS if limit[2] == "tres")

# The fields of `sacctmgr show associations format=...`, in order.
FIELDS: tuple[tuple[str, str], ...] = (
    ("cluster", "Cluster"),
    ("account", "Account"),
    ("user", "User"),
    ("partition", "Partition"),
    ("id", "ID"),
    ("parent_id", "ParentID"),
    ("parent_account", "ParentName"),
    ("shares", "Fairshare"),
    ("default_qos", "DefaultQOS"),
    ("qos", "QOS"),
    *((field, field) for _, _, _, field, _ in LIMITS),
)

# Just enough to place every account in the tree.
TREE_FIELDS: tuple[tuple[str, str], ...] = (
    ("cluster", "Cluster"), ("account", "Account"), ("parent_account", "ParentName"),
)


# -- reading ------------------------------------------------------------------


def lineages(tree_rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """(cluster, account) -> lineage of the account's association, from the
    account associations of `show associations users=''`."""
    parent = {(r["cluster"], r["account"]): r.get("parent_account", "") for r in tree_rows}
    found: dict[tuple[str, str], str] = {}

    def lineage(cluster: str, account: str, depth: int = 0) -> str:
        key = (cluster, account)
        if key in found:
            return found[key]
        above = parent.get(key, "")
        if not above or depth > 64:  # root (or a loop that cannot be)
            path = "/" if account == "root" else f"/{account}/"
        else:
            path = f"{lineage(cluster, above, depth + 1)}{account}/"
        found[key] = path
        return path

    for cluster, account in parent:
        lineage(cluster, account)
    return found


def lineage_of(row: dict[str, str], accounts: dict[tuple[str, str], str]) -> str:
    base = accounts.get((row["cluster"], row["account"]))
    if base is None:  # the account's association is gone (deleted)
        base = "/" if row["account"] == "root" else f"/{row['account']}/"
    if not row.get("user"):
        return base
    path = f"{base}0-{row['user']}/"
    return f"{path}{row['partition']}/" if row.get("partition") else path


def shares_raw(text: str) -> int:
    text = text.strip()
    if not text:
        return 1
    if text.lower() == "parent":
        return SHARES_USE_PARENT
    return int(text)


def _put(target: dict, path: tuple[str, ...], value) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _get(source: dict, path: tuple[str, ...]):
    for part in path:
        if not isinstance(source, dict) or part not in source:
            return None
        source = source[part]
    return source


def _empty_max() -> dict:
    """The `max` object in slurmrestd's order, everything unset."""
    unset = values.unset_number
    return {
        "jobs": {
            "per": {"count": unset(), "accruing": unset(), "submitted": unset(), "wall_clock": unset()},
            "active": unset(), "accruing": unset(), "total": unset(),
        },
        "tres": {
            "total": [],
            "group": {"minutes": [], "active": []},
            "minutes": {"total": [], "per": {"job": []}},
            "per": {"job": [], "node": []},
        },
        "per": {"account": {"wall_clock": unset()}},
    }


def from_row(row: dict[str, str], tres: TresTable, *, lineage: str = "",
             is_default: bool = False, deleted: bool = False) -> dict:
    """One line of `sacctmgr show associations format=<FIELDS>` as a v0.0.44
    `assoc`, keys in slurmrestd's order."""
    assoc = {
        "accounting": [],
        "account": row["account"],
        "cluster": row["cluster"],
        "comment": "",
        "default": {"qos": row.get("default_qos", "")},
        "flags": ["DELETED"] if deleted else [],
        "max": _empty_max(),
        "id": int(row["id"]) if row.get("id", "").strip() else 0,
        "is_default": bool(is_default),
        "lineage": lineage,
        "min": {"priority_threshold": values.unset_number()},
        "parent_account": row.get("parent_account", ""),
        "partition": row.get("partition", ""),
        "priority": values.unset_number(),
        "qos": values.split_words(row.get("qos", "")),
        "shares_raw": shares_raw(row.get("shares", "")),
        "user": row.get("user", ""),
    }
    for path, _, kind, field, _ in LIMITS:
        text = row.get(field, "")
        if kind == "uint32":
            value = values.uint32_struct(text)
        elif kind == "minutes":
            value = values.minutes_struct(text)
        else:
            value = parse_list(text, tres)
        _put(assoc, path, value)
    return assoc


def short(assoc: dict) -> dict:
    """The `assoc_short` an account or a user lists for each association."""
    return {
        "account": assoc.get("account", ""),
        "cluster": assoc.get("cluster", ""),
        "partition": assoc.get("partition", ""),
        "user": assoc.get("user", ""),
        "id": assoc.get("id", 0),
    }


def key_of(assoc: dict) -> tuple[str, str, str, str]:
    """What names an association: (cluster, account, user, partition)."""
    return (assoc.get("cluster") or "", assoc.get("account") or "",
            assoc.get("user") or "", assoc.get("partition") or "")


def describe(key: tuple[str, str, str, str]) -> str:
    cluster, account, user, partition = key
    text = f"cluster={cluster} account={account}"
    if user:
        text += f" user={user}"
    if partition:
        text += f" partition={partition}"
    return text


def removed(lines: list[str]) -> list[str]:
    """What `sacctmgr delete account|user` lists under its ` Deleting ...
    associations...` headings (`C = srp        A = acct U = user`), which
    are slurmdbd's own words for each removed association."""
    return _listed(lines, lambda heading: "associations" in heading and "(no associations)" not in heading)


def users_removed_with(lines: list[str]) -> list[str]:
    """The users 22.05 removed along with their last association (` Deleting
    users (No Associations)...`)."""
    return _listed(lines, lambda heading: "(no associations)" in heading)


def _listed(lines: list[str], wanted) -> list[str]:
    found, inside = [], False
    for line in lines:
        if not line.startswith("  "):
            inside = wanted(line.strip().lower())
            continue
        if inside:
            found.append(line.strip())
    return found


# -- writing ------------------------------------------------------------------


def _tres_argument(items, tres: TresTable, field: str, current: list[dict] | None) -> str | None:
    """A TRES limit as sacctmgr's `cpu=4,mem=100`. With ``current`` (a
    change of an existing association), the list given is the whole new
    limit, as slurmrestd takes it: every TRES limited now and not given is
    removed (count -1)."""
    given = format_list(items if items is not None else [], tres, field) or ""
    if current is None:
        return given or None
    named = {part.split("=", 1)[0].lower() for part in given.split(",") if part}
    dropped = [f"{_tres_key(t)}=-1" for t in current if _tres_key(t).lower() not in named]
    text = ",".join(part for part in (given, ",".join(dropped)) if part)
    return text or None


def _tres_key(item: dict) -> str:
    return f"{item['type']}/{item['name']}" if item.get("name") else item["type"]


def settings(assoc: dict, tres: TresTable, field: str, *, current: dict | None = None) -> list[str]:
    """The `Key=value` settings of sacctmgr for a v0.0.44 `assoc` (the limits,
    fair-share, QOS and default QOS it gives). ``current`` is the
    association as it is now (its own limits, `woplimits`), for a change:
    then a limit not given stays as it is, but for TRES limits (see
    ``_tres_argument``)."""
    found: list[str] = []
    for path, _, kind, _, key in LIMITS:
        value = _get(assoc, path)
        where = f"{field}.{'.'.join(path)}"
        if kind == "tres":
            now = _get(current, path) if current is not None else None
            if value is None and current is None:
                continue
            text = _tres_argument(value, tres, where, now if current is not None else None)
        elif value is None:
            continue
        else:
            text = values.no_val_argument(value, where)
            if text is not None and kind == "minutes" and text != "-1":
                text = values.duration_argument(int(text) * 60)
        if text is not None:
            found.append(f"{key}={text}")
    if "shares_raw" in assoc:
        found.append(f"Fairshare={_shares_argument(assoc['shares_raw'], f'{field}.shares_raw')}")
    if "qos" in assoc:
        found.append(f"QOS={_qos_argument(assoc['qos'], f'{field}.qos')}")
    default_qos = _get(assoc, ("default", "qos"))
    if default_qos is not None:
        found.append(f"DefaultQOS={_default_qos_argument(default_qos, f'{field}.default.qos')}")
    return found


def rec_set_settings(rec: dict, tres: TresTable, field: str) -> list[str]:
    """The settings of an `assoc_rec_set` (the association part of
    POST /accounts_association/ and /users_association/)."""
    found: list[str] = []
    for path, name, kind, _, key in LIMITS:
        if name not in rec:
            continue
        where = f"{field}.{name}"
        if kind == "tres":
            text = format_list(rec[name], tres, where)
        else:
            text = values.no_val_argument(rec[name], where)
            if text is not None and kind == "minutes" and text != "-1":
                text = values.duration_argument(int(text) * 60)
        if text is not None:
            found.append(f"{key}={text}")
    if "fairshare" in rec:
        found.append(f"Fairshare={_shares_argument(rec['fairshare'], f'{field}.fairshare')}")
    if "qoslevel" in rec:
        found.append(f"QOS={_qos_argument(rec['qoslevel'], f'{field}.qoslevel')}")
    if "defaultqos" in rec:
        found.append(f"DefaultQOS={_default_qos_argument(rec['defaultqos'], f'{field}.defaultqos')}")
    return found


def _shares_argument(value, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(field, "a whole number is required")
    if value == SHARES_USE_PARENT:
        return "parent"
    if value < 0 or value >= SHARES_USE_PARENT:
        raise FieldError(field, f"{value} is out of range (0 to {SHARES_USE_PARENT - 1}, "
                         f"or {SHARES_USE_PARENT} for the parent's)")
    return str(value)


def _qos_argument(items, field: str) -> str:
    """A QOS list; an empty list clears it (the parent's then applies)."""
    if not isinstance(items, list):
        raise FieldError(field, "expected a list of QOS names")
    names = [values.name_argument(item, f"{field}[{i}]") for i, item in enumerate(items)]
    return ",".join(names)


def _default_qos_argument(value, field: str) -> str:
    """A default QOS by name; "" removes it."""
    if not isinstance(value, str):
        raise FieldError(field, "expected a QOS name")
    return values.name_argument(value, field) if value else "-1"


def qos_named(assoc: dict) -> list[tuple[str, str]]:
    """(field, QOS name) of every QOS an assoc names, to check they exist."""
    found = [(f"qos[{i}]", name) for i, name in enumerate(assoc.get("qos") or [])
             if isinstance(name, str)]
    default_qos = _get(assoc, ("default", "qos"))
    if isinstance(default_qos, str) and default_qos:
        found.append(("default.qos", default_qos))
    return found


def rec_set_qos_named(rec: dict) -> list[tuple[str, str]]:
    found = [(f"qoslevel[{i}]", name) for i, name in enumerate(rec.get("qoslevel") or [])
             if isinstance(name, str)]
    if isinstance(rec.get("defaultqos"), str) and rec["defaultqos"]:
        found.append(("defaultqos", rec["defaultqos"]))
    return found
