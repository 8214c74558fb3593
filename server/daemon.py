"""The process: open the listeners, drop privileges, serve until told to stop,
then stop cleanly (uvicorn drains requests in flight within a bound, the
lifespan ends every Slurm command still running, and the UNIX sockets we
created are removed).

Like slurmrestd, it will not serve TCP as root: that would put every
request one bug away from root's powers. `-u` drops to a user after the
listeners are open; `--allow-root` is for development boxes.
"""

from __future__ import annotations

import asyncio
import grp
import logging
import os
import pwd
import signal
import socket
import stat
import sys

from server import logsetup
from server.accesslog import AccessLog
from server.inet import serve_stdin
from server.headerlimit import protocol_with_header_limit
from server.peercred import default_protocol_class, protocol_with_peer_credentials
from server.config import DEFAULT_LISTEN, Config
from server.listeners import ListenerError, parse_all, remove_unix_sockets

log = logging.getLogger("slurmrestpy")
SHUTDOWN_GRACE_SECONDS = 10
# slurmrestd's security flags that mean nothing here, and why.
SECURITY_WITHOUT_EFFECT = {
    "disable_unshare_files": "no effect, slurmrestpy does not unshare its file descriptors",
    "disable_unshare_sysv": "no effect, slurmrestpy does not unshare the SYSV namespace",
    "become_user": "no effect needed: a root server already runs each locally authenticated "
                   "request's Slurm commands as that user",
}


class DaemonError(Exception):
    pass


def stdin_is_connected_socket() -> bool:
    try:
        if not stat.S_ISSOCK(os.fstat(0).st_mode):
            return False
        peer = socket.socket(fileno=os.dup(0))
        try:
            peer.getpeername()
            return True
        finally:
            peer.close()
    except OSError:
        return False


def systemd_sockets() -> list[socket.socket]:
    """Listening sockets handed over by systemd socket activation (LISTEN_FDS)."""
    if os.environ.get("LISTEN_PID") != str(os.getpid()):
        return []
    count = int(os.environ.get("LISTEN_FDS", "0") or 0)
    for name in ("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"):
        os.environ.pop(name, None)  # not for our children
    return [socket.socket(fileno=3 + index) for index in range(count)]


def _describe(sock: socket.socket) -> str:
    if sock.family == socket.AF_UNIX:
        return f"unix:{sock.getsockname()}"
    host, port = sock.getsockname()[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def check_root(config: Config, sockets: list[socket.socket]) -> None:
    if os.geteuid() != 0 or config.user:
        return
    tcp = [_describe(sock) for sock in sockets if sock.family != socket.AF_UNIX]
    if not tcp:
        return
    if not config.allow_root:
        raise DaemonError(
            f"will not serve TCP ({', '.join(tcp)}) as root: give -u <user> to drop to an "
            "unprivileged user after opening the listeners (or --allow-root on a development box)"
        )
    log.warning("serving TCP as root (--allow-root): use -u <user> anywhere but a development box")


def drop_privileges(user: str | None, group: str | None) -> None:
    if not user and not group:
        return
    try:
        entry = pwd.getpwnam(user) if user else None
        gid = grp.getgrnam(group).gr_gid if group else (entry.pw_gid if entry else os.getgid())
    except KeyError as error:
        raise DaemonError(f"no such user or group: {error.args[0]}") from None
    if os.geteuid() != 0:
        raise DaemonError("-u and -g need root to start")
    os.setgroups([])
    os.setgid(gid)
    if entry:
        os.setuid(entry.pw_uid)
        os.environ["HOME"] = entry.pw_dir
    log.info("running as %s:%s", user or os.getuid(), group or gid)


def _server_class():
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):
            # SIGTERM and SIGINT ask for a clean stop, after which we exit 0
            # (uvicorn would raise the signal again once it has stopped).
            super().handle_exit(sig, frame)
            self._captured_signals.clear()

    return Server


def serve(config: Config) -> int:
    import uvicorn

    from server.app import StartupError, create_app

    logsetup.configure(config.verbosity)
    for flag in config.security:
        if flag in SECURITY_WITHOUT_EFFECT:
            log.info("SLURMRESTD_SECURITY=%s: %s", flag, SECURITY_WITHOUT_EFFECT[flag])
    sockets = systemd_sockets()
    inet = not sockets and not config.listeners and stdin_is_connected_socket()
    texts = [] if sockets or inet else (config.listeners or [DEFAULT_LISTEN])
    opened = []  # only what we created is ours to remove
    try:
        listeners = parse_all(texts)
        # Outside connexion's own middleware, which copies the ASGI scope: the
        # access log must see what connexion's security step found.
        app = AccessLog(create_app(config))  # reads slurm.conf and the keys while we may
        server = _server_class()(uvicorn.Config(
            app,
            lifespan="on",
            log_config=None,
            access_log=False,  # server/accesslog.py writes one line per request
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
            server_header=False,
            http=protocol_with_peer_credentials(protocol_with_header_limit(default_protocol_class())),
            # X-Forwarded-For names the client only when a proxy we were told
            # to trust sends it; uvicorn would trust any local client.
            proxy_headers=bool(config.forwarded_allow_ips),
            forwarded_allow_ips=",".join(config.forwarded_allow_ips) or "",
        ))
        # Everything uvicorn imports is imported now: after -u, the user we
        # become may not be allowed to read the Python installation.
        server.config.load()
        for listener in listeners:
            sockets.append(listener.open())
            opened.append(listener)
        check_root(config, sockets)
        drop_privileges(config.user, config.group)
    except (ListenerError, DaemonError, StartupError) as error:
        for sock in sockets:
            sock.close()
        remove_unix_sockets(opened)
        print(f"slurmrestpy: {error}", file=sys.stderr)
        return 1
    for sock in sockets:
        log.info("listening on %s (Swagger UI at /ui/)", _describe(sock))
    signal.signal(signal.SIGHUP, lambda *_: logsetup.reopen())
    try:
        if inet:
            asyncio.run(serve_stdin(server))
        else:
            asyncio.run(server.serve(sockets=sockets))
    finally:
        remove_unix_sockets(opened)
    log.info("stopped")  # uvicorn's own lifecycle lines show from -v only
    return 0 if (server.started or inet) else 1
