"""An HTTP client for live tests whose every answer is validated twice, for
the operation it came from (its version and path template are found from the
URL): against SchedMD's description read as meant, and against the
description we serve. No response of a test goes unchecked.

In a test module: ``api = checked_api_fixture()`` replaces conftest's `api`
for that module's tests."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.schemas import load_spec, ours_path, reference_as_meant, validate_response

VERSION = "v0.0.44"
URL_VERSION = re.compile(r"^/[^/]+/(v\d+\.\d+\.\d+)/")


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
        self.checked = 0

    @staticmethod
    def version_of(url: str) -> str:
        match = URL_VERSION.match(urlsplit(url).path)
        return match.group(1) if match else VERSION

    def template_of(self, url: str) -> str:
        path, version = urlsplit(url).path, self.version_of(url)
        other = path[:-1] if path.endswith("/") else path + "/"  # served either way
        for pattern, template in _templates(load_spec(ours_path(version))):
            if pattern.match(path) or pattern.match(other):
                return template
        raise AssertionError(f"no operation of {version} serves {path}")

    def request(self, method: str, url: str, **kwargs):
        response = self.client.request(method, url, **kwargs)
        version = self.version_of(url)
        for spec in (reference_as_meant(version), load_spec(ours_path(version))):
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
