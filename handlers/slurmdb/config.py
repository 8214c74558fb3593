"""/slurmdb/{version}/config: slurmdbd's whole accounting setup (clusters,
TRES, accounts, users, QOS, wckeys, associations) read as one document, and
loaded from one (see server.slurmdb.config)."""

import logging

from server.slurmdb import config as store

log = logging.getLogger("slurmrestpy.config")


async def get_config(call):
    return call.respond(await store.read_config(call))


async def post_config(call, body=None):
    applied = await store.load_config(call, body)
    user = call.identity.user if call.identity else ""
    log.info("configuration loaded for %s: %s", user, "; ".join(applied) or "nothing changed")
    return call.respond({})
