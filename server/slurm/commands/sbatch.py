"""sbatch: a batch job (or a heterogeneous one) from a job description.

The script arrives on standard input, so it never passes through an
argument or a shell and any character a JSON string can hold survives.

The job's environment is the one of the description, exactly. How it gets
there depends on how the command runs as the caller
(server.slurm.runner.as_caller), because Slurm 22.05's sbatch, given
``--export-file``, clears its own environment before it authenticates:

- root server (runuser, munge): each component's environment on a pipe of
  its own, ``--export=ALL --export-file=<fd>`` (NUL-separated NAME=value).
  sbatch then clears its own environment, so the job gets exactly the
  file's variables plus those slurmd gives every job (measured: nothing of
  the submitting process reaches it).
- unprivileged server (unshare, the token): the environment is sbatch's
  own, ``--export=ALL``, beside SLURM_CONF and the token, which then also
  reach the job (no way around that in 22.05). Variables that would change
  how sbatch itself runs as the server's account (the dynamic loader's,
  glibc's, Slurm's own input variables) are refused, naming them, and all
  components of a heterogeneous job must share one environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server import jobdesc
from server.slurm import errno
from server.slurm.command import Command, SlurmError
from server.slurm.runner import RUNUSER, caller_mode

SOURCE = "sbatch"

# What glibc itself ignores for setuid programs (UNSECURE_ENVVARS), plus the
# prefixes of variables Slurm's tools and libraries read as input.
UNSAFE_NAMES = frozenset({
    "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH",
    "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR", "TZDIR",
})
UNSAFE_PREFIXES = ("LD_", "MALLOC_", "SLURM_", "SBATCH_", "SALLOC_", "SRUN_", "OPENSSL_", "MUNGE")


@dataclass(frozen=True)
class Component:
    """One job (or one component of a heterogeneous job): its options, its
    environment (NAME=value entries) and its place in the request."""

    options: tuple[str, ...]
    environment: tuple[str, ...]
    place: str = "job"


@dataclass(frozen=True)
class Submitted:
    job_id: int
    cluster: str | None
    warnings: tuple[str, ...]
    user_message: str


class Sbatch(Command):
    read_only = False
    runs_as_caller = True

    def __init__(self, components: list[Component], script: str, *, mode: str | None = None):
        if not components:
            raise ValueError("a submission needs at least one component")
        self.components = list(components)
        self.stdin = script.encode("utf-8")
        self.mode = mode or caller_mode()
        if self.mode == RUNUSER:
            self.inputs = tuple(_export_file(c.environment) for c in self.components)
        else:
            self.process_environment = _process_environment(self.components)

    def argv(self) -> list[str]:
        argv = ["sbatch", "--parsable"]
        for index, component in enumerate(self.components):
            if index:
                argv.append(":")
            argv.extend(component.options)
            argv.append("--export=ALL")
            if self.mode == RUNUSER:
                argv.append(self.input_fd(index, "--export-file="))
        return argv

    def source(self) -> str:
        return SOURCE

    def parse(self, result) -> Submitted:
        messages = tool_messages(result.stderr, "sbatch")
        if not result.ok:
            raise submission_failure(result, messages, "Batch job submission failed", SOURCE)
        match = re.match(r"\s*(\d+)(?:;(\S+))?", result.stdout)
        if not match:
            raise SlurmError(f"Batch job submission failed: sbatch printed no job ID "
                             f"({result.stdout.strip()[:200]!r})", source=SOURCE)
        return Submitted(int(match.group(1)), match.group(2), tuple(messages.warnings),
                         "\n".join(messages.info))


def _export_file(environment: tuple[str, ...]) -> bytes:
    return b"".join(entry.encode("utf-8") + b"\0" for entry in environment)


def _process_environment(components: list[Component]) -> dict[str, str]:
    first = components[0]
    for other in components[1:]:
        if other.environment != first.environment:
            raise jobdesc.bad_field(f"{other.place}.environment",
                                    "components of a heterogeneous job need one same environment "
                                    "when slurmrestpy runs unprivileged (sbatch passes its own)")
    environment = {}
    for entry in first.environment:
        name, _, value = entry.partition("=")
        if name in UNSAFE_NAMES or name.startswith(UNSAFE_PREFIXES):
            raise jobdesc.bad_field(f"{first.place}.environment",
                                    f"{name} cannot be passed when slurmrestpy runs unprivileged: "
                                    "sbatch would read it itself, as the server's account")
        environment[name] = value
    return environment


@dataclass
class ToolMessages:
    errors: list[str]
    warnings: list[str]
    info: list[str]  # what the tool told the user: the job submit plugin's message
    other: list[str]  # lines of other programs (runuser, unshare)
    failures: list[str]  # errors and other lines, in the order printed


def tool_messages(stderr: str, tool: str) -> ToolMessages:
    """The lines a Slurm tool printed on stderr, by kind (``sbatch: error:``,
    ``sbatch: warning:``, ``sbatch: <message>``)."""
    out = ToolMessages([], [], [], [], [])
    prefix = f"{tool}: "
    for line in stderr.splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith(prefix):
            out.other.append(line)
            out.failures.append(line)
            continue
        line = line[len(prefix):]
        if line.startswith("error: "):
            out.errors.append(line[len("error: "):])
            out.failures.append(line[len("error: "):])
        elif line.startswith("warning: "):
            out.warnings.append(line[len("warning: "):])
        else:
            out.info.append(line)
    return out


def submission_failure(result, messages: ToolMessages, what: str, source: str) -> SlurmError:
    """Why a submission failed, with Slurm's error number where its text is
    known. The tool's own checks of its options (sbatch: error: Invalid
    --distribution specification) come before slurmctld is asked: they are
    the request's fault, answered 400."""
    lines = messages.failures or [f"{source} exited with status {result.returncode}"]
    detail = lines[-1]
    known = errno.from_message("\n".join(lines))
    if detail.startswith(what):
        description = detail
    else:
        description = f"{what}: {detail}"
    if known is None and messages.errors and not messages.other \
            and not any("failed" in line for line in messages.errors) and not _is_connection_problem(lines):
        parsing = errno.by_name("ESLURM_REST_FAIL_PARSING")
        return SlurmError(description, number=parsing.number if parsing else None, source=source,
                          status=400)
    return SlurmError(description, number=known.number if known else None, source=source)


def _is_connection_problem(lines: list[str]) -> bool:
    return any("Unable to contact" in line or "Zero Bytes" in line for line in lines)
