"""sdiag: slurmctld's scheduling statistics."""

from __future__ import annotations

from server.convert import sdiag_text
from server.slurm.command import Command


class Sdiag(Command):
    def argv(self):
        return ["sdiag"]

    def parse(self, result) -> dict:
        if not result.ok:
            raise self.failure(result, "Unable to query diagnostics")
        return sdiag_text.parse(result.stdout)


class SdiagJson(Command):
    def __init__(self, data_parser: str):
        self.data_parser = data_parser

    def argv(self):
        return ["sdiag", f"--json={self.data_parser}"]

    def parse(self, result) -> dict:
        return self.json_output(result, "Unable to query diagnostics").get("statistics", {})
