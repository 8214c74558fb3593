"""tests.openapi_diff: our v0.0.44 matches the reference, and the checker
notices every kind of change it is meant to notice."""

from __future__ import annotations

import copy

import pytest

from tests import openapi_diff
from tests.openapi_diff import diff
from server.specs import available_versions
from tests.schemas import load_spec, ours_path, reference_as_meant, reference_path

VERSION = "v0.0.44"
JOBS = f"/slurm/{VERSION}/jobs/"
JOB = f"/slurm/{VERSION}/job/{{job_id}}"
S = f"{VERSION}_"  # schema name prefix


@pytest.fixture(scope="module")
def ours() -> dict:
    return load_spec(ours_path(VERSION))


@pytest.fixture(scope="module")
def reference() -> dict:
    """The reference as meant, with the departures ours makes on purpose."""
    fixed = copy.deepcopy(reference_as_meant(VERSION))
    schemas = fixed["components"]["schemas"]
    schemas[f"{S}job_res"]["nullable"] = True
    del schemas[f"{S}openapi_nodes_resp"]["required"]
    return fixed


@pytest.fixture()
def mutated(ours) -> dict:
    return copy.deepcopy(ours)


# Where ours departs from the reference read as meant, so that it accepts
# every real answer of slurmrestd (each has an x-slurmrestpy-note).
DELIBERATE = [
    f"schema {S}job_res: nullable True != False",  # slurmrestd sends job_resources: null
    f"schema {S}openapi_nodes_resp: required differs: missing ['last_update', 'nodes']",  # unknown node
]


@pytest.mark.parametrize("version", available_versions())
def test_ours_matches_the_reference_as_meant(version):
    assert diff(load_spec(ours_path(version)), reference_as_meant(version)) == [
        line.replace(VERSION, version) for line in DELIBERATE]


def test_ours_matches_the_reference_with_its_departures(ours, reference):
    assert diff(ours, reference) == []


def test_ours_departs_from_the_published_reference_only_in_its_defects(ours):
    """Against the reference as published, beside the departures, only the
    path-style `required` lists and the uint32 format differ."""
    published = diff(ours, load_spec(reference_path(VERSION)))
    assert all(line in DELIBERATE or "required differs" in line or "uint32_no_val_struct" in line
               for line in published), published


def test_reference_matches_itself_after_fixing_its_defects(reference):
    """Bare $refs and dropped required: [] change nothing observable."""
    fixed = copy.deepcopy(reference)

    def strip(node):
        if isinstance(node, dict):
            if "$ref" in node:
                for key in [k for k in node if k != "$ref"]:
                    del node[key]
            if node.get("required") == []:
                del node["required"]
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for value in node:
                strip(value)

    strip(fixed)
    assert diff(fixed, reference) == []


def test_prose_and_extensions_are_ignored(mutated, reference):
    mutated["info"] = {"title": "other", "version": "1"}
    op = mutated["paths"][JOBS]["get"]
    op["summary"] = op["description"] = "changed"
    op["tags"] = ["elsewhere"]
    op["x-anything"] = 1
    op["parameters"][0]["description"] = "changed"
    mutated["components"]["schemas"][f"{S}job_info"]["description"] = "changed"
    assert diff(mutated, reference) == []


# -- each mutation is reported --------------------------------------------------


def test_dropped_property_is_reported(mutated, reference):
    del mutated["components"]["schemas"][f"{S}job_info"]["properties"]["time_limit"]
    assert diff(mutated, reference) == [f"schema {S}job_info: property time_limit: missing"]


def test_extra_property_is_reported(mutated, reference):
    mutated["components"]["schemas"][f"{S}job_info"]["properties"]["invented"] = {"type": "string"}
    assert diff(mutated, reference) == [f"schema {S}job_info: property invented: extra"]


def test_changed_type_is_reported(mutated, reference):
    mutated["components"]["schemas"][f"{S}job_info"]["properties"]["time_limit"] = {"type": "integer"}
    assert diff(mutated, reference) == [
        f"schema {S}job_info: property time_limit: inline schema where the reference has $ref "
        f"{S}uint32_no_val_struct"
    ]
    mutated["components"]["schemas"][f"{S}job_info"]["properties"]["account"]["type"] = "integer"
    assert f"schema {S}job_info: property account: type integer != string" in diff(mutated, reference)


def test_changed_format_is_reported(mutated, reference):
    props = mutated["components"]["schemas"][f"{S}uint32_no_val_struct"]["properties"]
    props["number"]["format"] = "int32"
    assert diff(mutated, reference) == [
        f"schema {S}uint32_no_val_struct: property number: format int32 != int64"
    ]


def test_removed_enum_value_is_reported(mutated, reference):
    flags = next(p for p in mutated["paths"][JOBS]["get"]["parameters"] if p["name"] == "flags")
    flags["schema"]["enum"].remove("FUTURE")
    assert diff(mutated, reference) == [f"GET {JOBS}: parameter flags: enum differs: missing ['FUTURE']"]


def test_reordered_enum_is_not_a_difference(mutated, reference):
    flags = next(p for p in mutated["paths"][JOBS]["get"]["parameters"] if p["name"] == "flags")
    flags["schema"]["enum"].reverse()
    assert diff(mutated, reference) == []


