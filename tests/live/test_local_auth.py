"""rest_auth/local: on a UNIX socket the kernel says who the client is. A root
server serves each local user as that user; an ordinary user's server serves
only that user; over TCP there is no such proof."""

import json
import os
import pwd
import shutil
import tempfile
from pathlib import Path
import pytest

from conftest import ALICE, API, BOB
from tests.live.test_daemon import launch, unix_client, wait_until_answers

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as several users")

def as_user(user: str, socket_path, path: str) -> dict:
    """A request made by a process of `user`, with no token at all: a forked
    child that becomes the user (the interpreter itself may not be theirs to
    run, so nothing is executed)."""
    entry = pwd.getpwnam(user)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(entry.pw_gid)
            os.setuid(entry.pw_uid)
            with unix_client(socket_path) as client:
                response = client.get(path)
                answer = {"status": response.status_code, "body": response.json()}
        except BaseException as error:  # say why in the parent's assertion
            answer = {"error": repr(error)}
        finally:
            os.write(write, json.dumps(answer).encode())
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    os.waitpid(child, 0)
    answer = json.loads(text)
    assert "error" not in answer, f"the client running as {user} failed: {answer['error']}"
    return answer


@pytest.fixture
def socket_dir():
    """A folder every user may reach (pytest's own temporary folders are root's)."""
    folder = Path(tempfile.mkdtemp(prefix="slurmrestpy-local-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_root_server_serves_each_local_user_as_that_user(cluster, socket_dir):
    alice_job = cluster.submit("--hold", "--wrap=sleep 600", user=ALICE)
    bob_job = cluster.submit("--hold", "--wrap=sleep 600", user=BOB)
    path = socket_dir / "rest.sock"
    process = launch(cluster, "-a", "rest_auth/local", "--coalesce", "0", f"unix:{path}")
    try:
        wait_until_answers(unix_client(path), "/openapi.json", process)
        alice = as_user(ALICE, path, f"{API}/jobs/")
        bob = as_user(BOB, path, f"{API}/jobs/")
        root = as_user("root", path, f"{API}/jobs/")
        assert alice["status"] == 200, alice
        assert alice["body"]["meta"]["client"]["user"] == ALICE
        # Slurm saw alice (PrivateData=jobs): the commands ran as her.
        assert {j["user_name"] for j in alice["body"]["jobs"]} == {ALICE}
        assert alice_job in {j["job_id"] for j in alice["body"]["jobs"]}
        assert {j["user_name"] for j in bob["body"]["jobs"]} == {BOB}
        assert {alice_job, bob_job} <= {j["job_id"] for j in root["body"]["jobs"]}
    finally:
        process.terminate()
        process.wait(20)
        cluster.cancel(alice_job, bob_job)


def test_an_ordinary_users_server_serves_only_that_user(cluster, socket_dir):
    # Started by root, it drops to alice (-u) once its socket is open.
    path = socket_dir / "alice.sock"
    process = launch(cluster, "-a", "rest_auth/local", "-u", ALICE, f"unix:{path}")
    try:
        wait_until_answers(unix_client(path), "/openapi.json", process)
        alice = as_user(ALICE, path, f"{API}/ping/")
        assert alice["status"] == 200 and alice["body"]["meta"]["client"]["user"] == ALICE
        bob = as_user(BOB, path, f"{API}/ping/")
        assert bob["status"] == 401
        assert "serves only" in bob["body"]["errors"][0]["description"]
        root = as_user("root", path, f"{API}/ping/")
        assert root["status"] == 401, "an unprivileged server must not serve root as itself"
    finally:
        process.terminate()
        process.wait(20)


def test_local_authentication_is_refused_on_tcp(api):
    response = api.get(f"{API}/ping/")
    assert response.status_code == 401
    assert "UNIX sockets only" in response.json()["errors"][0]["description"]


def test_jwt_only_server_does_not_describe_anonymous_access(cluster, socket_dir):
    path = socket_dir / "jwt.sock"
    process = launch(cluster, "-a", "rest_auth/jwt", f"unix:{path}")
    try:
        client = unix_client(path)
        wait_until_answers(client, "/openapi.json", process)
        assert {} not in client.get("/openapi.json").json()["security"]
        response = as_user(ALICE, path, f"{API}/ping/")
        assert response["status"] == 401
    finally:
        process.terminate()
        process.wait(20)
