"""Swagger UI's documents (server/ui.py): valid OpenAPI 3.0.2, every operation
under one of the tags people look for, in that order, with the same
operations as the description clients read; `/` sends only browsers to /ui/."""

from __future__ import annotations

import copy

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator, validate

from server import ui
from server.specs import Specs, available_versions

TAG_ORDER = ["jobs", "nodes", "partitions", "reservations", "accounting", "util"]
ORIGIN = "http://rest.example:6820"


def operations(document):
    return {(path, method): op for path, item in document["paths"].items()
            for method, op in item.items() if isinstance(op, dict) and "responses" in op}


@pytest.fixture(scope="module", params=available_versions())
def version_documents(request):
    described = Specs([request.param]).for_connexion(request.param)
    return described, ui.for_people(described, ORIGIN)


def test_is_valid_openapi_3_0_2(version_documents):
    _, shown = version_documents
    assert shown["openapi"] == "3.0.2"
    validate(copy.deepcopy(shown), cls=OpenAPIV30SpecValidator)


def test_has_the_same_operations_as_the_description(version_documents):
    described, shown = version_documents
    assert operations(shown).keys() == operations(described).keys()
    for key, operation in operations(shown).items():
        assert operation["operationId"] == operations(described)[key]["operationId"]


def test_tags_come_in_the_order_people_look_for_them(version_documents):
    _, shown = version_documents
    used = {op["tags"][0] for op in operations(shown).values()}
    assert [tag["name"] for tag in shown["tags"]] == [tag for tag in TAG_ORDER if tag in used]
    assert {"jobs", "nodes", "partitions", "accounting", "util"} <= used
    # Swagger UI lists operations in the order of the paths: tags must not interleave.
    seen = [op["tags"][0] for op in operations(shown).values()]
    assert all(len(op["tags"]) == 1 for op in operations(shown).values())
    assert [tag for i, tag in enumerate(seen) if i == 0 or seen[i - 1] != tag] == \
        [tag for tag in TAG_ORDER if tag in seen]


def test_operations_land_where_a_user_looks(version_documents):
    _, shown = version_documents
    version = shown["info"]["version"]
    tag_of = {(path, method): op["tags"][0] for (path, method), op in operations(shown).items()}
    expected = {
        (f"/slurm/v{version}/jobs/", "get"): "jobs",
        (f"/slurm/v{version}/job/submit", "post"): "jobs",
        (f"/slurm/v{version}/nodes/", "get"): "nodes",
        (f"/slurm/v{version}/partitions/", "get"): "partitions",
        (f"/slurm/v{version}/reservations/", "get"): "reservations",
        (f"/slurmdb/v{version}/jobs/", "get"): "accounting",
        (f"/slurmdb/v{version}/accounts/", "get"): "accounting",
        (f"/slurm/v{version}/ping/", "get"): "util",
    }
    for key, tag in expected.items():
        assert tag_of.get(key) == tag, key
    in_some_versions = {(f"/util/v{version}/hostnames", "post"): "util",
                        (f"/slurm/v{version}/shares", "get"): "accounting"}
    for key, tag in in_some_versions.items():
        assert tag_of.get(key, tag) == tag, key
    paths = list(shown["paths"])
    assert paths[0] == f"/slurm/v{version}/jobs/"


def test_introduction_says_how_to_get_a_token(version_documents):
    described, shown = version_documents
    introduction = shown["info"]["description"]
    assert "`scontrol token`" in introduction
    assert "Authorize" in introduction
    assert introduction.endswith(described["info"]["description"])


def test_servers_name_the_address_served(version_documents):
    _, shown = version_documents
    assert [server["url"] for server in shown["servers"]] == [ORIGIN]


def test_the_description_itself_is_untouched(version_documents):
    described, _ = version_documents
    assert {tag["name"] for tag in described["tags"]} >= {"slurm", "slurmdb"}
    assert "scontrol token" not in described["info"]["description"]


def test_a_path_no_rule_knows_goes_last_under_util():
    assert ui.place("/slurm/v0.0.44/something/new") == (len(ui.RULES), "util")
    assert ui.place("/not/versioned") == (len(ui.RULES), "util")


def test_the_drop_down_lists_every_version_newest_first():
    options = ui.swagger_ui_options(["v0.0.42", "v0.0.44"])
    urls = options.swagger_ui_template_arguments["urls"]
    assert [u["name"] for u in urls] == ["v0.0.44", "v0.0.42"]
    assert urls[0]["url"] == "../openapi/ui/v0.0.44.json"
    assert options.swagger_ui_template_arguments["openapi_spec_url"] == urls[0]["url"]


# -- served by the app ---------------------------------------------------------

def test_app_serves_each_version_for_the_ui(fake_slurm):
    _, client = fake_slurm
    for version in available_versions():
        response = client.get(f"/openapi/ui/{version}.json")
        assert response.status_code == 200
        document = response.json()
        assert document["servers"] == [{"url": "http://testserver", "description": "this slurmrestpy"}]
        assert [tag["name"] for tag in document["tags"]] == TAG_ORDER


def test_app_answers_an_unknown_version_in_the_envelope(fake_slurm):
    _, client = fake_slurm
    response = client.get("/openapi/ui/v9.9.9.json")
    assert response.status_code == 404
    assert response.json()["errors"][0]["error_number"] == 9006


def test_the_ui_page_lists_the_versions(fake_slurm):
    _, client = fake_slurm
    page = client.get("/ui/")
    assert page.status_code == 200
    for version in available_versions():
        assert f"../openapi/ui/{version}.json" in page.text


@pytest.mark.parametrize("accept", ["text/html,application/xhtml+xml,*/*;q=0.8", "text/html"])
def test_root_sends_a_browser_to_the_ui(fake_slurm, accept):
    _, client = fake_slurm
    response = client.get("/", headers={"Accept": accept}, follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/ui/"


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
def test_root_answers_an_api_client_as_slurmrestd_does(fake_slurm, accept):
    _, client = fake_slurm
    headers = {"Accept": accept} if accept else {}
    response = client.get("/", headers=headers, follow_redirects=False)
    assert response.status_code == 404
    assert response.json()["errors"][0]["error_number"] == 9006


def test_json_comes_first_so_try_it_out_asks_for_json(version_documents):
    _, shown = version_documents
    for operation in operations(shown).values():
        for body in [operation.get("requestBody", {}), *operation["responses"].values()]:
            if "application/json" in body.get("content", {}):
                assert next(iter(body["content"])) == "application/json"


def test_servers_follow_the_address_each_request_came_to(fake_slurm):
    _, client = fake_slurm
    version = available_versions()[-1]
    for host in ("first.example:6820", "second.example:8080", "first.example:6820"):
        document = client.get(f"/openapi/ui/{version}.json", headers={"Host": host}).json()
        assert [s["url"] for s in document["servers"]] == [f"http://{host}"]
