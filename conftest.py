"""Fixtures for tests against the live local clusters (`make clusters`) and a
real slurmrestpy process serving each.

Every live test runs once per cluster: Slurm 22.05 (Debian's, `.cluster/`)
and Slurm 25.11 (built from source, `.cluster-25.11/`, with Slurm's own
slurmrestd beside it); a test's id names its Slurm (`test_x[25.11]`).
SLURMRESTPY_CLUSTER_DIR=<dir> runs them against that one cluster only.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent
ALICE, BOB, ADMIN = "srp_alice", "srp_bob", "root"
API = "/slurm/v0.0.44"


def _cluster_dirs() -> list[Path]:
    if os.environ.get("SLURMRESTPY_CLUSTER_DIR"):
        return [Path(os.environ["SLURMRESTPY_CLUSTER_DIR"])]
    return [REPO / ".cluster", REPO / ".cluster-25.11"]


def _env_file(directory: Path) -> dict[str, str]:
    """What the cluster's env file exports ($PATH expanded against ours)."""
    found = {}
    path = directory / "env"
    if path.exists():
        for line in path.read_text().splitlines():
            match = re.fullmatch(r"export (\w+)=(.*)", line.strip())
            if match:
                found[match[1]] = match[2].replace("$PATH", os.environ.get("PATH", "/usr/bin:/bin"))
    return found


def _release(directory: Path) -> str:
    """A cluster's Slurm, from its env file or else its folder's name."""
    named = _env_file(directory).get("SLURM_RELEASE")
    if named:
        return named
    return directory.name.split("-", 1)[1] if "-" in directory.name else "22.05"


CLUSTER_DIRS = _cluster_dirs()


@dataclass
class Cluster:
    directory: Path
    release: str  # "22.05", "25.11"
    path: str  # PATH that finds this cluster's Slurm commands first
    slurmrestd_url: str | None = None  # Slurm's own slurmrestd, where one runs
    conf: Path | None = None  # another slurm.conf for the same cluster (tests that redirect it)

    @property
    def slurm_conf(self) -> Path:
        return self.conf or self.directory / "etc" / "slurm.conf"

    @property
    def log_dir(self) -> Path:
        return self.directory / "log"

    @property
    def current(self) -> bool:
        """A Slurm whose commands print the API's own JSON (not 22.05)."""
        return self.release != "22.05"

    def env(self, token: str | None = None) -> dict:
        env = {"PATH": self.path, "SLURM_CONF": str(self.slurm_conf)}
        if token:
            env["SLURM_JWT"] = token
        return env

    def process_env(self, **extra: str) -> dict:
        """Our own environment, pointed at this cluster: for slurmrestpy."""
        return {**os.environ, "PATH": self.path, "SLURM_CONF": str(self.slurm_conf), **extra}

    def run(self, *argv: str, user: str | None = None, check: bool = True,
            stdin: str | None = None) -> subprocess.CompletedProcess:
        """A Slurm command as root, or as `user` (their uid and their token)."""
        env = self.env(self.token(user) if user and user != "root" else None)
        command = list(argv)
        if user and user != "root":
            command = ["runuser", "-u", user, "--", "env", *[f"{k}={v}" for k, v in env.items()], *argv]
        # Slurm prints what it was given: a job name that is not UTF-8 (the
        # fuzz tests make some) must not break every later read of the queue.
        result = subprocess.run(command, env=env, capture_output=True, text=True, errors="surrogateescape",
                                cwd="/tmp", input=stdin, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr}")
        return result

    def token(self, user: str, lifespan: int = 900) -> str:
        out = subprocess.run(["scontrol", "token", f"username={user}", f"lifespan={lifespan}"],
                             env=self.env(), capture_output=True, text=True, check=True).stdout
        return out.strip().split("=", 1)[1]

    def oracle(self, path: str, user: str = "root", **params) -> dict:
        """What Slurm's own slurmrestd answers to GET `path` for `user`: the
        facts a test expects of a current Slurm, asked of Slurm itself."""
        if not self.slurmrestd_url:
            pytest.fail(f"no slurmrestd runs beside the Slurm {self.release} cluster")
        headers = {"X-SLURM-USER-NAME": user, "X-SLURM-USER-TOKEN": self.token(user)}
        response = httpx.get(f"{self.slurmrestd_url}{path}", params=params, headers=headers, timeout=60)
        return response.json()

    def submit(self, *sbatch_args: str, user: str = ALICE) -> int:
        # Not /tmp/slurm-<id>.out: a fresh cluster numbers jobs from 1 again,
        # and a file another user's job left there under the same number
        # would make this job fail (sticky /tmp).
        if not any(arg.startswith(("--output", "-o")) for arg in sbatch_args):
            sbatch_args = ("--output=/dev/null", *sbatch_args)
        out = self.run("sbatch", "--parsable", *sbatch_args, user=user).stdout
        return int(out.strip().split(";")[0].split("_")[0])

    def cancel(self, *job_ids: int) -> None:
        self.run("scancel", *map(str, job_ids), check=False)

    def key(self) -> bytes:
        match = re.search(r"jwt_key=([^,\s]+)", self.slurm_conf.read_text())
        return Path(match.group(1)).read_bytes()


