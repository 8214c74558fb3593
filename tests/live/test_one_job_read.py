"""GET /job/{id} with no fresh job list asks slurmctld for that job alone
where squeue can (`squeue --jobs=N`, a current Slurm): sdiag counts the RPC
it took, REQUEST_JOB_INFO_SINGLE rather than the whole list's
REQUEST_JOB_INFO. 22.05's `squeue --json` ignores --jobs, so there the
whole list is read. At 10,000 jobs that is 0.02 s against 10 (README,
Benchmark); which job a read answers with is compared with slurmrestd in
test_oracle_reads.py."""

import httpx
import pytest

from conftest import ALICE, API, start_server, stop_server
from tests.live import rpc_counts
from tests.live.test_answers import held_jobs, job_ids


@pytest.fixture(scope="module")
def unshared(cluster):
    """A server that shares nothing but reads in flight together."""
    running = start_server(cluster, "--coalesce", "0", log_name="server-one-job.log")
    with httpx.Client(base_url=running.url, timeout=60) as client:
        yield client
    stop_server(running)


def test_one_job_is_read_alone_where_squeue_can(cluster, unshared, auth):
    with held_jobs(unshared, cluster, auth, "one-job") as submit:
        job = submit(ALICE)
        before = rpc_counts.by_message_type(cluster)
        response = unshared.get(f"{API}/job/{job}", headers=auth(ALICE))
        after = rpc_counts.by_message_type(cluster)
    assert response.status_code == 200 and job_ids(response) == {job}
    single = after.get("REQUEST_JOB_INFO_SINGLE", 0) - before.get("REQUEST_JOB_INFO_SINGLE", 0)
    whole = after.get("REQUEST_JOB_INFO", 0) - before.get("REQUEST_JOB_INFO", 0)
    if cluster.current:
        assert single >= 1 and whole == 0, (before, after)
    else:
        assert whole >= 1 and single == 0, (before, after)
