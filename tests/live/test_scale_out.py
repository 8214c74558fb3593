"""Several slurmrestpy instances behind HAProxy, sharing Redis (--cache): a
real deployment of Debian's redis-server and haproxy (`make test` installs
them), with etc/haproxy-slurmrestpy.cfg, the configuration the README shows.

slurmctld's own RPC counters (sdiag) show that pollers spread over three
instances cost what they would cost one; a write through one instance is seen
at once through the others; killing an instance, or Redis, loses no read
the balancer retries."""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from conftest import ALICE, API, Server, _free_port, start_server, stop_server
from tests import scaleout
from tests.live import rpc_counts
from tests.live.test_coalescing import poll

# Longer than any measurement here takes on a loaded machine, so that what
# is shared does not turn stale halfway; fresh() starts each one anew.
COALESCE = "60"
INSTANCES = 3
POLLERS = 30
# Polls as a user of its own, whose RPCs slurmctld counts apart from those
# of everyone else using the shared cluster (sdiag's statistics by user).
POLLER = "srp_scaleout"


@pytest.fixture(scope="module")
def poller(cluster):
    if subprocess.run(["id", POLLER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", POLLER],
                       check=True)
    cluster.run("sacctmgr", "-i", "add", "user", POLLER, "account=research", check=False)
    yield POLLER
    cluster.run("sacctmgr", "-i", "delete", "user", POLLER, check=False)


def fresh(url: str, headers: dict) -> None:
    """A write (cancelling a job that does not exist: a write all the same)
    through `url`, after which every instance reads afresh."""
    response = httpx.delete(f"{url}{API}/job/999999999", headers=headers, timeout=60)
    # 22.05: 404/500 for no such job; a current Slurm answers 200 with the
    # refusal in `status`, as its slurmrestd does. A write either way.
    assert response.status_code in (200, 404, 500), response.text
    assert response.json()["meta"], response.text


@dataclass
class Deployment:
    url: str  # HAProxy's
    instances: list[Server]
    redis_port: int
    folder: Path
    redis: subprocess.Popen | None = None
    haproxy: subprocess.Popen | None = None

    def start_redis(self) -> None:
        self.redis = scaleout.start_redis(self.folder, self.redis_port)

    def kill_redis(self) -> None:
        self.redis.send_signal(signal.SIGKILL)
        self.redis.wait()

    def logged(self, instance: int) -> str:
        return self.instances[instance].log.read_text(errors="replace")


def wait_for_backends(haproxy_url: str, instances: list[Server]) -> None:
    """Until HAProxy answers and its health checks found every instance up:
    INSTANCES reads in a row each reach a different one."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            statuses = [httpx.get(f"{haproxy_url}{API}/ping/", timeout=5).status_code for _ in instances]
            if statuses == [401] * len(instances):
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("HAProxy did not come up in front of the instances")


@pytest.fixture(scope="module")
def scale_out(cluster):
    missing = [tool for tool in ("redis-server", "haproxy") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: `make test` installs them (make scale-out)")
    folder = cluster.directory / "scale-out" / uuid.uuid4().hex[:8]
    folder.mkdir(parents=True)
    deployment = Deployment("", [], _free_port(), folder)
    deployment.start_redis()
    cache = f"redis://127.0.0.1:{deployment.redis_port}/0"
    try:
        for number in range(1, INSTANCES + 1):  # one by one: each start has its own deadline
            deployment.instances.append(start_server(cluster, "--cache", cache, "--coalesce", COALESCE,
                                                     log_name=f"scale-out-{folder.name}-instance{number}.log"))
        front = _free_port()
        deployment.haproxy = scaleout.start_haproxy(
            folder, front, [instance.url.removeprefix("http://") for instance in deployment.instances])
        deployment.url = f"http://127.0.0.1:{front}"
        wait_for_backends(deployment.url, deployment.instances)
        yield deployment
    finally:
        for process in (deployment.haproxy, deployment.redis):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(10)
        for instance in deployment.instances:
            stop_server(instance)


def reads_logged(deployment: Deployment, path: str) -> list[int]:
    """How many reads of `path` each instance has logged (its access log)."""
    return [deployment.logged(n).count(f'"GET {path}"') for n in range(INSTANCES)]


def sequential_reads_cost(scale_out, cluster, headers) -> int:
    """slurmctld RPCs of 2 x INSTANCES reads one after another through the
    balancer: not in flight together, so without the shared store each
    instance would run squeue for itself."""
    fresh(scale_out.url, headers)
    before = rpc_counts.of_user(cluster, POLLER)
    for _ in range(2 * INSTANCES):
        assert httpx.get(f"{scale_out.url}{API}/jobs/", headers=headers, timeout=60).status_code == 200
    return rpc_counts.of_user(cluster, POLLER) - before


def test_pollers_over_three_instances_cost_no_more_rpcs_than_one(scale_out, cluster, auth, poller):
    headers = auth(poller)

    def cost(url: str) -> int:
        fresh(url, headers)
        before = rpc_counts.of_user(cluster, poller)
        assert poll(url, headers, POLLERS) == [200] * POLLERS
        assert poll(url, headers, POLLERS) == [200] * POLLERS
        return rpc_counts.of_user(cluster, poller) - before

    one = cost(scale_out.instances[0].url)
    served_before = reads_logged(scale_out, f"{API}/jobs/")
    three = cost(scale_out.url)
    served = [after - was for after, was in zip(reads_logged(scale_out, f"{API}/jobs/"), served_before)]
    assert all(count >= POLLERS // INSTANCES // 2 for count in served), served  # spread over all three
    assert 1 <= three <= one, (one, three)


def test_reads_one_after_another_through_every_instance_share_one_command(scale_out, cluster, auth, poller):
    path = f"{API}/jobs/"
    served_before = reads_logged(scale_out, path)
    assert sequential_reads_cost(scale_out, cluster, auth(poller)) < INSTANCES
    served = [after - was for after, was in zip(reads_logged(scale_out, path), served_before)]
    assert served == [2] * INSTANCES, served  # round robin: each instance answered two


def test_a_job_submitted_through_one_instance_is_seen_at_once_through_the_others(scale_out, cluster, auth):
    headers = auth(ALICE)
    others = scale_out.instances[1:]

    def job_ids(instance: Server) -> set[int]:
        response = httpx.get(f"{instance.url}{API}/jobs/", headers=headers, timeout=60)
        assert response.status_code == 200, response.text
        return {job["job_id"] for job in response.json()["jobs"]}

    for instance in others:  # each has a fresh answer now, shared for a minute
        job_ids(instance)
    submitted = httpx.post(f"{scale_out.instances[0].url}{API}/job/submit", headers=headers, timeout=60, json={
        "script": "#!/bin/sh\nsleep 300\n",
        "job": {"name": "srp-scale-out", "hold": True, "environment": ["PATH=/usr/bin:/bin"]}})
    assert submitted.status_code == 200, submitted.text
    job_id = submitted.json()["job_id"]
    try:
        assert all(job_id in job_ids(instance) for instance in others)
    finally:
        cluster.cancel(job_id)


def test_a_job_first_seen_in_output_another_instance_ran_is_made_as_there(scale_out, cluster, auth, poller):
    """The job list read through a second instance just after a first, with
    a query that makes it another answer (not shared) of the same squeue:
    the second takes that squeue's output from Redis as the first stored it
    (text, not the bytes a command of its own gives), with a job it never
    saw, and makes the jobs as the first made them."""
    headers = auth(poller)
    first, second = scale_out.instances[1:]
    submitted = cluster.run("sbatch", "--parsable", "--hold", "--chdir=/tmp", "--wrap", "sleep 300",
                            user=poller, check=False)
    assert submitted.returncode == 0, submitted.stderr
    job_id = int(submitted.stdout.split(";")[0])
    try:
        fresh(scale_out.instances[0].url, headers)
        listed = httpx.get(f"{first.url}{API}/jobs/", headers=headers, timeout=60)
        before = rpc_counts.of_user(cluster, poller)
        # Every job changed since 1970: the whole list, as an answer of its own.
        again = httpx.get(f"{second.url}{API}/jobs/", params={"update_time": 1}, headers=headers, timeout=60)
        assert rpc_counts.of_user(cluster, poller) == before  # no squeue of its own
        assert (listed.status_code, again.status_code) == (200, 200), (listed.text, again.text)
        assert job_id in {job["job_id"] for job in listed.json()["jobs"]}
        assert again.json()["jobs"] == listed.json()["jobs"]
    finally:
        cluster.cancel(job_id)


POLLERS = 8
# An answer whose first bytes had gone through the balancer when its instance
# died: no balancer can send it again (the client has its status line), so
# the client sees the body end early, as from any server that dies.
CUT = "answer cut mid-body"


def poll_while(url: str, headers: dict, action, seconds: float = 6.0, pollers: int = POLLERS) -> list:
    """Statuses of reads that `pollers` clients send without a pause for
    `seconds`, while `action` runs once a second into it (with its text where
    a read is refused, which tells whose refusal it is)."""
    statuses: list = []
    end = time.monotonic() + seconds

    def client():
        with httpx.Client(timeout=60) as session:
            while time.monotonic() < end:
                try:
                    response = session.get(f"{url}{API}/jobs/", headers=headers)
                    statuses.append(200 if response.status_code == 200 else
                                    f"{response.status_code}: {response.text[:300]}")
                except httpx.TransportError as error:
                    statuses.append(CUT if "complete message body" in str(error) else type(error).__name__)

    threads = [threading.Thread(target=client) for _ in range(pollers)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    action()
    for thread in threads:
        thread.join()
    return statuses


def test_killing_redis_loses_no_read_and_the_instances_recover_by_themselves(scale_out, cluster, auth, poller):
    headers = auth(ALICE)
    statuses = poll_while(scale_out.url, headers, scale_out.kill_redis)
    assert statuses and set(statuses) == {200}, statuses
    # Each instance noticed it once (as some did, serving alone since).
    noticed = [scale_out.logged(n).count("unreachable") for n in range(INSTANCES)]
    assert all(count <= 1 for count in noticed) and sum(noticed) >= 1, noticed
    scale_out.start_redis()
    time.sleep(3)  # past the pause before Redis is tried again
    for _ in range(INSTANCES):
        assert httpx.get(f"{scale_out.url}{API}/jobs/", headers=headers, timeout=60).status_code == 200
    again = [scale_out.logged(n).count("answers again") for n in range(INSTANCES)]
    assert again == noticed, (noticed, again)  # every one that lost it found it back
    # Shared again: reads through every instance in turn cost one command.
    assert sequential_reads_cost(scale_out, cluster, auth(poller)) < INSTANCES


def test_killing_an_instance_loses_no_read_the_balancer_retries(scale_out, auth):
    victim = scale_out.instances[-1]
    statuses = poll_while(scale_out.url, auth(ALICE), lambda: victim.process.send_signal(signal.SIGKILL))
    assert victim.process.poll() is not None  # it did die mid-run
    # Every read the balancer could send again (no byte of its answer out
    # yet: refused, reset, empty) was answered; at most the one read each
    # poller had in flight on the victim was cut while being sent.
    assert statuses and set(statuses) <= {200, CUT}, statuses
    assert statuses.count(CUT) <= POLLERS, statuses
