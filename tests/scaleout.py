"""Redis and HAProxy in front of several slurmrestpy instances, as the README
shows them: started by tests/live/test_scale_out.py and by `make bench`
(Debian's redis-server and haproxy, `make scale-out` installs them)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HAPROXY_CONFIG = REPO / "etc" / "haproxy-slurmrestpy.cfg"


def start_redis(folder: Path, port: int) -> subprocess.Popen:
    """redis-server on 127.0.0.1:port, its files in `folder`; nothing is
    saved to disk, as a cache needs no persistence. Returns once it answers."""
    folder.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"redis-server did not answer on {port}: see {folder}/redis.log")


def haproxy_config(front: int, instances: list[str]) -> str:
    """etc/haproxy-slurmrestpy.cfg with `front` for 6820 and the instances'
    host:port for 6821, 6822, ..."""
    text = HAPROXY_CONFIG.read_text()
    text = text.replace("127.0.0.1:6820", f"127.0.0.1:{front}")
    for number, address in enumerate(instances, 1):
        text = text.replace(f"127.0.0.1:682{number}", address)
    return text


def start_haproxy(folder: Path, front: int, instances: list[str]) -> subprocess.Popen:
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(front, instances))
    return subprocess.Popen(["haproxy", "-db", "-f", str(config)],
                            stdout=(folder / "haproxy.log").open("w"), stderr=subprocess.STDOUT)
