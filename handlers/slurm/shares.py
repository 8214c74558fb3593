"""GET /slurm/{version}/shares: the fair-share tree as sshare shows it to
the caller, optionally only for some accounts (`accounts`) or users
(`users`), both comma-separated as slurmrestd takes them.

Like slurmctld, a user filter drops other users' rows but keeps every
account row; an account filter keeps the named accounts' own rows and their
users' rows. Without `users`, every user is listed (sshare --all)."""

from handlers.request_errors import bad_request, shown
from server.convert import passthrough, shares_text
from server.slurm.commands.sshare import SshareJson, SshareText


async def get_shares(call, accounts=None, users=None):
    account_list = _names("accounts", accounts)
    user_list = _names("users", users)
    if call.slurm.prints("sshare", call.version):
        shares = await call.run(SshareJson(call.version, accounts=account_list, users=user_list))
        if isinstance(shares.get("shares"), list):
            shares["shares"] = [passthrough.without_nulls(share) for share in shares["shares"]]
        return call.respond({"shares": shares})
    # Any other Slurm: sshare's text, which every version prints alike.
    rows = await call.run(SshareText(user_list))
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
