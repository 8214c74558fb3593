"""An HTTP client for live tests whose every answer is validated twice, for
the operation it came from (the path template is found from the URL): against
SchedMD's description read as meant, and against the description we serve.
No response of a test goes unchecked.

In a test module: ``api = checked_api_fixture()`` replaces conftest's `api`
for that module's tests."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.schemas import load_spec, ours_path, reference_as_meant, validate_response

VERSION = "v0.0.44"


def _templates(spec: dict) -> list[tuple[re.Pattern, str]]:
    found = []
    for template in spec["paths"]:
        pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part)
                          for part in re.split(r"(\{[^}]+\})", template))
        found.append((re.compile(f"^{pattern}$"), template))
    return found


class CheckedApi:
    def __init__(self, client):
        self.client = client
        self.spec = reference_as_meant(VERSION)
        self.ours = load_spec(ours_path(VERSION))
        self.templates = _templates(self.spec)
        self.checked = 0

    def template_of(self, url: str) -> str:
        path = urlsplit(url).path
        for pattern, template in self.templates:
            if pattern.match(path):
                return template
        raise AssertionError(f"no operation of {VERSION} serves {path}")

    def request(self, method: str, url: str, **kwargs):
        response = self.client.request(method, url, **kwargs)
        for spec in (self.spec, self.ours):
            validate_response(spec, method.lower(), self.template_of(url), response.json(),
                              status=response.status_code)
        self.checked += 1
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request("DELETE", url, **kwargs)


def checked_api_fixture():
    @pytest.fixture
    def api(api):  # noqa: F811 - conftest's client, wrapped
        checked = CheckedApi(api)
        yield checked
        assert checked.checked, "the test sent no request"

    return api
