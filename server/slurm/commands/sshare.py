"""sshare: the fair-share tree slurmctld keeps (associations, their shares
and usage), as the caller may see it."""

from __future__ import annotations

from server.convert import shares_text
from server.slurm.command import Command


def _csv(names: list[str]) -> str:
    return ",".join(names)


class SshareText(Command):
    """Slurm 22.05: `sshare --parsable2` with every field, one association a
    line. Accounts are not filtered here but by the converter: sshare only
    shows the tree (and so each account's parent) when every account row is
    printed. Without users, every user's rows (`--all`, as slurmrestd asks
    slurmctld for all users when none is named)."""

    def __init__(self, users: list[str] | None = None):
        self.users = users or []

    def argv(self):
        argv = ["sshare", "--noheader", "--parsable2", f"--format={','.join(shares_text.FIELDS)}"]
        argv.append(f"--users={_csv(self.users)}" if self.users else "--all")
        return argv

    def source(self) -> str:
        return "sshare"

    def parse(self, result) -> tuple[list[dict], bool]:
        """The rows, and whether they came in tree order (see
        ``shares_text.parse_tree``)."""
        if not result.ok:
            raise self.failure(result, "slurm_associations_get_shares() failed")
        return shares_text.parse_tree(result.stdout)


class AccountParents(Command):
    """`sacctmgr show associations`: each account's parent account, as
    slurmdbd has them, for when sshare's tree cannot tell."""

    def __init__(self, cluster: str):
        self.cluster = cluster

    def argv(self):
        return ["sacctmgr", "--noheader", "--parsable2", "show", "associations",
                f"cluster={self.cluster}", "format=Account,User,ParentName"]

    def source(self) -> str:
        return "sacctmgr show associations"

    def parse(self, result) -> dict[str, str]:
        if not result.ok:
            raise self.failure(result, "Unable to read the parents of the accounts")
        return shares_text.account_parents(result.stdout)


class SshareJson(Command):
    """A Slurm whose sshare prints the requested API version itself
    (`sshare --json=v0.0.44`): the `shares` object passed through."""

    def __init__(self, data_parser: str, *, accounts: list[str] | None = None,
                 users: list[str] | None = None):
        self.data_parser = data_parser
        self.accounts = accounts or []
        self.users = users or []

    def argv(self):
        argv = ["sshare", f"--json={self.data_parser}"]
        if self.accounts:
            argv.append(f"--accounts={_csv(self.accounts)}")
        argv.append(f"--users={_csv(self.users)}" if self.users else "--all")
        return argv

    def source(self) -> str:
        return "sshare --json"

    def parse(self, result) -> dict:
        return self.json_output(result, "slurm_associations_get_shares() failed").get("shares") or {}
