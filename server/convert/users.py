"""Users: Slurm 22.05's `sacctmgr show users` text into API v0.0.44 `user`
objects, and v0.0.44 `user` objects into `sacctmgr add|modify user`
settings.

A user's coordinators are the accounts they coordinate (v0.0.44 `coord`
objects with the account's name; see server.convert.accounts for `direct`);
their associations are `assoc_short` objects, their WCKeys `wckey` objects
(`sacctmgr show wckeys`).
"""

from __future__ import annotations

from server.convert import sacctmgr_values as values
from server.convert.sacctmgr_values import FieldError

FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "User"),
    ("default_account", "DefaultAccount"),
    ("default_wckey", "DefaultWCKey"),
    ("admin_level", "AdminLevel"),
    ("coordinators", "Coordinators"),
)

WCKEY_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"), ("cluster", "Cluster"), ("user", "User"), ("id", "ID"),
)

# v0.0.44's administrator levels and how sacctmgr spells them.
ADMIN_LEVELS = {"None": "None", "Operator": "Operator", "Administrator": "Administrator"}


def admin_level(text: str) -> str:
    """22.05 prints None, Operator or Administrator; `Not Set` is the level
    of a user that was never given one."""
    text = text.strip()
    return text if text in ADMIN_LEVELS else "Not Set"


def from_row(row: dict[str, str], *, deleted: bool = False, associations=None, coordinators=None,
             wckeys=None, without_defaults: bool = False) -> dict:
    """One line of `sacctmgr show users` as a v0.0.44 `user`, keys in
    slurmrestd's order."""
    default = {} if without_defaults else {"account": row.get("default_account", ""),
                                           "wckey": row.get("default_wckey", "")}
    return {
        "administrator_level": [admin_level(row.get("admin_level", ""))],
        "associations": list(associations or []),
        "coordinators": list(coordinators or []),
        "default": default,
        "flags": ["DELETED"] if deleted else [],
        "name": row["name"],
        "wckeys": list(wckeys or []),
    }


def wckey_from_row(row: dict[str, str], *, deleted: bool = False) -> dict:
    return {
        "accounting": [],
        "cluster": row["cluster"],
        "id": int(row["id"]) if row.get("id", "").strip() else 0,
        "name": row["name"],
        "user": row["user"],
        "flags": ["DELETED"] if deleted else [],
    }


def admin_level_argument(levels, field: str) -> str | None:
    """The level of `administrator_level` (a list of one) for `AdminLevel=`;
    None for `Not Set` or an empty list (leave the level as it is)."""
    if not isinstance(levels, list):
        raise FieldError(field, "expected a list holding one administrator level")
    wanted = [level for level in levels if level != "Not Set"]
    if not wanted:
        return None
    if len(set(wanted)) > 1:
        raise FieldError(field, f"a user has one administrator level, not {', '.join(wanted)}")
    if wanted[0] not in ADMIN_LEVELS:
        raise FieldError(field, f"{wanted[0]!r} is not one of {', '.join(ADMIN_LEVELS)}")
    return ADMIN_LEVELS[wanted[0]]


def name(value, field: str) -> str:
    """A user name as sacctmgr keeps it (lower case)."""
    return values.name_argument(value, field).lower()
