"""Fault injection: each daemon of the cluster stopped (MariaDB, munged,
slurmdbd, slurmctld) or slurmctld paused (SIGSTOP), on each cluster.

For each fault: what needs the missing part answers slurmrestd's status
and error, never a 200 with data left out; what does not need it keeps
working; a submission made during the fault is either a job whose id was
answered or an error with no job, read back from Slurm once it is back;
and the first request after recovery succeeds, from the same server.

Two servers answer: one whose --command-timeout (20 s) outlasts what
Slurm's commands take to give up on a stopped daemon (they retry for
MessageTimeout, 10 s), and a quick one (4 s) that kills the commands a
paused slurmctld leaves hanging before they would give up themselves. Every fault is undone on the way out, failing or
not (tests/faults.py), and the module checks at its end that the whole
cluster runs again."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest

from conftest import ADMIN, ALICE, start_server, stop_server
from tests.faults import descendants, paused, restore, still_running, stopped
from tests.oracle import document, send

PATIENT_TIMEOUT = 20
COMMAND_TIMEOUT = 4  # the quick server's
AUTHENTICATION_ERROR = 1007  # SLURM_PROTOCOL_AUTHENTICATION_ERROR
CONTROLLER_DOWN = 1800  # SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR
TIMED_OUT = 5004  # SLURM_PROTOCOL_SOCKET_IMPL_TIMEOUT
DATABASE_DOWN = 7000  # ESLURM_DB_CONNECTION

JOBS, NODES = "/slurm/v0.0.44/jobs/", "/slurm/v0.0.44/nodes/"
ACCOUNTS, DB_JOBS = "/slurmdb/v0.0.44/accounts/", "/slurmdb/v0.0.44/jobs/"
SUBMIT = "/slurm/v0.0.44/job/submit"


@pytest.fixture(scope="module")
def faulty(cluster):
    """A server of its own; at the end of the module, the cluster whole
    again whatever happened."""
    server = start_server(cluster, "--command-timeout", str(PATIENT_TIMEOUT), "--coalesce", "0",
                          log_name="server-faults.log")
    yield server
    stop_server(server)
    restore(cluster)


@pytest.fixture(scope="module")
def quick(cluster, faulty):
    server = start_server(cluster, "--command-timeout", str(COMMAND_TIMEOUT), "--coalesce", "0",
                          log_name="server-faults-quick.log")
    yield server
    stop_server(server)


@pytest.fixture
def headers(auth):
    # Taken before any fault: `scontrol token` needs slurmctld and munged.
    return {ALICE: auth(ALICE), ADMIN: auth(ADMIN)}


@pytest.fixture
def job_name(cluster):
    """A name no other job has; whatever job carries it is cancelled at the end."""
    name = f"faults_{uuid.uuid4().hex[:10]}"
    yield name
    ids = jobs_named(cluster, name)
    if ids:
        cluster.cancel(*ids)


def get(server, path, headers) -> httpx.Response:
    return httpx.get(server.url + path, headers=headers, timeout=PATIENT_TIMEOUT * 3)


def submit(server, headers, name: str) -> httpx.Response:
    job = {"script": "#!/bin/sh\ntrue\n", "name": name, "partition": "debug",
           "current_working_directory": "/tmp", "standard_output": "/dev/null",
           "environment": ["PATH=/bin:/usr/bin"]}
    return httpx.post(server.url + SUBMIT, json={"job": job}, headers=headers,
                      timeout=PATIENT_TIMEOUT * 3)


def jobs_named(cluster, name: str) -> list[int]:
    """Slurm's own word on which jobs carry this name (every state: finished
    jobs stay in slurmctld for MinJobAge)."""
    out = cluster.run("squeue", "--all", "--states=all", "--noheader", f"--name={name}",
                      "--format=%i").stdout
    return sorted(int(line) for line in out.split())


def errors(response: httpx.Response) -> list[int]:
    return [error["error_number"] for error in response.json()["errors"]]


def assert_failed(response: httpx.Response, status: int, number: int) -> None:
    assert response.status_code == status, response.text[:800]
    assert errors(response) == [number], response.text[:800]


def assert_submitted_or_refused(cluster, response: httpx.Response, name: str) -> None:
    """The one honest outcome of a submission: a job with the answered id, or
    an error and no job at all."""
    found = jobs_named(cluster, name)
    if response.status_code == 200:
        assert found == [response.json()["job_id"]], (found, response.text[:800])
    else:
        assert response.json()["errors"], response.text[:800]
        assert found == [], f"answered {response.status_code} but Slurm made job(s) {found}"


def assert_recovered(cluster, server, headers, name: str) -> None:
    """The same server, never restarted, serves the next requests again."""
    for path in (JOBS, ACCOUNTS):
        response = get(server, path, headers[ADMIN])
        assert response.status_code == 200, (path, response.text[:800])
        assert not response.json()["errors"]
    submitted = submit(server, headers[ALICE], name + "_after")
    assert submitted.status_code == 200, submitted.text[:800]
    assert jobs_named(cluster, name + "_after") == [submitted.json()["job_id"]]
    cluster.cancel(submitted.json()["job_id"])


def assert_oracle_agrees(cluster, path: str, headers: dict, ours: httpx.Response) -> None:
    """On a cluster with Slurm's own slurmrestd: its status and error numbers."""
    if not cluster.slurmrestd_url:
        return
    theirs = send(cluster.slurmrestd_url, "GET", path, headers)
    assert ours.status_code == theirs.status_code, (theirs.text[:800], ours.text[:800])
    assert errors(ours) == [e["error_number"] for e in document(theirs)["errors"]]


