"""Trackable resources (TRES): the table slurmdbd keeps, and TRES lists in
limits both ways.

sacctmgr prints a TRES list as `billing=7,cpu=4,fs/disk=5000,mem=2G`: names,
not IDs, sorted by name, memory (and burst buffer) with a unit suffix when
the count is a whole number of them (M is the unit, G = 1024 M, ...). The
API's list is `[{"type": "cpu", "name": "", "id": 1, "count": 4}, ...]`, in
ID order as slurmrestd prints it. The table (`sacctmgr show tres`) maps one
onto the other.
"""

from __future__ import annotations

import re

from server.convert.sacctmgr_values import FieldError

# Units of TRES counts printed with a suffix (count is in megabytes).
_UNIT = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 ** 2, "P": 1024 ** 3, "E": 1024 ** 4}
_COUNT = re.compile(r"^(-?\d+(?:\.\d+)?)([KMGTPE]?)$")
INT64_MAX = 2 ** 63 - 1

FIELDS = (("type", "Type"), ("name", "Name"), ("id", "ID"))

# Names clients use for a TRES slurmdbd calls otherwise. slurmrestd keeps
# no such alias: an unknown TRES there voids the whole list it is in
# (answered 200, no limit stored), so a limit on "memory" is lost.
ALIASES = {"memory": "mem"}


def from_row(row: dict[str, str]) -> dict:
    """One line of `sacctmgr show tres format=Type,Name,ID`. The table holds
    no counts: slurmrestd prints 0."""
    return {"type": row["type"], "name": row["name"], "id": int(row["id"]), "count": 0}


def key(tres: dict) -> str:
    """`type/name` as sacctmgr writes a TRES (`cpu`, `gres/gpu`, `fs/disk`)."""
    name = tres.get("name") or ""
    return f"{tres['type']}/{name}" if name else tres["type"]


class TresTable:
    """The TRES slurmdbd knows, by `type/name` and by ID."""

    def __init__(self, tres: list[dict]):
        self.tres = list(tres)
        self.by_key = {key(t).lower(): t for t in self.tres}
        self.by_id = {t["id"]: t for t in self.tres if "id" in t}

    def find(self, text: str) -> dict | None:
        return self.by_key.get(text.lower())


def parse_count(text: str) -> int:
    match = _COUNT.match(text.strip())
    if not match:
        raise ValueError(f"not a TRES count: {text!r}")
    number, unit = match.groups()
    return int(round(float(number) * _UNIT[unit or "M"])) if unit else int(number)


def parse_list(text: str, table: TresTable) -> list[dict]:
    """`cpu=4,mem=2G,gres/gpu=2` as API TRES, in ID order. A TRES missing
    from the table keeps its type and name but has no ID."""
    found = []
    for item in (part for part in text.split(",") if part):
        name, _, count = item.rpartition("=")
        if not name:
            raise ValueError(f"not a TRES count: {item!r}")
        known = table.find(name)
        if known:
            found.append({"type": known["type"], "name": known["name"], "id": known["id"],
                          "count": parse_count(count)})
        else:
            kind, _, sub = name.partition("/")
            found.append({"type": kind, "name": sub, "count": parse_count(count)})
    return sorted(found, key=lambda t: (t.get("id", 1 << 40), key(t)))


def format_list(items, table: TresTable, field: str) -> str | None:
    """API TRES as sacctmgr's `cpu=4,gres/gpu=2`; count -1 removes that TRES
    from the limit. Each TRES must be one slurmdbd knows (by id, or by type
    and name). None for an empty list: nothing to change."""
    if not isinstance(items, list):
        raise FieldError(field, "expected a list of TRES")
    parts, seen = [], set()
    for index, item in enumerate(items):
        where = f"{field}[{index}]"
        known = resolve(item, table, where)
        count = item.get("count")
        if count is None or isinstance(count, bool) or not isinstance(count, int):
            raise FieldError(f"{where}.count", "a whole number is required (-1 removes the limit)")
        if count < -1 or count > INT64_MAX:
            raise FieldError(f"{where}.count", f"{count} is out of range (-1 removes the limit)")
        name = key(known)
        if name in seen:
            raise FieldError(where, f"TRES {name} is given twice")
        seen.add(name)
        parts.append(f"{name}={count}")
    return ",".join(parts) or None


def resolve(item, table: TresTable, where: str) -> dict:
    """The TRES of slurmdbd an API TRES names, by id or by type and name."""
    if not isinstance(item, dict):
        raise FieldError(where, "expected a TRES object")
    tres_id = item.get("id")
    kind = item.get("type")
    if tres_id is not None:
        known = table.by_id.get(tres_id)
        if known is None:
            raise FieldError(f"{where}.id", f"slurmdbd knows no TRES with id {tres_id}")
        if kind and key({"type": kind, "name": item.get("name") or ""}).lower() != key(known).lower():
            raise FieldError(where, f"TRES id {tres_id} is {key(known)}, "
                             f"not {key({'type': kind, 'name': item.get('name') or ''})}")
        return known
    if not kind:
        raise FieldError(f"{where}.type", "a TRES type (or id) is required")
    wanted = key({"type": kind, "name": item.get("name") or ""})
    known = table.find(wanted) or table.find(ALIASES.get(wanted.lower(), ""))
    if known is None:
        raise FieldError(where, f"slurmdbd knows no TRES {wanted} "
                         "(only those in AccountingStorageTRES are tracked)")
    return known
