"""sacctmgr, one entity at a time: read its records, add, modify or delete.

Slurm 22.05's sacctmgr has no JSON: records are read from
`sacctmgr -n -P show <entity> <conditions> format=<fields>` (one record a
line, `|` between fields, in the order asked), and written with
`sacctmgr -i add|modify|delete <entity> ...` (-i: commit at once, no prompt).
Each is one argument vector; nothing goes through a shell, so a value with
spaces is one argument and sacctmgr sees it whole.

A Slurm that prints the requested API version itself
(`sacctmgr --json=v0.0.44 show qos`) is read through ``SacctmgrShowJson``.

sacctmgr reports failures in both streams (` Problem adding QOS:
Access/permission denied` on stdout, `sacctmgr: error: Your user doesn't have
privilege to perform this action` on stderr), so both are searched for the
Slurm error they stand for.
"""

from __future__ import annotations

from server.convert import sacctmgr_text
from server.slurm import errno
from server.slurm.command import Command, SlurmError

NOTHING_DELETED = "Nothing deleted"
NOTHING_ADDED = "Nothing new added"


class SacctmgrShow(Command):
    """`sacctmgr -n -P show <entity> [conditions] format=<fields>`, read as
    rows of {key: text}; ``fields`` pairs our key with sacctmgr's field name."""

    def __init__(self, entity: str, fields: tuple[tuple[str, str], ...] | list,
                 conditions: list[str] | tuple[str, ...] = ()):
        self.entity = entity
        self.fields = tuple(fields)
        self.conditions = tuple(conditions)

    def argv(self):
        names = ",".join(name for _, name in self.fields)
        return ["sacctmgr", "-n", "-P", "show", self.entity, *self.conditions, f"format={names}"]

    def source(self) -> str:
        return f"sacctmgr show {self.entity}"

    def parse(self, result) -> list[dict[str, str]]:
        if not result.ok:
            raise failure(self, result, f"Unable to query {self.entity}")
        return sacctmgr_text.rows(result.stdout, [key for key, _ in self.fields])


READ_DENIED = "Your user doesn't have privilege to perform this action"
# sacctmgr's own words for a change slurmdbd would deny, said without
# Slurm's error text (25.11: " error: Only admins/operators/coordinators can
# add accounts"); slurmrestd answers them ESLURM_ACCESS_DENIED.
DENIED = (READ_DENIED, "Only admins/operators/coordinators can")
ROLLBACK = "Error rolling back changes"


class SacctmgrShowJson(Command):
    """`sacctmgr --json=<data parser> show <entity> [conditions]`: a Slurm
    printing the API version itself; the list under ``key`` of what it prints."""

    def __init__(self, entity: str, data_parser: str, key: str,
                 conditions: list[str] | tuple[str, ...] = ()):
        self.entity = entity
        self.data_parser = data_parser
        self.key = key
        self.conditions = tuple(conditions)

    def argv(self):
        return ["sacctmgr", f"--json={self.data_parser}", "show", self.entity, *self.conditions]

    def source(self) -> str:
        return f"sacctmgr show {self.entity}"

    def parse(self, result) -> list[dict]:
        printed = self.json_output(result, f"Unable to query {self.entity}")
        # A read slurmdbd denies (25.11: wckeys to a non-operator) prints an
        # empty list and exits 0, with only sacctmgr's own sentence on stderr;
        # slurmrestd answers it as an error, and an empty list would say
        # "there are none".
        if READ_DENIED in (result.stderr or ""):
            denied = errno.by_name("ESLURM_ACCESS_DENIED")
            raise SlurmError(f"Unable to query {self.entity}: {denied.message}",
                             number=denied.number, source=self.source())
        return list(printed.get(self.key) or [])


class SacctmgrChange(Command):
    """`sacctmgr -i <action> <entity> <arguments>`: one change, committed at
    once. ``parse`` gives the lines sacctmgr printed about what it did."""

    read_only = False

    def __init__(self, action: str, entity: str, arguments: list[str], what: str):
        self.action = action
        self.entity = entity
        self.arguments = list(arguments)
        self.what = what  # e.g. "add QOS t-qos-a", for messages

    def argv(self):
        return ["sacctmgr", "-i", self.action, self.entity, *self.arguments]

    def source(self) -> str:
        return f"sacctmgr {self.action} {self.entity}"

    def parse(self, result) -> list[str]:
        if self.action == "delete" and NOTHING_DELETED in result.stdout:
            return []
        if not result.ok:
            raise failure(self, result, f"Unable to {self.what}")
        return [line for line in result.stdout.splitlines() if line.strip()]


def listed_after(lines: list[str], heading: str) -> list[str]:
    """The entries sacctmgr lists (indented) under a heading such as
    ` Deleting QOS(s)...`, each stripped."""
    found, inside = [], False
    for line in lines:
        if line.strip().startswith(heading):
            inside = True
            continue
        if inside:
            if line.startswith("  "):
                found.append(line.strip())
            else:
                break
    return found


def failure(command: Command, result, description: str) -> SlurmError:
    """The Slurm error a failed sacctmgr stands for, from either stream."""
    lines = [_plain(line) for line in (result.stderr + "\n" + result.stdout).splitlines()]
    # A rollback after the failure may fail too (25.11, now and then: " Error
    # rolling back changes: Unspecified error"): the failure is the one before.
    lines = [line for line in lines if line and not line.startswith(ROLLBACK)]
    known = errno.from_message("\n".join(lines))
    if known is None and any(sentence in line for line in lines for sentence in DENIED):
        known = errno.by_name("ESLURM_ACCESS_DENIED")
    detail = ""
    if known:
        detail = next((line for line in reversed(lines)
                       if known.message in line or any(sentence in line for sentence in DENIED)), "")
    elif lines:
        errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
        detail = _plain(errors[-1]) if errors else lines[-1]
    return SlurmError(f"{description}: {detail}" if detail else description,
                      number=known.number if known else None, source=command.source())


def _plain(line: str) -> str:
    line = line.strip()
    for prefix in ("sacctmgr: error:", "sacctmgr:"):
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    return line
