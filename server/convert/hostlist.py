"""Slurm host lists (``n[01-03],gpu1``) as `scontrol show hostnames` and
`scontrol show hostlist` handle them, plus the one check Slurm's own parser
does not make.

Slurm 22.05's hostlist parser takes an unclosed bracket as plain text
(``n[1-`` expands to the single name ``n]``), so unbalanced brackets are
refused here before scontrol sees them. Everything else is left to scontrol,
which reports a bad range on stderr (``scontrol: error:
_parse_single_range: Invalid range: `3-1'`` then ``Invalid hostlist:
n[3-1]``): with exit status 0 for ``show hostnames``, 1 for ``show
hostlist``.
"""

from __future__ import annotations

import re

_RANGE_ERROR = re.compile(r"_parse_single_range: (.+)$")
_INVALID = "Invalid hostlist"
MAX_HOSTNAMES = 65_536  # names one expression may expand to (Slurm caps one range, not a product)
TOO_MANY = f"names more than {MAX_HOSTNAMES} hosts, the most this server expands"
_BOUND = re.compile(r"\s*(\d{1,18})\s*(?:-\s*(\d{1,18})\s*)?")


def size(expression: str, cap: int = MAX_HOSTNAMES) -> int:
    """How many names `expression` expands to, counted without expanding it,
    stopping once past `cap` (returns cap + 1 then). A range Slurm would
    refuse counts as one name: scontrol says what is wrong with it."""
    total = 0
    for term in _terms(expression):
        names = 1
        for group in re.findall(r"\[([^\[\]]*)\]", term):
            names *= _group_size(group)
            if names > cap:
                return cap + 1
        total += names
        if total > cap:
            return cap + 1
    return total


def _terms(expression: str) -> list[str]:
    """The comma-separated parts of an expression, commas in brackets kept."""
    terms, depth, start = [], 0, 0
    for position, char in enumerate(expression):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            terms.append(expression[start:position])
            start = position + 1
    terms.append(expression[start:])
    return [term for term in terms if term.strip()]


def _group_size(group: str) -> int:
    count = 0
    for part in group.split(","):
        match = _BOUND.fullmatch(part)
        if match and match.group(2) is not None and int(match.group(2)) >= int(match.group(1)):
            count += int(match.group(2)) - int(match.group(1)) + 1
        else:
            count += 1
    return max(count, 1)


def bracket_error(expression: str) -> str | None:
    """Why the brackets of a hostlist expression are unusable, or None."""
    open_at = None
    for position, char in enumerate(expression):
        if char == "[":
            if open_at is not None:
                return f"'[' at position {position + 1} opens a range inside another"
            open_at = position
        elif char == "]":
            if open_at is None:
                return f"']' at position {position + 1} closes no range"
            open_at = None
    if open_at is not None:
        return f"'[' at position {open_at + 1} is never closed"
    return None


def names(stdout: str) -> list[str]:
    """`scontrol show hostnames`: one host name a line."""
    return [line.strip() for line in stdout.splitlines() if line.strip()]


def expression(stdout: str) -> str:
    """`scontrol show hostlist`: the compressed expression on one line."""
    return stdout.strip()


def rejection(stderr: str) -> str | None:
    """Why scontrol refused a hostlist, from its stderr, or None if it did
    not: the parser's own reason where it gave one."""
    if _INVALID not in stderr:
        return None
    for line in stderr.splitlines():
        match = _RANGE_ERROR.search(line)
        if match:
            return match.group(1).strip()
    return "not a valid hostlist expression"
