"""Every read operation of v0.0.41 to v0.0.44 (the versions Slurm 25.11's
slurmrestd serves), sent to Slurm's own slurmrestd and to slurmrestpy on the
same cluster, as root and as an ordinary user: the same status and the same
fields, but for those tests/oracle.py's DIFFERENCES lists with their
reasons. Ours validates against both descriptions of the version, SchedMD's
as meant and ours; slurmrestd's against ours."""

from __future__ import annotations

import re
import time
import uuid

import pytest

from conftest import ADMIN, ALICE
from tests.oracle import allowed, differences, document, oracle, send  # noqa: F401 (oracle is a fixture)
from tests.schemas import load_spec, ours_path, reference_as_meant, validate_response

VERSIONS = ["v0.0.41", "v0.0.42", "v0.0.43", "v0.0.44"]


@pytest.fixture(scope="module")
def objects(cluster):
    """A held job of srp_alice and a reservation, for the operations that
    name one; both removed at the end."""
    reservation = f"t-oracle-{uuid.uuid4().hex[:8]}"
    cluster.run("scontrol", "create", "reservation", f"ReservationName={reservation}",
                "StartTime=now+7days", "Duration=60", "Nodes=n3", "Users=srp_alice",
                "Flags=OVERLAP")  # another run's fixture may hold n3 at the same time
    try:
        job = cluster.submit("--hold", "--job-name=t-oracle-read", "--wrap=sleep 60")
        try:
            yield {"job": job, "reservation": reservation}
        finally:
            cluster.cancel(job)
    finally:
        cluster.run("scontrol", "delete", f"ReservationName={reservation}", check=False)


# Each read, as sent ({v}: the version; {job}, {reservation}: the objects
# above). The cluster tracks no wckeys: /wckey/{id} is a read of one missing.
READS = [
    "/slurm/{v}/diag/", "/slurm/{v}/ping/", "/slurm/{v}/licenses/", "/slurm/{v}/shares",
    "/slurm/{v}/jobs/", "/slurm/{v}/jobs/state/", "/slurm/{v}/job/{job}", "/slurm/{v}/resources/{job}",
    "/slurm/{v}/nodes/", "/slurm/{v}/node/n1", "/slurm/{v}/partitions/", "/slurm/{v}/partition/debug",
    "/slurm/{v}/reservations/", "/slurm/{v}/reservation/{reservation}",
    "/slurmdb/{v}/diag/", "/slurmdb/{v}/ping/", "/slurmdb/{v}/instances/", "/slurmdb/{v}/instance/",
    "/slurmdb/{v}/jobs/", "/slurmdb/{v}/job/{job}", "/slurmdb/{v}/accounts/", "/slurmdb/{v}/account/research",
    # with their associations, root's included (its /config leaves those out: DIFFERENCES)
    "/slurmdb/{v}/accounts/?WithAssociations", "/slurmdb/{v}/account/root?with_assocs",
    "/slurmdb/{v}/associations/", "/slurmdb/{v}/association/?account=research&user=srp_alice",
    "/slurmdb/{v}/clusters/", "/slurmdb/{v}/cluster/srp", "/slurmdb/{v}/qos/", "/slurmdb/{v}/qos/normal",
    "/slurmdb/{v}/tres/", "/slurmdb/{v}/users/", "/slurmdb/{v}/user/srp_alice", "/slurmdb/{v}/wckeys/",
    "/slurmdb/{v}/wckey/1", "/slurmdb/{v}/config",
]
# GET operations that change something, never sent twice
NOT_READS = {"/slurm/{v}/reconfigure/"}


def _template(path: str) -> str:
    """The operation a read path is sent to, as the description names it."""
    named = {"{job}": "{job_id}", "/node/n1": "/node/{node_name}", "/partition/debug": "/partition/{partition_name}",
             "{reservation}": "{reservation_name}", "/account/research": "/account/{account_name}",
             "/account/root": "/account/{account_name}",
             "/cluster/srp": "/cluster/{cluster_name}", "/qos/normal": "/qos/{qos}",
             "/user/srp_alice": "/user/{name}", "/wckey/1": "/wckey/{id}"}
    path = path.split("?")[0]
    for sent, template in named.items():
        path = path.replace(sent, template)
    return path


def _reads(version: str) -> list[str]:
    operations = {p for p, item in load_spec(ours_path(version))["paths"].items() if "get" in item}
    return [r for r in READS if _template(r).replace("{v}", version) in operations]


CASES = [(v, r) for v in VERSIONS for r in _reads(v)]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_read_is_compared(version):
    """A read operation a version gains is not left out of the comparison."""
    operations = {p for p, item in load_spec(ours_path(version))["paths"].items() if "get" in item}
    compared = {_template(r).replace("{v}", version) for r in _reads(version)}
    assert operations - compared == {r.format(v=version) for r in NOT_READS}


