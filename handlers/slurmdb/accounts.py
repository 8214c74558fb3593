"""/slurmdb/{version}/accounts/, /account/{account_name} and
/accounts_association/: the accounts of slurmdbd and their coordinators."""

from server.slurmdb import accounts as store
from server.slurmdb.common import bad_request, nothing_found, query_flag, query_list


async def get_accounts(call, description=None, DELETED=None, WithAssociations=None,
                       WithCoordinators=None, NoUsersAreCoords=None, UsersAreCoords=None):
    for name, value in (("NoUsersAreCoords", NoUsersAreCoords), ("UsersAreCoords", UsersAreCoords)):
        if query_flag(value, name):
            call.warn(f"{name} changes nothing: Slurm {call.slurm.release} has no accounts whose "
                      "users are coordinators", "slurmrestpy")
    found = await store.read_accounts(
        call,
        descriptions=query_list(description),
        with_deleted=query_flag(DELETED, "DELETED"),
        with_assocs=query_flag(WithAssociations, "WithAssociations"),
        with_coords=query_flag(WithCoordinators, "WithCoordinators"),
    )
    if not found:
        nothing_found(call, "slurmdb_accounts_get()", "_dump_accounts")
    return call.respond({"accounts": found})


async def get_account(call, account_name, with_assocs=None, with_coords=None, with_deleted=None):
    found = await store.read_accounts(
        call,
        names=[account_name.lower()],
        with_assocs=query_flag(with_assocs, "with_assocs"),
        with_coords=query_flag(with_coords, "with_coords"),
        with_deleted=query_flag(with_deleted, "with_deleted"),
    )
    if not found:
        nothing_found(call, "slurmdb_accounts_get()", "_dump_accounts")
    return call.respond({"accounts": found})


async def post_accounts(call, body=None):
    await store.write_accounts(call, (body or {}).get("accounts"))
    return call.respond({})


async def post_accounts_association(call, body=None):
    if not isinstance(body, dict):
        raise bad_request("body", "expected an object with association_condition")
    added = await store.add_accounts_with_assocs(call, body)
    return call.respond({"added_accounts": added})


async def delete_account(call, account_name):
    removed = await store.delete_account(call, account_name.lower())
    if not removed:
        nothing_found(call, "slurmdb_accounts_remove()", "_delete_account")
    return call.respond({"removed_accounts": removed})
