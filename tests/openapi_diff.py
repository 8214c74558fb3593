"""Compare two OpenAPI 3.0 descriptions for what a client can observe.

``diff(ours, reference)`` walks both documents operation by operation and
schema by schema and returns one readable line per difference, e.g.::

    GET /slurm/v0.0.44/jobs/: parameter flags: enum differs: missing ['FUTURE']
    schema v0.0.44_job_info: property time_limit: type integer != object

"missing" means present in the reference but not in ours, "extra" the reverse;
in "a != b", a is ours and b the reference's.

Prose is ignored (description, summary, title, tags, examples, externalDocs,
info, every x-* extension). A ``$ref`` is read as OpenAPI 3.0 reads it: keys
beside it are ignored, so SchedMD's ``$ref`` + description pairs compare equal
to a bare ``$ref``. Missing keywords compare equal to their defaults
(``required: []``, ``nullable: false``, a query parameter's ``style: form``...).

Command line (exit status 1 when there are differences)::

    python -m tests.openapi_diff openapi/v0.0.44.yaml \\
        tests/reference/openapi/slurmrestd-v0.0.44.json [--paths-prefix /slurm/]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

PROSE_KEYS = {"description", "summary", "title", "tags", "example", "examples", "externalDocs"}

# Schema keywords with a default that a missing keyword is compared as.
SCHEMA_DEFAULTS: dict[str, Any] = {
    "nullable": False,
    "deprecated": False,
    "readOnly": False,
    "writeOnly": False,
    "uniqueItems": False,
    "required": [],
    "additionalProperties": True,
}

# Schema keywords compared by dedicated code; any other non-prose keyword is
# compared for equality, so nothing slips by unnoticed.
SCHEMA_STRUCTURE = {"$ref", "type", "enum", "required", "properties", "items",
                    "additionalProperties", "allOf", "oneOf", "anyOf", "not"}

PARAMETER_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


def _is_prose(key: str) -> bool:
    return key in PROSE_KEYS or key.startswith("x-")


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1] if ref.startswith("#/components/") else ref


class _Differ:
    def __init__(self, ours: dict, reference: dict):
        self.docs = {"ours": ours, "ref": reference}
        self.lines: list[str] = []

    def report(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}" if where else message)

    # -- helpers ------------------------------------------------------------

    def resolve(self, side: str, node: Any) -> Any:
        """Follow a $ref to a non-schema component (parameter, response, ...)."""
        seen = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                break
            seen.add(ref)
            target: Any = self.docs[side]
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part) if isinstance(target, dict) else None
            if target is None:
                break
            node = target
        return node

    def compare_keys(self, where: str, what: str, ours: dict, ref: dict) -> list[str]:
        """Report keys only one side has; return the keys both have, in reference order."""
        missing = [k for k in ref if k not in ours]
        extra = [k for k in ours if k not in ref]
        for key in missing:
            self.report(where, f"{what} {key}: missing")
        for key in extra:
            self.report(where, f"{what} {key}: extra")
        return [k for k in ref if k in ours]

    def compare_value(self, where: str, what: str, ours: Any, ref: Any) -> None:
        if ours != ref:
            self.report(where, f"{what} {_show(ours)} != {_show(ref)}")

    # -- schemas ------------------------------------------------------------

    def schema(self, where: str, ours: Any, ref: Any) -> None:
        if not isinstance(ours, dict) or not isinstance(ref, dict):
            if ours != ref:
                self.report(where, f"schema {_show(ours)} != {_show(ref)}")
            return
        if "$ref" in ours or "$ref" in ref:
            if "$ref" in ours and "$ref" in ref:
                if ours["$ref"] != ref["$ref"]:
                    self.report(where, f"$ref {_ref_name(ours['$ref'])} != {_ref_name(ref['$ref'])}")
            elif "$ref" in ref:
                self.report(where, f"inline schema where the reference has $ref {_ref_name(ref['$ref'])}")
            else:
                self.report(where, f"$ref {_ref_name(ours['$ref'])} where the reference has an inline schema")
            return

        self.compare_value(where, "type", ours.get("type"), ref.get("type"))

        if "enum" in ours or "enum" in ref:
            self.enum(where, ours.get("enum"), ref.get("enum"))

        req_ours, req_ref = set(ours.get("required", [])), set(ref.get("required", []))
        if req_ours != req_ref:
            parts = []
            if req_ref - req_ours:
                parts.append(f"missing {sorted(req_ref - req_ours)}")
            if req_ours - req_ref:
                parts.append(f"extra {sorted(req_ours - req_ref)}")
            self.report(where, "required differs: " + ", ".join(parts))

        props_ours, props_ref = ours.get("properties"), ref.get("properties")
        if props_ours is not None or props_ref is not None:
            if props_ours is None or props_ref is None:
                self.report(where, f"properties {'absent' if props_ours is None else 'present'} "
                                   f"but {'present' if props_ref is not None else 'absent'} in the reference")
            else:
                for name in self.compare_keys(where, "property", props_ours, props_ref):
                    self.schema(f"{where}: property {name}", props_ours[name], props_ref[name])

        for key in ("items", "not"):
            if key in ours or key in ref:
                if key not in ours or key not in ref:
                    self.report(where, f"{key} {'missing' if key in ref else 'extra'}")
                else:
                    self.schema(f"{where}: {key}", ours[key], ref[key])

        # A missing additionalProperties, true and {} all allow anything.
        add_ours = ours.get("additionalProperties", True) or ours.get("additionalProperties") == {}
        add_ref = ref.get("additionalProperties", True) or ref.get("additionalProperties") == {}
        if isinstance(add_ours, dict) and isinstance(add_ref, dict):
            self.schema(f"{where}: additionalProperties", add_ours, add_ref)
        elif add_ours != add_ref:
            self.report(where, f"additionalProperties {_show(add_ours)} != {_show(add_ref)}")

        for key in ("allOf", "oneOf", "anyOf"):
            list_ours, list_ref = ours.get(key), ref.get(key)
            if list_ours is None and list_ref is None:
                continue
            if list_ours is None or list_ref is None or len(list_ours) != len(list_ref):
                self.report(where, f"{key} has {len(list_ours or [])} entries, "
                                   f"the reference {len(list_ref or [])}")
                continue
            for i, (a, b) in enumerate(zip(list_ours, list_ref)):
                self.schema(f"{where}: {key}[{i}]", a, b)

        others = (set(ours) | set(ref)) - SCHEMA_STRUCTURE
        for key in sorted(k for k in others if not _is_prose(k)):
            default = SCHEMA_DEFAULTS.get(key)
            self.compare_value(where, key, ours.get(key, default), ref.get(key, default))

    def enum(self, where: str, ours: list | None, ref: list | None) -> None:
        if ours is None or ref is None:
            self.report(where, f"enum {'missing' if ours is None else 'extra'}")
            return
        key = lambda v: json.dumps(v, sort_keys=True)  # noqa: E731 - enum values may be unhashable
        set_ours, set_ref = {key(v): v for v in ours}, {key(v): v for v in ref}
        missing = [set_ref[k] for k in set_ref if k not in set_ours]
        extra = [set_ours[k] for k in set_ours if k not in set_ref]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {missing}")
            if extra:
                parts.append(f"extra {extra}")
            self.report(where, "enum differs: " + ", ".join(parts))

    # -- operations ---------------------------------------------------------

    def parameters(self, where: str, path_item: dict, op: dict, side: str) -> dict:
        """Effective parameters of an operation, keyed by (name, in)."""
        params = {}
        for source in (path_item.get("parameters", []), op.get("parameters", [])):
            for param in source:
                param = self.resolve(side, param)
                params[(param.get("name"), param.get("in"))] = param
        return params

    def parameter(self, where: str, ours: dict, ref: dict) -> None:
        location = ref.get("in")
        style = PARAMETER_STYLE.get(location, "simple")
        defaults = {
            "required": False, "deprecated": False, "allowEmptyValue": False,
            "allowReserved": False, "style": style,
        }
        for key, default in defaults.items():
            self.compare_value(where, key, ours.get(key, default), ref.get(key, default))
        explode_default = ours.get("style", style) == "form"
        self.compare_value(where, "explode", ours.get("explode", explode_default),
                           ref.get("explode", ref.get("style", style) == "form"))
        if "schema" in ours or "schema" in ref:
            self.schema(where, ours.get("schema"), ref.get("schema"))
        if "content" in ours or "content" in ref:
            self.content(where, ours.get("content", {}), ref.get("content", {}))
        others = (set(ours) | set(ref)) - set(defaults) - {"name", "in", "explode", "schema", "content"}
        for key in sorted(k for k in others if not _is_prose(k)):
            self.compare_value(where, key, ours.get(key), ref.get(key))

    def content(self, where: str, ours: dict, ref: dict) -> None:
        for media_type in self.compare_keys(where, "media type", ours, ref):
            self.schema(f"{where}: {media_type}", ours[media_type].get("schema"),
                        ref[media_type].get("schema"))

    def operation(self, where: str, path_ours: dict, path_ref: dict, method: str) -> None:
        ours, ref = path_ours[method], path_ref[method]
        self.compare_value(where, "operationId", ours.get("operationId"), ref.get("operationId"))
        self.compare_value(where, "deprecated", ours.get("deprecated", False), ref.get("deprecated", False))
        if "security" in ours or "security" in ref:
            self.compare_value(where, "security", ours.get("security"), ref.get("security"))

        params_ours = self.parameters(where, path_ours, ours, "ours")
        params_ref = self.parameters(where, path_ref, ref, "ref")
        for key in params_ref:
            if key not in params_ours:
                self.report(where, f"parameter {key[0]} (in {key[1]}): missing")
        for key in params_ours:
            if key not in params_ref:
                self.report(where, f"parameter {key[0]} (in {key[1]}): extra")
        for key in params_ref:
            if key in params_ours:
                label = f"{where}: parameter {key[0]}" + ("" if key[1] == "query" else f" (in {key[1]})")
                self.parameter(label, params_ours[key], params_ref[key])

        body_ours = self.resolve("ours", ours.get("requestBody"))
        body_ref = self.resolve("ref", ref.get("requestBody"))
        if (body_ours is None) != (body_ref is None):
            self.report(where, f"requestBody {'missing' if body_ours is None else 'extra'}")
        elif body_ours is not None:
            self.compare_value(f"{where}: requestBody", "required",
                               body_ours.get("required", False), body_ref.get("required", False))
            self.content(f"{where}: requestBody", body_ours.get("content", {}), body_ref.get("content", {}))

        resp_ours, resp_ref = ours.get("responses", {}), ref.get("responses", {})
        for code in self.compare_keys(where, "response", resp_ours, resp_ref):
            a = self.resolve("ours", resp_ours[code])
            b = self.resolve("ref", resp_ref[code])
            self.content(f"{where}: response {code}", a.get("content", {}), b.get("content", {}))
            if "headers" in a or "headers" in b:
                self.compare_keys(f"{where}: response {code}", "header",
                                  a.get("headers", {}), b.get("headers", {}))

    def paths(self, prefix: str | None) -> None:
        def select(doc: dict) -> dict:
            return {p: v for p, v in doc.get("paths", {}).items() if prefix is None or p.startswith(prefix)}

        paths_ours, paths_ref = select(self.docs["ours"]), select(self.docs["ref"])
        for path in self.compare_keys("", "path", paths_ours, paths_ref):
            item_ours, item_ref = paths_ours[path], paths_ref[path]
            methods_ours = [m for m in HTTP_METHODS if m in item_ours]
            methods_ref = [m for m in HTTP_METHODS if m in item_ref]
            for method in methods_ref:
                if method not in methods_ours:
                    self.report(f"{method.upper()} {path}", "operation missing")
            for method in methods_ours:
                if method not in methods_ref:
                    self.report(f"{method.upper()} {path}", "operation extra")
            for method in methods_ref:
                if method in methods_ours:
                    self.operation(f"{method.upper()} {path}", item_ours, item_ref, method)

    # -- document -----------------------------------------------------------

    def components(self) -> None:
        comp_ours = self.docs["ours"].get("components", {})
        comp_ref = self.docs["ref"].get("components", {})
        schemas_ours, schemas_ref = comp_ours.get("schemas", {}), comp_ref.get("schemas", {})
        for name in self.compare_keys("", "schema", schemas_ours, schemas_ref):
            self.schema(f"schema {name}", schemas_ours[name], schemas_ref[name])

        sec_ours, sec_ref = comp_ours.get("securitySchemes", {}), comp_ref.get("securitySchemes", {})
        for name in self.compare_keys("", "securityScheme", sec_ours, sec_ref):
            a, b = self.resolve("ours", sec_ours[name]), self.resolve("ref", sec_ref[name])
            for key in sorted(k for k in set(a) | set(b) if not _is_prose(k)):
                self.compare_value(f"securityScheme {name}", key, a.get(key), b.get(key))

        for kind in sorted((set(comp_ours) | set(comp_ref)) - {"schemas", "securitySchemes"}):
            self.compare_keys(f"components {kind}", "entry", comp_ours.get(kind, {}), comp_ref.get(kind, {}))

        self.compare_value("", "global security", self.docs["ours"].get("security"),
                           self.docs["ref"].get("security"))


def diff(ours: dict, reference: dict, paths_prefix: str | None = None) -> list[str]:
    """Every observable difference between two OpenAPI 3.0 descriptions, one line each."""
    differ = _Differ(ours, reference)
    differ.paths(paths_prefix)
    differ.components()
    return differ.lines


def _load(path: Path) -> dict:
    text = path.read_text()
    if path.suffix == ".json":
        return json.loads(text)
    import yaml

    return yaml.safe_load(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Report differences between two OpenAPI descriptions.")
    parser.add_argument("ours", type=Path)
    parser.add_argument("reference", type=Path)
    parser.add_argument("--paths-prefix", default=None, help="only compare paths starting with this")
    args = parser.parse_args(argv)
    lines = diff(_load(args.ours), _load(args.reference), args.paths_prefix)
    for line in lines:
        print(line)
    if lines:
        print(f"{len(lines)} difference(s)", file=sys.stderr)
        return 1
    print("no differences", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