def test_mariadb_stopped_fails_accounting_only(cluster, faulty, headers, job_name):
    with stopped(cluster, "mysqld"):
        for path in (ACCOUNTS, DB_JOBS):
            response = get(faulty, path, headers[ADMIN])
            assert_failed(response, 502, DATABASE_DOWN)
            assert_oracle_agrees(cluster, path, headers[ADMIN], response)
        nodes = get(faulty, NODES, headers[ALICE])  # slurmctld needs no database to answer
        assert nodes.status_code == 200 and len(nodes.json()["nodes"]) >= 3, nodes.text[:800]
        submitted = submit(faulty, headers[ALICE], job_name)
        assert submitted.status_code == 200, submitted.text[:800]  # slurmctld keeps accounting for later
    assert_submitted_or_refused(cluster, submitted, job_name)
    assert_recovered(cluster, faulty, headers, job_name)


def test_slurmdbd_stopped_keeps_slurm_reads_and_submissions(cluster, faulty, headers, job_name):
    with stopped(cluster, "slurmdbd"):
        assert_failed(get(faulty, ACCOUNTS, headers[ADMIN]), 502, DATABASE_DOWN)
        for path in (JOBS, NODES):
            response = get(faulty, path, headers[ADMIN])
            assert response.status_code == 200 and not response.json()["errors"], response.text[:800]
        assert len(get(faulty, NODES, headers[ADMIN]).json()["nodes"]) >= 3
        submitted = submit(faulty, headers[ALICE], job_name)
        assert submitted.status_code == 200, submitted.text[:800]
    assert_submitted_or_refused(cluster, submitted, job_name)
    assert_recovered(cluster, faulty, headers, job_name)


def test_slurmctld_stopped_refuses_submission_keeps_accounting(cluster, faulty, headers, job_name):
    with stopped(cluster, "slurmctld"):
        assert_failed(get(faulty, JOBS, headers[ALICE]), 502, CONTROLLER_DOWN)
        submitted = submit(faulty, headers[ALICE], job_name)
        assert_failed(submitted, 502, CONTROLLER_DOWN)
        accounts = get(faulty, ACCOUNTS, headers[ADMIN])
        assert accounts.status_code == 200 and "research" in {a["name"] for a in accounts.json()["accounts"]}
    assert_submitted_or_refused(cluster, submitted, job_name)
    assert_recovered(cluster, faulty, headers, job_name)


def test_munged_stopped_tokens_still_read_but_submission_refused(cluster, faulty, headers, job_name):
    """Tokens need no munged: reads with them go on. A root server submits
    as the caller's own uid through runuser, which munge must vouch for:
    that is refused by Slurm, and no job is made."""
    with stopped(cluster, "munged"):
        nodes = get(faulty, NODES, headers[ALICE])
        assert nodes.status_code == 200 and len(nodes.json()["nodes"]) >= 3, nodes.text[:800]
        accounts = get(faulty, ACCOUNTS, headers[ADMIN])
        assert accounts.status_code == 200 and accounts.json()["accounts"], accounts.text[:800]
        submitted = submit(faulty, headers[ALICE], job_name)
        assert_failed(submitted, 511, AUTHENTICATION_ERROR)
    assert_submitted_or_refused(cluster, submitted, job_name)
    assert_recovered(cluster, faulty, headers, job_name)


def test_slurmctld_paused_times_out_and_leaves_no_process(cluster, quick, headers):
    """A read that hangs is answered 504 at --command-timeout, its command
    killed: none of the processes it started is left."""
    seen: dict[int, str] = {}
    answer: list[httpx.Response] = []
    with paused(cluster):
        request = threading.Thread(target=lambda: answer.append(get(quick, JOBS, headers[ALICE])))
        started = time.monotonic()
        request.start()
        while request.is_alive():
            seen.update(descendants(quick.process.pid))
            time.sleep(0.1)
        elapsed = time.monotonic() - started
        left = still_running(seen)
        accounts = get(quick, ACCOUNTS, headers[ADMIN])  # slurmdbd needs no slurmctld
        [response] = answer
        assert_oracle_agrees(cluster, JOBS, headers[ALICE], response)  # at its MessageTimeout
    assert_failed(response, 504, TIMED_OUT)
    assert response.json()["jobs"] == []
    # Slurm's own squeue gives up only at MessageTimeout (10 s): an answer
    # sooner than that comes from killing it
    assert COMMAND_TIMEOUT <= elapsed < COMMAND_TIMEOUT + 4, elapsed
    assert any("squeue" in command for command in seen.values()), seen  # the hanging command was seen
    assert left == [], {pid: seen[pid] for pid in left}
    assert accounts.status_code == 200 and accounts.json()["accounts"], accounts.text[:800]


def test_slurmctld_paused_submission_is_refused_and_makes_no_job(cluster, quick, headers, job_name):
    """A paused slurmctld keeps a submission in its socket and makes it a
    job when resumed, long after the answer: slurmrestpy must not send it."""
    with paused(cluster):
        submitted = submit(quick, headers[ALICE], job_name)
    time.sleep(1)  # let the resumed slurmctld work through what waited for it
    assert_failed(submitted, 504, TIMED_OUT)
    assert_submitted_or_refused(cluster, submitted, job_name)
    assert_recovered(cluster, quick, headers, job_name)
