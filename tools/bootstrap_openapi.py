#!/usr/bin/env python3
"""Bootstrap openapi/<version>.yaml from SchedMD's description of one API version.

Run once per API version; afterwards the YAML is maintained by hand:

    python tools/bootstrap_openapi.py --handlers-from openapi/v0.0.44.yaml \\
        tests/reference/openapi/slurmrestd-v0.0.43.json openapi/v0.0.43.yaml

What is kept from the reference, unchanged: paths and their order, methods,
operationIds, parameters (name, location, required, style, explode,
allowEmptyValue, allowReserved, deprecated, schema), request bodies, response
codes and media types, schema names, and every validation keyword of every
schema (type, format, enum, items, properties, required, additionalProperties,
allOf/oneOf/anyOf, nullable, deprecated, ...), the security schemes and the
global security list.

What is fixed: ``openapi`` becomes 3.0.2; a ``$ref`` loses its sibling keys
(OpenAPI 3.0 ignores them anyway); an empty ``required: []`` is dropped; a
required path (``nodes/count``) is required of the nested object it names;
where slurmrestd's real answers break the reference, the schema accepts them
(AS_SERVED, WIDER_NUMBERS).

What is replaced: all of SchedMD's prose (descriptions, summaries, info,
contact, terms of service, x-slurm) is dropped. Our own texts come from
tools/openapi_prose.yaml. Every operation gets ``x-slurmrestpy-handler``.
Quirks of the reference that we keep on purpose get ``x-slurmrestpy-note``.

The API version (v0.0.44, v0044 in operationIds, the v0.0.44_ schema prefix)
is read from the input, so the same tool serves every version. If the prose
table lacks an entry the input needs, nothing is written and the missing
entries are listed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

PROSE_FILE = Path(__file__).with_name("openapi_prose.yaml")

OPENAPI_VERSION = "3.0.2"

# Operations that have a real implementation; keys are operationIds without
# the version (see operation_key). Everything else answers "not implemented".
HANDLERS = {
    "slurm_get_ping": "handlers.slurm.ping.get_ping",
    "slurm_get_diag": "handlers.slurm.diag.get_diag",
    "slurm_get_jobs": "handlers.slurm.jobs.get_jobs",
    "slurm_get_job": "handlers.slurm.jobs.get_job",
}
DEFAULT_HANDLER = "handlers.unimplemented.not_implemented"

# Functions connexion calls to check the credentials of each security scheme.
SECURITY_HOOKS = {
    "user": ("x-apikeyInfoFunc", "server.auth.user_name_info"),
    "token": ("x-apikeyInfoFunc", "server.auth.slurm_token_info"),
    "bearerAuth": ("x-bearerInfoFunc", "server.auth.bearer_token_info"),
}

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Keys that only carry prose; they are dropped wherever they appear.
PROSE_KEYS = {"description", "summary", "title", "example", "examples", "externalDocs"}

# Schema keywords of OpenAPI 3.0 that are copied as they are (after cleaning
# nested schemas). An unknown keyword stops the tool rather than slip through.
SCHEMA_KEYWORDS = {
    "type", "format", "enum", "default", "nullable", "deprecated",
    "readOnly", "writeOnly", "discriminator", "xml",
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern",
    "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties",
    "required", "properties", "additionalProperties", "items",
    "allOf", "oneOf", "anyOf", "not",
}

# Order of keys in a parameter we write; prose keys are replaced by ours.
PARAMETER_KEYS = (
    "name", "in", "description", "required", "deprecated",
    "style", "explode", "allowEmptyValue", "allowReserved", "schema",
)

# Methods for which OpenAPI 3.0 gives a request body no defined meaning.
METHODS_WITHOUT_BODY = {"get", "delete", "head"}


# Where the reference rejects what slurmrestd really sends, the description we
# serve departs from it (schema name without its version prefix -> change).
# Each comes with its x-slurmrestpy-note.
AS_SERVED = {
    "job_res": ({"nullable": True},
                "slurmrestd sends job_resources null for a job that holds no resources (a pending one), "
                "so this object is nullable; slurmrestpy leaves the property out instead."),
    "openapi_nodes_resp": ({"required": None, "x-slurmrestpy-always-sent": ["nodes", "last_update"]},
                           "The reference requires nodes and last_update, but for a node it does not know "
                           "slurmrestd answers without them, so they are not required here. slurmrestpy "
                           "always sends both (x-slurmrestpy-always-sent)."),
}
# uint32 numbers that the reference declares int32 but that go past 2^31.
WIDER_NUMBERS = {"uint32_no_val_struct": "number", "uint32_no_val": "number"}
WIDER_NOTE = ("The reference says int32, but the number is a uint32 of Slurm and goes past 2^31 "
              "(priority/basic gives priorities just below 2^32), so int64 here.")


def nest_required(schema: dict) -> None:
    """Turn required paths ("nodes/count") into `required` of the inline
    nested objects they name; a path through a $ref stops there."""
    required = schema.get("required", [])
    if not any("/" in r for r in required):
        return
    top: list[str] = []
    for path in required:
        parts, here = path.split("/"), schema
        for part in parts:
            names = top if here is schema else here.setdefault("required", [])
            if part not in names:
                names.append(part)
            here = here.get("properties", {}).get(part)
            if not isinstance(here, dict) or "$ref" in here:
                break
    schema["required"] = top


def as_served(key: str, schema: dict) -> dict:
    """A schema with the departures of AS_SERVED and WIDER_NUMBERS applied."""
    if key in AS_SERVED:
        changes, note = AS_SERVED[key]
        earlier = schema.pop("x-slurmrestpy-note", None)
        schema = {"x-slurmrestpy-note": f"{earlier} {note}" if earlier else note, **schema}
        for name, value in changes.items():
            if value is None:
                schema.pop(name, None)
            else:
                schema[name] = value
    if key in WIDER_NUMBERS:
        number = schema["properties"][WIDER_NUMBERS[key]]
        schema["properties"][WIDER_NUMBERS[key]] = {"x-slurmrestpy-note": WIDER_NOTE, **number,
                                                    "format": "int64"}
    return schema


class MissingProse(Exception):
    """The prose table lacks entries the input needs."""


def detect_version(reference: dict) -> str:
    """Return the single API version ("v0.0.44") used in the paths."""
    versions = set()
    for path in reference["paths"]:
        match = re.match(r"^/[^/]+/(v\d+\.\d+\.\d+)/", path)
        if match:
            versions.add(match.group(1))
    if len(versions) != 1:
        raise SystemExit(f"expected exactly one API version in the paths, found {sorted(versions)}")
    return versions.pop()


class Bootstrap:
    def __init__(self, reference: dict, prose: dict, handlers: dict | None = None):
        self.ref = reference
        self.prose = prose
        self.handlers = {**HANDLERS, **(handlers or {})}
        self.version = detect_version(reference)  # v0.0.44
        self.op_tag = self.version.replace(".", "")  # v0044
        self.schema_prefix = f"{self.version}_"  # v0.0.44_
        self.missing: list[str] = []

    # -- prose lookups ------------------------------------------------------

    def text(self, value: str) -> str:
        return " ".join(value.split()).replace("{version}", self.version)

    def lookup(self, table: str, key: str, what: str) -> str | None:
        value = self.prose.get(table, {}).get(key)
        if value is None:
            self.missing.append(f"{table}: {key!r} ({what})")
            return None
        return self.text(value)

    def operation_key(self, operation_id: str) -> str:
        key = operation_id.replace(f"_{self.op_tag}_", "_", 1)
        if key == operation_id:
            raise SystemExit(f"operationId {operation_id!r} does not contain _{self.op_tag}_")
        return key

    def schema_key(self, ref: str) -> str:
        name = ref.rsplit("/", 1)[-1]
        return name[len(self.schema_prefix):] if name.startswith(self.schema_prefix) else name

    def parameter_text(self, op_key: str, param: dict) -> str | None:
        name, location = param["name"], param["in"]
        override = self.prose.get("parameter_overrides", {}).get(op_key, {}).get(name)
        if override is not None:
            return self.text(override)
        value = self.prose.get("parameters", {}).get(name)
        if isinstance(value, dict):
            value = value.get(location)
        if value is None:
            self.missing.append(f"parameters: {name!r} in {location} (used by {op_key})")
            return None
        return self.text(value)

    # -- schemas ------------------------------------------------------------

    def clean_schema(self, schema: dict, where: str) -> dict:
        """Copy a schema without prose, fixing $ref siblings and required: []."""
        if "$ref" in schema:
            return {"$ref": schema["$ref"]}
        out: dict = {}
        notes = []
        for key, value in schema.items():
            if key in PROSE_KEYS or key.startswith("x-"):
                continue
            if key not in SCHEMA_KEYWORDS:
                raise SystemExit(f"{where}: unknown schema keyword {key!r}")
            if key == "required" and value == []:
                continue
            if key == "properties":
                out[key] = {}
                for name, sub in value.items():
                    out[key][name] = self.clean_schema(sub, f"{where}.{name}")
                    notes += self.ref_sibling_notes(sub, f"property {name}")
            elif key in ("items", "not") or (key == "additionalProperties" and isinstance(value, dict)):
                out[key] = self.clean_schema(value, f"{where}.{key}")
                notes += self.ref_sibling_notes(value, key)
            elif key in ("allOf", "oneOf", "anyOf"):
                out[key] = [self.clean_schema(sub, f"{where}.{key}[{i}]") for i, sub in enumerate(value)]
                for i, sub in enumerate(value):
                    notes += self.ref_sibling_notes(sub, f"{key}[{i}]")
            elif key == "default" and schema.get("type") == "boolean" and value in (0, 1):
                out[key] = bool(value)  # the reference writes 0 for false, which OpenAPI refuses
            else:
                out[key] = value
        notes += self.required_notes(schema)
        nest_required(out)
        if notes:  # first, so that it is seen before a long list of properties
            out = {"x-slurmrestpy-note": " ".join(notes), **out}
        return out

    @staticmethod
    def required_notes(schema: dict) -> list[str]:
        """Explain required names that are paths into nested objects (nested by nest_required)."""
        paths = [n for n in schema.get("required", []) if "/" in n]
        if not paths:
            return []
        return [
            f"The reference lists paths into nested objects as required (such as {paths[0]}), which "
            f"no object has as a property name. Here each is required of the nested object it names, "
            f"so that real answers validate."
        ]

    @staticmethod
    def ref_sibling_notes(schema: dict, element: str) -> list[str]:
        """Explain a meaningful $ref sibling that had to go (prose ones go silently)."""
        if "$ref" not in schema:
            return []
        lost = sorted(k for k in schema if k != "$ref" and k not in PROSE_KEYS)
        if not lost:
            return []
        flags = ", ".join(f"{k}: {json.dumps(schema[k])}" for k in lost)
        return [
            f"The reference gives {element} {flags} next to its $ref; OpenAPI 3.0 ignores keys beside "
            f"a $ref, so the $ref is kept bare and the flag is only recorded in this note."
        ]

    def schemas(self) -> dict:
        descriptions = self.prose.get("response_schemas", {})
        response_names = set()
        for path_item in self.ref["paths"].values():
            for method in HTTP_METHODS:
                for response in path_item.get(method, {}).get("responses", {}).values():
                    for media in response.get("content", {}).values():
                        if "$ref" in media.get("schema", {}):
                            response_names.add(media["schema"]["$ref"].rsplit("/", 1)[-1])
        out = {}
        for name, schema in self.ref["components"]["schemas"].items():
            key = self.schema_key(name)
            cleaned = as_served(key, self.clean_schema(schema, name))
            if key in self.prose.get("schema_notes", {}):
                note = self.text(self.prose["schema_notes"][key])
                if "x-slurmrestpy-note" in cleaned:
                    note = f"{cleaned.pop('x-slurmrestpy-note')} {note}"
                cleaned = {"x-slurmrestpy-note": note, **cleaned}
            if name in response_names:
                text = self.lookup("response_schemas", key, "response schema")
                cleaned = {"description": text, **cleaned}
            out[name] = cleaned
        return out

    # -- operations ---------------------------------------------------------

    def parameter(self, op_key: str, param: dict) -> dict:
        unknown = set(param) - set(PARAMETER_KEYS) - PROSE_KEYS
        if unknown:
            raise SystemExit(f"{op_key}: parameter {param['name']!r} has unknown keys {sorted(unknown)}")
        out = {}
        for key in PARAMETER_KEYS:
            if key == "description":
                out[key] = self.parameter_text(op_key, param)
            elif key == "schema":
                out[key] = self.clean_schema(param[key], f"{op_key}.{param['name']}")
            elif key in param:
                out[key] = param[key]
        notes = []
        if re.search(r"\s", param["name"]):
            notes.append(
                "The name contains spaces because slurmrestd publishes it that way. It is kept as it is, "
                "so that requests built from either description use the same query key "
                "(URL-encoded, e.g. %20 for each space)."
            )
        if param["name"] in self.prose.get("parameter_notes", {}):
            notes.append(self.text(self.prose["parameter_notes"][param["name"]]))
        if notes:
            out["x-slurmrestpy-note"] = " ".join(notes)
        return out

    def content(self, content: dict, where: str) -> dict:
        out = {}
        for media_type, media in content.items():
            unknown = set(media) - {"schema"} - PROSE_KEYS
            if unknown:
                raise SystemExit(f"{where}: media type {media_type} has unknown keys {sorted(unknown)}")
            out[media_type] = {"schema": self.clean_schema(media["schema"], where)}
        return out

    @staticmethod
    def first_schema_ref(content: dict) -> str | None:
        for media in content.values():
            ref = media.get("schema", {}).get("$ref")
            if ref:
                return ref
        return None

    def request_body(self, op_key: str, method: str, body: dict) -> dict:
        unknown = set(body) - {"content", "required"} - PROSE_KEYS
        if unknown:
            raise SystemExit(f"{op_key}: requestBody has unknown keys {sorted(unknown)}")
        ref = self.first_schema_ref(body["content"])
        out = {}
        if ref:
            out["description"] = self.lookup("request_schemas", self.schema_key(ref), f"request body of {op_key}")
        if "required" in body:
            out["required"] = body["required"]
        out["content"] = self.content(body["content"], f"{op_key} request body")
        if method in METHODS_WITHOUT_BODY:
            out["x-slurmrestpy-note"] = (
                f"OpenAPI 3.0 gives a request body on {method.upper()} no defined meaning, but "
                f"slurmrestd reads one here, so it is kept."
            )
        return out

    def responses(self, op_key: str, responses: dict) -> dict:
        out = {}
        for code, response in responses.items():
            unknown = set(response) - {"content"} - PROSE_KEYS
            if unknown:
                raise SystemExit(f"{op_key}: response {code} has unknown keys {sorted(unknown)}")
            ref = self.first_schema_ref(response.get("content", {}))
            if code == "default":
                description = self.text(self.prose["default_response"])
            elif ref:
                description = self.lookup("response_schemas", self.schema_key(ref), f"response {code} of {op_key}")
            else:
                description = self.lookup("responses", code, f"response {code} of {op_key}")
            out[code] = {"description": description}
            if "content" in response:
                out[code]["content"] = self.content(response["content"], f"{op_key} response {code}")
        return out

    def operation(self, method: str, op: dict) -> dict:
        op_key = self.operation_key(op["operationId"])
        known = {"tags", "operationId", "parameters", "requestBody", "responses", "deprecated", "security"}
        unknown = set(op) - known - PROSE_KEYS
        if unknown:
            raise SystemExit(f"{op_key}: operation has unknown keys {sorted(unknown)}")
        texts = self.prose.get("operations", {}).get(op_key)
        if texts is None:
            self.missing.append(f"operations: {op_key!r} (summary and description)")
            texts = {}
        out: dict = {}
        if "tags" in op:
            out["tags"] = list(op["tags"])
        out["summary"] = self.text(texts.get("summary", ""))
        out["description"] = self.text(texts.get("description", ""))
        out["operationId"] = op["operationId"]
        out["x-slurmrestpy-handler"] = self.handlers.get(op_key, DEFAULT_HANDLER)
        if op_key in self.prose.get("operation_notes", {}):
            out["x-slurmrestpy-note"] = self.text(self.prose["operation_notes"][op_key])
        if "deprecated" in op:
            out["deprecated"] = op["deprecated"]
        if "security" in op:
            out["security"] = op["security"]
        if "parameters" in op:
            out["parameters"] = [self.parameter(op_key, p) for p in op["parameters"]]
        if "requestBody" in op:
            out["requestBody"] = self.request_body(op_key, method, op["requestBody"])
        out["responses"] = self.responses(op_key, op["responses"])
        return out

    def paths(self) -> dict:
        out = {}
        for path, path_item in self.ref["paths"].items():
            unknown = set(path_item) - set(HTTP_METHODS) - PROSE_KEYS
            if unknown:
                raise SystemExit(f"{path}: path item has unknown keys {sorted(unknown)}")
            out[path] = {m: self.operation(m, op) for m, op in path_item.items() if m in HTTP_METHODS}
        return out

    # -- document -----------------------------------------------------------

    def security_schemes(self) -> dict:
        out = {}
        for name, scheme in self.ref["components"].get("securitySchemes", {}).items():
            if name not in SECURITY_HOOKS:
                raise SystemExit(f"security scheme {name!r} has no function in SECURITY_HOOKS")
            cleaned = {"type": scheme["type"]}
            cleaned["description"] = self.lookup("security_schemes", name, "security scheme")
            for key, value in scheme.items():
                if key not in PROSE_KEYS and not key.startswith("x-") and key != "type":
                    cleaned[key] = value
            hook_key, hook = SECURITY_HOOKS[name]
            cleaned[hook_key] = hook
            out[name] = cleaned
        return out

    def info(self) -> dict:
        info = self.prose["info"]
        return {
            "title": info["title"],
            "description": self.text(info["description"]),
            "license": dict(info["license"]),
            "version": self.version.lstrip("v"),
        }

    def tags(self) -> list:
        return [
            {"name": tag["name"], "description": self.lookup("tags", tag["name"], "tag")}
            for tag in self.ref.get("tags", [])
        ]

    def build(self) -> dict:
        unknown = set(self.ref) - {"openapi", "info", "tags", "servers", "paths", "components", "security"}
        if unknown:
            raise SystemExit(f"reference has unknown top-level keys {sorted(unknown)}")
        unknown = set(self.ref["components"]) - {"schemas", "securitySchemes"}
        if unknown:
            raise SystemExit(f"reference has unknown component kinds {sorted(unknown)}")
        doc: dict = {"openapi": OPENAPI_VERSION, "info": self.info()}
        if "tags" in self.ref:
            doc["tags"] = self.tags()
        if "servers" in self.ref:
            doc["servers"] = [{"url": s["url"]} for s in self.ref["servers"]]
        if "security" in self.ref:
            doc["security"] = self.ref["security"]
        doc["paths"] = self.paths()
        doc["components"] = {"schemas": self.schemas()}
        if "securitySchemes" in self.ref["components"]:
            doc["components"]["securitySchemes"] = self.security_schemes()
        if self.missing:
            raise MissingProse("\n".join(sorted(set(self.missing))))
        return doc


def handlers_of(document: dict) -> dict:
    """Operation key (operationId without its version) -> handler, as named
    in a description we serve."""
    out = {}
    for item in document["paths"].values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation and "x-slurmrestpy-handler" in operation:
                key = re.sub(r"_v\d{4}_", "_", operation["operationId"], count=1)
                out[key] = operation["x-slurmrestpy-handler"]
    return out


class _Dumper(yaml.SafeDumper):
    """Block-style YAML without anchors, keeping our key order."""

    def ignore_aliases(self, data):
        return True


def dump(doc: dict) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=100)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reference", type=Path, help="SchedMD's OpenAPI JSON for one version")
    parser.add_argument("output", type=Path, help="YAML file to create (must not exist)")
    parser.add_argument("--prose", type=Path, default=PROSE_FILE, help="table of our texts")
    parser.add_argument("--handlers-from", type=Path,
                        help="a description we serve whose handlers the same operations take")
    args = parser.parse_args(argv)

    if args.output.exists():
        print(f"{args.output} exists; it is maintained by hand now, refusing to overwrite it",
              file=sys.stderr)
        return 1
    reference = json.loads(args.reference.read_text())
    prose = yaml.safe_load(args.prose.read_text())
    try:
        handlers = handlers_of(yaml.safe_load(args.handlers_from.read_text())) if args.handlers_from else None
        doc = Bootstrap(reference, prose, handlers).build()
    except MissingProse as missing:
        print(f"{args.prose} lacks texts for:\n{missing}", file=sys.stderr)
        return 1
    text = (f"# Bootstrapped by tools/bootstrap_openapi.py from {args.reference.name}; "
            f"maintained by hand since.\n" + dump(doc))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "x") as out:  # "x": never overwrite, even in a race
        out.write(text)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
