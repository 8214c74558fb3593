"""scontrol and advance reservations: show, create, update, delete.

Every argument is one argv word `Key=value` (the name too: `scontrol
delete ReservationName=NAME`), so a value can neither split into two
arguments nor be taken for an option of scontrol's."""

from __future__ import annotations

from server.convert import reservations
from server.slurm.command import Command


class ScontrolShowReservations(Command):
    """`scontrol -o show reservation` (Slurm 22.05: text), read into v0.0.44
    reservation_info objects ("No reservations in the system" is none)."""

    def argv(self):
        return ["scontrol", "-o", "show", "reservation"]

    def source(self) -> str:
        return "scontrol show reservation"

    def parse(self, result) -> list[dict]:
        if not result.ok:
            raise self.failure(result, "Unable to query reservations")
        return reservations.reservations(result.stdout)


class ScontrolShowReservationsJson(Command):
    """`scontrol --json=vX show reservations` of a Slurm that prints the API
    version itself: the whole document, as printed."""

    def __init__(self, data_parser: str):
        self.data_parser = data_parser

    def argv(self):
        return ["scontrol", f"--json={self.data_parser}", "show", "reservations"]

    def source(self) -> str:
        return "scontrol show reservations"

    def parse(self, result) -> dict:
        return self.json_output(result, "Unable to query reservations")


class ScontrolCreateReservation(Command):
    """`scontrol create reservation Key=value...`; the arguments come from
    ``reservations.scontrol_arguments(desc, update=False)``."""

    read_only = False

    def __init__(self, arguments: list[str], name: str):
        self.arguments = list(arguments)
        self.name = name

    def argv(self):
        return ["scontrol", "create", "reservation", *self.arguments]

    def source(self) -> str:
        return "scontrol create reservation"

    def parse(self, result) -> str:
        if not result.ok:
            raise self.failure(result, f"Error creating reservation {self.name}")
        return self.name


class ScontrolUpdateReservation(Command):
    """`scontrol update ReservationName=... Key=value...`; the arguments
    come from ``reservations.scontrol_arguments(desc, update=True)``."""

    read_only = False

    def __init__(self, arguments: list[str], name: str):
        self.arguments = list(arguments)
        self.name = name

    def argv(self):
        return ["scontrol", "update", *self.arguments]

    def source(self) -> str:
        return "scontrol update reservation"

    def parse(self, result) -> str:
        if not result.ok:
            raise self.failure(result, f"Error updating reservation {self.name}")
        return self.name


class ScontrolDeleteReservation(Command):
    read_only = False

    def __init__(self, name: str):
        self.name = name

    def argv(self):
        return ["scontrol", "delete", f"ReservationName={self.name}"]

    def source(self) -> str:
        return "scontrol delete reservation"

    def parse(self, result) -> None:
        if not result.ok:
            raise self.failure(result, f"Error deleting reservation {self.name}")
