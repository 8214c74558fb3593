"""`slurmrestpy [options] [host:port]...`: slurmrestd's command line, mapped
onto server.config.Config, then served by uvicorn."""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys
import warnings

from server import __version__
from server.config import DEFAULT_LISTEN, Config

USAGE = """\
slurmrestpy [OPTIONS] [[host]:port]...

Serves Slurm's REST API (as slurmrestd does) from the Slurm command line.
With no listener given, it listens on {default}."""

EPILOG = """\
listeners:
  [host]:port     listen on TCP; host may be a name, an IPv4 address or
                  an IPv6 address in brackets ([::1]:6820); no host means
                  every address

environment:
  SLURM_CONF      slurm.conf to use, unless -f is given

Tokens come from `scontrol token`; send them as X-SLURM-USER-TOKEN (with
X-SLURM-USER-NAME) or as Authorization: Bearer <token>."""


class UsageError(Exception):
    pass


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="slurmrestpy",
        usage=USAGE.format(default=DEFAULT_LISTEN),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("listeners", nargs="*", metavar="[host]:port", help=argparse.SUPPRESS)
    p.add_argument("-f", dest="slurm_conf", metavar="FILE",
                   help="read this slurm.conf instead of SLURM_CONF or /etc/slurm/slurm.conf")
    p.add_argument("-v", dest="verbosity", action="count", default=0,
                   help="log more; repeat for even more")
    p.add_argument("-V", dest="show_version", action="store_true",
                   help="print the version and exit")
    p.add_argument("--jwt-key", metavar="FILE",
                   help="the HS256 key tokens are signed with (default: AuthAltParameters=jwt_key= of slurm.conf)")
    p.add_argument("--command-timeout", type=float, default=Config.command_timeout, metavar="SECONDS",
                   help="how long one Slurm command may run (default: %(default)s)")
    p.add_argument("--max-commands", type=int, default=Config.max_concurrent_commands, metavar="N",
                   help="how many Slurm commands may run at once (default: %(default)s)")
    p.add_argument("--coalesce", type=float, default=Config.coalesce_seconds, metavar="SECONDS",
                   help="identical reads of one user within SECONDS share one Slurm command "
                        "(default: %(default)s; 0: only reads in flight at the same time)")
    return p


def config_from(argv: list[str]) -> Config:
    args = parser().parse_args(argv)
    if args.show_version:
        print(f"slurmrestpy {__version__}")
        raise SystemExit(0)
    for listener in args.listeners:
        parse_listener(listener)  # reject a bad one before anything starts
    return Config(
        listeners=args.listeners or [DEFAULT_LISTEN],
        slurm_conf=args.slurm_conf,
        jwt_key=args.jwt_key,
        verbosity=args.verbosity,
        command_timeout=args.command_timeout,
        max_concurrent_commands=args.max_commands,
        coalesce_seconds=args.coalesce,
    )


def parse_listener(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if text.startswith("unix:"):
        raise UsageError(f"{text}: UNIX socket listeners are not supported yet")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"{text}: a listener is [host]:port")
    host = host.strip("[]") or "0.0.0.0"
    return host, int(port)


def open_listener(text: str) -> socket.socket:
    host, port = parse_listener(text)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise UsageError(f"cannot listen on {text}: {error.strerror}") from None
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def configure_logging(verbosity: int) -> None:
    level = logging.DEBUG if verbosity >= 1 else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s slurmrestpy %(levelname)s: %(message)s")


def main(argv: list[str] | None = None) -> int:
    # connexion imports starlette's test client, which warns about httpx at
    # import time: noise for an operator, not something they can act on.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    import uvicorn

    from server.app import StartupError, create_app

    try:
        config = config_from(sys.argv[1:] if argv is None else argv)
        configure_logging(config.verbosity)
        app = create_app(config)
        sockets = [open_listener(listener) for listener in config.listeners]
    except (UsageError, StartupError) as error:
        print(f"slurmrestpy: {error}", file=sys.stderr)
        return 1
    for listener in config.listeners:
        host, port = parse_listener(listener)
        shown = f"[{host}]" if ":" in host else host
        logging.getLogger("slurmrestpy").info(
            "serving http://%s:%d/ (Swagger UI at /ui/)", shown, port)
    server = uvicorn.Server(uvicorn.Config(
        app, lifespan="on", log_level="debug" if config.verbosity >= 2 else "warning",
        access_log=config.verbosity >= 1,
    ))
    asyncio.run(server.serve(sockets=sockets))
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
