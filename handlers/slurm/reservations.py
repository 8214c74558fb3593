"""Advance reservations of /slurm/{version}/: list, show, create or update
(one or many), delete.

POST of a reservation is create-or-update, as slurmrestd does it: the
reservations are read once; a description whose name exists (compared
without regard to case) updates that reservation, any other creates one.
Every description is checked and turned into scontrol arguments before
anything is sent to Slurm, so a description Slurm cannot be asked for (a
v0.0.44 property 22.05 lacks, a new reservation without start or users,
...) is answered 400 naming the property and changes nothing. A list is
then applied in order; when Slurm refuses one, the others are still
applied (as slurmrestd does) and the answer has one error per refused
description (and a warning counting the applied ones), so nothing done
goes unreported. A success carries no warning, as in slurmrestd.
"""

from __future__ import annotations

from server.convert import passthrough
from server.convert.reservations import InvalidDescription, scontrol_arguments
from server.slurm.command import SlurmError
from server.slurm.commands.scontrol_reservations import (
    ScontrolCreateReservation,
    ScontrolDeleteReservation,
    ScontrolShowReservations,
    ScontrolShowReservationsJson,
    ScontrolUpdateReservation,
)
from server.slurm.errno import by_name

UNSET = {"set": False, "infinite": False, "number": 0}


def _number(name: str) -> int | None:
    known = by_name(name)
    return known.number if known else None


async def get_reservations(call, update_time=None):
    return call.respond(await read_reservations(call, update_time))


async def get_reservation(call, reservation_name, update_time=None):
    listing = await read_reservations(call, update_time)
    if not listing["reservations"]:
        # slurmrestd treats "no reservations at all" as a failed load whose
        # error number is 0 (SLURM_SUCCESS): an error entry, and status 200.
        raise SlurmError("Unable to query reservations", number=0,
                         source="slurm_load_reservations()")
    wanted = reservation_name.lower()
    listing["reservations"] = [r for r in listing["reservations"]
                               if r.get("name", "").lower() == wanted]
    if not listing["reservations"]:
        raise SlurmError(f"Unable to find reservation {reservation_name}",
                         number=_number("ESLURM_REST_INVALID_QUERY"), source="_get_single_reservation")
    return call.respond(listing)


async def read_reservations(call, update_time=None) -> dict:
    """``{"reservations", "last_update"}`` in the requested version: printed
    by Slurm itself where it can, else read from `scontrol -o show
    reservation`."""
    if update_time is not None:
        call.warn("update_time is not applied: every reservation is listed", "scontrol")
    if call.slurm.prints("scontrol", call.version):
        printed = await call.run(ScontrolShowReservationsJson(call.version))
        return {
            "reservations": [passthrough.without_nulls(r) for r in printed.get("reservations") or []],
            "last_update": printed.get("last_update") or dict(UNSET),
        }
    # scontrol's text carries no time of the last change: unset, as for jobs.
    return {"reservations": await call.run(ScontrolShowReservations()), "last_update": dict(UNSET)}


async def delete_reservation(call, reservation_name):
    await call.run(ScontrolDeleteReservation(reservation_name))
    return call.respond({})


async def post_reservation(call, body=None):
    if not isinstance(body, dict):
        raise _bad_request("the body must be one reservation description (v0.0.44 reservation_desc_msg)")
    existing = await _existing_names(call)
    plan = _plan(call, body, existing, where="")
    applied, failures = await _apply(call, [plan])
    if failures:
        raise failures[0]
    return call.respond({"reservations": [plan.desc for plan in applied]})


async def post_reservations(call, body=None):
    descs = body.get("reservations") if isinstance(body, dict) else None
    if descs is None:
        raise _bad_request("reservations: No reservation descriptions specified in reservations array")
    if not descs:
        call.warn("No reservation descriptions specified in reservations array", "post_reservations")
        return call.respond({"reservations": []})
    seen: dict[str, int] = {}
    for index, desc in enumerate(descs):
        name = desc.get("name") if isinstance(desc, dict) else None
        if isinstance(name, str) and name:
            first = seen.setdefault(name.lower(), index)
            if first != index:
                raise _bad_request(f"reservations[{index}].name: {name} is also the name of "
                                   f"reservations[{first}]; describe each reservation once")
    existing = await _existing_names(call)
    plans = [_plan(call, desc, existing, where=f"reservations[{index}].")
             for index, desc in enumerate(descs)]
    applied, failures = await _apply(call, plans, report=True)
    if failures:
        return call.fail(*failures)
    return call.respond({"reservations": [plan.desc for plan in applied]})


class _Plan:
    """One description, checked and ready: what to run, and what it was."""

    def __init__(self, where: str, desc: dict, name: str, update: bool, arguments: list[str]):
        self.where = where
        self.desc = desc
        self.name = name
        self.update = update
        self.arguments = arguments

    def command(self):
        if self.update:
            return ScontrolUpdateReservation(self.arguments, self.name)
        return ScontrolCreateReservation(self.arguments, self.name)

    def label(self) -> str:
        return f"{self.where.rstrip('.')} ({self.name})" if self.where else self.name


def _plan(call, desc, existing: dict[str, str], *, where: str) -> _Plan:
    if not isinstance(desc, dict):
        raise _bad_request(f"{where.rstrip('.') or 'body'}: expected a reservation description")
    name = desc.get("name")
    stored = existing.get(name.lower()) if isinstance(name, str) else None
    # An update names the reservation as slurmctld spells it.
    target = {**desc, "name": stored} if stored else desc
    try:
        arguments = scontrol_arguments(target, update=stored is not None,
                                       slurm_version=call.slurm.version)
    except InvalidDescription as error:
        raise SlurmError(f"{where}{error.field}: {error.message}", number=_number(error.errno_name),
                         source="slurmrestpy", status=400) from None
    return _Plan(where, desc, stored or name, stored is not None, arguments)


async def _existing_names(call) -> dict[str, str]:
    """The reservations there are, by lower-cased name -> name."""
    listing = await read_reservations(call)
    return {r["name"].lower(): r["name"] for r in listing["reservations"] if r.get("name")}


async def _apply(call, plans: list[_Plan], *, report: bool = False):
    """Run every plan; returns (applied plans, SlurmErrors of refused ones)."""
    applied, failures = [], []
    for plan in plans:
        try:
            await call.run(plan.command())
        except SlurmError as error:
            if report:
                error.description = f"{plan.label()}: {error.description}"
            failures.append(error)
            continue
        applied.append(plan)
    if failures and report and applied:
        call.warn(f"{len(applied)} of {len(plans)} reservation descriptions were applied, "
                  f"{len(failures)} refused (see errors)", "slurmrestpy")
    return applied, failures


def _bad_request(description: str) -> SlurmError:
    return SlurmError(description, number=_number("ESLURM_REST_FAIL_PARSING"),
                      source="slurmrestpy", status=400)
