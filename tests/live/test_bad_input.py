"""Hostile input on every operation of every version (issue 12, item 2):
wrong types, huge arrays, numbers past their integer range and NUL are
refused with a 4xx in slurmrestd's envelope, never a 500 of ours; unknown
fields are treated as slurmrestd treats them (Slurm's own slurmrestd beside
the 25.11 cluster is asked); shell metacharacters and newlines reach Slurm
verbatim and read back so.

Bodies are sent as srp_alice, aimed at names no one else uses (FUZZ_NAME,
held jobs of this module), so that a protection missing would show as a
status, never as a change to what others on the shared clusters made.
POST /slurmdb/{v}/config is left out (a whole-database write)."""

from __future__ import annotations

import functools
import json

import pytest

from conftest import ADMIN, ALICE
from server.specs import available_versions
from tests.live.held_jobs import held_jobs_fixture
from tests.schemas import load_spec, ours_path

VERSIONS = available_versions()
FUZZ_NAME = "srpfz-bad"
METHODS = ("get", "post", "delete")
HUGE = 20_000  # items in a huge array, each of them long: a body of about 1 MB
LONG = "srpfz" * 8
PAST_INT64 = 2**64 + 7
# Envelope fields some request schemas carry; slurmrestd reads none of them.
ENVELOPE = {"meta", "errors", "warnings"}
# Enough properties per operation and class to reach every kind of field
# without making the run long.
PER_CLASS = 2


def resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def described_operations(version: str) -> list[tuple[str, str, dict]]:
    spec = load_spec(ours_path(version))
    return [(method.upper(), path, item[method]) for path, item in spec["paths"].items()
            for method in METHODS if method in item and not path.endswith("/config")]


def body_schema(version: str, operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return resolve(load_spec(ours_path(version)), content["application/json"]["schema"])


@functools.lru_cache(maxsize=None)
def fields(version: str, path: str, method: str) -> tuple:
    """(place, schema) for each field of the body, top level and one object
    (or list of objects) down: place is a tuple of keys, "[]" for a list's item."""
    spec = load_spec(ours_path(version))
    operation = load_spec(ours_path(version))["paths"][path][method.lower()]
    found = []

    def walk(schema: dict, place: tuple, depth: int) -> None:
        for name, child in resolve(spec, schema).get("properties", {}).items():
            if name in ENVELOPE:
                continue
            child = resolve(spec, child)
            found.append((place + (name,), child))
            if depth < 2 and child.get("type") == "object":
                walk(child, place + (name,), depth + 1)
            elif depth < 2 and child.get("type") == "array" and resolve(spec, child.get("items", {})).get("type") == "object":
                walk(resolve(spec, child["items"]), place + (name, "[]"), depth + 1)

    walk(body_schema(version, operation) or {}, (), 1)
    return tuple(found)


def body_with(place: tuple, value, base: dict) -> dict:
    """`base` with `value` at `place` (lists of one item made on the way)."""
    body = json.loads(json.dumps(base))
    here = body
    for key, following in zip(place, place[1:]):
        if key == "[]":
            continue
        if following == "[]":
            if not isinstance(here.get(key), list) or not here[key]:
                here[key] = [{}]
            here = here[key][0]
        else:
            here = here.setdefault(key, {})
    here[place[-1]] = value
    return body


def base_body(path: str, method: str) -> dict:
    """What keeps a body aimed at the test's own jobs whatever else it says."""
    if path.endswith("/jobs/") and method == "DELETE":
        return {"job_name": FUZZ_NAME}
    if path.endswith(("/job/submit", "/job/allocate")):
        return {"job": {"name": FUZZ_NAME, "hold": True}}
    return {}


def wrong_type(schema: dict):
    kind = schema.get("type")
    if kind == "object":
        return "srpfz-not-an-object"
    if kind == "array":
        return {"srpfz": {"not": "a list"}}
    return {"srpfz": ["not", "a", kind or "value"]}


def picked(items: list, count: int = PER_CLASS) -> list:
    """A spread of `count` of them (first, middle, last ...), the same each run."""
    if len(items) <= count:
        return items
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


BODY_CASES = [(v, m, p) for v in VERSIONS for m, p, op in described_operations(v) if body_schema(v, op)]
PATH_CASES = [(v, m, p) for v in VERSIONS for m, p, _ in described_operations(v) if "{" in p]
QUERY_CASES = [(v, m, p, next(x["name"] for x in op["parameters"] if x.get("in") == "query"))
               for v in VERSIONS for m, p, op in described_operations(v)
               if any(x.get("in") == "query" for x in op.get("parameters", []))]


def case_id(case) -> str:
    return ":".join(case[:3])


own_job = held_jobs_fixture(FUZZ_NAME)


def url_of(path: str, own_job) -> str:
    """The path with its parameters filled: a job of ours, names of no one's."""
    parts = []
    for part in path.split("/"):
        if part == "{job_id}":
            part = str(own_job())
        elif part.startswith("{"):
            part = "srpfz-" + part.strip("{}")
        parts.append(part)
    return "/".join(parts)


def refused(response, *statuses: int) -> dict:
    """A clear refusal: the given (or any 4xx) status, slurmrestd's envelope, an error saying why."""
    assert response.headers["content-type"].startswith("application/json"), response.text[:300]
    body = response.json()
    assert {"meta", "errors", "warnings"} <= body.keys(), body
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.text[:600])
    else:
        assert 400 <= response.status_code < 500, (response.status_code, response.text[:600])
    assert body["errors"] and body["errors"][0]["error_number"], body
    return body["errors"][0]


