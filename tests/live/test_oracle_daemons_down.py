"""With slurmctld, then slurmdbd, really stopped on the 25.11 cluster,
slurmrestpy answers as Slurm's own slurmrestd does: the same status and
error number. Each daemon is started again at once, whatever happens
(tests/faults.py); test_faults.py covers the other faults on both clusters."""

from __future__ import annotations

import pytest

from conftest import ADMIN
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