def test_dropped_parameter_is_reported(mutated, reference):
    params = mutated["paths"][JOB]["get"]["parameters"]
    params[:] = [p for p in params if p["name"] != "update_time"]
    assert diff(mutated, reference) == [f"GET {JOB}: parameter update_time (in query): missing"]


def test_parameter_attributes_are_compared(mutated, reference):
    job_id = next(p for p in mutated["paths"][JOB]["get"]["parameters"] if p["name"] == "job_id")
    job_id["style"] = "label"
    job_id["schema"] = {"type": "integer"}
    assert diff(mutated, reference) == [
        f"GET {JOB}: parameter job_id (in path): style label != simple",
        f"GET {JOB}: parameter job_id (in path): type integer != string",
    ]


def test_changed_response_schema_ref_is_reported(mutated, reference):
    content = mutated["paths"][JOBS]["get"]["responses"]["200"]["content"]
    content["application/json"]["schema"]["$ref"] = f"#/components/schemas/{S}openapi_resp"
    assert diff(mutated, reference) == [
        f"GET {JOBS}: response 200: application/json: $ref {S}openapi_resp != {S}openapi_job_info_resp"
    ]


def test_dropped_media_type_and_response_code_are_reported(mutated, reference):
    responses = mutated["paths"][JOBS]["get"]["responses"]
    del responses["200"]["content"]["application/yaml"]
    del responses["default"]
    assert diff(mutated, reference) == [
        f"GET {JOBS}: response default: missing",
        f"GET {JOBS}: response 200: media type application/yaml: missing",
    ]


def test_request_body_changes_are_reported(mutated, reference):
    mutated["paths"][JOBS]["delete"]["requestBody"]["required"] = True
    del mutated["paths"][JOB]["post"]["requestBody"]
    assert sorted(diff(mutated, reference)) == [
        f"DELETE {JOBS}: requestBody: required True != False",
        f"POST {JOB}: requestBody missing",
    ]


def test_dropped_path_and_method_are_reported(mutated, reference):
    del mutated["paths"][f"/slurm/{VERSION}/ping/"]
    del mutated["paths"][JOBS]["delete"]
    assert diff(mutated, reference) == [
        f"path /slurm/{VERSION}/ping/: missing",
        f"DELETE {JOBS}: operation missing",
    ]


def test_changed_operation_id_is_reported(mutated, reference):
    mutated["paths"][JOBS]["get"]["operationId"] = "get_jobs"
    assert diff(mutated, reference) == [f"GET {JOBS}: operationId get_jobs != slurm_v0044_get_jobs"]


def test_required_list_changes_are_reported(mutated, reference):
    schema = mutated["components"]["schemas"][f"{S}openapi_job_info_resp"]
    schema["required"] = [n for n in schema["required"] if n != "jobs"] + ["meta"]
    assert diff(mutated, reference) == [
        f"schema {S}openapi_job_info_resp: required differs: missing ['jobs'], extra ['meta']"
    ]


def test_nullable_deprecated_items_and_additional_properties_are_compared(mutated, reference):
    schemas = mutated["components"]["schemas"]
    schemas[f"{S}job_info"]["properties"]["account"]["nullable"] = True
    schemas[f"{S}controller_ping"]["properties"]["pinged"]["deprecated"] = False
    schemas[f"{S}string_array"]["items"] = {"type": "integer"}
    schemas[f"{S}openapi_meta"]["additionalProperties"] = False
    assert sorted(diff(mutated, reference)) == [
        f"schema {S}controller_ping: property pinged: deprecated False != True",
        f"schema {S}job_info: property account: nullable True != False",
        f"schema {S}openapi_meta: additionalProperties False != True",
        f"schema {S}string_array: items: type integer != string",
    ]


def test_composition_is_compared(mutated, reference):
    schemas = mutated["components"]["schemas"]
    schemas[f"{S}openapi_resp"] = {"allOf": [{"$ref": f"#/components/schemas/{S}openapi_meta"}]}
    lines = diff(mutated, reference)
    assert f"schema {S}openapi_resp: allOf has 1 entries, the reference 0" in lines


def test_dropped_schema_and_security_changes_are_reported(mutated, reference):
    del mutated["components"]["schemas"][f"{S}hostlist_string"]
    mutated["components"]["securitySchemes"]["token"]["name"] = "X-Other"
    mutated["security"] = mutated["security"][:-1]
    lines = diff(mutated, reference)
    assert f"schema {S}hostlist_string: missing" in lines
    assert "securityScheme token: name X-Other != X-SLURM-USER-TOKEN" in lines
    assert any(line.startswith("global security ") for line in lines)
    assert len(lines) == 3


def test_paths_prefix_limits_the_comparison(mutated, reference):
    del mutated["paths"][f"/slurmdb/{VERSION}/ping/"]
    assert diff(mutated, reference, paths_prefix="/slurm/") == []
    assert diff(mutated, reference, paths_prefix="/slurmdb/") == [f"path /slurmdb/{VERSION}/ping/: missing"]


# -- command line -----------------------------------------------------------------


def test_command_line_exit_status(tmp_path, ours, mutated, capsys):
    import json

    same = tmp_path / "same.json"
    same.write_text(json.dumps(ours))
    assert openapi_diff.main([str(ours_path(VERSION)), str(same)]) == 0
    del mutated["paths"][JOBS]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(mutated))
    capsys.readouterr()
    assert openapi_diff.main([str(changed), str(reference_path(VERSION))]) == 1
    assert f"path {JOBS}: missing" in capsys.readouterr().out