def send(api, auth, method: str, url: str, body):
    return api.request(method, url, content=json.dumps(body), headers={
        **auth(ALICE), "Content-Type": "application/json"})


@pytest.mark.parametrize("case", BODY_CASES, ids=case_id)
def test_a_body_of_the_wrong_type_is_a_400(api, auth, own_job, case):
    version, method, path = case
    url = url_of(path, own_job)
    refused(send(api, auth, method, url, ["srpfz", "a list, not an object"]), 400)
    for place, schema in picked(list(fields(version, path, method))):
        refused(send(api, auth, method, url, body_with(place, wrong_type(schema), base_body(path, method))), 400)


@pytest.mark.parametrize("case", [c for c in BODY_CASES if any(
    s.get("type") == "integer" for _, s in fields(c[0], c[2], c[1]))], ids=case_id)
def test_numbers_past_their_range_are_a_400(api, auth, own_job, case):
    version, method, path = case
    integers = [place for place, schema in fields(version, path, method) if schema.get("type") == "integer"]
    url = url_of(path, own_job)
    for place in picked(integers):
        for value in (PAST_INT64, -PAST_INT64):
            refused(send(api, auth, method, url, body_with(place, value, base_body(path, method))), 400)


@pytest.mark.parametrize("case", [c for c in BODY_CASES if any(
    s.get("type") == "array" for _, s in fields(c[0], c[2], c[1]))], ids=case_id)
def test_huge_arrays_are_refused(api, auth, own_job, case):
    version, method, path = case
    arrays = [(place, schema) for place, schema in fields(version, path, method)
              if schema.get("type") == "array" and "[]" not in place]
    url = url_of(path, own_job)
    for place, schema in picked(arrays):
        item = {"object": {}, "integer": 1}.get(resolve(load_spec(ours_path(version)), schema.get("items", {}))
                                                 .get("type"), LONG)
        response = send(api, auth, method, url, body_with(place, [item] * HUGE, base_body(path, method)))
        if response.status_code != 501:  # v0.0.45's operations not done yet refuse any body
            refused(response)


@pytest.mark.parametrize("case", BODY_CASES, ids=case_id)
def test_nul_in_a_string_of_the_body_is_a_400(api, auth, own_job, case):
    version, method, path = case
    strings = [place for place, schema in fields(version, path, method) if schema.get("type") == "string"]
    url = url_of(path, own_job)
    for place in picked(strings) or [("srpfz",)]:
        error = refused(send(api, auth, method, url, body_with(place, "srpfz\u0000x", base_body(path, method))), 400)
        assert "NUL" in error["description"], error


@pytest.mark.parametrize("case", PATH_CASES, ids=case_id)
def test_nul_in_a_path_parameter_is_a_400(api, auth, case):
    version, method, path = case
    url = path.split("{")[0] + "srpfz%00x" + path.split("}", 1)[1]
    error = refused(api.request(method, url, headers=auth(ALICE)), 400)
    assert "NUL" in error["description"], error


@pytest.mark.parametrize("case", QUERY_CASES, ids=case_id)
def test_nul_in_a_query_parameter_is_a_400(api, auth, case):
    version, method, path, name = case
    url = path.replace("{", "").replace("}", "") + f"?{name}=srpfz%00x"
    error = refused(api.request(method, url, headers=auth(ALICE)), 400)
    assert "NUL" in error["description"], error


