"""Every operation answers its path with or without the trailing slash
directly, as slurmrestd does: never a 307 that curl without -L stops at."""

import json

import pytest

from server.app import create_app
from server.config import Config
from server.specs import Specs, available_versions
from tests.fakes.current_slurm import FAKE_BIN, headers, write_slurm_conf

SPECS = Specs(available_versions())
OPERATIONS = [(ref.method, ref.path) for _, ref in SPECS._routes]


def concrete(template: str) -> str:
    return template.replace("{", "x").replace("}", "")


def other_spelling(path: str) -> str:
    return path[:-1] if path.endswith("/") else path + "/"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """One app for every operation (building one takes a while)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", f"{FAKE_BIN}:/usr/bin:/bin")
        conf = write_slurm_conf(tmp_path_factory.mktemp("slash"))
        patch.setenv("SLURM_CONF", str(conf))
        with create_app(Config(slurm_conf=str(conf), coalesce_seconds=0)).test_client() as client:
            yield client


@pytest.mark.parametrize("method,template", OPERATIONS, ids=lambda v: v)
def test_both_spellings_reach_the_operation(client, method, template):
    """Without a token, both spellings answer alike, and as a routed operation
    does (401, or 400 for a missing body): never a redirect (307) or an
    unrouted path (404, 405)."""
    statuses = [client.request(method.upper(), path, follow_redirects=False).status_code
                for path in (concrete(template), other_spelling(concrete(template)))]
    assert statuses[0] == statuses[1] and statuses[0] in (400, 401), f"{method.upper()} {template}: {statuses}"


def test_diag_without_slash_answers_200(fake_slurm):
    folder, client = fake_slurm
    (folder / "sdiag.json").write_text(json.dumps({}))
    with_slash = client.get("/slurm/v0.0.44/diag/", headers=headers(), follow_redirects=False)
    without = client.get("/slurm/v0.0.44/diag", headers=headers(), follow_redirects=False)
    assert without.status_code == with_slash.status_code == 200
    assert without.json()["statistics"] == with_slash.json()["statistics"]


def test_unknown_paths_stay_unknown(client):
    assert client.get("/slurm/v0.0.44/nothing", headers=headers(), follow_redirects=False).status_code == 404
