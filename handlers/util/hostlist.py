"""POST /util/{version}/hostnames and /hostlist: host lists expanded and
compressed by scontrol, as slurmrestd's util plugin does with Slurm's own
hostlist code. No daemon is asked; a bad expression is the client's error
(400, naming the field), never half-answered."""

from handlers.request_errors import bad_request, shown
from server.convert import hostlist
from server.slurm.commands.scontrol_misc import (HostlistRejected, HostlistTooLarge, ScontrolHostlist,
                                                 ScontrolHostnames)


async def post_hostnames(call, body=None):
    """{"hostlist": "n[1-3],x"} -> {"hostnames": ["n1", "n2", "n3", "x"]}"""
    expression = _required(body, "hostlist")
    if not isinstance(expression, str):
        raise bad_request("hostlist", "must be a string such as 'node[01-04]'")
    _check_brackets("hostlist", expression)
    if not expression.strip():
        return call.respond({"hostnames": []})
    try:
        names = await call.run(ScontrolHostnames(expression))
    except HostlistRejected as rejected:
        raise bad_request("hostlist", f"{shown(expression)} is not a valid hostlist: {rejected}") from None
    except HostlistTooLarge:
        raise bad_request("hostlist", f"{shown(expression)} {hostlist.TOO_MANY}") from None
    return call.respond({"hostnames": names})


async def post_hostlist(call, body=None):
    """{"hostnames": ["n1", "n2", "n3"]} -> {"hostlist": "n[1-3]"}"""
    names = _required(body, "hostnames")
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise bad_request("hostnames", "must be an array of host names (strings)")
    for index, name in enumerate(names):
        _check_brackets(f"hostnames[{index}]", name)
    names = [name.strip() for name in names if name.strip()]
    if not names:
        return call.respond({"hostlist": ""})
    try:
        compressed = await call.run(ScontrolHostlist(names))
    except HostlistRejected as rejected:
        raise bad_request("hostnames", f"not valid host names: {rejected}") from None
    return call.respond({"hostlist": compressed})


def _required(body, field: str):
    if not isinstance(body, dict) or field not in body:
        raise bad_request(field, "is required in the request body")
    return body[field]


def _check_brackets(field: str, expression: str) -> None:
    problem = hostlist.bracket_error(expression)
    if problem:
        raise bad_request(field, f"{shown(expression)}: {problem}")
