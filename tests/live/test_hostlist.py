"""POST /util/v0.0.44/hostnames and /hostlist against the live server (the
real scontrol of Slurm 22.05); every body validated against SchedMD's
description, failures included."""

import pytest

from conftest import ALICE
from tests.schemas import reference_as_meant, validate_response

UTIL = "/util/v0.0.44"


def check(response, path: str, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "post", f"{UTIL}/{path}", body, status=status)
    return body


def test_expand(api, auth, cluster):
    expression = "n[1-3],x[01-02],gpu1"
    body = check(api.post(f"{UTIL}/hostnames", json={"hostlist": expression}, headers=auth(ALICE)), "hostnames")
    expected = cluster.run("scontrol", "show", "hostnames", expression).stdout.split()
    assert body["hostnames"] == expected == ["n1", "n2", "n3", "x01", "x02", "gpu1"]
    assert body["errors"] == [] and body["warnings"] == []
    assert body["meta"]["plugin"]["type"] == "openapi/util"


def test_compress_keeps_order(api, auth):
    body = check(api.post(f"{UTIL}/hostlist", json={"hostnames": ["n3", "n1", "n2", "x01", "x02"]},
                          headers=auth(ALICE)), "hostlist")
    assert body["hostlist"] == "n[3,1-2],x[01-02]"


def test_round_trip(api, auth):
    names = [f"c{i:03d}" for i in range(1, 41)] + ["login"]
    compressed = check(api.post(f"{UTIL}/hostlist", json={"hostnames": names}, headers=auth(ALICE)),
                       "hostlist")["hostlist"]
    assert compressed == "c[001-040],login"
    expanded = check(api.post(f"{UTIL}/hostnames", json={"hostlist": compressed}, headers=auth(ALICE)),
                     "hostnames")["hostnames"]
    assert expanded == names


def test_empty_inputs(api, auth):
    assert check(api.post(f"{UTIL}/hostnames", json={"hostlist": ""}, headers=auth(ALICE)),
                 "hostnames")["hostnames"] == []
    assert check(api.post(f"{UTIL}/hostlist", json={"hostnames": []}, headers=auth(ALICE)),
                 "hostlist")["hostlist"] == ""


def test_expression_starting_with_a_dash_is_a_name_not_an_option(api, auth):
    body = check(api.post(f"{UTIL}/hostnames", json={"hostlist": "-v"}, headers=auth(ALICE)), "hostnames")
    assert body["hostnames"] == ["-v"]


@pytest.mark.parametrize("expression, said", [
    ("n[3-1]", "Invalid range: `3-1'"),
    ("n[1-100000000]", "names more than 65536 hosts"),  # counted here, before scontrol
    ("n[1-70000]", "names more than 65536 hosts"),
    ("n[1-", "never closed"),
    ("n1]", "closes no range"),
])
def test_bad_expressions(api, auth, expression, said):
    body = check(api.post(f"{UTIL}/hostnames", json={"hostlist": expression}, headers=auth(ALICE)),
                 "hostnames", status=400)
    [error] = body["errors"]
    assert error["description"].startswith("Invalid 'hostlist': ")
    assert said in error["description"] and expression in error["description"]
    assert error["error_number"] == 9001
    assert body["hostnames"] == []


def test_bad_names_to_compress(api, auth):
    body = check(api.post(f"{UTIL}/hostlist", json={"hostnames": ["n1", "n[3-1]"]}, headers=auth(ALICE)),
                 "hostlist", status=400)
    assert "Invalid range" in body["errors"][0]["description"]
    assert body["hostlist"] == ""


@pytest.mark.parametrize("path, payload, field", [
    ("hostnames", {}, "hostlist"),
    ("hostnames", {"hostlist": ["n1"]}, "hostlist"),
    ("hostlist", {"hostnames": "n1,n2"}, "hostnames"),
    ("hostlist", {"hostnames": ["n1", 7]}, "hostnames"),
])
def test_wrong_shapes_name_the_field(api, auth, path, payload, field):
    response = api.post(f"{UTIL}/{path}", json=payload, headers=auth(ALICE))
    body = check(response, path, status=400)
    # Ours say 'hostnames'; connexion's schema check says 'hostnames.1'.
    assert f"'{field}" in body["errors"][0]["description"]


def test_needs_a_token(api):
    response = api.post(f"{UTIL}/hostnames", json={"hostlist": "n1"})
    assert response.status_code == 401
