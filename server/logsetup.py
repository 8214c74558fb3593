"""Logging as slurmrestd's operators know it: Slurm's level names and numbers
(SLURMRESTD_DEBUG, -v), standard error and optionally syslog, and one access
line per request (server/accesslog.py)."""

from __future__ import annotations

import logging
import logging.handlers
import os

# Slurm's log levels, by name and by number.
LEVELS = {"quiet": 0, "fatal": 1, "error": 2, "info": 3, "verbose": 4,
          "debug": 5, "debug2": 6, "debug3": 7, "debug4": 8, "debug5": 9}
PYTHON_LEVEL = {0: logging.CRITICAL + 10, 1: logging.CRITICAL, 2: logging.ERROR, 3: logging.INFO,
                4: logging.INFO, 5: logging.DEBUG, 6: logging.DEBUG, 7: logging.DEBUG,
                8: logging.DEBUG, 9: logging.DEBUG}
FORMAT = "%(asctime)s slurmrestpy %(levelname)s: %(message)s"


def level_of(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    value = value.strip().lower()
    if value.isdigit() and int(value) in PYTHON_LEVEL:
        return int(value)
    if value in LEVELS:
        return LEVELS[value]
    raise ValueError(f"unknown log level {value!r}: use 0-9 or {', '.join(LEVELS)}")


def configure(verbosity: int, environ=None) -> None:
    """Standard error at info (each -v one Slurm level more), unless
    SLURMRESTD_DEBUG_STDERR says otherwise; syslog when SLURMRESTD_DEBUG_SYSLOG
    names a level."""
    environ = os.environ if environ is None else environ
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    stderr_level = level_of(environ.get("SLURMRESTD_DEBUG_STDERR"))
    if stderr_level is None:
        stderr_level = min(LEVELS["info"] + verbosity, 9)
    stderr = logging.StreamHandler()
    stderr.setFormatter(logging.Formatter(FORMAT))
    stderr.setLevel(PYTHON_LEVEL[stderr_level])
    root.addHandler(stderr)
    levels = [stderr_level]
    syslog_level = level_of(environ.get("SLURMRESTD_DEBUG_SYSLOG"))
    if syslog_level is not None and os.path.exists("/dev/log"):
        syslog = logging.handlers.SysLogHandler(address="/dev/log")
        syslog.setFormatter(logging.Formatter("slurmrestpy[%(process)d]: %(levelname)s: %(message)s"))
        syslog.setLevel(PYTHON_LEVEL[syslog_level])
        root.addHandler(syslog)
        levels.append(syslog_level)
    root.setLevel(PYTHON_LEVEL[max(levels)])
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(library_level(max(levels)))


# The libraries' own lines are for their developers: connexion's choice of a
# content type, uvicorn's lifecycle and its refusal of a malformed request come
# once per request or say nothing an operator acts on, and would bury what
# does. Our lines say the same where it matters (listening, access lines).
LIBRARY_LOGGERS = ("connexion", "uvicorn", "uvicorn.error", "uvicorn.access")


def library_level(slurm_level: int) -> int:
    """Errors only; from -v (verbose) their warnings and notes; from debug2 everything."""
    if slurm_level >= LEVELS["debug2"]:
        return logging.DEBUG
    if slurm_level >= LEVELS["verbose"]:
        return logging.INFO
    return logging.ERROR


def reopen() -> None:
    """SIGHUP: reopen whatever log files are open (after logrotate)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            handler.close()
            handler.stream = handler._open()
        elif isinstance(handler, logging.handlers.SysLogHandler):
            handler.close()
            handler.socket = None
            handler._connect_unixsocket(handler.address)
    logging.getLogger("slurmrestpy").info("logs reopened (SIGHUP)")
