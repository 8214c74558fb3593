"""Times and durations the way Slurm's command-line tools print and read
them, for the text outputs of 22.05 (`scontrol -o show ...`) and the
`key=value` arguments of `scontrol create|update`.

Slurm prints a duration with ``secs2time_str``/``mins2time_str``:
``[D-]HH:MM:SS``, and ``UNLIMITED`` or ``INFINITE`` for no limit; it reads
one (``time_str2secs``/``time_str2mins``) as ``M``, ``M:S``, ``H:M:S``,
``D-H``, ``D-H:M`` or ``D-H:M:S``. A point in time is printed in the local
time zone as ``YYYY-MM-DDTHH:MM:SS`` (no ``SLURM_TIME_FORMAT`` reaches the
commands slurmrestpy runs) and read back the same way.
"""

from __future__ import annotations

import re
import time

UNLIMITED_WORDS = {"UNLIMITED", "INFINITE", "Unlimited", "infinite", "unlimited"}

_DURATION = re.compile(r"^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$")


def duration_seconds(text: str) -> int | None:
    """Seconds of a duration Slurm printed (``1-00:30:00`` -> 88200), None
    for a word that is no number (``UNLIMITED``, ``NONE``, ``(null)``).

    Without a day part, three fields are H:M:S and two are M:S; with one,
    ``D-H``, ``D-H:M`` and ``D-H:M:S``, as ``time_str2secs`` reads them.
    """
    match = _DURATION.match(text.strip())
    if not match:
        return None
    days, a, b, c = match.groups()
    if days is not None:
        hours, minutes, seconds = int(a), int(b or 0), int(c or 0)
        return ((int(days) * 24 + hours) * 60 + minutes) * 60 + seconds
    if c is not None:
        return (int(a) * 60 + int(b)) * 60 + int(c)
    if b is not None:
        return int(a) * 60 + int(b)
    return int(a) * 60  # a bare number is minutes


def duration_minutes(text: str) -> int | None:
    seconds = duration_seconds(text)
    return None if seconds is None else seconds // 60


def format_seconds(seconds: int) -> str:
    """A duration as ``D-HH:MM:SS``, which every reader of Slurm's takes as
    exactly that many seconds (a bare number would be minutes)."""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{days}-{hours:02d}:{minutes:02d}:{secs:02d}"


def timestamp(text: str) -> int | None:
    """UNIX time of a local ``YYYY-MM-DDTHH:MM:SS`` Slurm printed; None for
    anything else (``Unknown``, ``None``, ``(null)``)."""
    try:
        return int(time.mktime(time.strptime(text.strip(), "%Y-%m-%dT%H:%M:%S")))
    except ValueError:
        return None


def format_timestamp(epoch: int) -> str:
    """A UNIX time as the local ``YYYY-MM-DDTHH:MM:SS`` Slurm's parse_time reads."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(int(epoch)))
