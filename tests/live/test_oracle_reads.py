"""Every read operation of v0.0.44, sent to Slurm's own slurmrestd and to
slurmrestpy on the same cluster, as root and as an ordinary user: the same
status and the same fields, but for those tests/oracle.py's DIFFERENCES
lists with their reasons."""

from __future__ import annotations

import re
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
                "StartTime=now+7days", "Duration=60", "Nodes=n3", "Users=srp_alice",
                "Flags=OVERLAP")  # another run's fixture may hold n3 at the same time
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


def _state_job_names(job: dict) -> list[str]:
    """How slurmrestd 25.11 names a job record in /jobs/state/: an array's
    pending tasks one by one, a heterogeneous component by its own id and
    offset."""
    if job.get("array_task_id", {}).get("set"):
        return [f"{job['array_job_id']['number']}_{job['array_task_id']['number']}"]
    if job.get("array_task_string"):
        tasks = []
        for part in job["array_task_string"].split("%")[0].split(","):
            first, _, last = part.partition("-")
            tasks.extend(range(int(first), int(last or first) + 1))
        return [f"{job['array_job_id']['number']}_{task}" for task in tasks]
    if job.get("het_job_id", {}).get("set") and job["het_job_id"]["number"]:
        return [f"{job['job_id']}+{job['het_job_offset']['number']}"]
    return [str(job["job_id"])]


@pytest.mark.parametrize("user", [ADMIN, ALICE])
def test_job_states_name_the_same_jobs_as_slurmrestd(oracle, server, auth, cluster, objects, user):
    # The shapes differ (DIFFERENCES); the jobs and their states may not,
    # but that slurmctld's job state RPC shows an ordinary user every user's
    # jobs (PrivateData=jobs notwithstanding), where ours shows theirs only.
    path = f"{CTL}/jobs/state/"
    theirs = {(j["job_id"], tuple(j["state"])) for j in document(send(oracle, "GET", path, auth(user)))["jobs"]}
    ours = {(name, tuple(j["job_state"])) for j in document(send(server.url, "GET", path, auth(user)))["jobs"]
            for name in _state_job_names(j)}
    assert (str(objects["job"]), ("PENDING",)) in ours
    if user == ADMIN:
        assert theirs == ours
        return
    assert ours <= theirs, ours - theirs
    for job_id, _ in theirs - ours:
        owner = cluster.run("squeue", "-h", "-t", "all", "-j", re.split(r"[_+]", job_id)[0], "-o", "%u",
                            check=False).stdout.split()
        assert ALICE not in owner, job_id
