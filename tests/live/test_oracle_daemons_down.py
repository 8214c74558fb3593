"""With slurmctld, then slurmdbd, really stopped on the 25.11 cluster (its
daemons are not shared with other engineers' tests), slurmrestpy answers as
Slurm's own slurmrestd does: the same status and error number. Each daemon
is started again at once, whatever happens."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from conftest import ADMIN, start_server, stop_server
from tests.oracle import document, oracle, send  # noqa: F401 (oracle is a fixture)


def stopped(cluster, daemon: str, ready: list[str]):
    """A context: the daemon stopped by its pid file, then started again and
    waited for (``ready`` answers once it is back)."""

    class Stopped:
        def __enter__(self):
            pid = int((cluster.directory / "run" / f"{daemon}.pid").read_text())
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return self
                time.sleep(0.1)
            raise AssertionError(f"{daemon} did not stop")

        def __exit__(self, *exc):
            subprocess.run([daemon], env=cluster.env(), stdin=subprocess.DEVNULL, cwd="/tmp", check=True)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if cluster.run(*ready, check=False).returncode == 0:
                    return False
                time.sleep(0.5)
            raise AssertionError(f"{daemon} did not come back")

    return Stopped()


@pytest.mark.parametrize("daemon, paths, ready", [
    ("slurmctld", ["/slurm/v0.0.44/jobs/", "/slurm/v0.0.44/nodes/"], ["scontrol", "ping"]),
    ("slurmdbd", ["/slurmdb/v0.0.44/jobs/", "/slurmdb/v0.0.44/accounts/"],
     ["sacctmgr", "-n", "show", "cluster"]),
])
def test_a_stopped_daemon_answers_as_slurmrestd(oracle, server, auth, cluster, daemon, paths, ready):
    headers = auth(ADMIN)  # the token before the daemon stops
    with stopped(cluster, daemon, ready):
        answers = [(send(oracle, "GET", path, headers), send(server.url, "GET", path, headers))
                   for path in paths]
    for theirs, ours in answers:
        assert ours.status_code == theirs.status_code == 502, (theirs.text[:800], ours.text[:800])
        assert [e["error_number"] for e in document(ours)["errors"]] == \
            [e["error_number"] for e in document(theirs)["errors"]]


def test_started_while_both_daemons_are_down(oracle, cluster, auth):
    """slurmrestd starts without asking a daemon anything; so does
    slurmrestpy (it learns what the commands print from those that need no
    daemon), answers as slurmrestd meanwhile, and passes Slurm's own JSON
    through once the daemons are back."""
    headers = auth(ADMIN)
    with stopped(cluster, "slurmdbd", ["sacctmgr", "-n", "show", "cluster"]), \
            stopped(cluster, "slurmctld", ["scontrol", "ping"]):
        began = time.monotonic()
        server = start_server(cluster, "--coalesce", "0", log_name="server-started-daemons-down.log")
        try:
            assert time.monotonic() - began < 60  # squeue & co. wait 10 s for slurmctld, at once
            for path in ("/slurm/v0.0.44/jobs/", "/slurm/v0.0.44/ping/", "/slurmdb/v0.0.44/jobs/",
                         "/slurmdb/v0.0.44/ping/"):
                theirs, ours = send(oracle, "GET", path, headers), send(server.url, "GET", path, headers)
                assert ours.status_code == theirs.status_code, (path, theirs.text[:800], ours.text[:800])
                assert [e["error_number"] for e in document(ours)["errors"]] == \
                    [e["error_number"] for e in document(theirs)["errors"]], path
        except BaseException:
            stop_server(server)
            raise
    try:
        # sacct could not list its data parsers at start-up: passed through all the same
        for path in ("/slurmdb/v0.0.44/jobs/?users=srp_alice", "/slurm/v0.0.44/partitions/"):
            ours = send(server.url, "GET", path, headers)
            assert ours.status_code == 200, (path, ours.text[:800])
    finally:
        stop_server(server)
