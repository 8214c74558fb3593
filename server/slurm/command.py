"""Command objects: one per Slurm invocation, each knowing its argument
vector and how to read what the command printed.

A handler builds a command and hands it to ``Call.run``; the runner executes
it; ``parse`` turns the result into API objects or raises ``SlurmError``.
"""

from __future__ import annotations

from typing import Any

import orjson

from server.slurm import errno


MAX_DESCRIPTION = 2000  # characters of one error's description


class SlurmError(Exception):
    """A failure to report in slurmrestd's error envelope."""

    def __init__(
        self,
        description: str,
        *,
        number: int | None = None,
        source: str = "slurmrestpy",
        status: int | None = None,
    ):
        if len(description) > MAX_DESCRIPTION:  # a command's whole output is no error text
            description = description[:MAX_DESCRIPTION - 3] + "..."
        super().__init__(description)
        self.description = description
        # Slurm reported a failure without saying why (22.05's JSON gives
        # error number -1): the caller may find out (server.call).
        self.cause_unknown = False
        known = errno.by_number(number) if number is not None else None
        self.number = number if number is not None else -1
        self.error = known.message if known else "Unspecified error"
        self.source = source
        self.status = status if status is not None else errno.http_status(self.number)

    def entry(self) -> dict:
        return {
            "description": self.description,
            "error_number": self.number,
            "error": self.error,
            "source": self.source,
        }


class InputArgument(str):
    """An argument naming an input's descriptor, which only the runner
    knows. It is told apart by its type, never by its text, so that no value
    from a request can be taken for one."""

    def __new__(cls, prefix: str, index: int):
        made = super().__new__(cls, f"{prefix}<input {index}>")
        made.prefix, made.index = prefix, index
        return made


class Command:
    """Base of every command object. ``read_only`` commands may be coalesced.

    A command that creates a job (sbatch, salloc) sets ``runs_as_caller``:
    Slurm gives the job the uid of the process that asks, so the runner
    starts it as the caller's Unix user (server.slurm.runner.as_caller).
    ``inputs`` are further data the command reads from pipes, which its
    argument vector names with ``input_fd(i)`` (the runner puts in the
    descriptor's number). ``interrupt_grace``: seconds before its timeout at
    which the runner sends SIGINT, for a command that then cleans up after
    itself (salloc withdraws a pending allocation). ``process_environment``,
    when set, is the command's whole environment (the runner adds only
    SLURM_CONF and the caller's token): for a command that passes its
    environment on, as sbatch does to the job.
    """

    read_only = True
    stdin: bytes | None = None
    runs_as_caller = False
    inputs: tuple[bytes, ...] = ()
    interrupt_grace: float | None = None
    process_environment: dict[str, str] | None = None

    @staticmethod
    def input_fd(index: int, prefix: str = "") -> InputArgument:
        """The argument ``prefix`` + the descriptor ``inputs[index]`` arrives on."""
        return InputArgument(prefix, index)

    def argv(self) -> list[str]:
        raise NotImplementedError

    def parse(self, result) -> Any:
        raise NotImplementedError

    # Helpers shared by the command objects.

    def source(self) -> str:
        return " ".join(self.argv()[:2])

    def daemon(self) -> str:
        """The daemon the command asks: slurmdbd for sacct and sacctmgr."""
        return "slurmdbd" if self.argv()[0] in ("sacct", "sacctmgr") else "slurmctld"

    def failure(self, result, description: str) -> SlurmError:
        """The error a failed command stands for, with Slurm's number where its
        stderr names a known error."""
        text = (result.stderr or result.stdout).strip()
        known = errno.from_message(text)
        detail = _last_line(text)
        return SlurmError(
            f"{description}: {detail}" if detail else description,
            number=known.number if known else None,
            source=self.source(),
        )

    def json_output(self, result, description: str, *, harmless: tuple[int, ...] = ()) -> dict:
        """The document a command printed; a failure it reports inside it
        (its `errors`, even with exit status 0, as 22.05's squeue does when
        slurmctld is down) raises, but for error numbers in ``harmless``."""
        if not result.ok:
            raise self.failure(result, description)
        try:
            document = loads(result)
        except ValueError as error:
            raise self.unreadable(result, description, error) from None
        return self.checked(document, description, harmless=harmless)

    def unreadable(self, result, description: str, error: Exception) -> SlurmError:
        return SlurmError(f"{description}: unreadable JSON from {result.argv[0]}: {error}", source=self.source())

    def checked(self, document, description: str, *, harmless: tuple[int, ...] = ()):
        """``document`` unless its `errors` report a failure (see json_output)."""
        errors = document.get("errors") if isinstance(document, dict) else None
        for entry in errors if isinstance(errors, list) else ():
            if isinstance(entry, dict) and reported_number(entry) not in harmless:
                raise self.reported_failure(entry, description)
        return document

    def reported_failure(self, entry: dict, description: str) -> SlurmError:
        """The error of one entry of a command's JSON `errors` (v0.0.38's
        sinfo names its number `errno`, every other `error_number`)."""
        number = reported_number(entry)
        known = number is not None and number >= 0  # 0: slurmrestd's "No error", status 200
        error = SlurmError(entry.get("description") or (known and entry.get("error")) or description,
                           number=number if known else None,
                           source=entry.get("source") or self.source())
        error.cause_unknown = not known
        return error


def loads(result):
    """What a command's JSON output parses to: read from its bytes, or, where
    they are not UTF-8 (a job name Slurm copied as it was given), from its
    text with the bad bytes replaced, as any other output is read."""
    try:
        return orjson.loads(result.output)
    except ValueError:
        if isinstance(result.output, str):
            raise
    return orjson.loads(result.stdout)


def reported_number(entry: dict) -> int | None:
    number = entry.get("error_number", entry.get("errno"))
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""
