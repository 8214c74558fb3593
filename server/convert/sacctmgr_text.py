"""`sacctmgr -n -P show <entity> format=a,b,c` output: one record a line,
fields in the order of `format=`, separated by `|`. Slurm 22.05's sacctmgr
has no JSON, so accounting objects are read from this text; the command
object that asks for the fields is the one that knows their names."""

from __future__ import annotations


def rows(text: str, fields: list[str] | tuple[str, ...]) -> list[dict[str, str]]:
    """Each line as {field: value}; a line with more `|` than fields keeps the
    surplus in the last field (a description may hold a `|`)."""
    result = []
    for line in text.splitlines():
        if not line.strip():
            continue
        values = line.split("|", len(fields) - 1)
        values += [""] * (len(fields) - len(values))
        result.append(dict(zip(fields, values)))
    return result


def split_list(value: str) -> list[str]:
    """`a,b,c` as a list; empty for an empty value."""
    return [item for item in value.split(",") if item]
