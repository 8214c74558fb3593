"""A v0.0.44 ``update_node_msg`` (the body of POST /node/{name} and
POST /nodes/) as the words of ``scontrol update nodename=... key=value``, and
a ``node_conf`` line (POST /new/node/) checked before ``scontrol create``.

Pure: a body in, words out, or ``InvalidField`` naming the field that cannot
be applied. Nothing is ever dropped silently: a field scontrol cannot
express is refused before anything is run, so a request is applied whole or
not at all.

What scontrol (22.05) can say, field by field:

- ``comment``, ``extra``, ``gres``: as they are ("" clears).
- ``features``, ``features_act``: the list joined with commas
  (``AvailableFeatures=``, ``ActiveFeatures=``); [] clears.
- ``address``, ``hostname``: the lists joined with commas (``NodeAddr=``,
  ``NodeHostName=``), one entry per node updated.
- ``reason``: passed inside double quotes, because scontrol strips one
  leading and one trailing quote from the value it gets.
- ``state``: one of the states scontrol's ``State=`` takes (``STATE_WORDS``);
  any other list (``["DOWN", "DRAIN"]``, ``["REBOOT_ISSUED"]``, ...) is
  refused. DOWN, DRAIN and FAIL need a ``reason`` (scontrol refuses them
  without one).
- ``cpu_bind``: the cpu_bind_type_t bits as scontrol's names: at most one of
  threads, cores, sockets, ldoms, none, off, plus verbose; 0 is "no change",
  as in slurmrestd.
- ``weight``, ``resume_after``: ``{set, infinite, number}``; unset is "no
  change". ``weight`` cannot be infinite. ``resume_after`` (``ResumeAfter=``,
  infinite as -1) exists only in scontrol of Slurm 23.02 and later.
- ``reason_uid``: scontrol records the caller as the reason's author and
  cannot name another; the field is accepted when it names the caller (by
  name or uid), refused otherwise.
- ``topology_str``: no scontrol of 22.05 can set it; refused.
- ``name``: the nodes of POST /nodes/; for POST /node/{name} the path names
  the node, and a different ``name`` is ignored with a warning, as
  slurmrestd does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

UPDATE_FIELDS = (
    "comment", "cpu_bind", "extra", "features", "features_act", "gres", "address", "hostname",
    "name", "state", "reason", "reason_uid", "resume_after", "topology_str", "weight",
)

# A state list (as a set) and the value of scontrol's State= that sets it.
STATE_WORDS: dict[frozenset, str] = {
    frozenset({"DOWN"}): "DOWN",
    frozenset({"IDLE"}): "IDLE",
    frozenset({"UNKNOWN"}): "UNKNOWN",
    frozenset({"ALLOCATED"}): "ALLOCATED",
    frozenset({"MIXED"}): "MIXED",
    frozenset({"ERROR"}): "ERROR",
    frozenset({"FUTURE"}): "FUTURE",
    frozenset({"RESUME"}): "RESUME",
    frozenset({"DRAIN"}): "DRAIN",
    frozenset({"UNDRAIN"}): "UNDRAIN",
    frozenset({"FAIL"}): "FAIL",
    frozenset({"NOT_RESPONDING"}): "NoResp",
    frozenset({"REBOOT_CANCELED"}): "CANCEL_REBOOT",
    frozenset({"POWER_UP"}): "POWER_UP",
    frozenset({"POWER_DOWN"}): "POWER_DOWN",
    frozenset({"POWER_DOWN", "POWER_DRAIN"}): "POWER_DOWN_ASAP",
    frozenset({"POWER_DOWN", "POWERED_DOWN"}): "POWER_DOWN_FORCE",
}
NEEDS_REASON = {"DOWN", "DRAIN", "FAIL"}

CPU_BIND_VERBOSE = 0x1
CPU_BIND_LEVELS = {0x2: "threads", 0x4: "cores", 0x8: "sockets", 0x10: "ldoms", 0x20: "none",
                   0x80000: "off"}


class InvalidField(Exception):
    """A field of the request that cannot be applied; ``field`` names it."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass
class Update:
    words: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Capabilities:
    """What the scontrol in use can set beyond 22.05's."""

    resume_after: bool = False


def _joined(name: str, value: Any) -> str:
    if isinstance(value, str):  # tolerated: slurmrestd's own parser takes "a,b" too
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidField(name, "expected a list of strings")
    return ",".join(value)


def _no_val(name: str, value: Any) -> tuple[str, int | None]:
    """("unset" | "infinite" | "number", number) of a {set, infinite, number}."""
    if not isinstance(value, Mapping):
        raise InvalidField(name, "expected an object {set, infinite, number}")
    if value.get("infinite"):
        return "infinite", None
    if value.get("set") is False or "number" not in value:
        return "unset", None
    number = value["number"]
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise InvalidField(name, f"{number!r} is not a number of 0 or more")
    return "number", number


def state_word(states: Any) -> str | None:
    if not isinstance(states, list):
        raise InvalidField("state", "expected a list of node states")
    if not states:
        return None
    key = frozenset(states)
    if key not in STATE_WORDS:
        choices = ", ".join(sorted("+".join(sorted(k)) for k in STATE_WORDS))
        raise InvalidField(
            "state", f"{'+'.join(states)} cannot be set with scontrol update; one of: {choices}")
    return STATE_WORDS[key]


