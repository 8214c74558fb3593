"""A Call whose Slurm is the recordings of tests/data/slurm-22.05: each
sacctmgr command gets what the live 22.05 cluster printed for it (chosen by
a test's ``answer`` function from the argument vector), and every command
run is kept, so that tests can say what would have changed. No test here:
the helpers of test_accounts*, test_users* and test_associations*."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

from server.slurm.command import SlurmError
from server.slurm.runner import Result

DATA = Path(__file__).resolve().parent.parent / "data" / "slurm-22.05"


def recorded(name: str) -> str:
    """A recorded stdout (`associations/show.txt`)."""
    return (DATA / name).read_text()


def recorded_change(name: str, argv=("sacctmgr",)) -> Result:
    """A recorded change (`accounts/add-account`): stdout, stderr, status."""
    base = DATA / name
    return Result(tuple(argv), int((base.with_suffix(".rc")).read_text()),
                  base.with_suffix(".out").read_text(), base.with_suffix(".err").read_text(), 0.1)


def ok(stdout: str = "", argv=("sacctmgr",)) -> Result:
    return Result(tuple(argv), 0, stdout, "", 0.1)


def only(text: str, *names: str) -> str:
    """The lines of a recording whose second field (the account) or first
    field is one of ``names``."""
    keep = []
    for line in text.splitlines():
        fields = line.split("|")
        if set(fields[:2]) & set(names):
            keep.append(line)
    return "".join(f"{line}\n" for line in keep)


class FakeCall:
    """What handlers and server.slurmdb functions use of a Call."""

    def __init__(self, answer, *, release="22.05.8", prints=False):
        self.answer = answer
        self.version = "v0.0.44"
        self.slurm = SimpleNamespace(release=release, prints=lambda command, version: prints)
        self.services = SimpleNamespace(slurm_conf=SimpleNamespace(cluster_name="srp"))
        self.warnings: list[dict] = []
        self.ran: list[list[str]] = []

    async def run(self, command):
        argv = command.argv()
        self.ran.append(argv)
        return command.parse(self.answer(argv))

    def warn(self, description, source="slurmrestpy"):
        self.warnings.append({"description": description, "source": source})

    @property
    def changes(self) -> list[list[str]]:
        return [argv for argv in self.ran if argv[1] == "-i"]


def run(coroutine):
    return asyncio.run(coroutine)


def error_of(coroutine) -> SlurmError:
    try:
        asyncio.run(coroutine)
    except SlurmError as error:
        return error
    raise AssertionError("no SlurmError was raised")


def shows(argv) -> str | None:
    """The entity a `sacctmgr -n -P show <entity>` is about, else None."""
    return argv[4] if len(argv) > 4 and argv[1:4] == ["-n", "-P", "show"] else None
