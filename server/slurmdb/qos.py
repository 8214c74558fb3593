"""Quality of service records of slurmdbd: read, add or update, delete.

``read_qos`` gives v0.0.44 `qos` objects: passed through from a Slurm that
prints them (`sacctmgr --json=v0.0.44`), else converted from 22.05's
`sacctmgr show qos` text. ``write_qos`` does what slurmrestd's POST does
with each object: a QOS found by id (or, without an id, by name) is
modified, one not found is added (an id that matches nothing is an error,
as is an object with neither). ``delete_qos`` removes QOS by name.
"""

from __future__ import annotations

from server.convert import passthrough
from server.convert import qos as convert
from server.convert.sacctmgr_values import FieldError, name_argument
from server.slurm.commands.sacctmgr_entity import SacctmgrChange
from server.slurm.commands.sacctmgr_qos import (SacctmgrAddQos, SacctmgrDeleteQos,
                                                SacctmgrModifyQos, SacctmgrShowQos,
                                                SacctmgrShowQosJson)
from server.slurmdb.common import apply, possible_names, bad_field, bad_request, invalid_query
from server.slurmdb.tres import tres_table

SOURCE = "sacctmgr show qos"


async def read_qos(call, *, names=(), ids=(), descriptions=(), preempt_modes=(),
                   with_deleted: bool = False) -> list[dict]:
    """The QOS matching every filter given (each a list of alternatives)."""
    for index, value in enumerate(ids):
        if not str(value).isdigit():
            raise bad_request("id", f"{value!r} is not a QOS id (a number)")
    if names and not possible_names(names):
        return []  # nothing can have such a name
    names = possible_names(names)
    where = dict(names=tuple(names), ids=tuple(str(i) for i in ids), with_deleted=with_deleted)
    if call.slurm.prints("sacctmgr", call.version):
        found = [passthrough.without_nulls(item)
                 for item in await call.run(SacctmgrShowQosJson(call.version, **where))]
    else:
        table = await tres_table(call)
        rows = await call.run(SacctmgrShowQos(**where))
        deleted: set[str] = set()
        if with_deleted:
            # sacctmgr does not say which records are deleted: they are the
            # ones that only show with withdeleted.
            live = await call.run(SacctmgrShowQos(**{**where, "with_deleted": False}))
            deleted = {row["id"] for row in rows} - {row["id"] for row in live}
        warned: set[str] = set()

        def warn(message: str) -> None:
            if message not in warned:
                warned.add(message)
                call.warn(message, SOURCE)

        found = [convert.from_row(row, table, deleted=row["id"] in deleted, warn=warn) for row in rows]
    # Filters are applied here too: a Slurm printing JSON must not be
    # trusted to have applied them (22.05's squeue --json ignores its own).
    if names:
        found = [q for q in found if q.get("name", "").lower() in {n.lower() for n in names}]
    if ids:
        found = [q for q in found if str(q.get("id")) in set(where["ids"])]
    if descriptions:
        # Matched here: a description may hold spaces and commas.
        found = [q for q in found if q.get("description") in set(descriptions)]
    if preempt_modes:
        wanted = {mode.upper() for mode in preempt_modes}
        found = [q for q in found if wanted & set(q.get("preempt", {}).get("mode", []))]
    return found


async def write_qos(call, items, *, where: str = "qos") -> None:
    """Add or modify each QOS of ``items`` (v0.0.44 objects). Every object is
    checked before anything changes; see server.slurmdb.common.apply."""
    if not isinstance(items, list):
        raise bad_request(where, "expected a list of QOS")
    if not items:
        return
    table = await tres_table(call)
    existing = await read_qos(call)
    by_name = {q["name"].lower(): q for q in existing}
    by_id = {q["id"]: q for q in existing}
    planned: list[tuple[str, str, list[str], dict | None, list[str]]] = []
    seen: set[str] = set()
    try:
        for index, item in enumerate(items):
            field = f"{where}[{index}]"
            if not isinstance(item, dict):
                raise FieldError(field, "expected a QOS object")
            name = item.get("name")
            if name is not None:
                name_argument(name, f"{field}.name")
            qos_id = item.get("id")
            if qos_id:  # slurmrestd: an id of 0 is no id
                current = by_id.get(qos_id)
                if current is None or (name and current["name"].lower() != name.lower()):
                    raise invalid_query(f"{field}: QOS was not found for the requested ID {qos_id}",
                                        "_foreach_update_qos")
                name = current["name"]
            elif name:
                current = by_name.get(name.lower())
            else:
                raise invalid_query(f"{field}: Cannot create a QOS without a name",
                                    "_foreach_update_qos")
            if name.lower() in seen:
                raise FieldError(f"{field}.name", f"QOS {name} is given more than once")
            seen.add(name.lower())
            settings = convert.settings(item, table, field, current=current)
            preempts = list((item.get("preempt") or {}).get("list") or [])
            planned.append((field, name, settings, current, preempts))
        added = {name.lower() for _, name, _, current, _ in planned if current is None}
        for field, _, _, _, preempts in planned:
            for index, other in enumerate(preempts):
                if other.lower() not in by_name and other.lower() not in added:
                    raise FieldError(f"{field}.preempt.list[{index}]", f"there is no QOS named {other}")
    except FieldError as error:
        raise bad_field(error) from None
    changes: list[SacctmgrChange] = []
    for field, name, settings, current, _ in _preempted_first(planned, added):
        if current is None:
            if not any(setting.startswith("Description=") for setting in settings):
                # sacctmgr would describe the QOS by its name; slurmrestd leaves it empty
                settings = ["Description=", *settings]
            changes.append(SacctmgrAddQos(name, settings))
        elif settings:
            changes.append(SacctmgrModifyQos(name, settings))
    await apply(call, changes)


def _preempted_first(planned, added: set[str]):
    """The planned changes in an order where a QOS added by this request comes
    before any QOS whose preempt list names it."""
    placed: set[str] = set()
    ordered, waiting = [], list(planned)
    while waiting:
        for entry in waiting:
            field, name, _, _, preempts = entry
            if all(p.lower() not in added or p.lower() in placed or p.lower() == name.lower()
                   for p in preempts):
                break
        else:
            field = waiting[0][0]
            raise bad_field(FieldError(f"{field}.preempt.list",
                                       "the QOS of this request preempt each other in a loop"))
        waiting.remove(entry)
        ordered.append(entry)
        placed.add(name.lower())
    return ordered


async def delete_qos(call, names: list[str]) -> list[str]:
    """Remove the QOS named; the names removed (none when none exists)."""
    removed: list[str] = []
    for name in names:
        try:
            name_argument(name, "qos")
        except FieldError as error:
            raise bad_field(error) from None
    for name in names:
        if not await read_qos(call, names=[name]):
            continue
        removed += await call.run(SacctmgrDeleteQos(name))
    return removed
