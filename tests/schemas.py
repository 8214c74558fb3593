"""Test helpers: load OpenAPI descriptions and validate bodies against them.

``validate_response(spec, "GET", "/slurm/v0.0.44/ping/", body)`` checks a
response body against the schema the description declares for that operation
and status (falling back to ``default``), with OpenAPI 3.0 semantics
(``nullable``, formats such as int32/int64, ``$ref`` within the document). It
works with our YAML and with SchedMD's JSON alike: keys beside a ``$ref`` and
``required: []`` change nothing for validation.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import yaml
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

REPO_ROOT = Path(__file__).resolve().parent.parent
OPENAPI_DIR = REPO_ROOT / "openapi"
# SchedMD's descriptions and recorded answers, copied in (see its README.md).
REFERENCE_DIR = REPO_ROOT / "tests" / "reference"
REFERENCE_OPENAPI_DIR = REFERENCE_DIR / "openapi"
RECORDED_DIR = REFERENCE_DIR / "recorded"

MAX_ERRORS = 20

# Base URI under which a description is registered, so that "#/components/..."
# references inside it resolve within the same document.
_SPEC_URI = "urn:slurmrestpy:openapi"


def ours_path(version: str) -> Path:
    """Our description of an API version, e.g. ours_path("v0.0.44")."""
    return OPENAPI_DIR / f"{version}.yaml"


def reference_path(version: str) -> Path:
    """SchedMD's description of an API version, e.g. reference_path("v0.0.44")."""
    return REFERENCE_OPENAPI_DIR / f"slurmrestd-{version}.json"


@functools.lru_cache(maxsize=None)
def _load(path: str) -> dict:
    text = Path(path).read_text()
    if path.endswith(".json"):
        return json.loads(text)
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_spec(path: str | Path) -> dict:
    """Load a JSON or YAML description once; callers must not modify the result
    (use copy.deepcopy for a version to change)."""
    return _load(str(Path(path).resolve()))


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _registry_for(spec: dict) -> Registry:
    # Draft 4 is the JSON Schema dialect OpenAPI 3.0 builds on ("id", not "$id").
    return Registry().with_resource(_SPEC_URI, Resource(contents=spec, specification=DRAFT4))


def response_schema_pointer(spec: dict, method: str, path_template: str, status: int | str = 200,
                            media_type: str = "application/json") -> str:
    """JSON pointer to the schema declared for one response, with `default` as fallback."""
    path_item = spec.get("paths", {}).get(path_template)
    if path_item is None:
        raise AssertionError(f"no path {path_template} in the description")
    operation = path_item.get(method.lower())
    if operation is None:
        raise AssertionError(f"no operation {method.upper()} {path_template} in the description")
    responses = operation.get("responses", {})
    status = str(status)
    for code in (status, f"{status[0]}XX", "default"):
        if code in responses:
            break
    else:
        raise AssertionError(f"{method.upper()} {path_template} declares no response {status} and no default")
    response = responses[code]
    location = "/" + _pointer("paths", path_template, method.lower(), "responses", code)
    if "$ref" in response:  # a response kept under components/responses
        location = response["$ref"].lstrip("#")
        response = spec
        for part in location.strip("/").split("/"):
            response = response[part.replace("~1", "/").replace("~0", "~")]
    if media_type not in response.get("content", {}):
        raise AssertionError(f"{method.upper()} {path_template}: response {code} has no {media_type} content")
    return location + "/" + _pointer("content", media_type, "schema")


def response_errors(spec: dict, method: str, path_template: str, body, status: int | str = 200,
                    media_type: str = "application/json") -> list[str]:
    """Validation errors of a response body, as "at <place in body>: <message>" lines."""
    pointer = response_schema_pointer(spec, method, path_template, status, media_type)
    validator = OAS30Validator(
        {"$ref": f"{_SPEC_URI}#{pointer}"},
        registry=_registry_for(spec),
        format_checker=OAS30Validator.FORMAT_CHECKER,
    )
    errors = sorted(validator.iter_errors(body), key=lambda e: [str(p) for p in e.absolute_path])
    lines = []
    for error in errors:
        place = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        message = error.message if len(error.message) < 300 else error.message[:300] + "..."
        lines.append(f"at ${place}: {message}")
    return lines


def validate_response(spec: dict, method: str, path_template: str, body, status: int | str = 200,
                      media_type: str = "application/json") -> None:
    """Raise AssertionError listing (up to MAX_ERRORS) ways the body breaks its declared schema."""
    lines = response_errors(spec, method, path_template, body, status, media_type)
    if lines:
        shown = lines[:MAX_ERRORS]
        if len(lines) > MAX_ERRORS:
            shown.append(f"... and {len(lines) - MAX_ERRORS} more")
        raise AssertionError(
            f"{method.upper()} {path_template} ({status}): body does not match the schema, "
            f"{len(lines)} error(s):\n  " + "\n  ".join(shown)
        )


def _nest_path_required(node) -> None:
    """Slurm's generator writes required members of nested objects as paths
    ("nodes/count" in v0.0.44_job_res). JSON Schema reads that as a property
    literally named "nodes/count", which even real slurmrestd output lacks;
    turn each path into `required` on the nested object it names."""
    if isinstance(node, dict):
        required = node.get("required")
        if isinstance(required, list) and any("/" in r for r in required):
            node["required"] = [r for r in required if "/" not in r]
            for path in (r for r in required if "/" in r):
                parts, here = path.split("/"), node
                for i, part in enumerate(parts):
                    if part not in here.setdefault("required", []):
                        here["required"].append(part)
                    if i == len(parts) - 1:
                        break
                    here = here.get("properties", {}).get(part)
                    if not isinstance(here, dict) or "$ref" in here:
                        break  # shared schema: leave it as it is
        for value in node.values():
            _nest_path_required(value)
    elif isinstance(node, list):
        for value in node:
            _nest_path_required(value)



@functools.lru_cache(maxsize=None)
def reference_as_meant(version: str) -> dict:
    """SchedMD's description of a version with two defects of its generator
    fixed, so that real slurmrestd output (and ours) can validate:
    path-style `required` entries (see above), and uint32 numbers declared
    int32: the `number` of a uint32_no_val_struct goes up to 4294967293 in
    Slurm itself (priority/basic gives priorities just below 2^32).
    Everything else is checked as published."""
    fixed = copy.deepcopy(load_spec(reference_path(version)))
    _nest_path_required(fixed)
    schemas = fixed["components"]["schemas"]
    for name in (f"{version}_uint32_no_val_struct", f"{version}_uint32_no_val"):  # renamed in v0.0.41
        if name in schemas:
            schemas[name]["properties"]["number"]["format"] = "int64"
    return fixed
