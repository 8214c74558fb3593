"""Advance reservations both ways: Slurm 22.05's `scontrol -o show
reservation` into the internal form (the shape of v0.0.44
``reservation_info``), and a v0.0.44 ``reservation_desc_msg`` into the
``key=value`` arguments of `scontrol create|update reservation`. Pure.

Reading (recordings in ``tests/data/slurm-22.05/reservations/``): 22.05
prints one line a reservation::

    ReservationName=r StartTime=2028-11-22T00:00:00 EndTime=... Duration=...
    Nodes=n[1-2] NodeCnt=2 CoreCnt=4 Features=(null) PartitionName=debug
    Flags=MAINT,IGNORE_JOBS,PURGE_COMP=00:05:00 TRES=cpu=4 Users=a,b
    Groups=(null) Accounts=research Licenses=fluent:1 State=INACTIVE
    BurstBuffer=(null) Watts=n/a MaxStartDelay=00:10:00

Times are local; ``(null)`` is "not set" ("" in v0.0.44); ``Flags=`` is empty
when there are none; the purge time of ``PURGE_COMP`` rides on the flag
(v0.0.44: ``purge_completed.time``, seconds); ``MaxStartDelay`` is a duration
(v0.0.44: seconds, 0 when unset); a license-only reservation prints
``ANY_NODES`` (22.05's LICENSE_ONLY is the same bit). ``State`` and
``Duration`` have no v0.0.44 property (``end_time`` carries the latter).
``FIRST_CORES`` has no v0.0.44 flag name and is dropped. v0.0.44's
``comment`` does not exist in 22.05 and is left out.

Writing: see ``scontrol_arguments``.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from server.convert import scontrol_text
from server.convert.slurm_time import (
    UNLIMITED_WORDS,
    duration_seconds,
    format_seconds,
    format_timestamp,
    timestamp,
)

UNSET = {"set": False, "infinite": False, "number": 0}
INFINITE = {"set": False, "infinite": True, "number": 0}

# v0.0.44's reservation flag names (reservation_info and reservation_desc_msg)
FLAG_NAMES = (
    "MAINT", "NO_MAINT", "DAILY", "NO_DAILY", "WEEKLY", "NO_WEEKLY", "IGNORE_JOBS",
    "NO_IGNORE_JOBS", "ANY_NODES", "NO_ANY_NODES", "STATIC", "NO_STATIC", "PART_NODES",
    "NO_PART_NODES", "OVERLAP", "SPEC_NODES", "TIME_FLOAT", "REPLACE", "ALL_NODES",
    "PURGE_COMP", "WEEKDAY", "NO_WEEKDAY", "WEEKEND", "NO_WEEKEND", "FLEX", "NO_FLEX",
    "DURATION_PLUS", "DURATION_MINUS", "NO_HOLD_JOBS_AFTER_END", "REPLACE_DOWN",
    "NO_PURGE_COMP", "MAGNETIC", "NO_MAGNETIC", "SKIP", "HOURLY", "NO_HOURLY",
    "USER_DELETE", "FORCE_START", "NO_USER_DELETE", "REOCCURRING", "TRES_PER_NODE",
)
# 22.05 prints these names for bits v0.0.44 names differently
PRINTED_FLAG_ALIASES = {"LICENSE_ONLY": "ANY_NODES", "STATIC_ALLOC": "STATIC"}

_CORE_SPEC = re.compile(r"NodeName=(\S+) CoreIDs=(\S+)")


# ---------------------------------------------------------------------------
# Reading


def reservations(text: str) -> list[dict]:
    """Every reservation of `scontrol -o show reservation` ("No reservations
    in the system" is none)."""
    found = []
    for line in text.splitlines():
        if line.startswith("ReservationName="):
            found.append(reservation(scontrol_text.record(line), line))
    return found


def reservation(f: Mapping[str, str], line: str = "") -> dict:
    flags, purge_seconds = _flags(f.get("Flags", ""))
    return {
        "accounts": _text(f.get("Accounts")),
        "burst_buffer": _text(f.get("BurstBuffer")),
        "core_count": _int(f.get("CoreCnt")),
        "core_specializations": [{"node": node, "core": cores}
                                 for node, cores in _CORE_SPEC.findall(line)],
        "end_time": _time(f.get("EndTime")),
        "features": _text(f.get("Features")),
        "flags": flags,
        "groups": _text(f.get("Groups")),
        "licenses": _text(f.get("Licenses")),
        "max_start_delay": _seconds(f.get("MaxStartDelay")),
        "name": f.get("ReservationName", ""),
        "node_count": _int(f.get("NodeCnt")),
        "node_list": _text(f.get("Nodes")),
        "partition": _text(f.get("PartitionName")),
        "purge_completed": {
            "time": _number(purge_seconds) if purge_seconds is not None else dict(UNSET),
        },
        "start_time": _time(f.get("StartTime")),
        "watts": _watts(f.get("Watts")),
        "tres": _text(f.get("TRES")),
        "users": _text(f.get("Users")),
    }


def _text(value: str | None) -> str:
    return scontrol_text.value_or_none(value) or ""


def _int(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def _number(number: int) -> dict:
    return {"set": True, "infinite": False, "number": number}


def _time(value: str | None) -> dict:
    epoch = timestamp(value) if value else None
    return dict(UNSET) if epoch is None else _number(epoch)


def _seconds(value: str | None) -> int:
    seconds = duration_seconds(value) if value else None
    return seconds or 0


def _watts(value: str | None) -> dict:
    text = _text(value)
    if not text:
        return dict(UNSET)
    if text in UNLIMITED_WORDS:
        return dict(INFINITE)
    try:
        return _number(int(text))
    except ValueError:
        return dict(UNSET)


def _flags(value: str) -> tuple[list[str], int | None]:
    names: list[str] = []
    purge_seconds = None
    for word in value.split(","):
        name, _, argument = word.strip().partition("=")
        name = PRINTED_FLAG_ALIASES.get(name.upper(), name.upper())
        if name == "PURGE_COMP" and argument:
            purge_seconds = duration_seconds(argument)
        if name in FLAG_NAMES and name not in names:
            names.append(name)
    return names, purge_seconds


# ---------------------------------------------------------------------------
# Writing


class InvalidDescription(ValueError):
    """A reservation description Slurm cannot be asked for: ``field`` names
    the property (dotted path) at fault. ``errno_name`` is the Slurm error it
    stands for: ESLURM_RESERVATION_INVALID when the description lacks what
    every reservation needs (slurmrestd's own checks answer that one),
    ESLURM_REST_FAIL_PARSING when Slurm has no way to express it."""

    def __init__(self, field: str, message: str, errno_name: str = "ESLURM_REST_FAIL_PARSING"):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.errno_name = errno_name


def _missing(field: str, message: str) -> InvalidDescription:
    return InvalidDescription(field, message, "ESLURM_RESERVATION_INVALID")


# v0.0.44 flag -> the word `scontrol ... Flags=` of 22.05 reads
# (parse_resv_flags: a name, "-name" to clear it).
FLAG_WORDS = {
    "MAINT": "MAINT",
    "NO_MAINT": "-MAINT",
    "DAILY": "DAILY",
    "NO_DAILY": "-DAILY",
    "WEEKLY": "WEEKLY",
    "NO_WEEKLY": "-WEEKLY",
    "HOURLY": "HOURLY",
    "NO_HOURLY": "-HOURLY",
    "WEEKDAY": "WEEKDAY",
    "NO_WEEKDAY": "-WEEKDAY",
    "WEEKEND": "WEEKEND",
    "NO_WEEKEND": "-WEEKEND",
    "IGNORE_JOBS": "IGNORE_JOBS",
    "NO_IGNORE_JOBS": "-IGNORE_JOBS",
    "ANY_NODES": "ANY_NODES",
    "NO_ANY_NODES": "-ANY_NODES",
    "STATIC": "STATIC_ALLOC",
    "NO_STATIC": "-STATIC_ALLOC",
    "PART_NODES": "PART_NODES",
    "NO_PART_NODES": "-PART_NODES",
    "FLEX": "FLEX",
    "NO_FLEX": "-FLEX",
    "MAGNETIC": "MAGNETIC",
    "NO_MAGNETIC": "-MAGNETIC",
    "PURGE_COMP": "PURGE_COMP",
    "NO_PURGE_COMP": "-PURGE_COMP",
    "OVERLAP": "OVERLAP",
    "TIME_FLOAT": "TIME_FLOAT",
    "REPLACE": "REPLACE",
    "REPLACE_DOWN": "REPLACE_DOWN",
    "NO_HOLD_JOBS_AFTER_END": "NO_HOLD_JOBS_AFTER_END",
}
# Flags that are not requests at all: Slurm sets them itself and prints them.
PRINTED_ONLY_FLAGS = {
    "SPEC_NODES": "Slurm sets it when node_list names the nodes",
    "ALL_NODES": "Slurm sets it when node_list is ALL",
    "REOCCURRING": "Slurm sets it for a reservation that repeats",
}
# Flags of Slurms after 22.05, passed by name to a Slurm that has them.
LATER_FLAGS = {
    "USER_DELETE": (23, 11),
    "NO_USER_DELETE": (23, 11),
    "FORCE_START": (24, 5),
    "TRES_PER_NODE": (24, 11),
}
COMMENT_SINCE = (23, 2)


def scontrol_arguments(desc: Mapping[str, Any], *, update: bool,
                       slurm_version: tuple[int, ...] = (22, 5, 0)) -> list[str]:
    """The arguments after `scontrol create reservation` (``update`` False)
    or `scontrol update` (True) that ask Slurm for ``desc``, one argv word a
    ``Key=value``; raises InvalidDescription for a property Slurm cannot be
    asked for (naming it), and, for a creation, for what Slurm requires of
    every new reservation (as scontrol and slurmrestd check it).

    Lists (accounts, users, groups, licenses, node_list) are joined by
    commas; an empty list is "not given", as in slurmrestd. Numbers use
    v0.0.44's no_val structs: ``{"set": false}`` is "not given",
    ``{"infinite": true}`` unlimited (only duration and end_time can be),
    a ``number`` is taken when ``set`` is not false.
    """
    name = desc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _missing("name", "a reservation name is required (Reservation must be given)")
    version = tuple(slurm_version[:2])
    args = [f"ReservationName={name}"]
    flags = list(desc.get("flags") or [])

    start = _no_val(desc, "start_time")
    end = _no_val(desc, "end_time")
    duration = _no_val(desc, "duration")
    if start == "infinite":
        raise InvalidDescription("start_time", "cannot be infinite; give a UNIX time")
    if start is not None:
        args.append(f"StartTime={format_timestamp(start)}")
    if end == "infinite":
        if duration is not None:
            raise InvalidDescription("end_time", "an infinite end_time and a duration contradict each other")
        duration = "infinite"  # 22.05 takes no EndTime=UNLIMITED, but Duration=UNLIMITED
        end = None
    if end is not None:
        args.append(f"EndTime={format_timestamp(end)}")
    plus, minus = "DURATION_PLUS" in flags, "DURATION_MINUS" in flags
    if plus and minus:
        raise InvalidDescription("flags", "DURATION_PLUS and DURATION_MINUS cannot both be given")
    if plus or minus:
        if not update:
            raise InvalidDescription("flags", f"{'DURATION_PLUS' if plus else 'DURATION_MINUS'} only "
                                     "applies when changing an existing reservation")
        if not isinstance(duration, int):
            raise InvalidDescription("duration", f"{'DURATION_PLUS' if plus else 'DURATION_MINUS'} "
                                     "needs a duration (minutes) to add or take away")
        args.append(f"Duration{'+' if plus else '-'}={duration}")
    elif duration == "infinite":
        args.append("Duration=UNLIMITED")
    elif duration is not None:
        args.append(f"Duration={duration}")

    for field, key in (("node_count", "NodeCnt"), ("core_count", "CoreCnt")):
        value = _no_val(desc, field)
        if value == "infinite":
            raise InvalidDescription(field, "cannot be infinite; give a count")
        if value is not None:
            args.append(f"{key}={value}")

    nodes = _joined(desc, "node_list")
    if nodes:
        args.append(f"Nodes={nodes}")
    for field, key in (("partition", "PartitionName"), ("features", "Features"),
                       ("burst_buffer", "BurstBuffer")):
        value = desc.get(field)
        if value not in (None, ""):
            args.append(f"{key}={value}")
    for field, key in (("users", "Users"), ("groups", "Groups"), ("accounts", "Accounts"),
                       ("licenses", "Licenses")):
        value = _joined(desc, field)
        if value:
            args.append(f"{key}={value}")
    tres = _tres(desc.get("tres"))
    if tres:
        args.append(f"TRES={tres}")

    delay = _no_val(desc, "max_start_delay")
    if delay == "infinite":
        raise InvalidDescription("max_start_delay", "cannot be infinite; give seconds")
    if delay is not None:
        args.append(f"MaxStartDelay={format_seconds(delay)}")

    comment = desc.get("comment")
    if comment not in (None, ""):
        if version < COMMENT_SINCE:
            raise InvalidDescription("comment", "Slurm 22.05 keeps no comment on reservations")
        args.append(f"Comment={comment}")

    words, skip = _flag_words(flags, desc, update=update, version=version)
    if words:
        args.append("Flags=" + ",".join(words))
    if skip:
        args.append("Skip")

    if not update:
        _check_creation(desc, flags, start=start, end=end, duration=duration)
    return args


def _no_val(desc: Mapping[str, Any], field: str, path: str | None = None):
    """None (not given), "infinite", or the number; errors name ``path``
    (default: ``field``)."""
    value = desc.get(field)
    field = path or field
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidDescription(field, "expected a number")
    if isinstance(value, int):  # slurmrestd also takes a bare number
        return value
    if not isinstance(value, Mapping):
        raise InvalidDescription(field, "expected {set, infinite, number}")
    if value.get("infinite"):
        return "infinite"
    if value.get("set") is False or "number" not in value:
        return None
    number = value["number"]
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise InvalidDescription(f"{field}.number", "expected a number of at least 0")
    return number


def _joined(desc: Mapping[str, Any], field: str) -> str:
    value = desc.get(field)
    if value is None:
        return ""
    if isinstance(value, str):  # slurmrestd also takes "a,b"
        items = value.split(",")
    else:
        items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise InvalidDescription(field, "expected a list of names")
    return ",".join(item.strip() for item in items if item.strip())


def _tres(value) -> str:
    if not value:
        return ""
    words = []
    for index, item in enumerate(value):
        if not isinstance(item, Mapping) or not item.get("type"):
            raise InvalidDescription(f"tres[{index}].type", "each TRES needs a type (cpu, node, license, ...)")
        count = item.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InvalidDescription(f"tres[{index}].count", "each reserved TRES needs a count")
        kind = item["type"].lower()
        words.append(f"{kind}/{item['name']}={count}" if item.get("name") else f"{kind}={count}")
    return ",".join(words)


def _flag_words(flags: list[str], desc: Mapping[str, Any], *, update: bool,
                version: tuple[int, ...]) -> tuple[list[str], bool]:
    words: list[str] = []
    skip = False
    purge_completed = desc.get("purge_completed") or {}
    if not isinstance(purge_completed, Mapping):
        raise InvalidDescription("purge_completed", "expected {time}")
    purge = _no_val(purge_completed, "time", "purge_completed.time")
    if purge == "infinite":
        raise InvalidDescription("purge_completed.time", "cannot be infinite; give seconds")
    if purge is not None and "PURGE_COMP" not in flags:
        raise InvalidDescription("purge_completed.time", "Slurm 22.05 takes the purge time only "
                                 "with the PURGE_COMP flag: add PURGE_COMP to flags")
    for flag in flags:
        if flag in ("DURATION_PLUS", "DURATION_MINUS"):
            continue  # expressed as Duration+=/-=
        if flag == "SKIP":
            if not update:
                raise InvalidDescription("flags", "SKIP only applies to an existing repeating reservation")
            skip = True
            continue
        if flag in PRINTED_ONLY_FLAGS:
            raise InvalidDescription("flags", f"{flag} cannot be requested: {PRINTED_ONLY_FLAGS[flag]}")
        if flag in LATER_FLAGS:
            if version < LATER_FLAGS[flag]:
                raise InvalidDescription("flags", f"{flag} does not exist in Slurm "
                                         f"{version[0]}.{version[1]:02d}")
            words.append(flag)
            continue
        word = FLAG_WORDS.get(flag)
        if word is None:
            raise InvalidDescription("flags", f"unknown reservation flag {flag}")
        if flag == "PURGE_COMP" and purge is not None:
            word = f"PURGE_COMP={format_seconds(purge)}"
        if word not in words:
            words.append(word)
    # 22.05's parse_resv_flags does not reset its "-" after a word: in
    # "-MAINT,DAILY" DAILY is cleared too. Every word to set goes first.
    return [w for w in words if not w.startswith("-")] + [w for w in words if w.startswith("-")], skip


def _check_creation(desc, flags, *, start, end, duration) -> None:
    """What Slurm requires of a new reservation, checked before asking it
    (the checks of scontrol's create_res.c and slurmrestd's
    validate_resv_create_desc), so that the answer names the field."""
    if start is None:
        raise _missing("start_time", "a new reservation needs a start time")
    if end is None and duration is None:
        raise _missing("end_time", "a new reservation needs an end_time or a duration")
    if isinstance(end, int) and isinstance(start, int):
        if end <= start:
            raise _missing("end_time", "the end must come after the start")
        if isinstance(duration, int) and start + duration * 60 != end:
            raise _missing("duration", "start_time + duration does not equal end_time")
    has_resources = any((
        _no_val(desc, "node_count") is not None,
        _no_val(desc, "core_count") is not None,
        _joined(desc, "node_list"), _joined(desc, "licenses"),
        desc.get("burst_buffer"), desc.get("tres"),
    ))
    # Without resources, a partition stands for all of its nodes (Slurm
    # itself sets Nodes=ALL and PART_NODES then).
    if not has_resources and not desc.get("partition"):
        raise _missing("node_list", "a new reservation needs resources: node_list, node_count, "
                                 "core_count, tres, licenses or burst_buffer")
    users, groups = _joined(desc, "users"), _joined(desc, "groups")
    if not (users or groups or _joined(desc, "accounts")):
        raise _missing("users", "a new reservation needs users, groups or accounts")
    if users and groups:
        raise _missing("groups", "users and groups are mutually exclusive")
    if "PART_NODES" in flags and not (desc.get("partition") and _joined(desc, "node_list") == "ALL"):
        raise _missing("flags", "PART_NODES needs a partition and node_list ALL")
