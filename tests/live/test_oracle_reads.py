"""Every read operation of v0.0.44, sent to Slurm's own slurmrestd and to
slurmrestpy on the same cluster, as root and as an ordinary user: the same
status and the same fields, but for those tests/oracle.py's DIFFERENCES
lists with their reasons."""

from __future__ import annotations

import uuid

import pytest

from conftest import ADMIN, ALICE
from tests.oracle import allowed, differences, document, oracle, send  # noqa: F401 (oracle is a fixture)

DB, CTL = "/slurmdb/v0.0.44", "/slurm/v0.0.44"


@pytest.fixture(scope="module")
def objects(cluster):
    """A held job of srp_alice and a reservation, for the operations that
    name one; both removed at the end."""
    job = cluster.submit("--hold", "--job-name=t-oracle-read", "--wrap=sleep 60")
    reservation = f"t-oracle-{uuid.uuid4().hex[:8]}"
    cluster.run("scontrol", "create", "reservation", f"ReservationName={reservation}",
                "StartTime=now+7days", "Duration=60", "Nodes=n3", "Users=srp_alice")
    yield {"job": job, "reservation": reservation}
    cluster.cancel(job)
    cluster.run("scontrol", "delete", f"ReservationName={reservation}", check=False)


READS = [
    f"{CTL}/diag/", f"{CTL}/ping/", f"{CTL}/licenses/", f"{CTL}/shares",
    f"{CTL}/jobs/", f"{CTL}/jobs/state/", f"{CTL}/job/{{job}}", f"{CTL}/resources/{{job}}",
    f"{CTL}/nodes/", f"{CTL}/node/n1", f"{CTL}/partitions/", f"{CTL}/partition/debug",
    f"{CTL}/reservations/", f"{CTL}/reservation/{{reservation}}",
    f"{DB}/diag/", f"{DB}/ping/", f"{DB}/instances/", f"{DB}/instance/",
    f"{DB}/jobs/", f"{DB}/job/{{job}}", f"{DB}/accounts/", f"{DB}/account/research",
    f"{DB}/associations/", f"{DB}/association/?account=research&user=srp_alice",
    f"{DB}/clusters/", f"{DB}/cluster/srp", f"{DB}/qos/", f"{DB}/qos/normal", f"{DB}/tres/",
    f"{DB}/users/", f"{DB}/user/srp_alice", f"{DB}/wckeys/", f"{DB}/config",
]


@pytest.mark.parametrize("user", [ADMIN, ALICE])
@pytest.mark.parametrize("path", READS)
def test_a_read_answers_as_slurmrestd(oracle, server, auth, objects, path, user):
    path = path.format(**objects)
    headers = auth(user)
    theirs = send(oracle, "GET", path, headers)
    ours = send(server.url, "GET", path, headers)
    operation = f"GET {path.split('?')[0]}"
    if ours.status_code != theirs.status_code and allowed(operation, "<status>"):
        return
    assert ours.status_code == theirs.status_code, (theirs.text[:2000], ours.text[:2000])
    found = differences(operation, document(theirs), document(ours))
    assert not found, "\n".join(found[:60])
