"""scontrol show licenses: the licenses slurmctld counts."""

from __future__ import annotations

from server.convert import licenses
from server.slurm.command import Command


class ScontrolShowLicenses(Command):
    """`scontrol -o show licenses` (Slurm 22.05: text), read into v0.0.44
    license objects."""

    def argv(self):
        return ["scontrol", "-o", "show", "licenses"]

    def source(self) -> str:
        return "scontrol show licenses"

    def parse(self, result) -> list[dict]:
        if not result.ok:
            raise self.failure(result, "Unable to query licenses")
        return licenses.licenses(result.stdout)


class ScontrolShowLicensesJson(Command):
    """`scontrol --json=vX show licenses` of a Slurm that prints the API
    version itself: the whole document, as printed."""

    def __init__(self, data_parser: str):
        self.data_parser = data_parser

    def argv(self):
        return ["scontrol", f"--json={self.data_parser}", "show", "licenses"]

    def source(self) -> str:
        return "scontrol show licenses"

    def parse(self, result) -> dict:
        return self.json_output(result, "Unable to query licenses")
