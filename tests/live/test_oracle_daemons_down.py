"""With slurmctld, then slurmdbd, really stopped on the 25.11 cluster,
slurmrestpy answers as Slurm's own slurmrestd does: the same status and
error number. Each daemon is started again at once, whatever happens
(tests/faults.py); test_faults.py covers the other faults on both clusters."""

from __future__ import annotations

import time

import pytest

from conftest import ADMIN, start_server, stop_server
from tests.faults import stopped
from tests.oracle import document, oracle, send  # noqa: F401 (oracle is a fixture)


@pytest.mark.parametrize("daemon, paths", [
    ("slurmctld", ["/slurm/v0.0.44/jobs/", "/slurm/v0.0.44/nodes/"]),
    ("slurmdbd", ["/slurmdb/v0.0.44/jobs/", "/slurmdb/v0.0.44/accounts/"]),
])
def test_a_stopped_daemon_answers_as_slurmrestd(oracle, server, auth, cluster, daemon, paths):
    headers = auth(ADMIN)  # the token before the daemon stops
    with stopped(cluster, daemon):
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
    with stopped(cluster, "slurmdbd"), stopped(cluster, "slurmctld"):
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
