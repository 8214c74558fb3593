"""Many clients polling the same thing must not multiply slurmctld's RPCs:
counted by slurmctld itself (sdiag's RPC statistics), not by us."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from conftest import ALICE, API, start_server, stop_server
from tests.live import rpc_counts

CLIENTS = 24


def job_info_rpcs(cluster) -> int:
    return rpc_counts.by_message_type(cluster).get("REQUEST_JOB_INFO", 0)


@pytest.fixture(scope="module")
def coalescing_server(cluster):
    running = start_server(cluster, "--coalesce", "5", log_name="server-coalescing.log")
    yield running
    stop_server(running)


def poll(url: str, headers: dict, times: int) -> list[int]:
    def one(_):
        return httpx.get(f"{url}{API}/jobs/", headers=headers, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(one, range(times)))


def test_concurrent_polls_of_one_user_cost_one_rpc(coalescing_server, auth, cluster):
    headers = auth(ALICE)
    before = job_info_rpcs(cluster)
    assert poll(coalescing_server.url, headers, CLIENTS) == [200] * CLIENTS
    assert poll(coalescing_server.url, headers, CLIENTS) == [200] * CLIENTS
    assert job_info_rpcs(cluster) - before <= 2


def test_without_coalescing_each_poll_costs_an_rpc(server, auth, cluster):
    """The measurement above can fail: sequential polls on the test server
    (which shares only simultaneous reads) each reach slurmctld."""
    headers = auth(ALICE)
    before = job_info_rpcs(cluster)
    for _ in range(5):
        assert httpx.get(f"{server.url}{API}/jobs/", headers=headers, timeout=60).status_code == 200
    assert job_info_rpcs(cluster) - before >= 5
