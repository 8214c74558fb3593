"""Slurm 22.05's `sshare --noheader --parsable2 --format=<FIELDS>` turned into
the internal form of the fair-share tree, the shape of API v0.0.44
``v0.0.44_assoc_shares_obj_wrap`` (one object an association).

How sshare prints a row (22.05, ``src/sshare/process.c``):

- Account rows have the account in ``Account`` and nothing in ``User``; user
  rows have the user in ``User`` and their *account* in ``Account``. The
  ``Account`` text is indented one space a level of the tree: an account's
  parent is the account printed last one level up (rows come in tree order).
  That only holds when every account row is printed, which is why accounts
  are filtered here (``only_accounts``) and not by ``sshare --accounts``,
  and when slurmctld's list is in tree order, which it is not always
  (``parse_tree`` says; the parents then come from sacctmgr,
  ``account_parents``).
- Numbers it cannot give are blank: ``RawShares`` of root, ``NormShares``
  and ``NormUsage`` under priority/basic, ``FairShare`` of an account row
  (fair-tree gives accounts none), ``LevelFS`` of a ``parent`` share.
  Blank is unset ({set: false}); ``inf`` is infinite; ``RawShares``
  ``parent`` (SLURMDB_FS_USE_PARENT) is 2147483647, the number Slurm keeps.
- Floats are printed with 6 decimals, and ``RawUsage`` as an integer: that is
  the precision the API gets.
- ``TRESRunMins`` is the running TRES-seconds divided by 60 (integer
  division in sshare): ``tres.run_seconds`` is minutes x 60, so up to 59 s
  short. It lists every TRES, so it gives the TRES names and their order.
- ``GrpTRESMins`` lists only the TRES with a limit; the others have none
  (INFINITE64 in slurmctld) and are given as infinite. ``GrpTRESRaw`` is
  ``tres.usage``.
- slurmctld's ``total_shares`` is not printed by sshare and is left out.
"""

from __future__ import annotations

from typing import Iterable

FIELDS = ("ID", "Cluster", "Account", "User", "Partition", "RawShares", "NormShares",
          "RawUsage", "NormUsage", "EffectvUsage", "FairShare", "LevelFS",
          "GrpTRESMins", "TRESRunMins", "GrpTRESRaw")

SLURMDB_FS_USE_PARENT = 0x7FFFFFFF

UNSET = {"set": False, "infinite": False, "number": 0}
INFINITE = {"set": False, "infinite": True, "number": 0}


def parse(text: str, fields: tuple[str, ...] = FIELDS) -> list[dict]:
    """Every row of the output, in order, in the internal form."""
    return parse_tree(text, fields)[0]


def parse_tree(text: str, fields: tuple[str, ...] = FIELDS) -> tuple[list[dict], bool]:
    """The rows, and whether sshare printed them in tree order. slurmctld
    does not always keep its association list sorted (seen on 22.05.8 after
    associations were added: a user row first, unindented, before root);
    then sshare's indentation no longer tells an account's parent, and the
    parents of account rows must come from elsewhere (``set_parents``)."""
    shares: list[dict] = []
    parents: list[str] = []  # the account open at each depth
    depth_of: dict[str, int] = {}
    in_order = True
    for line in text.splitlines():
        if not line.strip():
            continue
        values = line.split("|")
        if len(values) != len(fields):
            raise ValueError(f"sshare printed {len(values)} fields where {len(fields)} were asked: {line!r}")
        row = dict(zip(fields, values))
        indented = row["Account"]
        depth = len(indented) - len(indented.lstrip(" "))
        account = indented.strip()
        if row["User"].strip():
            in_order &= depth_of.get(account) == depth - 1
        else:
            in_order &= (depth == 0) == (not shares) and depth <= len(parents)
            depth_of[account] = depth
        shares.append(_share(row, depth, parents))
    return shares, in_order


def set_parents(shares: Iterable[dict], parents: dict[str, str]) -> None:
    """Give account rows the parents named in `parents` (account -> parent
    account), e.g. from sacctmgr; an account it does not name keeps its own."""
    for share in shares:
        if "USER" not in share["type"] and share["name"] in parents:
            share["parent"] = parents[share["name"]]


def account_parents(text: str) -> dict[str, str]:
    """`sacctmgr -n -P show associations format=Account,User,ParentName`:
    account -> parent account, from the account rows (no user)."""
    parents = {}
    for line in text.splitlines():
        values = line.split("|")
        if len(values) == 3 and values[0] and not values[1]:
            parents[values[0]] = values[2]
    return parents


def only_accounts(shares: Iterable[dict], accounts: Iterable[str]) -> list[dict]:
    """The associations slurmctld gives for an account filter: the account's
    own row and its users' rows (names compared without regard to case)."""
    wanted = {account.lower() for account in accounts}
    return [share for share in shares if _account_of(share).lower() in wanted]


def _account_of(share: dict) -> str:
    return share["parent"] if "USER" in share["type"] else share["name"]


def _share(row: dict, depth: int, parents: list[str]) -> dict:
    account = row["Account"].strip()
    user = row["User"].strip()
    if user:
        name, parent = user, account
    else:
        del parents[depth:]
        parent = parents[depth - 1] if 0 < depth <= len(parents) else ""
        parents.append(account)
        name = account
    tres_names = [name for name, _ in _tres_pairs(row["TRESRunMins"])]
    limits = dict(_tres_pairs(row["GrpTRESMins"]))
    return {
        "id": int(row["ID"]),
        "cluster": row["Cluster"],
        "name": name,
        "parent": parent,
        "partition": row["Partition"],
        "shares_normalized": f64(row["NormShares"]),
        "shares": raw_shares(row["RawShares"]),
        "tres": {
            "run_seconds": [{"name": tres, "value": _u64(int(minutes) * 60)}
                            for tres, minutes in _tres_pairs(row["TRESRunMins"])],
            "group_minutes": [{"name": tres,
                               "value": _u64(int(limits[tres])) if tres in limits else dict(INFINITE)}
                              for tres in tres_names + [t for t in limits if t not in tres_names]],
            "usage": [{"name": tres, "value": float(value)}
                      for tres, value in _tres_pairs(row["GrpTRESRaw"])],
        },
        "effective_usage": f64(row["EffectvUsage"]),
        "usage_normalized": f64(row["NormUsage"]),
        "usage": int(row["RawUsage"] or 0),
        "fairshare": {
            "factor": f64(row["FairShare"]),
            "level": f64(row["LevelFS"]),
        },
        "type": ["USER"] if user else ["ASSOCIATION"],
    }


def f64(text: str) -> dict:
    """A printed double into ``v0.0.44_float64_no_val_struct``."""
    value = text.strip()
    if not value or value.lower() == "nan":
        return dict(UNSET)
    if value.lower() in ("inf", "+inf", "infinity", "infinite"):
        return dict(INFINITE)
    return {"set": True, "infinite": False, "number": float(value)}


def raw_shares(text: str) -> dict:
    value = text.strip()
    if value == "parent":
        return {"set": True, "infinite": False, "number": SLURMDB_FS_USE_PARENT}
    if not value:
        return dict(UNSET)
    return {"set": True, "infinite": False, "number": int(value)}


def _u64(number: int) -> dict:
    return {"set": True, "infinite": False, "number": number}


def _tres_pairs(text: str) -> list[tuple[str, str]]:
    """'cpu=5,mem=250,gres/gpu=1' -> [('cpu', '5'), ...]"""
    pairs = []
    for item in text.strip().split(","):
        name, sep, value = item.partition("=")
        if sep and name.strip():
            pairs.append((name.strip(), value.strip()))
    return pairs
