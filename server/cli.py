"""`slurmrestpy [options] [host:port | unix:/path]...`: slurmrestd's command
line and environment, mapped onto server.config.Config; then either a
listing (`-a list`, `-s list`, `-d list`), the description
(`--generate-openapi-spec`), or the daemon (server/daemon.py)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings

from server import __version__
from server.config import AUTH_PLUGINS, DEFAULT_LISTEN, OPENAPI_PLUGINS, Config
from server.listeners import ListenerError, from_environment, parse_all
from server.logsetup import LEVELS, level_of
from server.store import check_url

USAGE = """\
slurmrestpy [OPTIONS] [[host]:port | unix:/path/to/socket]...

Serves Slurm's REST API (as slurmrestd does) from the Slurm command line.
With no listener given (nor SLURMRESTD_LISTEN), it listens on {default};
started by inetd or systemd with a connected socket on standard input, it
serves that one client."""

EPILOG = """\
listeners:
  [host]:port          TCP; host is a name, an IPv4 address or an IPv6
                       address in brackets ([::1]:6820); none means all
  unix:/path           a UNIX socket (also unix:///path)

environment:
  SLURM_CONF                      slurm.conf, unless -f is given
  SLURMRESTD_LISTEN               listeners, separated by commas
  SLURMRESTD_AUTH_TYPES           as -a
  SLURMRESTD_OPENAPI_PLUGINS      as -s
  SLURMRESTD_DATA_PARSER_PLUGINS  as -d
  SLURMRESTD_MAX_CONNECTIONS      as --max-connections
  SLURMRESTD_DEBUG                log level: a number 0-9 or quiet, fatal,
                                  error, info, verbose, debug, debug2..debug5
  SLURMRESTD_DEBUG_STDERR         log level on standard error (same values)
  SLURMRESTD_DEBUG_SYSLOG         log level to syslog (same values)
  SLURMRESTD_RESPONSE_STATUS_CODES  responses the description lists for
                                  each operation (default: 200,default)
  SLURMRESTD_SECURITY             flags; disable_user_check allows root on TCP
  SLURM_JSON, SLURMRESTD_YAML     'compact' drops the pretty printing
  SLURMRESTPY_CACHE               as --cache

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
    p.add_argument("listeners", nargs="*", help=argparse.SUPPRESS)
    p.add_argument("-a", dest="auth_types", metavar="PLUGINS",
                   help="authentication plugins, comma separated: rest_auth/jwt, rest_auth/local (or 'list')")
    p.add_argument("-d", dest="data_parsers", metavar="PLUGINS",
                   help="API versions to serve, comma separated: v0.0.44, latest (or 'list')")
    p.add_argument("-f", dest="slurm_conf", metavar="FILE",
                   help="read this slurm.conf instead of SLURM_CONF or /etc/slurm/slurm.conf")
    p.add_argument("-g", dest="group", metavar="GROUP", help="run as this group after opening the listeners")
    p.add_argument("-s", dest="openapi_plugins", metavar="PLUGINS",
                   help="OpenAPI plugins, comma separated: slurmctld, slurmdbd, util (or 'list')")
    p.add_argument("-t", dest="threads", type=int, metavar="N",
                   help="how many Slurm commands may run at once (default: %d)" % Config.max_concurrent_commands)
    p.add_argument("-u", dest="user", metavar="USER", help="run as this user after opening the listeners")
    p.add_argument("-v", dest="verbosity", action="count", default=0, help="log more; repeat for more")
    p.add_argument("-V", dest="show_version", action="store_true", help="print the version and exit")
    p.add_argument("--max-connections", type=int, metavar="N",
                   help="connections served at once; more wait until one ends")
    p.add_argument("--generate-openapi-spec", action="store_true",
                   help="print the description of what -s and -d select, then exit")
    p.add_argument("--allow-root", action="store_true",
                   help="serve TCP as root anyway (development boxes only; logs a warning)")
    p.add_argument("--jwt-key", metavar="FILE",
                   help="the HS256 key (default: AuthAltParameters=jwt_key= of slurm.conf)")
    p.add_argument("--jwks", metavar="FILE",
                   help="a JWKS file of RS256 keys (default: AuthAltParameters=jwks= of slurm.conf)")
    p.add_argument("--command-timeout", type=float, default=Config.command_timeout, metavar="SECONDS",
                   help="how long one Slurm command may run (default: %(default)s)")
    p.add_argument("--coalesce", type=float, default=Config.coalesce_seconds, metavar="SECONDS",
                   help="identical reads of one user within SECONDS share one Slurm command "
                        "(default: %(default)s; 0: only reads in flight at the same time)")
    p.add_argument("--cache", metavar="URL",
                   help="share Slurm command results and answers with other instances through Redis "
                        "or Valkey: redis://[:password@]host:port/db, rediss:// (TLS) or unix:///path "
                        "(default: SLURMRESTPY_CACHE, else none: this process alone)")
    p.add_argument("--metrics", default=Config.metrics, metavar="WHERE",
                   help="GET /metrics (Prometheus): on (every listener), off, or one of the listeners "
                        "given, which alone serves it (default: %(default)s)")
    p.add_argument("--max-user-commands", type=int, metavar="N",
                   help="Slurm commands one user may run at once (default: half of -t)")
    p.add_argument("--max-body-size", type=int, default=Config.max_body_size, metavar="BYTES",
                   help="largest request body; larger ones are answered 413 (default: %(default)s)")
    p.add_argument("--max-command-output", type=int, default=Config.max_command_output, metavar="BYTES",
                   help="most output read from one Slurm command; beyond it the request fails "
                        "(default: %(default)s)")
    p.add_argument("--forwarded-allow-ips", metavar="ADDRESSES",
                   help="proxies (addresses or networks, separated by commas, or '*') whose "
                        "X-Forwarded-For names the client (default: none)")
    return p


def _choices(value: str | None, env: str, known: tuple[str, ...], what: str, environ,
             prefix: str = "") -> list[str] | None:
    """The comma-separated names chosen; `prefix` (data_parser/) may be spelled or not."""
    value = value if value is not None else environ.get(env)
    if value is None:
        return None
    chosen = [item.strip().removeprefix(prefix) for item in value.split(",") if item.strip()]
    if chosen == ["list"]:
        return ["list"]
    unknown = [item for item in chosen if item not in known]
    if unknown or not chosen:
        raise UsageError(f"unknown {what} {', '.join(unknown) or repr(value)}; known: {', '.join(known)}")
    return chosen


def _positive(value, env: str, environ, what: str) -> int | None:
    value = value if value is not None else environ.get(env)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise UsageError(f"{what} must be a positive number, not {value!r}")
    return number


SECURITY_FLAGS = ("become_user", "disable_unshare_files", "disable_unshare_sysv", "disable_user_check")


def _security(value: str | None) -> list[str]:
    flags = [item.strip() for item in (value or "").split(",") if item.strip()]
    unknown = [item for item in flags if item not in SECURITY_FLAGS]
    if unknown:
        raise UsageError(f"SLURMRESTD_SECURITY: unknown {', '.join(unknown)}; known: {', '.join(SECURITY_FLAGS)}")
    return flags


def _status_codes(value: str | None) -> list[str]:
    if not value:
        return ["200", "default"]
    codes = [item.strip().lower() for item in value.split(",") if item.strip()]
    bad = [code for code in codes if code != "default" and not (code.isdigit() and 100 <= int(code) <= 599)]
    if bad or not codes:
        raise UsageError(f"SLURMRESTD_RESPONSE_STATUS_CODES: not an HTTP status: {', '.join(bad) or value!r}")
    return codes


def config_from(argv: list[str], environ=None) -> tuple[Config, argparse.Namespace]:
    environ = os.environ if environ is None else environ
    args = parser().parse_args(argv)
    from server.specs import available_versions

    versions = available_versions()
    config = Config(
        slurm_conf=args.slurm_conf,
        jwt_key=args.jwt_key,
        jwks=args.jwks,
        user=args.user,
        group=args.group,
        allow_root=args.allow_root
        or "disable_user_check" in _security(environ.get("SLURMRESTD_SECURITY")),
        command_timeout=args.command_timeout,
        coalesce_seconds=args.coalesce,
        compact_json="compact" in environ.get("SLURM_JSON", "").lower(),
        compact_yaml="compact" in (environ.get("SLURMRESTD_YAML") or environ.get("SLURM_YAML") or "").lower(),
        security=_security(environ.get("SLURMRESTD_SECURITY")),
        response_status_codes=_status_codes(environ.get("SLURMRESTD_RESPONSE_STATUS_CODES")),
    )
    config.auth_types = _choices(args.auth_types, "SLURMRESTD_AUTH_TYPES", AUTH_PLUGINS,
                                 "authentication plugin", environ) or config.auth_types
    config.openapi_plugins = _choices(args.openapi_plugins, "SLURMRESTD_OPENAPI_PLUGINS", OPENAPI_PLUGINS,
                                      "OpenAPI plugin", environ) or config.openapi_plugins
    parsers = _choices(args.data_parsers, "SLURMRESTD_DATA_PARSER_PLUGINS", (*versions, "latest"),
                       "data parser", environ, prefix="data_parser/")
    config.data_parsers = ([versions[-1] if p == "latest" else p for p in parsers]
                           if parsers and parsers != ["list"] else parsers)
    config.max_concurrent_commands = _positive(args.threads, "", {}, "-t") or config.max_concurrent_commands
    config.max_user_commands = _positive(args.max_user_commands, "", {}, "--max-user-commands")
    config.max_command_output = _positive(args.max_command_output, "", {}, "--max-command-output")
    config.max_body_size = _positive(args.max_body_size, "", {}, "--max-body-size")
    config.forwarded_allow_ips = [item.strip() for item in (args.forwarded_allow_ips or "").split(",")
                                  if item.strip()]
    config.max_connections = _positive(args.max_connections, "SLURMRESTD_MAX_CONNECTIONS", environ,
                                       "--max-connections")
    try:
        debug = level_of(environ.get("SLURMRESTD_DEBUG"))
    except ValueError as error:
        raise UsageError(f"SLURMRESTD_DEBUG: {error}") from None
    config.verbosity = args.verbosity + max(debug - LEVELS["info"], 0) if debug is not None else args.verbosity
    listeners = args.listeners or from_environment(environ.get("SLURMRESTD_LISTEN"))
    try:
        parse_all(listeners)  # a bad one stops us before anything starts
    except ListenerError as error:
        raise UsageError(str(error)) from None
    config.listeners = listeners
    if args.metrics not in ("on", "off") and args.metrics not in listeners:
        raise UsageError(f"--metrics {args.metrics}: not on, off or one of the listeners "
                         f"({', '.join(listeners) or 'none given'})")
    config.metrics = args.metrics
    config.cache = args.cache or environ.get("SLURMRESTPY_CACHE") or None
    if config.cache:
        try:
            check_url(config.cache)
        except ValueError as error:
            raise UsageError(f"--cache: {error}") from None
    return config, args


def list_plugins(config: Config) -> str | None:
    """What `-a list`, `-s list` or `-d list` asks to print, if any."""
    from server.specs import available_versions

    if config.auth_types == ["list"]:
        return "\n".join(AUTH_PLUGINS)
    if config.openapi_plugins == ["list"]:
        return "\n".join(OPENAPI_PLUGINS)
    if config.data_parsers == ["list"]:
        return "\n".join(f"data_parser/{v}" for v in available_versions())
    return None


def generate_spec(config: Config) -> str:
    from server.specs import Specs, available_versions

    specs = Specs(config.data_parsers or available_versions(), plugins=config.openapi_plugins)
    return json.dumps(specs.combined(anonymous="rest_auth/local" in config.auth_types), indent=2)


def main(argv: list[str] | None = None) -> int:
    # connexion imports starlette's test client, which warns about httpx at
    # import time: noise for an operator, not something they can act on.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    try:
        config, args = config_from(sys.argv[1:] if argv is None else argv)
        if args.show_version:
            print(f"slurmrestpy {__version__}")
            return 0
        listing = list_plugins(config)
        if listing is not None:
            print(listing)
            return 0
        if args.generate_openapi_spec:
            print(generate_spec(config))
            return 0
    except UsageError as error:
        print(f"slurmrestpy: {error}", file=sys.stderr)
        return 1
    from server.daemon import serve

    return serve(config)


if __name__ == "__main__":
    sys.exit(main())
