"""What Slurm slurmrestpy is driving, found out once at start-up.

The version decides how each API object is obtained: a Slurm whose commands
print the requested data parser (``squeue --json=v0.0.44``) is passed through;
an older one prints its own parser's JSON (22.05: v0.0.38), or only text, and
is converted.
"""

from __future__ import annotations

import asyncio
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
    """Slurm's version and what each command can print. Answers even while
    slurmctld and slurmdbd are down: most commands contact a daemon before
    listing their data parsers (squeue, sinfo, sdiag, sshare wait for
    slurmctld's timeout, sacct fails at once), scontrol does not, and every
    command of one installation loads the same data parser plugins; so the
    lists are asked for at once, and a command that could not list them
    takes another's."""
    from server.slurm.runner import CommandNotFound

    version_cmd = VersionCommand()
    version, release = version_cmd.parse(await runner.run(version_cmd))

    async def speaks_json(name: str) -> bool:
        help_cmd = HelpCommand(name)
        try:
            return help_cmd.parse(await runner.run(help_cmd))
        except CommandNotFound:
            return False

    async def listed(name: str) -> tuple[str, ...]:
        list_cmd = DataParserListCommand(name)
        return list_cmd.parse(await runner.run(list_cmd))

    speaking = await asyncio.gather(*(speaks_json(name) for name in JSON_COMMANDS))
    json_commands = [name for name, speaks in zip(JSON_COMMANDS, speaking) if speaks]
    lists = dict(zip(json_commands, await asyncio.gather(*(listed(name) for name in json_commands))))
    shared = max(lists.values(), key=len, default=())
    data_parsers = {name: found or shared for name, found in lists.items()}
    return SlurmInstallation(version, release, frozenset(json_commands), data_parsers)
