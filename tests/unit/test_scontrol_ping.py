"""server/convert/scontrol_ping.py: 22.05's ``scontrol ping`` text -> v0.0.44 pings.

The texts under tests/data/slurm-22.05/scontrol-ping/ are the stdout of
Slurm 22.05.8's ``scontrol ping`` (capture-errno-ping-sdiag.sh: backups come
from extra SlurmctldHost lines in a copy of slurm.conf).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.convert import scontrol_ping
from tests.schemas import (
    RECORDED_DIR,
    load_spec,
    ours_path,
    reference_path,
    validate_response,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05" / "scontrol-ping"
PATH = "/slurm/v0.0.44/ping/"


def ping(hostname, state, mode, latency=1234):
    up = state == "UP"
    return {
        "hostname": hostname,
        "pinged": state,
        "responding": up,
        "latency": latency,
        "mode": mode,
        "primary": up and mode == "primary",
    }


EXPECTED = {
    "primary-up": [ping("vm", "UP", "primary")],
    "primary-down": [ping("vm", "DOWN", "primary")],
    "primary-down-bad-token": [ping("vm", "DOWN", "primary")],
    "backup-up": [ping("vm", "UP", "primary"), ping("vm-backup", "UP", "backup")],
    "backups-up": [
        ping("vm", "UP", "primary"),
        ping("vm-b1", "UP", "backup1"),
        ping("vm-b2", "UP", "backup2"),
    ],
    "backup-down": [ping("vm", "UP", "primary"), ping("nosuch-backup", "DOWN", "backup")],
    "primary-unresolvable": [
        ping("nosuch-primary", "DOWN", "primary"),
        ping("vm", "DOWN", "backup"),
    ],
}


def test_every_recording_is_covered():
    assert {p.stem for p in DATA.glob("*.txt")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_text(name):
    assert scontrol_ping.parse((DATA / f"{name}.txt").read_text(), 1234) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("spec_path", [reference_path("v0.0.44"), ours_path("v0.0.44")],
                         ids=["reference", "ours"])
def test_result_validates(name, spec_path):
    pings = scontrol_ping.parse((DATA / f"{name}.txt").read_text(), 1234)
    validate_response(load_spec(spec_path), "GET", PATH, {"pings": pings})


def test_same_shape_as_a_real_slurmrestd_answer():
    recorded = json.loads((RECORDED_DIR / "slurm-25.11" / "0.0.44" / "slurm-ping.json").read_text())
    real = recorded["pings"][0]
    ours = scontrol_ping.parse("Slurmctld(primary) at admin.nova is UP\n", real["latency"])[0]
    assert ours == real
    assert list(ours) == list(real)


def test_latency_is_the_measured_time_for_every_controller():
    text = (DATA / "backups-up.txt").read_text()
    assert {p["latency"] for p in scontrol_ping.parse(text, 987)} == {987}


def test_text_without_controller_lines_gives_nothing():
    assert scontrol_ping.parse("", 1) == []
    assert scontrol_ping.parse("*****************************************\n", 1) == []
