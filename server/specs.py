"""The OpenAPI descriptions of the API versions we serve.

Each version is one hand-maintained YAML file in ``openapi/``; connexion
routes and validates from it. This module finds them, serves them combined
(``/openapi.json``), and answers questions about an operation that are
needed outside connexion: which operation a path is, and the empty body an
error response of that operation must still carry.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from server import versions

SPEC_DIR = Path(__file__).resolve().parent.parent / "openapi"
VERSION_FILE = re.compile(r"^(v\d+\.\d+\.\d+)\.yaml$")
# Properties a schema does not require (slurmrestd itself sometimes leaves
# them out) but that slurmrestpy sends even in an error answer.
ALWAYS_SENT = "x-slurmrestpy-always-sent"
PLUGIN_OF_PREFIX = {"slurm": "slurmctld", "slurmdb": "slurmdbd", "util": "util"}


def available_versions(spec_dir: Path = SPEC_DIR) -> list[str]:
    found = [m.group(1) for p in spec_dir.glob("v*.yaml") if (m := VERSION_FILE.match(p.name))]
    return sorted(found, key=lambda v: tuple(int(x) for x in v[1:].split(".")))


@functools.lru_cache(maxsize=None)
def _load(path: Path) -> dict:
    with path.open() as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 10x faster


def load(version: str, spec_dir: Path = SPEC_DIR) -> dict:
    """A private copy of one version's description (connexion mutates what it gets)."""
    return copy.deepcopy(_load(spec_dir / f"{version}.yaml"))


@dataclass(frozen=True)
class OperationRef:
    version: str
    plugin: str  # slurmctld, slurmdbd or util
    path: str  # the template, e.g. /slurm/v0.0.44/job/{job_id}
    method: str
    operation: dict


def _template_regex(template: str) -> re.Pattern:
    parts = re.split(r"(\{[^}]+\})", template)
    pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{pattern}$")


class Specs:
    """The descriptions of the versions and plugins this server was started
    with (-d, -s): only what is loaded is routed and described."""

    def __init__(self, versions: list[str], spec_dir: Path = SPEC_DIR, *,
                 plugins: list[str] | tuple[str, ...] = tuple(PLUGIN_OF_PREFIX.values()),
                 status_codes: list[str] | None = None):
        self.versions = versions
        self.plugins = tuple(plugins)
        self.status_codes = status_codes
        self.documents = {v: _select(load(v, spec_dir), self.plugins) for v in versions}
        self._routes = [
            (_template_regex(path), OperationRef(v, plugin_of(path), path, method, op))
            for v, doc in self.documents.items()
            for path, item in doc["paths"].items()
            for method, op in item.items()
            if isinstance(op, dict) and "responses" in op
        ]

    def for_connexion(self, version: str, *, anonymous: bool = False) -> dict:
        """One version's description as connexion should route it. Without a
        local authentication plugin, nobody may come in without a token, so
        the anonymous alternative (`{}`) of the security list is dropped."""
        document = load_document_copy(self.documents[version])
        if not anonymous:
            document["security"] = [s for s in document.get("security", []) if s]
        if self.status_codes:
            for item in document["paths"].values():
                for operation in item.values():
                    if isinstance(operation, dict) and "responses" in operation:
                        operation["responses"] = _listed(operation["responses"], self.status_codes)
        return document

    def find(self, path: str, method: str) -> OperationRef | None:
        method = method.lower()
        for regex, ref in self._routes:
            if ref.method == method and regex.match(path):
                return ref
        return None

    def routes_path(self, path: str) -> bool:
        """Does some loaded operation, of any method, serve this path?"""
        return any(regex.match(path) for regex, _ in self._routes)

    def combined(self, *, anonymous: bool = False) -> dict:
        """Everything loaded in one description, for /openapi.json and the UI."""
        newest = self.versions[-1]
        combined = self.for_connexion(newest, anonymous=anonymous)
        combined["paths"] = {}
        combined["components"] = {"schemas": {}, "securitySchemes": {}}
        for version in self.versions:
            document = self.for_connexion(version, anonymous=anonymous)
            combined["paths"].update(document["paths"])
            for kind, items in document.get("components", {}).items():
                combined["components"].setdefault(kind, {}).update(items)
        return combined

    def as_version(self, ref: OperationRef, body: dict, status, warn) -> dict:
        """An answer of the internal form (or already of ref's version) as
        ref's version describes it (see server.versions)."""
        schema = _response_schema(ref.operation, status)
        if schema is None:
            return body
        return versions.Converter(ref.version, self.documents[ref.version], warn).answer(body, schema)

    def body_from_version(self, ref: OperationRef, body, warn):
        """A request body of ref's version in the internal form."""
        content = ref.operation.get("requestBody", {}).get("content", {})
        media = content.get("application/json") or next(iter(content.values()), None)
        if not media or ref.version == versions.INTERNAL:
            return body
        return versions.Converter(ref.version, self.documents[ref.version], warn).body(body, media["schema"])

    def empty_body(self, ref: OperationRef, status: int | str = 200) -> dict:
        """What an operation's response must hold even when it failed: every
        required property, empty (slurmrestd sends `jobs: []` with its errors)."""
        schema = _response_schema(ref.operation, status)
        if schema is None:
            return {}
        return _empty(schema, self.documents[ref.version], depth=0)


def load_document_copy(document: dict) -> dict:
    return copy.deepcopy(document)


def _select(document: dict, plugins: tuple[str, ...]) -> dict:
    document["paths"] = {p: item for p, item in document["paths"].items() if plugin_of(p) in plugins}
    return document


def _listed(responses: dict, codes: list[str]) -> dict:
    """SLURMRESTD_RESPONSE_STATUS_CODES: the responses an operation lists; a
    code the description has no answer of its own for shares `default`'s."""
    fallback = responses.get("default") or responses.get("200")
    return {code: copy.deepcopy(responses.get(code, fallback)) for code in codes}


def plugin_of(path: str) -> str:
    prefix = path.strip("/").split("/", 1)[0]
    return PLUGIN_OF_PREFIX.get(prefix, "slurmctld")


def version_of(path: str) -> str | None:
    match = re.search(r"/(v\d+\.\d+\.\d+)/", path)
    return match.group(1) if match else None


def _response_schema(operation: dict, status) -> dict | None:
    responses = operation.get("responses", {})
    response = responses.get(str(status)) or responses.get("default") or responses.get("200")
    if not response:
        return None
    content = response.get("content", {})
    media = content.get("application/json") or next(iter(content.values()), None)
    return media.get("schema") if media else None


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def _empty(schema: dict, document: dict, depth: int):
    schema = _resolve(schema, document)
    kind = schema.get("type")
    if kind == "array":
        return []
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        if {"set", "infinite", "number"} <= properties.keys():
            return {"set": False, "infinite": False, "number": 0}
        if depth > 8:
            return {}
        sent = [*schema.get("required", []), *schema.get(ALWAYS_SENT, [])]
        return {
            name: _empty(properties[name], document, depth + 1)
            for name in dict.fromkeys(sent)
            if name in properties
        }
    return {"string": "", "integer": 0, "number": 0, "boolean": False}.get(kind)
