"""scontrol and nodes: show, update, create and delete.

Every argument vector puts ``--`` before the subcommand, so that a node name
or value from a request that starts with ``-`` can never be read as an
option of scontrol.
"""

from __future__ import annotations


from server.slurm import errno
from server.slurm.command import Command, SlurmError

# The `flags` query parameter of GET /nodes/ and /node/{node_name}, as
# scontrol options. MIXED needs none: scontrol always reports MIXED nodes.
FLAG_OPTIONS = {
    "ALL": ("--all",),
    "DETAIL": ("--details",),
    "MIXED": (),
    "LOCAL": ("--local",),
    "SIBLING": ("--sibling",),
    "FEDERATION": ("--federation",),
    "FUTURE": ("--future",),
}
# What slurmrestd asks for when no flag is given: SHOW_ALL|SHOW_DETAIL|SHOW_MIXED.
DEFAULT_OPTIONS = ("--all", "--details")


def show_options(flags: str | None) -> tuple[str, ...]:
    return DEFAULT_OPTIONS if flags is None else FLAG_OPTIONS[flags]


def _stderr_lines(result) -> list[str]:
    text = (result.stderr or "") + "\n" + (result.stdout or "")
    return [line.strip() for line in text.splitlines() if line.strip()]


class _ScontrolNodeCommand(Command):
    what = "scontrol"

    def source(self) -> str:
        return self.what

    def failure(self, result, description: str) -> SlurmError:
        """Slurm's error number where stderr names one, and every line scontrol
        printed (its first line often says more than its last)."""
        lines = _stderr_lines(result)
        known = errno.from_message("\n".join(lines))
        detail = "; ".join(lines)
        return SlurmError(f"{description}: {detail}" if detail else description,
                          number=known.number if known else None, source=self.source())


class ScontrolShowNodes(_ScontrolNodeCommand):
    """`scontrol show node [NAMES]`, multi-line text (22.05) or, where Slurm
    prints it, the requested data parser's JSON. Parses to the text or the
    decoded document; a name slurmctld does not know is not a failure but an
    empty answer (``None``)."""

    what = "scontrol show node"

    def __init__(self, *, names: str | None = None, flags: str | None = None,
                 options: tuple[str, ...] | None = None, data_parser: str | None = None):
        self.names = names
        self.options = show_options(flags) if options is None else options
        self.data_parser = data_parser

    def argv(self):
        argv = ["scontrol"]
        if self.data_parser:
            argv.append(f"--json={self.data_parser}")
        argv += [*self.options, "--", "show", "node"]
        if self.names is not None:
            argv.append(self.names)
        return argv

    def parse(self, result):
        if not result.ok:
            if self.names is not None and "not found" in (result.stdout + result.stderr):
                return None  # "Node x not found", on stdout, exit 1
            raise self.failure(result, "Failure to query nodes")
        if not self.data_parser:
            return result.stdout
        return self.json_output(result, "Failure to query nodes")


class ScontrolUpdateNodes(_ScontrolNodeCommand):
    """`scontrol update nodename=NAMES key=value ...`: the words as built by
    server.convert.nodes_update (one argument each, never re-split)."""

    what = "scontrol update"
    read_only = False

    def __init__(self, words: list[str], names: str):
        self.words = words
        self.names = names

    def argv(self):
        return ["scontrol", "--", "update", f"nodename={self.names}", *self.words]

    def parse(self, result) -> None:
        if not result.ok:
            raise self.failure(result, f"Failure to update node {self.names}")


class ScontrolCreateNode(_ScontrolNodeCommand):
    """`scontrol create "NodeName=... ..."`: the whole slurm.conf-style line as
    one argument, which scontrol hands to slurmctld as it is."""

    what = "scontrol create"
    read_only = False

    def __init__(self, node_conf: str):
        self.node_conf = node_conf

    def argv(self):
        return ["scontrol", "--", "create", self.node_conf]

    def parse(self, result) -> None:
        if not result.ok:
            raise self.failure(result, "Failure to create node")


class ScontrolDeleteNodes(_ScontrolNodeCommand):
    what = "scontrol delete"
    read_only = False

    def __init__(self, names: str):
        self.names = names

    def argv(self):
        return ["scontrol", "--", "delete", f"nodename={self.names}"]

    def parse(self, result) -> None:
        if not result.ok:
            raise self.failure(result, f"Failure to delete node {self.names}")

