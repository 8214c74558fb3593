"""Where slurmrestpy listens, as slurmrestd's arguments say it:
`host:port`, `:port`, `[::1]:port`, `unix:/path` and `unix:///path`.

Each listener is opened before anything else starts (and before privileges
are dropped), and a failure names the listener and its cause in one line.
"""

from __future__ import annotations

import os
import socket
import stat
from dataclasses import dataclass
from pathlib import Path


class ListenerError(Exception):
    pass


@dataclass(frozen=True)
class Listener:
    text: str
    host: str | None = None
    port: int | None = None
    path: Path | None = None

    @property
    def is_unix(self) -> bool:
        return self.path is not None

    def url(self) -> str:
        if self.is_unix:
            return f"unix:{self.path}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def open(self) -> socket.socket:
        return _open_unix(self) if self.is_unix else _open_tcp(self)


def parse(text: str) -> Listener:
    if text.startswith("unix:"):
        path = text[len("unix:"):]
        if path.startswith("//"):
            path = path[2:]
        if not path.startswith("/"):
            raise ListenerError(f"{text}: a UNIX socket listener is unix:/absolute/path")
        return Listener(text, path=Path(path))
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:  # 0: any free port
        raise ListenerError(f"{text}: a listener is [host]:port or unix:/path")
    if host.startswith("["):
        if not host.endswith("]"):
            raise ListenerError(f"{text}: an IPv6 address goes in brackets, [::1]:port")
        host = host[1:-1]
    return Listener(text, host=host or "0.0.0.0", port=int(port))


def parse_all(texts: list[str]) -> list[Listener]:
    listeners = [parse(text) for text in texts]
    if len({item.text for item in listeners}) != len(listeners):
        raise ListenerError("the same listener is given twice")
    return listeners


def from_environment(value: str | None) -> list[str]:
    """SLURMRESTD_LISTEN: listeners separated by commas."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _open_tcp(listener: Listener) -> socket.socket:
    try:
        infos = socket.getaddrinfo(listener.host, listener.port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ListenerError(f"cannot listen on {listener.text}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError as error:
        sock.close()
        raise ListenerError(f"cannot listen on {listener.text}: {error.strerror}") from None
    return sock


def _open_unix(listener: Listener) -> socket.socket:
    path = listener.path
    if path.exists() or path.is_symlink():
        # A socket left by a process that died is replaced; anything else,
        # or a socket someone still listens on, is not ours to remove.
        if not stat.S_ISSOCK(path.lstat().st_mode):
            raise ListenerError(f"cannot listen on {listener.text}: the path exists and is not a socket")
        if _answers(path):
            raise ListenerError(f"cannot listen on {listener.text}: Address already in use")
        path.unlink()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(path))
        os.chmod(path, 0o777)  # who may talk is decided by authentication, not the mode
        sock.listen(1024)
    except OSError as error:
        sock.close()
        raise ListenerError(f"cannot listen on {listener.text}: {error.strerror}") from None
    return sock


def _answers(path: Path) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def remove_unix_sockets(listeners: list[Listener]) -> None:
    for listener in listeners:
        if listener.is_unix:
            try:
                listener.path.unlink()
            except FileNotFoundError:
                pass
