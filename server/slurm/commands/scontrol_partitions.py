"""scontrol show partition: the partitions slurmctld shows the caller."""

from __future__ import annotations

from server.convert import partitions
from server.slurm.command import Command

# Query flags of GET /partitions/ that scontrol can express, and how. MIXED
# (a flag of node listings) changes nothing for partitions.
FLAG_OPTIONS = {
    "ALL": "--all",
    "DETAIL": "--details",
    "LOCAL": "--local",
    "SIBLING": "--sibling",
    "FEDERATION": "--federation",
    "FUTURE": "--future",
}


def _options(flags: str | None, show_all: bool) -> list[str]:
    options = []
    if show_all or flags == "ALL":
        options.append("--all")
    if flags in FLAG_OPTIONS and flags != "ALL":
        options.append(FLAG_OPTIONS[flags])
    return options


class ScontrolShowPartitions(Command):
    """`scontrol -o show partition` (Slurm 22.05: text), read into
    v0.0.44 partition_info objects. ``show_all`` adds hidden partitions, as
    slurmrestd does for a single partition."""

    def __init__(self, *, flags: str | None = None, show_all: bool = False):
        self.flags = flags
        self.show_all = show_all

    def argv(self):
        return ["scontrol", *_options(self.flags, self.show_all), "-o", "show", "partition"]

    def source(self) -> str:
        return "scontrol show partition"

    def parse(self, result) -> list[dict]:
        if not result.ok:
            raise self.failure(result, "Unable to query partitions")
        return partitions.partitions(result.stdout)


class ScontrolShowPartitionsJson(Command):
    """`scontrol --json=vX show partitions` of a Slurm that prints the API
    version itself: the whole document, as printed."""

    def __init__(self, data_parser: str, *, flags: str | None = None, show_all: bool = False):
        self.data_parser = data_parser
        self.flags = flags
        self.show_all = show_all

    def argv(self):
        return ["scontrol", f"--json={self.data_parser}", *_options(self.flags, self.show_all),
                "show", "partitions"]

    def source(self) -> str:
        return "scontrol show partitions"

    def parse(self, result) -> dict:
        return self.json_output(result, "Unable to query partitions")


class ScontrolWritePartition(Command):
    """`scontrol create|update PartitionName=NAME Key=value ...` (and
    `delete`, without settings): only a Slurm administrator may."""

    read_only = False

    def __init__(self, action: str, name: str, settings: list[str] = ()):
        self.action = action
        self.name = name
        self.settings = list(settings)

    def argv(self):
        return ["scontrol", self.action, f"PartitionName={self.name}", *self.settings]

    def source(self) -> str:
        return f"scontrol {self.action} partition"

    def parse(self, result) -> None:
        if not result.ok:
            raise self.failure(result, f"Unable to {self.action} partition {self.name}")
