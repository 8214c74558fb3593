"""/slurm/{version}/nodes/, /node/{node_name} and /new/node/: nodes as
slurmctld knows them; changing, creating and deleting them with scontrol.

Reads: a Slurm that prints the requested version (`scontrol --json=v0.0.44
show node`) is passed through; 22.05 is read from `scontrol show node` text
(server.convert.nodes_text). Writes go through `scontrol update`, `create`
and `delete` as the caller, so slurmctld applies the caller's rights; a field
scontrol cannot express is refused with 400 before anything runs
(server.convert.nodes_update).
"""

from __future__ import annotations

import pwd

from server.convert import nodes_text, nodes_update, passthrough
from server.convert.nodes_update import Capabilities, InvalidField
from server.slurm.command import SlurmError
from server.slurm.commands.scontrol_nodes import (
    ScontrolCreateNode,
    ScontrolDeleteNodes,
    ScontrolShowNodes,
    ScontrolUpdateNodes,
)
from server.slurm.commands.scontrol_misc import HostlistRejected, ScontrolHostnames
from server.slurm.errno import by_name

# What `scontrol show node` must see to check names: everything it can show.
EVERY_NODE = ("--all", "--future")
DYNAMIC = {"DYNAMIC_NORM", "DYNAMIC_FUTURE"}


async def get_nodes(call, update_time=None, flags=None):
    return call.respond(await read_nodes(call, update_time=update_time, flags=flags))


async def get_node(call, node_name, update_time=None, flags=None):
    listing = await read_nodes(call, name=node_name, update_time=update_time, flags=flags)
    if not listing["nodes"]:
        # slurmrestd answers an unknown node with status 200 and this error,
        # numbered 0 ("No error"); see the x-slurmrestpy-note of the operation.
        raise SlurmError(f"Failure to query node {node_name}", number=0,
                         source="scontrol show node", status=200)
    return call.respond(listing)


async def read_nodes(call, *, name=None, update_time=None, flags=None) -> dict:
    """{"nodes", "last_update"} in the requested version: printed by Slurm
    itself where it can, else converted from `scontrol show node`. With
    ``name``, only the node of exactly that name (slurmctld's single-node
    query matches names, not hostlist expressions)."""
    if update_time is not None:
        call.warn("update_time is not applied: every node is listed", "scontrol show node")
    if call.slurm.prints("scontrol", call.version):
        printed = await call.run(ScontrolShowNodes(names=name, flags=flags,
                                                   data_parser=call.version)) or {}
        listed = [passthrough.without_nulls(node) for node in printed.get("nodes", [])
                  if name is None or node.get("name") == name]
        if flags not in (None, "DETAIL"):
            # slurmctld fills gres_drained only for a detailed query; scontrol
            # prints the missing value as "N/A", slurmrestd as ""
            for node in listed:
                if node.get("gres_drained") == "N/A":
                    node["gres_drained"] = ""
        return {"nodes": listed, "last_update": printed.get("last_update", dict(nodes_text.UNSET))}
    text = await call.run(ScontrolShowNodes(names=name, flags=flags)) or ""
    warnings: list[str] = []
    listing = nodes_text.nodes_response(
        text,
        default_port=_slurmd_port(call),
        detailed=flags is None or flags == "DETAIL",
        names=[name] if name is not None else None,
        warnings=warnings,
    )
    for warning in dict.fromkeys(warnings):
        call.warn(warning, "scontrol show node")
    return listing


async def post_node(call, node_name, body=None):
    await _update(call, body, path_name=node_name)
    return call.respond({})


async def post_nodes(call, body=None):
    await _update(call, body, path_name=None)
    return call.respond({})


async def _update(call, body, *, path_name):
    try:
        names, update = nodes_update.update_words(
            body or {},
            caller=call.identity.user,
            caller_uid=_uid_of(call.identity.user),
            path_name=path_name,
            capabilities=Capabilities(resume_after=call.slurm.version >= (23, 2, 0)),
        )
    except InvalidField as error:
        raise _bad_field("update_node_msg", error) from None
    for warning in update.warnings:
        call.warn(warning, "update_node_msg")
    # slurmctld changes the nodes of a list one by one and stops at the first
    # it does not know, the ones before it changed: check the whole list first.
    await _states_of_all(call, names, "update", "scontrol update")
    await call.run(ScontrolUpdateNodes(update.words, names))