def test_every_class_reaches_every_operation():
    for version in VERSIONS:
        operations = described_operations(version)
        with_body = [op for _, _, op in operations if body_schema(version, op)]
        assert len(with_body) == sum(1 for v, _, _ in BODY_CASES if v == version)
        # Every POST has a body (DELETEs take theirs as query or path).
        assert all(body_schema(version, op) for method, _, op in operations if method == "POST")


# Unknown fields: slurmrestd 25.11 ignores them with a warning (job
# descriptions, kill and submit requests were checked against it); ours may
# only ignore them too, or refuse them by name (node updates, whose unknown
# fields are refused so that a change asked for is never silently dropped).
UNKNOWN = "srpfz_unknown"


@pytest.mark.parametrize("case", [c for c in BODY_CASES if c[0] == "v0.0.44"], ids=case_id)
def test_an_unknown_field_is_ignored_or_refused_by_name(api, auth, own_job, case):
    version, method, path = case
    url = url_of(path, own_job)
    base = base_body(path, method)
    without, with_unknown = (send(api, auth, method, url, body) for body in (base, {**base, UNKNOWN: 1}))
    named = [e for e in with_unknown.json()["errors"] if UNKNOWN in e["description"]]
    if named:
        assert with_unknown.status_code == 400, with_unknown.text
    else:
        assert with_unknown.status_code == without.status_code, (without.text[:600], with_unknown.text[:600])


# Shell metacharacters, quotes and line breaks reach Slurm verbatim (every
# command is an argument vector) and read back so.
META = "srpfz-meta $(id) `id` ;|&><*?'\"\\ ~#!{a,b}\nsecond line\ttab"


def slurms_record(cluster, job_id: int) -> dict:
    # 22.05's squeue --json prints every job whatever -j says.
    jobs = json.loads(cluster.run("squeue", "--json", "-j", str(job_id)).stdout)["jobs"]
    return next(job for job in jobs if job["job_id"] == job_id)


@pytest.mark.parametrize("version", VERSIONS)
def test_metacharacters_in_a_job_are_stored_verbatim(cluster, api, auth, version):
    response = api.post(f"/slurm/{version}/job/submit", headers=auth(ALICE), json={
        "script": "#!/bin/sh\nsleep 300\n", "job": {
            "name": META, "comment": META, "hold": True, "environment": ["PATH=/bin:/usr/bin"],
            "current_working_directory": "/tmp", "standard_output": "/dev/null"}})
    assert response.status_code == 200, response.text
    job_id = response.json()["job_id"]
    try:
        [job] = [j for j in api.get(f"/slurm/{version}/job/{job_id}", headers=auth(ALICE)).json()["jobs"]
                 if j["job_id"] == job_id]
        assert (job["name"], job["comment"]) == (META, META)
        stored = slurms_record(cluster, job_id)  # Slurm's own, not an echo
        assert (stored["name"], stored["comment"]) == (META, META)
        response = api.post(f"/slurm/{version}/job/{job_id}", headers=auth(ALICE), json={"comment": META + "2"})
        assert response.status_code == 200, response.text
        assert slurms_record(cluster, job_id)["comment"] == META + "2"
    finally:
        cluster.cancel(job_id)


def test_metacharacters_in_an_account_are_stored_verbatim_or_refused_by_name(cluster, api, auth):
    db = "/slurmdb/v0.0.44"
    plain = "srpfz $(id) `id`;&><*?\\ ~#!{a,b}"  # no quotes, '|' or line breaks
    try:
        response = api.post(f"{db}/accounts/", headers=auth(ADMIN), json={"accounts": [
            {"name": "srpfz-meta", "description": plain, "organization": plain}]})
        assert response.status_code == 200, response.text
        [account] = api.get(f"{db}/account/srpfz-meta", headers=auth(ADMIN)).json()["accounts"]
        assert (account["description"], account["organization"]) == (plain, plain)
        stored = cluster.run("sacctmgr", "-n", "-P", "show", "account", "srpfz-meta", "format=description").stdout
        assert stored == plain + "\n"
        # Quotes and line breaks: stored as sent, or (22.05's sacctmgr cannot) a 400 naming the field.
        response = api.post(f"{db}/accounts/", headers=auth(ADMIN), json={"accounts": [
            {"name": "srpfz-meta", "description": META, "organization": plain}]})
        [account] = api.get(f"{db}/account/srpfz-meta", headers=auth(ADMIN)).json()["accounts"]
        if response.status_code == 200:
            assert account["description"] == META
        else:
            assert response.status_code == 400 and "accounts[0].description" in response.text, response.text
            assert account["description"] == plain  # nothing half-done
    finally:
        cluster.run("sacctmgr", "-i", "delete", "account", "srpfz-meta", check=False)
