"""The `Key = value` lines of `scontrol show config` and `sacctmgr show
configuration` as v0.0.45's ``slurm_conf``/``slurmdbd_conf`` objects.

The properties of these objects are named as Slurm prints its settings, so
the version's own schema is the map: a printed key fills the property of
its name, read as the schema types it. Only what is printed is sent: an
unset word ("(null)", "NONE", "UNLIMITED" for a plain number), a number
printed as a word, or a shape none of the rules below read, leaves the
property out. A few settings are printed otherwise:

- a flag list whose names Slurm prints as settings of their own
  (`AllowNoDefAcct = yes`) is the list of those that are on;
- `SlurmUser = root(0)` gives the name, and `SlurmUserId` the number;
- `SlurmctldHost[N] = machine(address)` are the ``controllers``;
- `SrunPortRange = A-B` is a port range (0-0: none).
"""

from __future__ import annotations

import re
from datetime import datetime


UNSET_WORDS = {"(null)", "(null type)", "", "NONE", "N/A"}
INFINITE_WORDS = {"UNLIMITED", "INFINITE"}
TRUE_WORDS = {"yes", "true", "on", "1"}
FALSE_WORDS = {"no", "false", "off", "0"}
# property -> (printed key, what of `name(id)` it holds)
USER_IDS = {"SlurmUserId": ("SlurmUser", "id"), "SlurmdUserId": ("SlurmdUser", "id"),
            "SlurmUser": ("SlurmUser", "name"), "SlurmdUser": ("SlurmdUser", "name")}
# printed words -> the enum's, where they differ
ENUM_WORDS = {"PreemptMode": {"OFF": "DISABLED"}}
_NAMED_ID = re.compile(r"^(.*)\((\d+)\)$")
_LEADING_NUMBER = re.compile(r"^(-?\d+)(?:\s*[a-zA-Z/%]*)?$")
_AS_OF = re.compile(r"^Configuration data as of (\S+)")
_PURGE = re.compile(r"^(\d+)\s*(hour|day|month)s?$", re.IGNORECASE)


def sections(text: str) -> list[dict[str, str]]:
    """Each block of `Key = value` lines, in order (a heading line such as
    "SlurmDBD configuration:" or a blank line starts a new one); the time of
    "Configuration data as of" goes with the first as ``LastUpdate``."""
    blocks: list[dict[str, str]] = [{}]
    for line in text.splitlines():
        if match := _AS_OF.match(line):
            blocks[0]["LastUpdate"] = match.group(1)
            continue
        key, sep, value = line.partition("=")
        if sep and key.strip() and " " not in key.strip():
            blocks[-1][key.strip()] = value.strip()
        elif blocks[-1]:
            blocks.append({})
    return [block for block in blocks if block]


class ConfReader:
    """Printed settings read against one version's description."""

    def __init__(self, document: dict):
        self.schemas = document["components"]["schemas"]

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def read(self, printed: dict[str, str], schema_name: str) -> dict:
        out = {}
        for name, schema in self.resolve(self.schemas[schema_name]).get("properties", {}).items():
            value = self._property(name, self.resolve(schema), printed)
            if value is not None:
                out[name] = value
        return out

    def _property(self, name: str, schema: dict, printed: dict[str, str]):
        if name in USER_IDS:
            key, part = USER_IDS[name]
            match = _NAMED_ID.match(printed.get(key, ""))
            if not match:
                return None
            return int(match.group(2)) if part == "id" else match.group(1)
        if name == "controllers":
            return _controllers(printed) or None
        if name not in printed:
            return _flag_list(schema, printed, self.resolve)
        text = printed[name]
        if text in UNSET_WORDS:
            return None
        return self._typed(name, text, schema)

    def _typed(self, name: str, text: str, schema: dict):
        kind = schema.get("type")
        properties = schema.get("properties", {})
        if {"set", "infinite", "number"} <= properties.keys():
            if text.upper() in INFINITE_WORDS:
                return {"set": False, "infinite": True, "number": 0}
            number = _number(text)
            return None if number is None else {"set": True, "infinite": False, "number": number}
        if {"hours", "days", "months"} <= properties.keys():
            match = _PURGE.match(text)
            return {"set": True, match.group(2).lower() + "s": int(match.group(1))} if match else None
        if {"minimum", "maximum"} <= properties.keys():
            low, _, high = text.partition("-")
            if low.isdigit() and high.isdigit() and int(high) > 0:
                return {"minimum": int(low), "maximum": int(high), "set": True}
            return None
        if kind == "integer":
            return _number(text) if _number(text) is not None else _timestamp(text)
        if kind == "boolean":
            word = text.lower()
            return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
        if kind == "array":
            items = self.resolve(schema.get("items", {}))
            words = [w.strip() for w in text.split(",") if w.strip()]
            if "enum" in items:
                spelled = {e.lower(): e for e in items["enum"]}
                renamed = ENUM_WORDS.get(name, {})
                words = [spelled.get(renamed.get(w, w).lower(), w) for w in words]
            return words if items.get("type", "string") == "string" or "enum" in items else None
        if kind == "string":
            return text
        return None


def _number(text: str) -> int | None:
    match = _LEADING_NUMBER.match(text.strip())
    return int(match.group(1)) if match else None


def _timestamp(text: str) -> int | None:
    """Slurm's printed times (2026-12-03T00:18:10, local time) as UNIX time."""
    try:
        return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S").timestamp())
    except ValueError:
        return None


def _flag_list(schema: dict, printed: dict[str, str], resolve) -> list[str] | None:
    if schema.get("type") != "array":
        return None
    names = resolve(schema.get("items", {})).get("enum") or []
    shown = [n for n in names if n in printed]
    if not shown:
        return None
    return [n for n in shown if printed[n].lower() in TRUE_WORDS]


def _controllers(printed: dict[str, str]) -> list[dict]:
    out = []
    for index in range(len(printed)):
        value = printed.get(f"SlurmctldHost[{index}]")
        if value is None:
            break
        match = re.match(r"^([^()]+)(?:\(([^()]*)\))?$", value)
        if match:
            out.append({"machine": match.group(1), **({"address": match.group(2)} if match.group(2) else {})})
    return out