async def delete_node(call, node_name):
    # As with updates, scontrol deletes what it can of a list and fails on the
    # rest: nothing is deleted unless every node of the list can be.
    states = await _states_of_all(call, node_name, "delete", "scontrol delete")
    static = [name for name, state in states.items() if not DYNAMIC & set(state)]
    if static:
        raise _slurm_error(
            f"Failure to delete node {node_name}: {','.join(static)} not dynamic; only "
            "dynamic nodes can be deleted", "ESLURM_INVALID_NODE_STATE", "scontrol delete")
    await call.run(ScontrolDeleteNodes(node_name))
    return call.respond({})


async def _states_of_all(call, expression: str, verb: str, source: str) -> dict[str, list[str]]:
    """For a list of several nodes, each node's states, after making sure
    slurmctld knows every one of them (ESLURM_INVALID_NODE_NAME otherwise).
    A single node needs no look: slurmctld refuses it whole. (Powered-down
    cloud nodes, which slurmctld hides, can only be named one at a time.)"""
    names = await _expanded(call, expression, verb, source)
    if len(names) <= 1:
        return {}
    records = nodes_text.records(
        await call.run(ScontrolShowNodes(names=expression, options=EVERY_NODE)) or "")
    states = {r.get("NodeName"): nodes_text.states(r.get("State")) for r in records}
    missing = [name for name in names if name not in states]
    if missing:
        raise _slurm_error(f"Failure to {verb} node {expression}: no node {','.join(missing)}; "
                           "nothing was changed", "ESLURM_INVALID_NODE_NAME", source)
    return {name: states[name] for name in names}


async def post_new_node(call, body=None):
    node_conf = (body or {}).get("node_conf")
    try:
        expression = nodes_update.node_conf_names(node_conf)
    except InvalidField as error:
        raise _bad_field("openapi_create_node_req", error) from None
    line = node_conf.strip()
    names = await _expanded(call, expression, "create", "scontrol create")
    if not names:
        raise _bad_field("openapi_create_node_req",
                         InvalidField("node_conf", f"NodeName={expression} names no node"))
    # 22.05's slurmctld answers success, and does nothing, for a name it has
    # already, and creates only what fits under MaxNodeCount, still answering
    # success: look before and after.
    before = await _visible(call, expression)
    if before:
        raise _slurm_error(f"Failure to create node {expression}: "
                           f"{','.join(sorted(before))} already exist(s)",
                           "ESLURM_NODE_ALREADY_EXISTS", "scontrol create")
    await call.run(ScontrolCreateNode(line))
    after = await _visible(call, expression)
    missing = [n for n in names if n not in after]
    if missing and _state_of_line(line) == "CLOUD":
        call.warn("slurmctld hides powered-down cloud nodes unless PrivateData=cloud is set: "
                  f"{','.join(missing)} could not be seen after creation", "scontrol create")
    elif missing:
        created = [n for n in names if n in after]
        if created:
            await call.run(ScontrolDeleteNodes(",".join(created)))
        raise _slurm_error(
            f"Failure to create node {expression}: slurmctld created {len(created)} of "
            f"{len(names)} nodes (is the node table full? MaxNodeCount) and reported success; "
            + ("those created were deleted again" if created else "nothing was created"),
            "ESLURM_NODE_TABLE_FULL", "scontrol create")
    return call.respond({})


# ---------------------------------------------------------------------------

async def _visible(call, expression: str) -> set[str]:
    text = await call.run(ScontrolShowNodes(names=expression, options=EVERY_NODE)) or ""
    return {record.get("NodeName") for record in nodes_text.records(text)}


def _state_of_line(line: str) -> str | None:
    for word in line.split():
        key, _, value = word.partition("=")
        if key.lower() == "state":
            return value.upper()
    return None


def _slurmd_port(call) -> int:
    try:
        return int(call.services.slurm_conf.get("SlurmdPort", "6818"))
    except ValueError:
        return 6818


def _uid_of(user: str) -> int | None:
    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        return None


def _bad_field(schema: str, error: InvalidField) -> SlurmError:
    known = by_name("ESLURM_REST_FAIL_PARSING")
    return SlurmError(f"Invalid {schema} field {error.field!r}: {error.message}",
                      number=known.number if known else None, source=schema, status=400)


async def _expanded(call, expression: str, verb: str, source: str) -> list[str]:
    """The names of a node list; one past hostlist.MAX_HOSTNAMES is refused
    before it is expanded (ScontrolHostnames)."""
    try:
        return await call.run(ScontrolHostnames(expression))
    except HostlistRejected as rejected:
        raise _slurm_error(f"Failure to {verb} node {expression}: {rejected}", "ESLURM_INVALID_NODE_NAME",
                           source) from None


def _slurm_error(description: str, name: str, source: str) -> SlurmError:
    known = by_name(name)
    return SlurmError(description, number=known.number if known else None, source=source)
