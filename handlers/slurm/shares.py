"""GET /slurm/{version}/shares: the fair-share tree as sshare shows it to
the caller, optionally only for some accounts (`accounts`) or users
(`users`), both comma-separated as slurmrestd takes them.

Like slurmctld, a user filter drops other users' rows but keeps every
account row; an account filter keeps the named accounts' own rows and their
users' rows. Without `users`, every user is listed (sshare --all).
When slurmctld's association list is not in tree order, sshare's indentation
cannot tell an account's parent and sacctmgr is asked (one more command)."""

from handlers.request_errors import bad_request, shown
from server.convert import passthrough, shares_text
from server.slurm.command import SlurmError
from server.slurm.commands.sshare import AccountParents, SshareJson, SshareText


async def get_shares(call, accounts=None, users=None):
    account_list = _names("accounts", accounts)
    user_list = _names("users", users)
    if call.slurm.prints("sshare", call.version):
        shares = await call.run(SshareJson(call.version, accounts=account_list, users=user_list))
        if isinstance(shares.get("shares"), list):
            shares["shares"] = [passthrough.without_nulls(share) for share in shares["shares"]]
        return call.respond({"shares": shares})
    # Any other Slurm: sshare's text, which every version prints alike.
    rows, in_tree_order = await call.run(SshareText(user_list))
    if not in_tree_order and rows:
        try:
            shares_text.set_parents(rows, await call.run(AccountParents(rows[0]["cluster"])))
        except SlurmError as error:
            call.warn("sshare printed the fair-share tree out of order, so the parents of accounts "
                      f"may be wrong: {error.description}", "sshare")
    if account_list:
        rows = shares_text.only_accounts(rows, account_list)
    return call.respond({"shares": {"shares": rows}})


def _names(field: str, value: str | None) -> list[str]:
    """A comma-separated list of account or user names; empty is none."""
    if value is None:
        return []
    names = [name.strip() for name in value.split(",")]
    names = [name for name in names if name]
    for name in names:
        if name.startswith("-") or any(char.isspace() or char in "|=\"'" for char in name):
            raise bad_request(field, f"{shown(name)} is not a name")
    return names
