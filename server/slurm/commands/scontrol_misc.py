"""scontrol for the smaller operations: reconfigure, host lists, and the
node layout a job's resource map needs."""

from __future__ import annotations

from server.convert import hostlist, scontrol_text
from server.slurm.command import Command, SlurmError
from server.slurm.errno import by_name


class HostlistRejected(Exception):
    """scontrol found the host list unusable; the reason is its own."""


class HostlistTooLarge(SlurmError):
    """A host list naming more hosts than we expand: the client's error."""

    def __init__(self, expression: str):
        shown = expression if len(expression) <= 80 else expression[:77] + "..."
        known = by_name("ESLURM_REST_FAIL_PARSING")
        super().__init__(f"Host list {shown!r} {hostlist.TOO_MANY}", number=known.number if known else None,
                         source="hostlist", status=400)


class ScontrolReconfigure(Command):
    """`scontrol reconfigure`: slurmctld re-reads slurm.conf. Only a Slurm
    administrator may; slurmctld refuses anyone else (22.05: "Invalid user
    id")."""

    read_only = False

    def argv(self):
        return ["scontrol", "reconfigure"]

    def parse(self, result) -> None:
        if not result.ok:
            raise self.failure(result, "slurm_reconfigure() failed")


class ScontrolHostnames(Command):
    """`scontrol show hostnames EXPR`: a host list expanded, one name a line.
    `--` keeps an expression starting with '-' from being read as an option."""

    def __init__(self, expression: str):
        # Counted before anything is expanded: 33 bytes can name 10^8 hosts.
        if hostlist.size(expression) > hostlist.MAX_HOSTNAMES:
            raise HostlistTooLarge(expression)
        self.expression = expression

    def argv(self):
        return ["scontrol", "show", "hostnames", "--", self.expression]

    def source(self) -> str:
        return "scontrol show hostnames"

    def parse(self, result) -> list[str]:
        reason = hostlist.rejection(result.stderr)
        if reason:
            raise HostlistRejected(reason)
        if not result.ok:
            raise self.failure(result, "Unable to expand the hostlist")
        return hostlist.names(result.stdout)


class ScontrolHostlist(Command):
    """`scontrol show hostlist NAME,NAME,...`: names compressed into ranges,
    in the order given (no sorting, no merging of duplicates)."""

    def __init__(self, names: list[str]):
        self.names = names

    def argv(self):
        return ["scontrol", "show", "hostlist", "--", ",".join(self.names)]

    def source(self) -> str:
        return "scontrol show hostlist"

    def parse(self, result) -> str:
        reason = hostlist.rejection(result.stderr)
        if reason:
            raise HostlistRejected(reason)
        if not result.ok:
            raise self.failure(result, "Unable to compress the host names")
        return hostlist.expression(result.stdout)


class ScontrolShowNodes(Command):
    """`scontrol -o show node EXPR`: the nodes of a host list, one record a
    line (what a job's resource layout needs: sockets, cores, threads)."""

    def __init__(self, nodes: str):
        self.nodes = nodes

    def argv(self):
        return ["scontrol", "-o", "show", "node", "--", self.nodes]

    def source(self) -> str:
        return "scontrol show node"

    def parse(self, result) -> list[dict[str, str]]:
        if not result.ok:
            raise self.failure(result, f"Unable to query nodes {self.nodes}")
        return scontrol_text.records(result.stdout)
