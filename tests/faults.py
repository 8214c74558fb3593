"""Daemons of a live test cluster stopped or paused, and always brought back.

A test that breaks a daemon must leave the cluster as it found it, also
when it fails: each fault is a context whose exit starts the daemon again
with ``cluster/cluster.sh start`` (which starts whatever is stopped, its
configuration untouched) or resumes it. ``restore`` is the same safety net
for a whole module."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Where cluster.sh keeps each daemon's pid file, inside the cluster's folder.
PID_FILES = {
    "munged": "munge/munged.pid",
    "mysqld": "mysql/mysqld.pid",
    "slurmdbd": "run/slurmdbd.pid",
    "slurmctld": "run/slurmctld.pid",
}


def daemon_pid(cluster, daemon: str) -> int:
    return int((cluster.directory / PID_FILES[daemon]).read_text())


def restore(cluster) -> None:
    """Start every daemon of the cluster that is not running, and resume a
    paused slurmctld; returns once they answer (cluster.sh waits)."""
    try:
        os.kill(daemon_pid(cluster, "slurmctld"), signal.SIGCONT)
    except (OSError, ValueError):
        pass  # not running: started below
    env = {**os.environ, "SLURM": cluster.release, "SLURMRESTPY_CLUSTER_DIR": str(cluster.directory)}
    subprocess.run(["bash", str(REPO / "cluster" / "cluster.sh"), "start"], env=env, cwd="/tmp",
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=180, check=True)


@contextmanager
def stopped(cluster, daemon: str):
    """The daemon stopped (SIGTERM, as an operator would), then started again."""
    pid = daemon_pid(cluster, daemon)
    try:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while _alive(pid):
            if time.monotonic() > deadline:
                raise AssertionError(f"{daemon} ({pid}) did not stop")
            time.sleep(0.1)
        yield
    finally:
        restore(cluster)


@contextmanager
def paused(cluster, daemon: str = "slurmctld"):
    """The daemon stopped dead (SIGSTOP): connections to it are accepted by
    the kernel and never answered, so commands hang. Resumed on exit."""
    pid = daemon_pid(cluster, daemon)
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (a daemon started by this process) has stopped too
    return _state(pid) not in (None, "Z")


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def descendants(pid: int) -> dict[int, str]:
    """Every process below ``pid`` (children, theirs ...), with its command line."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            try:
                found[child] = (Path(f"/proc/{child}/cmdline").read_bytes()
                                .replace(b"\0", b" ").decode(errors="replace").strip())
            except OSError:
                continue
            todo.append(child)
    return found


def still_running(pids) -> list[int]:
    """Those of ``pids`` that still exist, zombies included (never reaped)."""
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()]
