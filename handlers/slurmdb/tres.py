"""/slurmdb/{version}/tres/: the trackable resources slurmdbd knows."""

from server.slurmdb.tres import read_tres, write_tres


async def get_tres(call):
    return call.respond({"TRES": await read_tres(call)})


async def post_tres(call, body=None):
    await write_tres(call, (body or {}).get("TRES") or [])
    return call.respond({})
