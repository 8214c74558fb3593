"""A failure Slurm reports, even inside JSON printed with exit status 0, is
answered as slurmrestd answers it when slurmctld or slurmdbd is down: 502,
with error 1800 (controller) or 7000 (slurmdbd), never a 200 with an empty
list.

The daemons are shared with other tests, so they are not stopped: this
server reads a copy of slurm.conf whose slurmctld and slurmdbd ports have
no daemon behind them, which is what Slurm's commands meet when the
daemons are stopped (connection refused)."""

from __future__ import annotations

import dataclasses
import re
import socket

import httpx
import pytest

from conftest import ADMIN, ALICE, start_server, stop_server

CONTROLLER_DOWN = 1800


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again once the socket is


@pytest.fixture(scope="module")
def unreachable(cluster, tmp_path_factory):
    if cluster.current:
        # a current Slurm's commands list their data parsers only once the
        # daemons answer, so slurmrestpy cannot start without them there;
        # test_oracle_daemons_down stops that cluster's daemons instead
        pytest.skip("a current Slurm: covered by test_oracle_daemons_down")
    text = cluster.slurm_conf.read_text()
    for key in ("SlurmctldPort", "AccountingStoragePort"):
        text = re.sub(rf"^{key}=\S+$", f"{key}={closed_port()}", text, flags=re.M)
    conf = tmp_path_factory.mktemp("daemons-down") / "slurm.conf"
    conf.write_text(text)
    server = start_server(dataclasses.replace(cluster, conf=conf), "--command-timeout", "40",
                          log_name="server-daemons-down.log")
    yield server
    stop_server(server)


@pytest.mark.parametrize("user", [ALICE, ADMIN])
def test_jobs_with_slurmctld_down_is_502_error_1800(unreachable, auth, user):
    response = httpx.get(f"{unreachable.url}/slurm/v0.0.44/jobs/", headers=auth(user), timeout=60)
    assert response.status_code == 502, response.text
    body = response.json()
    [error] = body["errors"]
    assert error["error_number"] == CONTROLLER_DOWN
    assert error["error"] == "Unable to contact slurm controller (connect failure)"
    assert body["jobs"] == []


@pytest.mark.parametrize("path", ["/slurmdb/v0.0.44/jobs/", "/slurmdb/v0.0.44/accounts/"])
def test_slurmdbd_down_is_502_error_7000(unreachable, auth, path):
    response = httpx.get(f"{unreachable.url}{path}", headers=auth(ADMIN), timeout=60)
    assert response.status_code == 502, response.text
    [error] = response.json()["errors"]
    assert (error["error_number"], error["error"]) == (7000, "Unable to connect to database")
