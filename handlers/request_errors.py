"""Bad input a handler finds itself (what the description's schema cannot
say): answered 400 in slurmrestd's envelope, naming the field, in one line,
before any Slurm command runs."""

from __future__ import annotations

from server.slurm.command import SlurmError
from server.slurm.errno import by_name

_SHOWN = 80  # characters of the offending value quoted back


def shown(value) -> str:
    """The offending value as quoted in a message: repr, cut short."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN - 3] + "..."


def bad_request(field: str, message: str) -> SlurmError:
    """`field`: the parameter or body property at fault, as the client wrote it."""
    known = by_name("ESLURM_REST_FAIL_PARSING")
    return SlurmError(f"Invalid {field!r}: {message}", number=known.number if known else None,
                      source=field, status=400)
