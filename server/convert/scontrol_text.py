"""`scontrol -o show <thing>` output: one record a line, `Key=value` pairs
separated by spaces. Slurm 22.05 has no JSON for scontrol, so nodes,
partitions, reservations and licenses are read from this text.

A value may hold spaces (`OS=Linux 6.1 #1 SMP`, `Reason=disk failed
[root@2026-01-01T00:00:00]`): a word that does not start a `Key=` belongs to
the value before it. Slurm prints `(null)`, `N/A` and `n/a` for "not set";
``value_or_none`` turns those into None.
"""

from __future__ import annotations

import re

_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_:/]*)=(.*)$", re.S)
NOT_SET = {"(null)", "N/A", "n/a", "n/s", "None", ""}


def records(text: str) -> list[dict[str, str]]:
    """Every non-empty line of `scontrol -o show ...` as a dict, keys as printed."""
    return [record(line) for line in text.splitlines() if line.strip()]


def record(line: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    last = None
    for word in line.split(" "):
        match = _KEY.match(word)
        if match and match.group(1) not in fields:
            last = match.group(1)
            fields[last] = match.group(2)
        elif last is not None:
            fields[last] = f"{fields[last]} {word}" if word else fields[last] + " "
    return {key: value.strip() for key, value in fields.items()}


def value_or_none(value: str | None) -> str | None:
    return None if value is None or value.strip() in NOT_SET else value
