"""sacct: the job records slurmdbd keeps, as the caller may see them.

``SacctJson`` is ``sacct --json`` (the Slurm's own data parser, or the
requested API version where the Slurm prints it: a pass-through);
``SacctText`` is the same query's few text columns 22.05's JSON gets wrong
or leaves out (``server.convert.sacct_v0038``). Both take the selection as
options (``server.convert.sacct_query``) and are reads that may be shared.
"""

from __future__ import annotations

import re

from server.convert import sacct_v0038
from server.slurm.command import Command, SlurmError
from server.slurm.errno import by_name

# sacct's complaints about a selection, and the query parameter at fault.
BAD_SELECTION = (
    (re.compile(r"bad qos '([^']*)'"), "qos"),
    (re.compile(r"unrecognized job reason value '([^']*)'"), "reason"),
    (re.compile(r"unrecognized job state value '([^']*)'"), "state"),
    (re.compile(r"Invalid user id: (.*)"), "users"),
    (re.compile(r"Invalid group id: (.*)"), "groups"),
    (re.compile(r"Bad job/step specified: (.*)"), "step"),
    (re.compile(r"Invalid time specification \(pos=\d+\): (.*)"), "start_time or end_time"),
)


def _number(name: str) -> int | None:
    known = by_name(name)
    return known.number if known else None


class _Sacct(Command):
    def __init__(self, options: list[str], *, job_field: str | None = None):
        self.options = list(options)
        self.job_field = job_field  # the parameter --jobs came from, for errors

    def source(self) -> str:
        return "sacct"

    def refused(self, result) -> SlurmError | None:
        """A selection sacct refused, as the 400 naming the parameter."""
        text = result.stderr or ""
        for pattern, field in BAD_SELECTION:
            match = pattern.search(text)
            if match:
                field = self.job_field if field == "step" and self.job_field else field
                return SlurmError(f"Invalid {field}: sacct refused {match.group(1).strip()!r}",
                                  number=_number("ESLURM_REST_FAIL_PARSING"), source=field,
                                  status=400)
        return None

    def failed(self, result, description: str) -> SlurmError:
        return self.refused(result) or self.failure(result, description)


class SacctJson(_Sacct):
    def __init__(self, options: list[str], *, data_parser: str | None = None,
                 job_field: str | None = None):
        super().__init__(options, job_field=job_field)
        self.data_parser = data_parser

    def argv(self):
        return ["sacct", f"--json={self.data_parser}" if self.data_parser else "--json",
                *self.options]

    def parse(self, result) -> dict:
        if not result.ok:
            raise self.failed(result, "Unable to query jobs from slurmdbd")
        # 22.05: an empty answer is an "error"
        return self.json_output(result, "Unable to query jobs from slurmdbd",
                                harmless=(sacct_v0038.NOTHING_FOUND,))


class SacctText(_Sacct):
    """The text columns, timestamps as UNIX times (env sets
    SLURM_TIME_FORMAT for sacct alone; still no shell)."""

    def argv(self):
        return ["env", "SLURM_TIME_FORMAT=%s", "sacct", *self.options, "--parsable2",
                "--noheader", "--format=" + ",".join(sacct_v0038.TEXT_FIELDS)]

    def parse(self, result) -> dict:
        if not result.ok:
            raise self.failed(result, "Unable to query jobs from slurmdbd")
        return sacct_v0038.text_records(result.stdout)
