"""sacctmgr modify job: change fields of job records in slurmdbd.

Slurm 22.05's sacctmgr sets ``Comment`` (v0.0.44 ``comment.job``),
``AdminComment``, ``SystemComment``, ``DerivedExitCode`` (a raw wait(2)
status) and ``NewWCKey`` of the jobs ``where JobID=`` names; it says which
records it changed ("  104 submitted at 2026-11-21T08:28:28"), and reports
"Nothing modified" (exit 1) for a job it does not find, or one the caller
may not change. slurmdbd turns quote characters in the values into
backquotes. 25.11's sacctmgr prints the "Modified jobs..." heading whatever
happens, and says on stderr why nothing changed.
"""

from __future__ import annotations

from server.slurm.command import Command

# slurm_strerror(SLURM_NO_CHANGE_IN_DATA): 25.11's word for "no such record"
NO_CHANGE = "Data has not changed since time specified"


class SacctmgrModifyJob(Command):
    read_only = False

    def __init__(self, job_ids: list[str], assignments: list[tuple[str, str]]):
        self.job_ids = list(job_ids)
        self.assignments = list(assignments)

    def argv(self):
        return ["sacctmgr", "-i", "modify", "job", "where", "jobid=" + ",".join(self.job_ids),
                "set", *(f"{key}={value}" for key, value in self.assignments)]

    def source(self) -> str:
        return "sacctmgr modify job"

    def parse(self, result) -> list[str] | None:
        """The records changed, or None when sacctmgr changed nothing."""
        lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
        # 25.11's sacctmgr prints "Modified jobs..." before it asks slurmdbd,
        # and fails (exit 1) after it: the heading counts only on success.
        if "Modified jobs..." in lines and result.ok:
            return lines[lines.index("Modified jobs...") + 1:]
        stderr = result.stderr or ""
        denied = "Access/permission denied" in stderr
        unchanged = "Nothing modified" in lines or NO_CHANGE in stderr  # 22.05; 25.11
        if unchanged and not denied:
            return None
        raise self.failure(result, "Unable to modify jobs")
