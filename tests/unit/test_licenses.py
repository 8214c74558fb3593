"""Licenses: Slurm 22.05's `scontrol -o show licenses` (recorded on the live
cluster, tests/data/slurm-22.05/licenses/) into v0.0.44 licenses, and the
pass-through of a Slurm printing v0.0.44 itself."""

import copy
import json
from pathlib import Path

from server.convert import licenses
from tests.schemas import reference_as_meant, validate_response
from tests.fakes.current_slurm import headers
API = "/slurm/v0.0.44"

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "licenses"
UNSET = {"set": False, "infinite": False, "number": 0}

# There is no recording of a Slurm printing v0.0.44 licenses: this is what
# 25.11's `scontrol --json=v0.0.44 show licenses` prints, constructed from the
# v0.0.44 schema (every property, in its order) and the 22.05 reading of
# show-licenses.txt, as the openapi_licenses_resp document scontrol writes.
CONSTRUCTED_25_11 = {
    "licenses": [
        {"LicenseName": "fluent", "Total": 4, "Used": 1, "Free": 3, "Remote": False,
         "Reserved": 0, "LastConsumed": 0, "LastDeficit": 0, "LastUpdate": 0, "Nodes": ""},
        {"LicenseName": "matlab", "Total": 2, "Used": 0, "Free": 2, "Remote": False,
         "Reserved": 1, "LastConsumed": 0, "LastDeficit": 0, "LastUpdate": 0, "Nodes": ""},
    ],
    "last_update": {"set": True, "infinite": False, "number": 1763955856},
    "meta": {"plugin": {"type": "", "name": "", "data_parser": "data_parser/v0.0.44",
                        "accounting_storage": ""},
             "client": {"source": "/dev/pts/0", "user": "root", "group": "root"},
             "command": ["show", "licenses"],
             "slurm": {"version": {"major": "25", "micro": "0", "minor": "11"},
                       "release": "25.11.0", "cluster": "hpc"}},
    "errors": [],
    "warnings": [],
}


def test_licenses_in_use_and_reserved():
    found = licenses.licenses((DATA / "show-licenses.txt").read_text())
    # a running job holds fluent:1, an active license-only reservation matlab:1
    assert found == [
        {"LicenseName": "fluent", "Total": 4, "Used": 1, "Free": 3, "Remote": False, "Reserved": 0},
        {"LicenseName": "matlab", "Total": 2, "Used": 0, "Free": 2, "Remote": False, "Reserved": 1},
    ]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/licenses/",
                      {"licenses": found, "last_update": UNSET})


def test_idle_licenses_and_what_an_unprivileged_user_sees():
    idle = licenses.licenses((DATA / "show-licenses-idle.txt").read_text())
    assert [(x["LicenseName"], x["Used"], x["Free"]) for x in idle] == [("fluent", 0, 4), ("matlab", 0, 2)]
    assert licenses.licenses((DATA / "show-licenses-as-srp_alice.txt").read_text()) == \
        licenses.licenses((DATA / "show-licenses.txt").read_text())


def test_remote_licenses_and_an_unknown_name():
    [remote] = licenses.licenses("LicenseName=ansys@flex Total=10 Used=2 Free=8 Reserved=0 Remote=yes\n")
    assert remote["Remote"] is True and remote["LicenseName"] == "ansys@flex"
    # 22.05 prints nothing (and exits 0) for a license it does not have
    assert licenses.licenses((DATA / "show-license-unknown.txt").read_text()) == []


def test_licenses_pass_through(fake_slurm):
    folder, client = fake_slurm
    (folder / "scontrol.json").write_text(json.dumps(CONSTRUCTED_25_11))
    response = client.get(f"{API}/licenses/", headers=headers())
    assert response.status_code == 200, response.text
    body = response.json()
    assert (folder / "scontrol.argv").read_text().split("\n") == ["--json=v0.0.44", "show", "licenses"]
    assert body["licenses"] == CONSTRUCTED_25_11["licenses"]
    assert body["last_update"] == CONSTRUCTED_25_11["last_update"]
    assert body["meta"]["slurm"]["cluster"] == "hpc"
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/licenses/", body)


def test_pass_through_leaves_forbidden_nulls_out(fake_slurm):
    folder, client = fake_slurm
    printed = copy.deepcopy(CONSTRUCTED_25_11)
    printed["licenses"][1]["Nodes"] = None
    (folder / "scontrol.json").write_text(json.dumps(printed))
    body = client.get(f"{API}/licenses/", headers=headers()).json()
    assert "Nodes" not in body["licenses"][1]
    assert body["licenses"][0] == CONSTRUCTED_25_11["licenses"][0]


def test_failure_of_scontrol_is_an_error_in_the_envelope(fake_slurm):
    folder, client = fake_slurm  # no scontrol.json: the fake scontrol fails
    response = client.get(f"{API}/licenses/", headers=headers())
    assert response.status_code == 500
    body = response.json()
    assert body["licenses"] == []
    assert "Unable to query licenses" in body["errors"][0]["description"]
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/licenses/", body, status=500)
