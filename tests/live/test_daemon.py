"""The daemon as slurmrestd's operators run it: several listeners at once,
IPv6, UNIX sockets, inet mode, plugin selection, media types, the root
check, the access log, connection limits and a clean stop on SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import yaml

from conftest import ALICE, API, REPO, start_server, stop_server
from tests.schemas import reference_as_meant, validate_response


def free_port(family=socket.AF_INET, host="127.0.0.1") -> int:
    with socket.socket(family) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def launch(cluster, *argv, env=None, stdin=None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "server", "-f", str(cluster.slurm_conf), *argv],
        cwd=REPO, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=cluster.process_env(**(env or {})),
    )


def wait_until_answers(client: httpx.Client, url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            if client.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("slurmrestpy did not answer")


def unix_client(path) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(uds=str(path)), base_url="http://slurmrestpy", timeout=30)


def test_two_tcp_listeners_and_a_unix_socket_at_once(cluster, auth, tmp_path):
    ports = [free_port(), free_port()]
    sock_path = tmp_path / "rest.sock"
    process = launch(cluster, "--allow-root", *[f"127.0.0.1:{p}" for p in ports], f"unix:{sock_path}")
    try:
        clients = [httpx.Client(base_url=f"http://127.0.0.1:{p}", timeout=30) for p in ports]
        clients.append(unix_client(sock_path))
        for client in clients:
            wait_until_answers(client, "/openapi.json", process)
            response = client.get(f"{API}/ping/", headers=auth(ALICE))
            assert response.status_code == 200, response.text
            assert response.json()["pings"][0]["pinged"] == "UP"
        assert sock_path.exists()
    finally:
        process.terminate()
        assert process.wait(20) == 0
    assert not sock_path.exists(), "the UNIX socket outlived the server"


def test_ipv6_loopback(cluster, auth):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    port = free_port(socket.AF_INET6, "::1")
    process = launch(cluster, "--allow-root", f"[::1]:{port}")
    try:
        client = httpx.Client(base_url=f"http://[::1]:{port}", timeout=30)
        wait_until_answers(client, "/openapi.json", process)
        response = client.get(f"{API}/ping/", headers=auth(ALICE))
        assert response.status_code == 200
        assert response.json()["meta"]["client"]["source"].startswith("[::1]:")
    finally:
        process.terminate()
        process.wait(20)


def test_a_listener_in_use_stops_start_up_with_one_clear_line(cluster):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = launch(cluster, "--allow-root", f"127.0.0.1:{free_port()}", f"127.0.0.1:{port}")
        assert process.wait(30) == 1
        assert process.stderr.read().strip().splitlines()[-1] == \
            f"slurmrestpy: cannot listen on 127.0.0.1:{port}: Address already in use"


@pytest.mark.skipif(os.geteuid() != 0, reason="the root check needs root")
def test_refuses_tcp_as_root_without_allow_root(cluster):
    process = launch(cluster, f"127.0.0.1:{free_port()}")
    assert process.wait(30) == 1
    assert "will not serve TCP" in process.stderr.read()


def test_inet_mode_serves_the_client_on_standard_input(cluster, auth):
    ours, theirs = socket.socketpair()
    process = launch(cluster, stdin=theirs)
    theirs.close()
    token = auth(ALICE)["X-SLURM-USER-TOKEN"]
    ours.sendall(f"GET {API}/ping/ HTTP/1.1\r\nHost: x\r\nX-SLURM-USER-TOKEN: {token}\r\n"
                 "Connection: close\r\n\r\n".encode())
    ours.settimeout(30)
    answer = b""
    while chunk := ours.recv(65536):
        answer += chunk
    ours.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    assert json.loads(body)["pings"][0]["pinged"] == "UP"
    assert process.wait(20) == 0, "inet mode did not exit when its client hung up"


@pytest.fixture(scope="module")
def slurmctld_only(cluster):
    running = start_server(cluster, "--coalesce", "0", "-s", "slurmctld")
    yield running
    stop_server(running)


def test_s_slurmctld_hides_slurmdb_from_routing_and_description(slurmctld_only, auth):
    client = httpx.Client(base_url=slurmctld_only.url, timeout=30)
    described = client.get("/openapi.json").json()["paths"]
    assert f"{API}/ping/" in described
    assert not [path for path in described if path.startswith(("/slurmdb/", "/util/"))]
    assert client.get(f"{API}/ping/", headers=auth()).status_code == 200
    response = client.get("/slurmdb/v0.0.44/ping/", headers=auth())
    assert response.status_code == 404
    assert response.json()["errors"][0]["error_number"] > 0


def test_yaml_out_when_asked(api, auth):
    response = api.get(f"{API}/ping/", headers={**auth(), "Accept": "application/yaml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/yaml")
    body = yaml.safe_load(response.text)
    validate_response(reference_as_meant("v0.0.44"), "get", f"{API}/ping/", body)
    assert body["pings"][0]["pinged"] == "UP"
    also = api.get(f"{API}/ping/", headers={**auth(), "Accept": "application/x-yaml"})
    assert also.headers["content-type"].startswith("application/yaml")
    assert api.get(f"{API}/ping/", headers={**auth(), "Accept": "*/*"}).headers["content-type"] \
        .startswith("application/json")


def test_yaml_request_bodies_are_read_and_validated(api, auth):
    # A body of the wrong type, in YAML: connexion's validation must see it.
    response = api.post("/util/v0.0.44/hostnames", headers={**auth(), "Content-Type": "application/yaml"},
                        content="hostlist:\n  - not\n  - a string\n")
    assert response.status_code == 400, response.text
    assert "hostlist" in response.text or "string" in response.text


def test_unsupported_media_types(api, auth):
    refused = api.post("/util/v0.0.44/hostnames", headers={**auth(), "Content-Type": "text/plain"},
                       content="n[1-3]")
    assert refused.status_code == 415
    assert "text/plain" in refused.json()["errors"][0]["description"]
    unacceptable = api.get(f"{API}/ping/", headers={**auth(), "Accept": "text/html"})
    assert unacceptable.status_code == 406
    assert "text/html" in unacceptable.json()["errors"][0]["description"]
    broken = api.post("/util/v0.0.44/hostnames", headers={**auth(), "Content-Type": "application/yaml"},
                      content="hostlist: [unclosed\n")
    assert broken.status_code == 400 and "YAML" in broken.json()["errors"][0]["description"]


def test_access_log_has_one_line_per_request_and_no_token(server, api, auth):
    headers = auth(ALICE)
    marker = f"{API}/job/424242"
    response = api.get(marker, headers=headers)
    request_id = response.headers["x-request-id"]
    time.sleep(0.3)
    lines = [line for line in Path(server.log).read_text().splitlines() if request_id in line]
    assert len(lines) == 1
    assert ALICE in lines[0] and f'"GET {marker}"' in lines[0] and " 404 " in lines[0]
    assert headers["X-SLURM-USER-TOKEN"] not in Path(server.log).read_text()


def slow_slurm(cluster, tmp_path: Path, seconds: float) -> Path:
    """A bin folder whose squeue takes its time with --json (and only then:
    start-up's discovery stays fast), so that a request is in flight."""
    folder = tmp_path / "bin"
    folder.mkdir()
    real = subprocess.run(["which", "squeue"], capture_output=True, text=True,
                          env=cluster.env()).stdout.strip()
    script = folder / "squeue"
    script.write_text(
        f"#!{sys.executable}\nimport os, sys, time\n"
        f"if any(a.startswith('--json') and a != '--json=list' for a in sys.argv[1:]):\n"
        f"    time.sleep({seconds})\n"
        f"os.execv({real!r}, [{real!r}, *sys.argv[1:]])\n"
    )
    script.chmod(0o755)
    return folder


def children_of(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


def test_sigterm_during_a_slow_request_leaves_no_child_and_no_socket(cluster, auth, tmp_path):
    folder = slow_slurm(cluster, tmp_path, 60)
    sock_path = tmp_path / "rest.sock"
    process = launch(cluster, "--allow-root", f"unix:{sock_path}",
                     env={"PATH": f"{folder}:{cluster.path}"})
    client = unix_client(sock_path)
    wait_until_answers(client, "/openapi.json", process)
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(
        response=_get_or_error(client, f"{API}/jobs/", auth(ALICE))))
    thread.start()
    deadline = time.monotonic() + 20
    while not children_of(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    slow = children_of(process.pid)
    assert slow, "the slow squeue never started"
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    thread.join(30)
    for pid in slow:
        assert not Path(f"/proc/{pid}").exists(), f"Slurm command {pid} outlived the server"
    assert not sock_path.exists()


def _get_or_error(client, path, headers):
    try:
        return client.get(path, headers=headers).status_code
    except httpx.HTTPError as error:
        return repr(error)


def test_max_connections_makes_requests_wait_not_fail(cluster, auth, tmp_path):
    folder = slow_slurm(cluster, tmp_path, 1)
    port = free_port()
    process = launch(cluster, "--allow-root", "--coalesce", "0", "--max-connections", "1",
                     f"127.0.0.1:{port}", env={"PATH": f"{folder}:{cluster.path}"})
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        wait_until_answers(client, "/openapi.json", process)
        results = []
        threads = [threading.Thread(target=lambda: results.append(
            client.get(f"{API}/jobs/", headers=auth(ALICE)).status_code)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert results == [200, 200, 200]
    finally:
        process.terminate()
        process.wait(20)


def test_systemd_socket_activation(cluster, auth):
    """LISTEN_FDS: systemd opened the listener; we serve it as it is."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    os.set_inheritable(listener.fileno(), True)
    starter = (f"import os, sys; os.dup2({listener.fileno()}, 3); os.environ['LISTEN_PID'] = str(os.getpid()); "
               "os.environ['LISTEN_FDS'] = '1'; os.execv(sys.executable, [sys.executable, '-m', 'server', *sys.argv[1:]])")
    process = subprocess.Popen(
        [sys.executable, "-c", starter, "-f", str(cluster.slurm_conf), "--allow-root", "127.0.0.1:1"],
        cwd=REPO, pass_fds=(listener.fileno(),), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=cluster.process_env(),
    )
    listener.close()
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        wait_until_answers(client, "/openapi.json", process)
        assert client.get(f"{API}/ping/", headers=auth(ALICE)).status_code == 200
    finally:
        process.terminate()
        assert process.wait(20) == 0


def test_sighup_reopens_logs_and_keeps_serving(cluster, auth):
    port = free_port()
    process = launch(cluster, "--allow-root", f"127.0.0.1:{port}")
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        wait_until_answers(client, "/openapi.json", process)
        process.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        assert process.poll() is None, "SIGHUP stopped the server"
        assert client.get(f"{API}/ping/", headers=auth(ALICE)).status_code == 200
    finally:
        process.terminate()
        process.wait(20)
    assert "logs reopened" in process.stderr.read()


def test_a_yaml_request_answered_in_yaml(api, auth):
    response = api.post("/util/v0.0.44/hostnames",
                        headers={**auth(), "Content-Type": "application/yaml", "Accept": "application/yaml"},
                        content="hostlist: n[1-3]\n")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/yaml")
    assert yaml.safe_load(response.text)["hostnames"] == ["n1", "n2", "n3"]
