"""The log an operator reads: our one access line per request and nothing
from the libraries (connexion's content-type notes, uvicorn's lifecycle and
its refusals of malformed requests) unless -v; warnings only for what an
operator must act on."""

import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest

from conftest import ALICE, API, start_server, stop_server

ACTION_WARNINGS = ("serving TCP as root",)  # what an operator must act on
CHATTER = ("multiple content types", "Invalid HTTP request", "Started server process", "Application startup")


def requests_of_each_kind(url: str, headers: dict) -> list[str]:
    """A read, POSTs (JSON, YAML, refused media type), a refusal and an
    unknown path; the request ids the server sent back."""
    with httpx.Client(base_url=url, timeout=60) as client:
        responses = [
            client.get(f"{API}/ping/", headers=headers),
            client.post("/util/v0.0.44/hostnames", headers=headers, json={"hostlist": "n[1-2]"}),
            client.post("/util/v0.0.44/hostnames", headers={**headers, "Content-Type": "application/yaml"},
                        content="hostlist: n[1-3]\n"),
            client.post("/util/v0.0.44/hostnames", headers={**headers, "Content-Type": "text/plain"},
                        content="n1"),
            client.get(f"{API}/jobs/"),
            client.get("/no/such/path", headers=headers),
        ]
    assert [r.status_code for r in responses] == [200, 200, 200, 415, 401, 404], [r.text for r in responses]
    # Never reaches the app: uvicorn refuses it (and would say so in the log).
    host, port = urlsplit(url).hostname, urlsplit(url).port
    with socket.create_connection((host, port), timeout=10) as raw:
        raw.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400")
    return [r.headers["x-request-id"] for r in responses]


def log_of_a_run(cluster, auth, *options) -> tuple[list[str], list[str]]:
    server = start_server(cluster, "--coalesce", "0", *options, log_name=f"server-quiet-logs{''.join(options)}.log")
    try:
        # start_server's polling may be answered before its line is written.
        deadline = time.monotonic() + 10
        while '"GET /slurm/"' not in server.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        before = len(server.log.read_text().splitlines())  # start-up, and start_server's polling
        ids = requests_of_each_kind(server.url, auth(ALICE))
        time.sleep(0.3)
        during = server.log.read_text().splitlines()[before:]
    finally:
        stop_server(server)
    return during, ids, server.log.read_text().splitlines()


@pytest.fixture(scope="module")
def default_run(cluster, auth):
    return log_of_a_run(cluster, auth)


def test_one_access_line_per_request_and_nothing_else(default_run):
    during, ids, _ = default_run
    assert len(during) == len(ids), "\n".join(during)
    for line, request_id in zip(during, ids):
        assert line.endswith(f"id={request_id}") and "slurmrestpy INFO:" in line, line


def test_no_library_chatter_and_no_warning_that_needs_no_action(default_run):
    _, _, whole = default_run
    for line in whole:
        assert not any(chatter in line for chatter in CHATTER), line
        if "WARNING" in line or "ERROR" in line:
            assert any(action in line for action in ACTION_WARNINGS), line
    assert whole[-1].endswith("slurmrestpy INFO: stopped")


def test_verbose_lets_the_libraries_speak(cluster, auth):
    during, ids, whole = log_of_a_run(cluster, auth, "-v")
    text = "\n".join(whole)
    # -v is where these belong; seeing them here proves the quiet run would notice them.
    assert "multiple content types" in text and "Invalid HTTP request" in text
    assert sum(f"id={request_id}" in line for line in during for request_id in ids) == len(ids)