@pytest.mark.parametrize("user", [ADMIN, ALICE])
@pytest.mark.parametrize("version,path", CASES, ids=lambda x: x)
def test_a_read_answers_as_slurmrestd(oracle, server, auth, objects, version, path, user):
    template = _template(path).replace("{v}", version)
    path = path.format(v=version, **objects)
    headers = auth(user)
    theirs = send(oracle, "GET", path, headers)
    ours = send(server.url, "GET", path, headers)
    # Ours validates against both descriptions of the version, SchedMD's as
    # meant and ours; slurmrestd's against ours, which accepts every real
    # answer (SchedMD's does not: job_resources null), but for a form of
    # slurmrestd's that DIFFERENCES lists.
    operation = f"GET {path.split('?')[0]}"
    checks = [("slurmrestpy", ours, "SchedMD's", reference_as_meant(version)),
              ("slurmrestpy", ours, "our", load_spec(ours_path(version)))]
    if not allowed(operation, "<our description>"):
        checks.append(("slurmrestd", theirs, "our", load_spec(ours_path(version))))
    for who, answer, described_by, spec in checks:
        try:
            validate_response(spec, "get", template, document(answer), status=answer.status_code)
        except AssertionError as error:
            raise AssertionError(f"{who}'s answer, against {described_by} {version}: {error}") from None
    if ours.status_code != theirs.status_code and allowed(operation, "<status>"):
        return
    assert ours.status_code == theirs.status_code, (theirs.text[:2000], ours.text[:2000])
    found = differences(operation, document(theirs), document(ours))
    assert not found, "\n".join(found[:60])


def _state_job_names(job: dict) -> list[str]:
    """How slurmrestd 25.11 names a job record in /jobs/state/: an array's
    pending tasks one by one; a task split off (running or ended) and a
    heterogeneous component by the record's OWN job id, then the task id or
    the offset ("689_1" for task 1 of array 688 when the task is job 689,
    which squeue calls 688_1)."""
    if job.get("array_task_id", {}).get("set"):
        return [f"{job['job_id']}_{job['array_task_id']['number']}"]
    if job.get("array_task_string"):
        tasks = []
        for part in job["array_task_string"].split("%")[0].split(","):
            first, _, last = part.partition("-")
            tasks.extend(range(int(first), int(last or first) + 1))
        return [f"{job['array_job_id']['number']}_{task}" for task in tasks]
    if job.get("het_job_id", {}).get("set") and job["het_job_id"]["number"]:
        return [f"{job['job_id']}+{job['het_job_offset']['number']}"]
    return [str(job["job_id"])]


@pytest.fixture(scope="module")
def ended_array(cluster) -> list[str]:
    """An array of srp_alice whose tasks have all ended: each is a record of
    its own but the last (the array's own record), so the names differ."""
    array = cluster.submit("--array=1-3", "--job-name=t-oracle-array", "--wrap=true")
    deadline = time.monotonic() + 120
    while True:
        states = cluster.run("squeue", "-h", "-t", "all", "-j", str(array), "-o", "%A %K %T").stdout.split("\n")
        records = [line.split() for line in states if line.strip()]
        if len(records) == 3 and all(state == "COMPLETED" for _, _, state in records):
            return [f"{job_id}_{task}" for job_id, task, _ in records]
        if time.monotonic() > deadline:
            cluster.cancel(array)
            raise AssertionError(f"array {array} did not end within 120s: {records}")
        time.sleep(0.5)


@pytest.mark.parametrize("user", [ADMIN, ALICE])
def test_job_states_name_the_same_jobs_as_slurmrestd(oracle, server, auth, cluster, objects, ended_array, user):
    # The shapes differ (DIFFERENCES); the jobs and their states may not,
    # but that slurmctld's job state RPC shows an ordinary user every user's
    # jobs (PrivateData=jobs notwithstanding), where ours shows theirs only.
    path = "/slurm/v0.0.44/jobs/state/"
    theirs = {(j["job_id"], tuple(j["state"])) for j in document(send(oracle, "GET", path, auth(user)))["jobs"]}
    ours = {(name, tuple(j["job_state"])) for j in document(send(server.url, "GET", path, auth(user)))["jobs"]
            for name in _state_job_names(j)}
    assert (str(objects["job"]), ("PENDING",)) in ours
    assert {(task, ("COMPLETED",)) for task in ended_array} <= ours, ours
    if user == ADMIN:
        assert theirs == ours
        return
    assert ours <= theirs, ours - theirs
    for job_id, _ in theirs - ours:
        owner = cluster.run("squeue", "-h", "-t", "all", "-j", re.split(r"[_+]", job_id)[0], "-o", "%u",
                            check=False).stdout.split()
        assert ALICE not in owner, job_id
