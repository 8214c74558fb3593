"""Requests generated from our own description (schemathesis): every read
operation, with parameters it makes up, answers in JSON, in slurmrestd's
envelope, in a shape SchedMD's description allows, and never with an
internal error of our own."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from conftest import ADMIN
from tests.schemas import ours_path, reference_as_meant, validate_response

# Reads only; /reconfigure/ is a GET that makes slurmctld re-read its files.
DESCRIBED = (schemathesis.openapi.from_path(str(ours_path("v0.0.44")))
             .include(method="GET").exclude(path_regex=r"/reconfigure/$"))
OPERATIONS = {result.ok().label: result.ok() for result in DESCRIBED.get_all_operations()}


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_read_operations_keep_their_contract(label, server, auth):
    operation = OPERATIONS[label]
    headers = auth(ADMIN)

    @given(case=operation.as_strategy())
    @settings(max_examples=4, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_within_contract(case):
        response = case.call(base_url=server.url, headers=headers, timeout=120)
        content_type = response.headers.get("content-type") or [""]
        assert content_type[0].startswith("application/json"), response.text[:300]
        body = response.json()
        assert "Internal error in slurmrestpy" not in response.text, body.get("errors")
        assert {"meta", "errors", "warnings"} <= body.keys(), body
        if response.status_code >= 400:
            assert body["errors"], "a failure must say why"
        validate_response(reference_as_meant("v0.0.44"), "get", operation.path, body,
                          status=response.status_code)

    answers_within_contract()


def test_every_read_operation_is_exercised():
    assert len(OPERATIONS) == 34  # every GET of v0.0.44 but /reconfigure/
