"""squeue: the jobs slurmctld knows about, as the caller may see them."""

from __future__ import annotations

from server.slurm.command import Command

# Query flags of GET /jobs/ that squeue can express, and how.
FLAG_OPTIONS = {
    "ALL": "--all",
    "LOCAL": "--local",
    "SIBLING": "--sibling",
    "FEDERATION": "--federation",
}


class SqueueJson(Command):
    """`squeue --json`, either in the Slurm's own data parser or, where the
    Slurm can print it, in the requested API version (a pass-through)."""

    def __init__(self, *, data_parser: str | None = None, flags: str | None = None):
        self.data_parser = data_parser
        self.flags = flags

    def argv(self):
        argv = ["squeue", f"--json={self.data_parser}" if self.data_parser else "--json"]
        if self.data_parser:
            # A current squeue leaves out finished jobs slurmctld still keeps
            # (22.05's JSON did not); slurmrestd lists them.
            argv.append("--states=all")
        if self.flags in FLAG_OPTIONS:
            argv.append(FLAG_OPTIONS[self.flags])
        return argv

    def source(self) -> str:
        return "squeue --json"

    def parse(self, result) -> dict:
        return self.json_output(result, "Unable to query jobs")