def cpu_bind_word(value: Any) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidField("cpu_bind", f"{value!r} is not a cpu_bind_type_t bit set")
    if value == 0:
        return None
    levels = [name for bit, name in CPU_BIND_LEVELS.items() if value & bit]
    rest = value & ~(CPU_BIND_VERBOSE | sum(CPU_BIND_LEVELS))
    if rest or len(levels) > 1:
        raise InvalidField(
            "cpu_bind", f"{value:#x}: scontrol sets a node's binding to at most one of "
            "threads (0x2), cores (0x4), sockets (0x8), ldoms (0x10), none (0x20), "
            "off (0x80000), with verbose (0x1)")
    names = (["verbose"] if value & CPU_BIND_VERBOSE else []) + levels
    return ",".join(names)


def update_words(body: Mapping[str, Any], *, caller: str, caller_uid: int | None = None,
                 path_name: str | None = None,
                 capabilities: Capabilities = Capabilities()) -> tuple[str, Update]:
    """The node names and the scontrol words for an update_node_msg.

    ``path_name`` is the node of POST /node/{name}; without it the body's
    ``name`` lists the nodes (POST /nodes/)."""
    update = Update()
    unknown = sorted(set(body) - set(UPDATE_FIELDS))
    if unknown:
        raise InvalidField(unknown[0], "not a field of update_node_msg")

    if path_name is not None:
        names = path_name
        if "name" in body:
            listed = _joined("name", body["name"])
            if listed and listed != path_name:
                update.warnings.append(
                    f"node_names field {listed} ignored for singular node update")
    else:
        names = _joined("name", body.get("name", []))
        if not names:
            raise InvalidField("name", "the nodes to update must be named")

    words = update.words
    for key, word in (("comment", "Comment"), ("extra", "Extra"), ("gres", "Gres")):
        if key in body:
            if not isinstance(body[key], str):
                raise InvalidField(key, "expected a string")
            words.append(f"{word}={body[key]}")
    for key, word in (("features", "AvailableFeatures"), ("features_act", "ActiveFeatures"),
                      ("address", "NodeAddr"), ("hostname", "NodeHostName")):
        if key in body:
            joined = _joined(key, body[key])
            if key in ("address", "hostname") and not joined:
                raise InvalidField(key, "a node needs an address and a hostname; [] cannot clear it")
            words.append(f"{word}={joined}")

    if "cpu_bind" in body:
        bind = cpu_bind_word(body["cpu_bind"])
        if bind:
            words.append(f"CpuBind={bind}")

    if "weight" in body:
        kind, number = _no_val("weight", body["weight"])
        if kind == "infinite":
            raise InvalidField("weight", "a node's weight cannot be infinite")
        if kind == "number":
            words.append(f"Weight={number}")

    state = state_word(body["state"]) if "state" in body else None
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise InvalidField("reason", "expected a string")
    if state in NEEDS_REASON and not reason:
        raise InvalidField("reason", f"a reason is required to set state {state}")
    if "reason" in body:
        # scontrol strips one leading and one trailing double quote: add a pair.
        words.append(f'Reason="{reason}"')
    if state:
        words.append(f"State={state}")

    if "reason_uid" in body:
        _check_reason_uid(body["reason_uid"], caller, caller_uid)

    if "resume_after" in body:
        kind, number = _no_val("resume_after", body["resume_after"])
        if kind != "unset":
            if not capabilities.resume_after:
                raise InvalidField(
                    "resume_after", "scontrol of this Slurm cannot schedule a resume "
                    "(ResumeAfter= came with Slurm 23.02)")
            if state not in ("DOWN", "DRAIN"):
                raise InvalidField("resume_after", "only applies with state DOWN or DRAIN")
            words.append(f"ResumeAfter={-1 if kind == 'infinite' else number}")

    if body.get("topology_str") not in (None, ""):
        raise InvalidField("topology_str", "scontrol update cannot set a node's topology here")

    if not words:
        raise InvalidField("update_node_msg", "no change requested: the body sets nothing "
                           "scontrol update can apply")
    return names, update


def _check_reason_uid(value: Any, caller: str, caller_uid: int | None) -> None:
    if not isinstance(value, str):
        raise InvalidField("reason_uid", "expected a user name or uid")
    if value in ("", caller) or (caller_uid is not None and value == str(caller_uid)):
        return
    raise InvalidField(
        "reason_uid", f"{value!r}: scontrol records the caller ({caller}) as the one who set "
        "the reason and cannot name another user")


# ---------------------------------------------------------------------------
# POST /new/node/

_NODE_NAME = re.compile(r"^NodeName=(\S+)", re.I)


def node_conf_names(node_conf: Any) -> str:
    """The NodeName= value (a hostlist expression) of a node definition line;
    InvalidField("node_conf") when it is not one line starting with NodeName=."""
    if not isinstance(node_conf, str) or not node_conf.strip():
        raise InvalidField("node_conf", "expected a node definition line such as "
                           "'NodeName=d1 CPUs=2 State=FUTURE'")
    if "\n" in node_conf.strip() or "\r" in node_conf:
        raise InvalidField("node_conf", "one node definition line only")
    match = _NODE_NAME.match(node_conf.strip())
    if not match:
        raise InvalidField("node_conf", "the line must start with NodeName=")
    return match.group(1)
