"""Every API version from one internal form (the v0.0.44 shape).

Handlers build their answers in the internal form, or pass through what a
Slurm printing the requested version gives. What a version calls or places
differently is data, in ``openapi/<version>.map.yaml`` beside its
description: query parameters renamed (``parameters``), fields moved within
a named schema (``moves``, internal path -> this version's path), fields
made objects of their neighbours (``composed``) and fields typed otherwise
(``retypes``: this version's path -> a small converter of server.retypes,
``by``, of the internal value at ``from``, by default the same path);
request bodies are moved back and made internal by the converters
``body_retypes`` lists per schema. The
rest follows from the version's own description: a field it does not have
is left out, a flag it does not know is dropped with a warning, a number
becomes a no_val struct or back, and a required field the internal form
cannot supply is unset (a no_val struct) or left out, with a warning. No
value is ever invented.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import yaml

from server import retypes

INTERNAL = "v0.0.44"
MAP_DIR = Path(__file__).resolve().parent.parent / "openapi"
NO_VAL_KEYS = {"set", "infinite", "number"}
MAX_DEPTH = 64
_DROP = object()
# How slurmrestd writes an unset value of these types (a number or a boolean
# has no unset form: it is left out).
UNSET = {"string": "", "array": [], "object": {}}
JSON_TYPES = {"string": str, "array": list, "object": dict, "boolean": bool,
              "integer": int, "number": (int, float)}


@functools.lru_cache(maxsize=None)
def version_map(version: str) -> dict:
    path = MAP_DIR / f"{version}.map.yaml"
    return (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}


def nearest(requested: str, printed) -> str:
    """The version a handler works in for ``requested``: itself when
    ``printed(version)``, else the nearest printed one of those we serve
    (the newer on a tie), else the internal form. Each version's map is
    written against the internal form, and holds for a printed neighbour
    too: what it moves is only moved where it is found."""
    if printed(requested):
        return requested
    candidates = [v for v in _served() if v != requested and printed(v)]
    if not candidates:
        return INTERNAL
    return min(candidates, key=lambda v: (abs(_minor(v) - _minor(requested)), -_minor(v)))


@functools.lru_cache(maxsize=None)
def _served() -> tuple[str, ...]:
    return tuple(sorted(path.name.removesuffix(".yaml") for path in MAP_DIR.glob("v0.0.*.yaml")
                        if not path.name.endswith(".map.yaml")))


def _minor(version: str) -> int:
    return int(version.rsplit(".", 1)[-1])


def parameter_names(version: str, path: str) -> dict[str, str | None]:
    """This version's query parameter -> the internal one (None: none)."""
    tail = path.replace(f"/{version}/", "/", 1)
    return version_map(version).get("parameters", {}).get(tail, {})