@pytest.fixture(scope="session", params=CLUSTER_DIRS, ids=[_release(d) for d in CLUSTER_DIRS])
def cluster(request) -> Cluster:
    directory: Path = request.param
    release = _release(directory)
    make = "make cluster" + ("" if release == "22.05" else f" SLURM={release}")
    exported = _env_file(directory)
    if not (directory / "etc" / "slurm.conf").exists() or not exported:
        pytest.fail(f"the local Slurm {release} cluster is not set up in {directory}: run `{make}`")
    found = Cluster(directory, release, exported.get("PATH", os.environ.get("PATH", "/usr/bin:/bin")),
                    exported.get("SLURMRESTD_URL"))
    ping = found.run("scontrol", "ping", check=False)
    if "UP" not in ping.stdout:
        pytest.fail(f"the local Slurm {release} cluster is not running (scontrol ping: "
                    f"{ping.stdout or ping.stderr}): run `{make}`")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


def start_server(cluster: Cluster, *extra: str, log_name: str | None = None) -> Server:
    port = _free_port()
    log = cluster.log_dir / (log_name or f"server-{port}.log")
    output = log.open("w")
    # Tests run as root (CI does); slurmrestpy refuses TCP as root without this.
    as_root = ["--allow-root"] if os.geteuid() == 0 else []
    process = subprocess.Popen(
        [sys.executable, "-m", "server", "-f", str(cluster.slurm_conf), *as_root, *extra,
         f"127.0.0.1:{port}"],
        cwd=REPO, stdout=output, stderr=subprocess.STDOUT, env=cluster.process_env(),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # six API versions to load, on a busy machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"slurmrestpy exited at start-up:\n{log.read_text()}")
        try:
            # Any answer will do: the whole description takes long to send.
            if httpx.get(f"{url}/slurm/", timeout=10).status_code in (401, 404):
                return Server(url, process, log)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise AssertionError(f"slurmrestpy did not answer within 90s:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def server(cluster) -> Server:
    # Tests change the cluster behind the server's back (sbatch, scancel) and
    # read at once: only reads in flight together are shared here.
    running = start_server(cluster, "--coalesce", "0")
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def api(server) -> httpx.Client:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def auth(cluster):
    """Headers that authenticate as a user, the way slurmrestd clients do."""
    tokens: dict[str, tuple[float, str]] = {}
    renew_after = 300  # seconds; tokens live 900: the whole run takes far longer

    def headers(user: str = ALICE, style: str = "user+token") -> dict:
        made, token = tokens.get(user, (0.0, ""))
        if time.monotonic() - made > renew_after:
            made, token = tokens[user] = (time.monotonic(), cluster.token(user))
        if style == "bearer":
            return {"Authorization": f"Bearer {token}"}
        if style == "token":
            return {"X-SLURM-USER-TOKEN": token}
        return {"X-SLURM-USER-NAME": user, "X-SLURM-USER-TOKEN": token}

    return headers
