"""/slurmdb/{version}/users/, /user/{name} and /users_association/: the users
of slurmdbd, with their associations, coordinator roles and WCKeys."""

from server.slurmdb import users as store
from server.slurmdb.common import bad_request, nothing_found, query_flag, query_list
from server.convert.users import ADMIN_LEVELS


async def get_users(call, admin_level=None, default_account=None, default_wckey=None,
                    with_assocs=None, with_coords=None, with_deleted=None, with_wckeys=None,
                    without_defaults=None):
    level = None
    if admin_level and admin_level != "Not Set":
        level = ADMIN_LEVELS.get(admin_level)
    found = await store.read_users(
        call,
        admin_level=level,
        default_accounts=[a.lower() for a in query_list(default_account)],
        default_wckeys=query_list(default_wckey),
        with_assocs=query_flag(with_assocs, "with_assocs"),
        with_coords=query_flag(with_coords, "with_coords"),
        with_deleted=query_flag(with_deleted, "with_deleted"),
        with_wckeys=query_flag(with_wckeys, "with_wckeys"),
        without_defaults=query_flag(without_defaults, "without_defaults"),
    )
    if admin_level == "Not Set":
        found = [u for u in found if u["administrator_level"] == ["Not Set"]]
    if not found:
        nothing_found(call, "slurmdb_users_get()", "_dump_users")
    return call.respond({"users": found})


async def get_user(call, name, with_deleted=None, with_assocs=None, with_coords=None, with_wckeys=None):
    found = await store.read_users(
        call,
        names=[name.lower()],
        with_assocs=query_flag(with_assocs, "with_assocs"),
        with_coords=query_flag(with_coords, "with_coords"),
        with_deleted=query_flag(with_deleted, "with_deleted"),
        with_wckeys=query_flag(with_wckeys, "with_wckeys"),
    )
    if not found:
        nothing_found(call, "slurmdb_users_get()", "_dump_users")
    return call.respond({"users": found})


async def post_users(call, body=None):
    await store.write_users(call, (body or {}).get("users"))
    return call.respond({})


async def post_users_association(call, update_time=None, flags=None, body=None):
    # update_time and flags are in SchedMD's description of this operation
    # but select nothing for it; they are accepted and ignored.
    if not isinstance(body, dict):
        raise bad_request("body", "expected an object with association_condition and user")
    added = await store.add_users_with_assocs(call, body)
    return call.respond({"added_users": added})


async def delete_user(call, name):
    removed = await store.delete_user(call, name.lower())
    if not removed:
        nothing_found(call, "slurmdb_users_remove()", "_delete_user")
    return call.respond({"removed_users": removed})