class Converter:
    """Answers of the internal form made into ``version``'s (``answer``), and
    request bodies of ``version`` made into the internal form (``body``)."""

    def __init__(self, version: str, document: dict, warn):
        self.version = version
        self.document = document
        self.moves = version_map(version).get("moves", {})
        self.composed = version_map(version).get("composed", {})
        self.retypes = version_map(version).get("retypes", {})
        self.body_retypes = version_map(version).get("body_retypes", {})
        self.warn = warn
        self.warned: set[str] = set()

    def answer(self, body: dict, schema: dict) -> dict:
        converted = self._value(body, schema, "", depth=0)
        return converted if isinstance(converted, dict) else body

    def body(self, body, schema: dict):
        """Only the moves, backwards: a field the internal form does not know
        stays, so that the handler refuses it by name rather than drop it."""
        return self._moved_back(copy.deepcopy(body), schema, depth=0)

    # -- answers ------------------------------------------------------------

    def _resolve(self, schema: dict) -> tuple[dict, str | None]:
        name = None
        while True:
            if "$ref" in schema:
                name = schema["$ref"].rsplit("/", 1)[-1]
                schema = self.document["components"]["schemas"][name]
            elif "allOf" in schema and len(schema["allOf"]) == 1:
                schema = schema["allOf"][0]
            else:
                return schema, name

    def _key(self, name: str | None) -> str | None:
        return name[len(self.version) + 1:] if name and name.startswith(self.version + "_") else name

    def _value(self, value, schema: dict, where: str, depth: int):
        schema, name = self._resolve(schema)
        if value is None or depth > MAX_DEPTH:
            return value
        properties = schema.get("properties")
        if properties is not None and NO_VAL_KEYS <= properties.keys():
            return value if isinstance(value, dict) else {"set": True, "infinite": False, "number": value}
        if isinstance(value, dict) and NO_VAL_KEYS <= value.keys() and schema.get("type") in ("integer", "number"):
            return value["number"] if value.get("set") and not value.get("infinite") else _DROP
        if isinstance(value, dict) and properties is not None:
            return self._object(value, schema, name, where, depth)
        if isinstance(value, list) and schema.get("type") == "array":
            return self._array(value, schema.get("items", {}), where, depth)
        if isinstance(value, list) and schema.get("type") == "string":
            return ",".join(str(v) for v in value)
        if isinstance(value, str) and schema.get("type") == "array":
            return self._array([value], schema.get("items", {}), where, depth)
        if not _fits(value, schema.get("type")):
            self._warn_once(where.lstrip("."), "{} is shaped otherwise in " + self.version
                            + "; it is left out")
            return _DROP
        return value

    def _object(self, value: dict, schema: dict, name: str | None, where: str, depth: int) -> dict:
        value = _apply_moves(value, self.moves.get(self._key(name), {}))
        value = _composed(value, self.composed.get(self._key(name), {}))
        value = self._retyped(value, self.retypes.get(self._key(name), {}))
        properties = schema["properties"]
        out = {}
        for key, item in value.items():
            if key in properties:
                converted = self._value(item, properties[key], f"{where}.{key}", depth + 1)
                if converted is not _DROP:
                    out[key] = converted
        for key in schema.get("required", []):
            if key not in out and key in properties:
                target, _ = self._resolve(properties[key])
                if NO_VAL_KEYS <= target.get("properties", {}).keys():
                    out[key] = {"set": False, "infinite": False, "number": 0}
                elif target.get("type") in UNSET:
                    out[key] = copy.deepcopy(UNSET[target["type"]])
                self._warn_once(f"{where.lstrip('.')}.{key}".lstrip("."),
                                "{} cannot be supplied by this Slurm for " + self.version + "; "
                                + ("it is unset" if key in out else "it is left out"))
        return out

    def _array(self, value: list, items: dict, where: str, depth: int) -> list:
        target, _ = self._resolve(items)
        allowed = target.get("enum")
        out = []
        for item in value:
            if allowed is not None and item not in allowed:
                self._warn_once(f"{where.lstrip('.')}={item}", "{} has no name in " + self.version
                                + "; the flag is left out")
                continue
            converted = self._value(item, items, f"{where}[]", depth + 1)
            if converted is not _DROP:
                out.append(converted)
        return out

    def _retyped(self, value: dict, rules: dict[str, dict]) -> dict:
        if not rules:
            return value
        value = copy.deepcopy(value)
        for target, rule in rules.items():
            source = rule.get("from", target)
            found = _pop(value, source.split(".")) if source == target else _get(value, source.split("."))
            if found is _DROP:
                continue
            converted = getattr(retypes, rule["by"])(found, lambda text: self._warn_once(text, "{}"))
            if converted is not None:
                _put(value, target.split("."), converted)
        return value

    def _warn_once(self, what: str, text: str) -> None:
        if what not in self.warned:
            self.warned.add(what)
            self.warn(text.format(what))

    # -- request bodies -----------------------------------------------------

    def _moved_back(self, value, schema: dict, depth: int):
        schema, name = self._resolve(schema)
        if depth > MAX_DEPTH:
            return value
        if isinstance(value, dict) and "properties" in schema:
            reverse = {there: here for here, there in self.moves.get(self._key(name), {}).items()}
            value = _decomposed(_apply_moves(value, reverse), self.composed.get(self._key(name), {}))
            for by in self.body_retypes.get(self._key(name), []):
                value = getattr(retypes, by)(value, self.warn)
            for key, item in value.items():
                if key in schema["properties"]:
                    value[key] = self._moved_back(item, schema["properties"][key], depth + 1)
        elif isinstance(value, list) and schema.get("type") == "array":
            return [self._moved_back(item, schema.get("items", {}), depth + 1) for item in value]
        return value


def _composed(value: dict, fields: dict[str, dict[str, str]]) -> dict:
    """Fields this version makes an object of, from members of the same
    object (`id: {id: id, user: user}`): only the members that are there."""
    if not fields:
        return value
    value = dict(value)
    for field, members in fields.items():
        value[field] = {member: value[source] for member, source in members.items() if source in value}
    return value


def _decomposed(value: dict, fields: dict[str, dict[str, str]]) -> dict:
    """The reverse of _composed: the field holds again its own member."""
    for field, members in fields.items():
        if isinstance(value.get(field), dict):
            own = value.pop(field).get(next((m for m, source in members.items() if source == field), ""))
            if own is not None:
                value[field] = own
    return value


def _fits(value, kind: str | None) -> bool:
    if kind is None:
        return True
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, JSON_TYPES.get(kind, object))


def _apply_moves(value: dict, moves: dict[str, str]) -> dict:
    """Each `from.path: to.path` whose source is there, in a copy."""
    if not moves:
        return value
    value = copy.deepcopy(value)
    for source, target in moves.items():
        found = _pop(value, source.split("."))
        if found is not _DROP:
            _put(value, target.split("."), found)
    return value


def _pop(value: dict, parts: list[str]):
    here = value
    for part in parts[:-1]:
        here = here.get(part) if isinstance(here, dict) else None
    if not isinstance(here, dict) or parts[-1] not in here:
        return _DROP
    return here.pop(parts[-1])


def _get(value: dict, parts: list[str]):
    here = value
    for part in parts:
        if not isinstance(here, dict) or part not in here:
            return _DROP
        here = here[part]
    return here


def _put(value: dict, parts: list[str], found) -> None:
    here = value
    for part in parts[:-1]:
        if not isinstance(here.get(part), dict):
            here[part] = {}
        here = here[part]
    here[parts[-1]] = found
