"""Accounts: Slurm 22.05's `sacctmgr show accounts` text into API v0.0.44
`account` objects, and what coordinators each account has.

22.05 prints an account's coordinators as names only
(`Coordinators=alice,bob`), the ones of its parent accounts included (a
coordinator of an account coordinates every account below it). v0.0.44 says
for each whether it was made coordinator of this very account (`direct`).
22.05 does not keep that apart in what it prints: a coordinator is taken as
direct when the parent account does not have them too, which is true but for
a user made coordinator of both an account and one of its parents.
"""

from __future__ import annotations

from server.convert import sacctmgr_values as values

# `sacctmgr show accounts format=...`; Description last, since the reader
# keeps any `|` in the last field.
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Account"),
    ("coordinators", "Coordinators"),
    ("organization", "Organization"),
    ("description", "Description"),
)


def from_row(row: dict[str, str], *, deleted: bool = False, coordinators: list[dict] | None = None,
             associations: list[dict] | None = None) -> dict:
    """One line of `sacctmgr show accounts` as a v0.0.44 `account`, keys in
    slurmrestd's order."""
    return {
        "associations": list(associations or []),
        "coordinators": list(coordinators or []),
        "description": row.get("description", ""),
        "name": row["name"],
        "organization": row.get("organization", ""),
        "flags": ["DELETED"] if deleted else [],
    }


def coordinators_by_account(rows: list[dict[str, str]]) -> dict[str, list[str]]:
    """account -> the coordinator names `show accounts withcoord` lists."""
    return {row["name"]: values.split_words(row.get("coordinators", "")) for row in rows}


def parents(tree_rows: list[dict[str, str]]) -> dict[str, str]:
    """account -> its parent account, from the account associations
    (`show associations users=''`); an account with associations on several
    clusters under different parents keeps the first."""
    found: dict[str, str] = {}
    for row in tree_rows:
        if row.get("parent_account"):
            found.setdefault(row["account"], row["parent_account"])
    return found


def coordinators(account: str, coords: dict[str, list[str]], parent_of: dict[str, str]) -> list[dict]:
    """The `coord` objects of one account: each name with `direct` false when
    the parent account has that coordinator too."""
    above = set(coords.get(parent_of.get(account, ""), []))
    return [{"name": name, "direct": name not in above} for name in coords.get(account, [])]


def user_coordinators(user: str, coords: dict[str, list[str]], parent_of: dict[str, str]) -> list[dict]:
    """The `coord` objects of one user: every account they coordinate."""
    mine = sorted(account for account, names in coords.items() if user in names)
    return [{"name": account, "direct": user not in coords.get(parent_of.get(account, ""), [])}
            for account in mine]


def direct_coordinators(account: str, coords: dict[str, list[str]], parent_of: dict[str, str]) -> set[str]:
    return {c["name"] for c in coordinators(account, coords, parent_of) if c["direct"]}
