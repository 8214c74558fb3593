"""GET /slurmdb/v0.0.44/config from a Slurm that prints v0.0.44 itself (the
fake 25.11 sacctmgr): no sacctmgr prints the whole configuration, so each
section is one `sacctmgr --json=v0.0.44 show <entity>` with the conditions
slurmrestd's dump uses, passed through unchanged. Recorded slurmrestd 25.11
answers play what sacctmgr prints where they exist (accounts, QOS,
associations); the rest is written here in the v0.0.44 shape."""

import json

import pytest

from server.app import create_app
from server.config import Config
from tests.fakes.current_slurm import FAKE_BIN, headers, recorded, write_slurm_conf
from tests.schemas import reference_as_meant, validate_response

API = "/slurmdb/v0.0.44"

CLUSTERS = [{"controller": {"host": "ctl", "port": 6817}, "flags": [], "name": "hpc", "nodes": "cn[1-4]",
             "select_plugin": "cons_tres", "associations": {"root": {"account": "root", "cluster": "hpc",
                                                                     "partition": "", "user": "", "id": 1}},
             "rpc_version": 11008, "tres": [{"type": "cpu", "name": "", "id": 1, "count": 64}]}]
TRES = [{"type": "cpu", "name": "", "id": 1, "count": 0}, {"type": "mem", "name": "", "id": 2, "count": 0}]
WCKEYS = [{"accounting": [], "cluster": "hpc", "id": 1, "name": "lab", "user": "sevans", "flags": []}]


@pytest.fixture
def logged_slurm(tmp_path, monkeypatch):
    """conftest's fake_slurm, behind a sacctmgr that logs every argument
    vector it gets (the fake keeps the last only; a GET of the config runs
    seven)."""
    wrapper = tmp_path / "bin"
    wrapper.mkdir()
    (wrapper / "sacctmgr").write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{tmp_path}/sacctmgr.log"\n'
                                      f'exec "{FAKE_BIN}/sacctmgr" "$@"\n')
    (wrapper / "sacctmgr").chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper}:{FAKE_BIN}:/usr/bin:/bin")
    conf = write_slurm_conf(tmp_path)
    monkeypatch.setenv("SLURM_CONF", str(conf))
    app = create_app(Config(slurm_conf=str(conf), coalesce_seconds=0))
    with app.test_client() as client:
        yield tmp_path, client


def printed():
    """What the fake sacctmgr prints, whichever entity it is asked for (each
    command object takes its own list from it)."""
    associations = recorded("slurmdb-associations.json")["associations"]
    users = [{"administrator_level": ["None"], "associations": [], "coordinators": [],
              "default": {"account": "physic", "wckey": ""}, "flags": [], "name": "sevans", "wckeys": []}]
    return {"clusters": CLUSTERS, "TRES": TRES, "accounts": recorded("slurm-accounts.json")["accounts"],
            "users": users, "qos": recorded("slurm-qos.json")["qos"], "wckeys": WCKEYS,
            "associations": associations, "meta": {}, "errors": [], "warnings": []}


def sacctmgr_runs(folder) -> set[str]:
    return {line for line in (folder / "sacctmgr.log").read_text().splitlines()
            if line.startswith("--json=v0.0.44 show")}


def test_every_section_passes_through(logged_slurm):
    folder, client = logged_slurm
    original = printed()
    (folder / "sacctmgr.json").write_text(json.dumps(original))
    response = client.get(f"{API}/config", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/config", body)
    for section, key in (("clusters", "clusters"), ("tres", "TRES"), ("accounts", "accounts"),
                         ("users", "users"), ("qos", "qos"), ("wckeys", "wckeys"),
                         ("associations", "associations")):
        assert body[section] == [{k: v for k, v in item.items() if v is not None}
                                 for item in original[key]], section
    assert body["instances"] == []
    assert body["errors"] == [] and body["warnings"] == []
    assert body["meta"]["slurm"]["release"] == "25.11.0"
    # slurmrestd's dump: deleted records too, accounts and users with their
    # associations and coordinators; associations with their own limits.
    assert sacctmgr_runs(folder) == {
        "--json=v0.0.44 show cluster withdeleted",
        "--json=v0.0.44 show tres withdeleted",
        "--json=v0.0.44 show accounts withdeleted withcoordinators withassoc",
        "--json=v0.0.44 show users withdeleted withcoordinators withassoc",
        "--json=v0.0.44 show qos withdeleted",
        "--json=v0.0.44 show wckey withdeleted",
        "--json=v0.0.44 show associations withdeleted withrawqos woplimits",
    }


def test_an_empty_section_is_a_warning_but_wckeys(logged_slurm):
    folder, client = logged_slurm
    (folder / "sacctmgr.json").write_text(json.dumps({**printed(), "qos": [], "wckeys": []}))
    body = client.get(f"{API}/config", headers=headers()).json()
    assert body["qos"] == [] and body["wckeys"] == []
    assert [(w["description"], w["source"]) for w in body["warnings"]] == [
        ("slurmdb_qos_get() found nothing", "_dump")]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/config", body)


def test_a_failing_sacctmgr_fails_the_whole_document(logged_slurm):
    folder, client = logged_slurm  # no sacctmgr.json: every sacctmgr fails
    response = client.get(f"{API}/config", headers=headers())
    assert response.status_code == 500
    body = response.json()
    assert body["errors"] and "Unable to query" in body["errors"][0]["description"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/config", body, status=500)
