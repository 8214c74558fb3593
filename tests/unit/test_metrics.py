"""GET /metrics (server/metrics.py): its counters move as requests are
made, and --metrics turns it off or keeps it to one listener."""

import asyncio
import json
import os
import sys

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from server.app import create_app
from server.cli import UsageError, config_from
from server.config import Config
from server.metrics import Metrics
from server.slurm.runner import Identity, Runner
from tests.unit.test_runner import Argv
from tests.fakes.current_slurm import FAKE_BIN, headers, know_fake_users, recorded, write_slurm_conf

API = "/slurm/v0.0.44"


@pytest.fixture
def make_client(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", f"{FAKE_BIN}:/usr/bin:/bin")
    know_fake_users(monkeypatch)
    conf = write_slurm_conf(tmp_path)
    monkeypatch.setenv("SLURM_CONF", str(conf))
    (tmp_path / "squeue.json").write_text(json.dumps(recorded("slurm-jobs.json")))
    clients = []

    def make(**settings):
        client = create_app(Config(slurm_conf=str(conf), **settings)).test_client()
        clients.append(client.__enter__())
        return clients[-1]

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def sample(client, name: str, **labels) -> float:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    for family in text_string_to_metric_families(response.text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return found.value
    return 0.0


def test_counters_move_as_requests_are_made(make_client):
    client = make_client(coalesce_seconds=5)
    operation = {"operation": "slurm_v0044_get_jobs"}
    before = {
        "ok": sample(client, "slurmrestpy_requests_total", method="GET", status="200", **operation),
        # Refused before routing (server/gate.py): no operation took it.
        "unauthenticated": sample(client, "slurmrestpy_requests_total", method="GET", status="401",
                                  operation="none"),
        "timed": sample(client, "slurmrestpy_request_duration_seconds_count", **operation),
        "squeue": sample(client, "slurmrestpy_slurm_commands_total", command="squeue"),
        "squeue_timed": sample(client, "slurmrestpy_slurm_command_duration_seconds_count", command="squeue"),
        "shared": sample(client, "slurmrestpy_shared_answers_total"),
    }
    for _ in range(3):
        assert client.get(f"{API}/jobs/", headers=headers("alice")).status_code == 200
    assert client.get(f"{API}/jobs/").status_code == 401
    assert sample(client, "slurmrestpy_requests_total", method="GET", status="200", **operation) == before["ok"] + 3
    assert sample(client, "slurmrestpy_requests_total", method="GET", status="401",
                  operation="none") == before["unauthenticated"] + 1
    assert sample(client, "slurmrestpy_request_duration_seconds_count", **operation) == before["timed"] + 3
    # One squeue for the three reads: the other two were sent the first's answer.
    assert sample(client, "slurmrestpy_slurm_commands_total", command="squeue") == before["squeue"] + 1
    assert sample(client, "slurmrestpy_slurm_command_duration_seconds_count",
                  command="squeue") == before["squeue_timed"] + 1
    assert sample(client, "slurmrestpy_shared_answers_total") == before["shared"] + 2


def test_failed_commands_are_counted(make_client, tmp_path):
    client = make_client(coalesce_seconds=0)
    (tmp_path / "squeue.json").unlink()  # the fake squeue then fails
    before = sample(client, "slurmrestpy_slurm_command_failures_total", command="squeue")
    assert client.get(f"{API}/jobs/", headers=headers("alice")).status_code >= 400
    assert sample(client, "slurmrestpy_slurm_command_failures_total", command="squeue") == before + 1


async def test_coalesced_reads_and_command_outcomes_reach_the_metrics():
    metrics = Metrics()
    runner = Runner(coalesce_seconds=5)
    metrics.runner, runner.on_finish = runner, metrics.command_finished
    alice = Identity("alice")
    await asyncio.gather(*(runner.run(Argv(sys.executable, "-c", "print(1)"), alice) for _ in range(3)))
    await runner.run(Argv(sys.executable, "-c", "raise SystemExit(3)"), alice)
    text = generate_latest(metrics.registry).decode()
    assert "slurmrestpy_coalesced_reads_total 2.0" in text
    program = os.path.basename(sys.executable)
    assert f'slurmrestpy_slurm_commands_total{{command="{program}"}} 2.0' in text
    assert f'slurmrestpy_slurm_command_failures_total{{command="{program}"}} 1.0' in text


def test_metrics_can_be_turned_off(make_client):
    client = make_client(metrics="off")
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize("listener, server, served", [
    ("127.0.0.1:6821", ("127.0.0.1", 6821), True),
    ("127.0.0.1:6821", ("127.0.0.1", 6820), False),
    ("0.0.0.0:6821", ("10.1.2.3", 6821), True),
    ("unix:/run/m.sock", ("/run/m.sock", None), True),
    ("unix:/run/m.sock", ("/run/rest.sock", None), False),
    ("unix:/run/m.sock", ("127.0.0.1", 6820), False),
])
def test_metrics_restricted_to_one_listener(listener, server, served):
    assert Metrics(listener).serves({"server": server}) is served


def test_the_option_names_a_listener_given():
    config, _ = config_from(["--metrics", "unix:/run/m.sock", "127.0.0.1:6820", "unix:/run/m.sock"], {})
    assert config.metrics == "unix:/run/m.sock"
    assert config_from([], {})[0].metrics == "on"
    with pytest.raises(UsageError, match="--metrics 127.0.0.1:9"):
        config_from(["--metrics", "127.0.0.1:9", "127.0.0.1:6820"], {})
