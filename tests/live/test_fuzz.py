"""Requests generated from our own descriptions (schemathesis): every
operation of every API version, writes included, with parameters and bodies
it makes up, answers in JSON, in slurmrestd's envelope, in a shape both
descriptions (SchedMD's as meant, and ours) allow, and never with an error of
our own: a 5xx must carry Slurm's refusal (its error number, a Slurm source).

The clusters are shared, so writes only ever touch what the test owns:
reads run as root, writes as the ordinary user srp_alice (slurmdbd,
slurmctld refuse her anything on objects that are not hers), and whatever
names a job is pointed at jobs of this test: a held job it submits per
operation, job descriptions forced held and named FUZZ_NAME, job filters
narrowed to that name. Every job of that name is cancelled afterwards.
POST /slurmdb/{v}/config (load a whole configuration) is left out: it is a
whole-database write, which the shared clusters must not see."""

import functools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from conftest import ADMIN, ALICE
from server.specs import available_versions
from tests.live.held_jobs import held_jobs_fixture
from tests.schemas import load_spec, ours_path, reference_as_meant, validate_response

VERSIONS = available_versions()
FUZZ_NAME = "srpfz-fuzz"
SCRIPT = "#!/bin/sh\nsleep 300\n"
# Per operation; with six versions of ~60 operations each (sharing their
# handlers), this keeps a cluster's run within a few minutes.
EXAMPLES = {"v0.0.44": 3}
OTHER_EXAMPLES = 2
LEFT_OUT = {("POST", "/slurmdb/{v}/config")}


@functools.lru_cache(maxsize=None)
def operations(version: str) -> dict:
    described = schemathesis.openapi.from_path(str(ours_path(version)))
    found = {}
    for result in described.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path.replace(version, "{v}")) not in LEFT_OUT:
            found[operation.label] = operation
    return found


CASES = [(v, label) for v in VERSIONS for label in sorted(operations(v))]


def claim_job_desc(desc) -> None:
    """A job description of ours: held (nothing generated ever runs) and named."""
    if isinstance(desc, dict):
        desc["name"], desc["hold"] = FUZZ_NAME, True


def claim(case, job_id: int) -> None:
    """Point a write at what this test owns (see the module's text)."""
    for name in list(case.path_parameters or {}):
        case.path_parameters[name] = str(job_id) if name == "job_id" else f"srpfz-{name}"
    body = case.body
    if not isinstance(body, dict):
        return
    path = case.operation.path
    if path.endswith(("/job/submit", "/job/allocate")):
        for key in ("job", "jobs", "hetjob"):
            for desc in body[key] if isinstance(body.get(key), list) else [body.get(key)]:
                claim_job_desc(desc)
        if path.endswith("/job/allocate") and isinstance(body.get("job"), dict):
            body["job"].pop("hold")  # salloc waits for a held allocation: ask for one now or none
            body["job"]["immediate"] = True
    elif "{job_id}" in path and path.startswith("/slurm/") and case.method.upper() == "POST":
        claim_job_desc(body)
    elif path.endswith("/jobs/") and case.method.upper() == "DELETE":
        body["job_name"] = FUZZ_NAME
    elif path.endswith("/jobs/") and path.startswith("/slurmdb/"):
        body["job_id_list"] = [str(job_id)]


def check_answer(response, version: str, operation) -> None:
    content_type = response.headers.get("content-type") or [""]
    assert content_type[0].startswith("application/json"), (response.status_code, response.text[:300])
    body = response.json()
    assert "Internal error in slurmrestpy" not in response.text, body.get("errors")
    assert {"meta", "errors", "warnings"} <= body.keys(), body
    if response.status_code >= 400:
        assert body["errors"], "a failure must say why"
    if response.status_code >= 500 and response.status_code != 501:
        # Slurm's refusal answered as slurmrestd answers it, never one of ours.
        assert all(e.get("source") != "slurmrestpy" and e.get("error_number") for e in body["errors"]), body
    method = operation.method.lower()
    for spec in (reference_as_meant(version), load_spec(ours_path(version))):
        if operation.path in spec["paths"]:  # v0.0.45's own operations are ours alone
            validate_response(spec, method, operation.path, body, status=response.status_code)


fuzz_job = held_jobs_fixture(FUZZ_NAME)


@pytest.mark.parametrize("version,label", CASES, ids=[f"{v}:{label}" for v, label in CASES])
def test_operation_keeps_its_contract(version, label, server, auth, fuzz_job):
    operation = operations(version)[label]
    write = operation.method.upper() != "GET" or operation.path.endswith("/reconfigure/")
    headers = auth(ALICE if write else ADMIN)
    # Only writes that name a job need one (by path, or the body of POST /slurmdb/{v}/jobs/).
    names_job = "{job_id}" in operation.path or operation.path == f"/slurmdb/{version}/jobs/"
    job_id = fuzz_job() if write and names_job else 0

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES.get(version, OTHER_EXAMPLES), deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_within_contract(case):
        if write:
            claim(case, job_id)
        response = case.call(base_url=server.url, headers=headers, timeout=120)
        check_answer(response, version, operation)

    answers_within_contract()


def test_every_operation_is_exercised():
    per_version = {v: len(operations(v)) for v in VERSIONS}
    # Every operation of each description but POST /slurmdb/{v}/config.
    assert per_version == {"v0.0.40": 55, "v0.0.41": 58, "v0.0.42": 59, "v0.0.43": 61,
                           "v0.0.44": 67, "v0.0.45": 73}
