"""Responses recorded from a real slurmrestd (Slurm 25.11) validate against
our description of their version, for the operation that produced them.

The recordings come with status.json (HTTP status and content type of each).
A few break SchedMD's description because of known defects of the reference
(see KNOWN_DEFECTS); ours accepts them, and the reference must reject them for
no other reason.
"""

from __future__ import annotations

import json
import re

import pytest

from server.specs import available_versions
from tests.schemas import (
    RECORDED_DIR,
    load_spec,
    ours_path,
    reference_as_meant,
    reference_path,
    response_errors,
    validate_response,
)

VERSION = "v0.0.44"
RECORDINGS = RECORDED_DIR / "slurm-25.11" / "0.0.44"
# (version, recording) for every version we describe that has recordings.
RECORDED_VERSIONS = [v for v in available_versions() if (RECORDED_DIR / "slurm-25.11" / v[1:]).is_dir()]
FILES = [(v, p) for v in RECORDED_VERSIONS
         for p in sorted((RECORDED_DIR / "slurm-25.11" / v[1:]).glob("slurm*.json"))]


def case_id(case) -> str:
    version, path = case
    return f"{version}-{path.stem}"

# Recording name (without .json) -> operation. Exact names first, then prefixes.
# slurm-accounts and slurm-qos are slurmdbd answers despite their names (their
# meta.plugin says openapi/slurmdbd); the slurm-jwt-* ones are job listings
# refused for a bad token (their error comes from slurm_load_jobs()).
EXACT = {
    "slurm-ping": ("GET", "/slurm/{v}/ping/"),
    "slurm-jobs": ("GET", "/slurm/{v}/jobs/"),
    "slurm-nodes": ("GET", "/slurm/{v}/nodes/"),
    "slurm-partitions": ("GET", "/slurm/{v}/partitions/"),
    "slurm-reservations": ("GET", "/slurm/{v}/reservations/"),
    "slurm-accounts": ("GET", "/slurmdb/{v}/accounts/"),
    "slurm-qos": ("GET", "/slurmdb/{v}/qos/"),
    "slurmdb-associations": ("GET", "/slurmdb/{v}/associations/"),
}
PREFIXES = {
    "slurm-jwt-": ("GET", "/slurm/{v}/jobs/"),
    "slurm-job-": ("GET", "/slurm/{v}/job/{{job_id}}"),
    "slurm-node-": ("GET", "/slurm/{v}/node/{{node_name}}"),
    "slurmdb-job-": ("GET", "/slurmdb/{v}/job/{{job_id}}"),
}

# Errors explained by defects of the reference, which our description does
# not have (each has an x-slurmrestpy-note in openapi/v0.0.4X.yaml).
KNOWN_DEFECTS = {
    "slash-required": (
        "the reference's required lists of job_res, job_res_node, kill_jobs_resp_job and "
        "rollup_stats name nested fields as paths (e.g. nodes/count), which no object has",
        lambda name, error: re.search(r": '[^']*/[^']*' is a required property$", error),
    ),
    "null-job-resources": (
        "slurmrestd sends job_resources: null for jobs holding no resources (pending ones), "
        "but the property is not nullable",
        lambda name, error: re.fullmatch(
            r"at \$\.jobs\[\d+\]\.job_resources: None (for not nullable|is not of type 'object')", error),
    ),
    "node-unfound": (
        "for an unknown node slurmrestd answers 200 with only meta, warnings and errors, "
        "but the schema requires nodes and last_update",
        lambda name, error: name == "slurm-node-unfound"
        and error in ("at $: 'nodes' is a required property", "at $: 'last_update' is a required property"),
    ),
}


def operation_for(name: str, version: str = VERSION) -> tuple[str, str]:
    if name in EXACT:
        method, template = EXACT[name]
    else:
        matches = [op for prefix, op in PREFIXES.items() if name.startswith(prefix)]
        if len(matches) != 1:
            raise AssertionError(f"no operation is known for the recording {name}; add it to the map")
        method, template = matches[0]
    return method, template.format(v=version)


def status_of(name: str, version: str = VERSION) -> int:
    statuses = json.loads((RECORDED_DIR / "slurm-25.11" / version[1:] / "status.json").read_text())
    return statuses.get(name, {}).get("status", 200)


def body_of(path) -> dict:
    return json.loads(path.read_text())


def errors_of(spec: dict, version: str, path) -> list[str]:
    method, template = operation_for(path.stem, version)
    return response_errors(spec, method, template, body_of(path), status_of(path.stem, version))


def unexplained(name: str, errors: list[str]) -> list[str]:
    return [e for e in errors if not any(matches(name, e) for _, matches in KNOWN_DEFECTS.values())]


def test_recordings_are_there():
    assert len([p for v, p in FILES if v == VERSION]) >= 60, f"expected the v0.0.44 recordings in {RECORDINGS}"


@pytest.mark.parametrize("case", FILES, ids=case_id)
def test_recording_comes_from_the_mapped_daemon(case):
    """Guards the map: slurmctld answered /slurm/ paths, slurmdbd /slurmdb/ ones."""
    version, path = case
    method, template = operation_for(path.stem, version)
    daemon = {"slurm": "openapi/slurmctld", "slurmdb": "openapi/slurmdbd"}[template.split("/")[1]]
    assert body_of(path)["meta"]["plugin"]["type"] == daemon


@pytest.mark.parametrize("case", FILES, ids=case_id)
def test_recording_validates_against_ours(case):
    version, path = case
    assert errors_of(load_spec(ours_path(version)), version, path) == []


@pytest.mark.parametrize("case", FILES, ids=case_id)
def test_reference_rejects_a_recording_only_for_known_defects(case):
    version, path = case
    assert unexplained(path.stem, errors_of(load_spec(reference_path(version)), version, path)) == []


@pytest.mark.parametrize("case", FILES, ids=case_id)
def test_ours_judges_as_the_reference_meant_but_for_its_defects(case):
    """Ours differs from the reference (with its path-style `required` read as
    meant) only where KNOWN_DEFECTS says: break a recording and both see it."""
    version, path = case
    body = body_of(path)
    body["meta"] = "broken"
    method, template = operation_for(path.stem, version)
    status = status_of(path.stem, version)
    ours = response_errors(load_spec(ours_path(version)), method, template, body, status)
    meant = response_errors(reference_as_meant(version), method, template, body, status)
    assert "at $.meta: 'broken' is not of type 'object'" in ours
    assert ours == unexplained(path.stem, meant)


def test_validation_catches_a_wrong_body():
    """Guards the tests above: a broken recording is rejected, readably."""
    body = body_of(RECORDINGS / "slurm-ping.json")
    body["pings"][0]["latency"] = "fast"
    with pytest.raises(AssertionError) as error:
        validate_response(load_spec(ours_path(VERSION)), "GET", f"/slurm/{VERSION}/ping/", body)
    assert "at $.pings[0].latency: 'fast' is not of type 'integer'" in str(error.value)


def test_validation_falls_back_to_default_response():
    """A 404 recording is checked against the `default` response."""
    body = body_of(RECORDINGS / "slurm-job-unfound.json")
    assert status_of("slurm-job-unfound") == 404
    validate_response(load_spec(ours_path(VERSION)), "GET", f"/slurm/{VERSION}/job/{{job_id}}", body, 404)
    del body["jobs"]
    with pytest.raises(AssertionError, match="'jobs' is a required property"):
        validate_response(load_spec(ours_path(VERSION)), "GET", f"/slurm/{VERSION}/job/{{job_id}}", body, 404)
