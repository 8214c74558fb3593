"""What Slurm slurmrestpy is driving, found out once at start-up.

The version decides how each API object is obtained: a Slurm whose commands
print the requested data parser (``squeue --json=v0.0.44``) is passed through;
an older one prints its own parser's JSON (22.05: v0.0.38), or only text, and
is converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from server.slurm.command import Command

# The data parser a plain `--json` prints, for Slurms that cannot be asked.
NATIVE_DATA_PARSER = {(22, 5): "v0.0.38", (23, 2): "v0.0.39"}

JSON_COMMANDS = ("squeue", "sinfo", "sacct", "scontrol", "sacctmgr", "sdiag", "sshare")


@dataclass(frozen=True)
class SlurmInstallation:
    version: tuple[int, int, int]
    release: str
    json_commands: frozenset[str] = frozenset()
    # Data parsers a command prints when asked with --json=vX.
    data_parsers: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def native_data_parser(self) -> str | None:
        return NATIVE_DATA_PARSER.get(self.version[:2])

    def speaks_json(self, command: str) -> bool:
        return command in self.json_commands

    def prints(self, command: str, data_parser: str) -> bool:
        """Can `command --json=<data_parser>` print that API version itself?"""
        return data_parser in self.data_parsers.get(command, ())

    def prints_anywhere(self, data_parser: str) -> bool:
        """Does some command print that API version itself?"""
        return any(data_parser in parsers for parsers in self.data_parsers.values())

    def version_fields(self) -> dict:
        major, minor, micro = self.version
        return {"major": str(major), "minor": f"{minor:02d}", "micro": str(micro)}


class VersionCommand(Command):
    def argv(self):
        return ["scontrol", "--version"]

    def parse(self, result) -> tuple[tuple[int, int, int], str]:
        # "slurm-wlm 22.05.8" (Debian) or "slurm 25.11.0"
        match = re.search(r"(\d+)\.(\d+)\.(\d+)\S*", result.stdout)
        if not result.ok or not match:
            raise self.failure(result, "Unable to find Slurm's version")
        major, minor, micro = (int(g) for g in match.groups())
        return (major, minor, micro), match.group(0)


class HelpCommand(Command):
    def __init__(self, command: str):
        self.command = command

    def argv(self):
        return [self.command, "--help"]

    def parse(self, result) -> bool:
        return "--json" in result.stdout + result.stderr


class DataParserListCommand(Command):
    def __init__(self, command: str):
        self.command = command

    def argv(self):
        return [self.command, "--json=list"]

    def parse(self, result) -> tuple[str, ...]:
        if not result.ok:
            return ()
        return tuple(sorted(set(re.findall(r"v0\.0\.\d+", result.stdout + result.stderr))))


async def discover(runner) -> SlurmInstallation:
    from server.slurm.runner import CommandNotFound

    version_cmd = VersionCommand()
    version, release = version_cmd.parse(await runner.run(version_cmd))
    json_commands, data_parsers = set(), {}
    for name in JSON_COMMANDS:
        try:
            help_cmd = HelpCommand(name)
            if not help_cmd.parse(await runner.run(help_cmd)):
                continue
        except CommandNotFound:
            continue
        json_commands.add(name)
        list_cmd = DataParserListCommand(name)
        data_parsers[name] = list_cmd.parse(await runner.run(list_cmd))
    return SlurmInstallation(version, release, frozenset(json_commands), data_parsers)
