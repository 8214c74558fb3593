"""scontrol: slurmctld's state, one request at a time."""

from __future__ import annotations

from server.convert import scontrol_ping
from server.slurm.command import Command


class ScontrolPing(Command):
    def argv(self):
        return ["scontrol", "ping"]

    def parse(self, result) -> list[dict]:
        # scontrol ping exits non-zero when a controller is down, and still
        # says which; only an answer with no controller line is a failure.
        pings = scontrol_ping.parse(result.stdout, latency_us=int(result.seconds * 1e6))
        if not pings:
            raise self.failure(result, "Unable to ping the slurm controllers")
        return pings


class ScontrolPingJson(Command):
    def __init__(self, data_parser: str):
        self.data_parser = data_parser

    def argv(self):
        return ["scontrol", f"--json={self.data_parser}", "ping"]

    def parse(self, result) -> list[dict]:
        return self.json_output(result, "Unable to ping the slurm controllers").get("pings", [])
