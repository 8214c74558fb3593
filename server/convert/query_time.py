"""Times as slurmrestd takes them in a query: a UNIX timestamp, or one of the
time strings Slurm's commands accept (``sacct -S``), read the way Slurm reads
them when it looks into the past.

slurmrestd's URL query reader turns a value made only of digits into a
number before anything else sees it, so ``start_time=0228`` is the UNIX time
228, never 28 February; every other value is a Slurm time string:

- ``now``, ``now+N`` / ``now-N`` with an optional unit (seconds, minutes,
  hours, days, weeks; default seconds);
- ``today``, ``tomorrow``, ``midnight``, ``noon``, ``elevenses`` (11:00),
  ``fika`` (15:00), ``teatime`` (16:00);
- ``HH:MM[:SS] [AM|PM]``: a time of day alone is today's (Slurm's reading
  when it looks into the past);
- ``MMDD[YY]``, ``MM/DD[/YY]``, ``MM.DD[.YY]``, ``YYYY-MM-DD``, each
  optionally followed by ``-`` or ``T`` and a time of day;
- ``uts<timestamp>``.

A date without a year is this year, or last year when its month is still to
come. Local time, as the Slurm commands on this host use it.

``parse`` gives the UNIX time or raises ``ValueError`` saying what is wrong;
``server.convert.slurm_time.format_timestamp`` writes one back the way the
commands read it unambiguously.
"""

from __future__ import annotations

import re
import time as _time
from datetime import datetime, timedelta

UNITS = {"seconds": 1, "second": 1, "minutes": 60, "minute": 60, "hours": 3600, "hour": 3600,
         "days": 86400, "day": 86400, "weeks": 604800, "week": 604800}
NAMED_TIMES = {"midnight": (0, 0), "noon": (12, 0), "elevenses": (11, 0), "fika": (15, 0),
               "teatime": (16, 0)}

_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(am|pm))?", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})[./]?(\d{1,2})(?:[./]?(\d{2}))?")


def parse(text: str, now: float | None = None) -> int:
    """The UNIX time a query value stands for."""
    value = str(text).strip()
    if not value:
        raise ValueError("no time given")
    if re.fullmatch(r"\d+", value):
        return int(value)
    if value[:3].lower() == "uts":
        digits = value[3:]
        if not digits.isdigit() or int(digits) < 1000000:
            raise ValueError(f"{value!r} is not uts followed by a UNIX time")
        return int(digits)
    current = datetime.fromtimestamp(_time.time() if now is None else now)
    day: tuple[int, int, int | None] | None = None  # month, day, year (None: not given)
    clock: tuple[int, int, int] | None = None
    lower, pos = value.lower(), 0
    while pos < len(value):
        if value[pos] in " \t-T":
            pos += 1
            continue
        rest = lower[pos:]
        if rest.startswith("today"):
            day, pos = (current.month, current.day, current.year), pos + 5
        elif rest.startswith("tomorrow"):
            later = current + timedelta(days=1)
            day, pos = (later.month, later.day, later.year), pos + 8
        elif any(rest.startswith(n) for n in NAMED_TIMES):
            name = next(n for n in NAMED_TIMES if rest.startswith(n))
            clock, pos = (*NAMED_TIMES[name], 0), pos + len(name)
        elif rest.startswith("now"):
            delta, pos = _delta(value, pos + 3)
            later = current + timedelta(seconds=delta)
            day = (later.month, later.day, later.year)
            clock = (later.hour, later.minute, later.second)
        elif not value[pos].isdigit():
            raise ValueError(f"{value!r} is not a time Slurm reads (at {value[pos:]!r})")
        elif ":" in value[pos + 1:pos + 3]:
            clock, pos = _time_of_day(value, pos)
        else:
            day, pos = _date(value, pos)
    if day is None and clock is None:
        raise ValueError(f"{value!r} names no date or time")
    month, mday, year = day if day is not None else (current.month, current.day, current.year)
    if year is None:
        year = current.year - 1 if month > current.month else current.year
    try:
        moment = datetime(year, month, mday, *(clock or (0, 0, 0)))
    except ValueError as error:
        raise ValueError(f"{value!r}: {error}") from None
    return int(_time.mktime(moment.timetuple()))


def _time_of_day(value: str, pos: int) -> tuple[tuple[int, int, int], int]:
    match = _TIME_OF_DAY.match(value, pos)
    if not match:
        raise ValueError(f"{value!r}: expected HH:MM[:SS] at {value[pos:]!r}")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    meridiem = (match[4] or "").lower()
    if meridiem == "pm":
        hour = 12 if hour == 12 else hour + 12
    elif meridiem == "am" and hour <= 12:
        hour = 0 if hour == 12 else hour
    elif meridiem == "am":
        raise ValueError(f"{value!r}: {match[1]} AM is no hour")
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{value!r}: {match[0]!r} is no time of day")
    return (hour, minute, second), match.end()


def _date(value: str, pos: int) -> tuple[tuple[int, int, int | None], int]:
    match = _ISO_DATE.match(value, pos)
    if match:
        found = (int(match[2]), int(match[3]), int(match[1]))
    else:
        match = _US_DATE.match(value, pos)
        if not match:
            raise ValueError(f"{value!r}: expected a date at {value[pos:]!r}")
        found = (int(match[1]), int(match[2]), 2000 + int(match[3]) if match[3] else None)
    if not (1 <= found[0] <= 12 and 1 <= found[1] <= 31):
        raise ValueError(f"{value!r}: {match[0]!r} is no date")
    return found, match.end()


def _delta(value: str, pos: int) -> tuple[int, int]:
    """After ``now``: nothing, or ``+N[unit]`` / ``-N[unit]``."""
    while pos < len(value) and value[pos] in " \t":
        pos += 1
    if pos >= len(value):
        return 0, pos
    sign = {"+": 1, "-": -1}.get(value[pos])
    match = re.match(r"\s*(\d+)\s*([a-z]*)\s*$", value[pos + 1:], re.IGNORECASE)
    if sign is None or not match:
        raise ValueError(f"{value!r}: expected now, now+N[unit] or now-N[unit]")
    unit = match[2].lower()
    if unit and unit not in UNITS:
        raise ValueError(f"{value!r}: {match[2]!r} is not seconds, minutes, hours, days or weeks")
    return sign * int(match[1]) * UNITS.get(unit, 1), len(value)
