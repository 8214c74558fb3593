"""Our OpenAPI description of v0.0.44: valid, loadable by connexion, wired to
handlers, free of the reference's defects and of its prose."""

from __future__ import annotations

import copy
import importlib.util
import inspect
import json
import re
import sys
import types
from pathlib import Path

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from server.specs import available_versions
from server.versions import parameter_names
from tests.schemas import REFERENCE_OPENAPI_DIR, load_spec, ours_path, reference_path

VERSION = "v0.0.44"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
def _load_tool():
    path = Path(__file__).resolve().parents[2] / "tools" / "bootstrap_openapi.py"
    spec = importlib.util.spec_from_file_location("bootstrap_openapi", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bootstrap_openapi = _load_tool()


@pytest.fixture(scope="module", params=available_versions())
def version(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def ours(version) -> dict:
    return load_spec(ours_path(version))


@pytest.fixture(scope="module")
def reference(version) -> dict:
    return load_spec(reference_path(version))


def walk(node, where="#"):
    """Yield (json pointer, dict) for every mapping in a document."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{where}/{i}")


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method, path, item[method]


def prose(spec: dict) -> list[str]:
    """Every description and summary string in a document (schemas named
    "description" or "summary" under properties are not prose and are skipped)."""
    found = []

    def visit(node, parent_key=None):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "summary") and isinstance(value, str) and parent_key != "properties":
                    found.append(value)
                else:
                    visit(value, key)
        elif isinstance(node, list):
            for value in node:
                visit(value, parent_key)

    visit(spec)
    return found


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


# -- validity ---------------------------------------------------------------


def test_passes_openapi_spec_validator(ours):
    validate(copy.deepcopy(ours), cls=OpenAPIV30SpecValidator)


def test_validator_catches_the_reference_defects(reference):
    """Guards the test above: the same validator rejects SchedMD's file."""
    fixed_version = dict(copy.deepcopy(reference), openapi="3.0.2")
    with pytest.raises(OpenAPIValidationError):
        validate(fixed_version, cls=OpenAPIV30SpecValidator)


def test_declares_openapi_3_0_2(ours):
    assert ours["openapi"] == "3.0.2"


def test_has_no_empty_required_list(ours):
    assert [where for where, node in walk(ours) if node.get("required") == []] == []


def test_has_no_ref_with_siblings(ours):
    offenders = [where for where, node in walk(ours) if "$ref" in node and len(node) > 1]
    assert offenders == []


def test_every_ref_points_into_the_document(ours):
    schemas = ours["components"]["schemas"]
    broken = [where for where, node in walk(ours)
              if "$ref" in node and node["$ref"].rsplit("/", 1)[-1] not in schemas]
    assert broken == []


# -- our additions ------------------------------------------------------------


def test_every_operation_names_a_handler_that_takes_its_parameters(ours, reference, version):
    """x-slurmrestpy-handler resolves to an async function whose first
    parameter is the Call and whose others are the operation's parameters
    (as connexion passes them: invalid characters dropped), or which takes **parameters."""
    from connexion.decorators.parameter import sanitized
    from connexion.utils import get_function_from_name

    count = 0
    for method, path, op in operations(ours):
        count += 1
        handler = get_function_from_name(op["x-slurmrestpy-handler"])
        assert inspect.iscoroutinefunction(handler), op["x-slurmrestpy-handler"]
        declared = list(inspect.signature(handler).parameters.values())
        assert declared[0].name == "call", op["x-slurmrestpy-handler"]
        if any(p.kind == p.VAR_KEYWORD for p in declared):
            continue
        # As the handler sees them: renamed by the version's map (None: not
        # applied), and an internal one the version lacks left at its default.
        renamed = {sanitized(k): v and sanitized(v) for k, v in parameter_names(version, path).items()}
        expected = {renamed.get(n, n) for n in (sanitized(p["name"]) for p in op.get("parameters", []))}
        expected.discard(None)
        names = {p.name for p in declared[1:]}
        if "requestBody" in op:
            expected.add("body")
        assert expected <= names, f"{method.upper()} {path}: {sorted(expected - names)} not taken"
        assert all(p.default is None for p in declared[1:] if p.name not in expected), (method, path)
    assert count == len(list(operations(reference)))


def test_operations_and_parameters_have_our_descriptions(ours):
    for method, path, op in operations(ours):
        assert op.get("summary") and op.get("description"), (method, path)
        for param in op.get("parameters", []):
            assert param.get("description"), (method, path, param["name"])
        for code, response in op["responses"].items():
            assert response.get("description"), (method, path, code)


def test_info_block_is_ours(ours):
    info = ours["info"]
    assert info["title"] == "Slurm REST API (slurmrestpy)"
    assert info["license"]["name"] == "Apache-2.0"
    assert "contact" not in info and "termsOfService" not in info and "x-slurm" not in info


def test_security_schemes_are_wired_to_our_auth_functions(ours, reference):
    schemes = ours["components"]["securitySchemes"]
    assert schemes["user"]["x-apikeyInfoFunc"] == "server.auth.user_name_info"
    assert schemes["token"]["x-apikeyInfoFunc"] == "server.auth.slurm_token_info"
    assert schemes["bearerAuth"]["x-bearerInfoFunc"] == "server.auth.bearer_token_info"
    assert ours["security"] == reference["security"]
    assert {} in ours["security"]


def test_parameter_names_with_spaces_carry_a_note(ours, version):
    spaced = [(path, p) for _, path, op in operations(ours) for p in op.get("parameters", [])
              if " " in p["name"]]
    assert spaced or version < "v0.0.42", f"{version} has parameter names with spaces; they must be kept"
    assert all("x-slurmrestpy-note" in p for _, p in spaced)


def test_has_no_prose_of_the_reference(ours, reference):
    ref_texts = prose(reference)
    ref_whole = {" ".join(words(t)) for t in ref_texts}
    copied = [t for t in prose(ours) if len(words(t)) > 3 and " ".join(words(t)) in ref_whole]
    assert copied == []

    # Nor longer runs of the reference's words inside a text of ours.
    run = 6
    ref_runs = set()
    for text in ref_texts:
        w = words(text)
        ref_runs |= {" ".join(w[i:i + run]) for i in range(len(w) - run + 1)}
    shared = set()
    for text in prose(ours):
        w = words(text)
        shared |= {" ".join(w[i:i + run]) for i in range(len(w) - run + 1)} & ref_runs
    assert shared == set()


def test_prose_check_would_see_a_copied_text(ours, reference, version):
    """Guards the test above: a copied summary is found."""
    copied = copy.deepcopy(ours)
    op = copied["paths"][f"/slurmdb/{version}/job/{{job_id}}"]["get"]
    op["description"] = reference["paths"][f"/slurmdb/{version}/job/{{job_id}}"]["get"]["description"]
    ref_whole = {" ".join(words(t)) for t in prose(reference)}
    assert any(len(words(t)) > 3 and " ".join(words(t)) in ref_whole for t in prose(copied))


# -- connexion ----------------------------------------------------------------


@pytest.fixture()
def connexion_client(ours, monkeypatch):
    """A connexion app serving our description with dummy handlers; server.auth
    is stubbed so that this test does not depend on the auth code."""
    import connexion
    from connexion.resolver import Resolver

    auth = types.ModuleType("server.auth")
    auth.user_name_info = auth.slurm_token_info = lambda value, required_scopes=None: {"sub": "u"}
    auth.bearer_token_info = lambda token, required_scopes=None: {"sub": "u"}
    monkeypatch.setitem(sys.modules, "server.auth", auth)
    seen = []

    class DummyResolver(Resolver):
        def resolve_function_from_operation_id(self, operation_id):
            async def handler(*args, **kwargs):
                seen.append((operation_id, kwargs))
                return {"meta": {}, "errors": [], "warnings": []}, 200, {"Content-Type": "application/json"}
            return handler

    app = connexion.AsyncApp(__name__)
    app.add_api(copy.deepcopy(ours), resolver=DummyResolver())
    client = app.test_client()
    client.seen = seen
    return client


def test_connexion_serves_the_description(connexion_client, version):
    response = connexion_client.get(f"/slurm/{version}/ping/", headers={"X-SLURM-USER-TOKEN": "t"})
    assert response.status_code == 200
    assert connexion_client.seen[-1][0] == f"slurm_{version.replace('.', '')}_get_ping"


def test_connexion_applies_parameter_schemas(connexion_client, version):
    response = connexion_client.get(f"/slurm/{version}/jobs/?flags=NOT_A_FLAG",
                                    headers={"X-SLURM-USER-TOKEN": "t"})
    assert response.status_code == 400
    assert "NOT_A_FLAG" in response.text


# -- the bootstrap tool -------------------------------------------------------


def test_bootstrap_refuses_to_overwrite(tmp_path):
    out = tmp_path / "v.yaml"
    out.write_text("hand edited\n")
    assert bootstrap_openapi.main([str(reference_path(VERSION)), str(out)]) == 1
    assert out.read_text() == "hand edited\n"


def test_bootstrap_output_is_deterministic(tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert bootstrap_openapi.main([str(reference_path(VERSION)), str(first)]) == 0
    assert bootstrap_openapi.main([str(reference_path(VERSION)), str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_bootstrap_takes_the_version_from_its_input(tmp_path):
    out = tmp_path / "v0.0.45.yaml"
    assert bootstrap_openapi.main([str(reference_path("v0.0.45")), str(out)]) == 0
    text = out.read_text()
    assert "/slurm/v0.0.45/ping/" in text and "slurm_v0045_get_ping" in text
    assert "v0.0.44" not in text and "v0044" not in text
    doc = load_spec(out)
    ping = doc["paths"]["/slurm/v0.0.45/ping/"]["get"]
    assert ping["x-slurmrestpy-handler"] == "handlers.slurm.ping.get_ping"
    validate(doc, cls=OpenAPIV30SpecValidator)


@pytest.mark.parametrize("reference_file", sorted(REFERENCE_OPENAPI_DIR.glob("slurmrestd-v*.json")),
                         ids=lambda p: p.stem)
def test_bootstrap_prose_covers_every_version(reference_file):
    """The prose table has a text for everything any published version needs."""
    ref = json.loads(reference_file.read_text())
    prose_table = bootstrap_openapi.yaml.safe_load(bootstrap_openapi.PROSE_FILE.read_text())
    doc = bootstrap_openapi.Bootstrap(ref, prose_table).build()
    version = bootstrap_openapi.detect_version(ref)
    assert all(p.startswith(f"/{p.split('/')[1]}/{version}/") for p in doc["paths"])


def test_bootstrap_reports_missing_prose():
    ref = load_spec(reference_path(VERSION))
    prose_table = bootstrap_openapi.yaml.safe_load(bootstrap_openapi.PROSE_FILE.read_text())
    del prose_table["operations"]["slurm_get_ping"]
    del prose_table["parameters"]["node_name"]
    with pytest.raises(bootstrap_openapi.MissingProse) as missing:
        bootstrap_openapi.Bootstrap(ref, prose_table).build()
    assert "slurm_get_ping" in str(missing.value) and "node_name" in str(missing.value)
