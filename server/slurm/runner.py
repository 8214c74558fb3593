"""The one way slurmrestpy runs Slurm.

Every Slurm call of every request passes through ``Runner.run``: an asyncio
subprocess with an argument vector (never a shell), a clean environment that
carries the caller's token as ``SLURM_JWT``, a timeout, a bound on how many
commands run at once, and coalescing of identical reads, so that many clients
polling the same thing cost slurmctld one RPC, not one each.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from dataclasses import dataclass, field

from server.slurm.command import Command

log = logging.getLogger("slurmrestpy.slurm")

# What a Slurm client needs from our own environment; nothing else leaks in.
PASSED_ENVIRONMENT = ("PATH", "SLURM_CONF", "LANG", "LC_ALL", "TZ", "HOME")


@dataclass(frozen=True)
class Identity:
    """Who a command runs for: the user slurmctld will see, and their token."""

    user: str
    token: str | None = field(default=None, repr=False)

    def environment(self) -> dict[str, str]:
        return {"SLURM_JWT": self.token} if self.token else {}


@dataclass(frozen=True)
class Result:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class CommandTimeout(Exception):
    def __init__(self, argv: tuple[str, ...], seconds: float):
        super().__init__(f"{argv[0]} did not finish within {seconds:g}s")
        self.argv = argv


class CommandNotFound(Exception):
    def __init__(self, argv: tuple[str, ...]):
        super().__init__(f"{argv[0]} is not installed or not on PATH")
        self.argv = argv


class Runner:
    def __init__(
        self,
        *,
        slurm_conf: str | None = None,
        timeout: float = 30.0,
        max_concurrent: int = 8,
        coalesce_seconds: float = 1.0,
    ):
        self.timeout = timeout
        self.coalesce_seconds = coalesce_seconds
        self._slots = asyncio.Semaphore(max_concurrent)
        self._base_env = {k: os.environ[k] for k in PASSED_ENVIRONMENT if k in os.environ}
        self._base_env.setdefault("PATH", "/usr/bin:/bin")
        self._base_env.setdefault("LANG", "C.UTF-8")
        if slurm_conf:
            self._base_env["SLURM_CONF"] = slurm_conf
        # Reads in flight or answered within coalesce_seconds, by (argv, user).
        self._recent: dict[tuple, tuple[float, asyncio.Future]] = {}
        self._children: set[asyncio.subprocess.Process] = set()
        self.executed = 0  # commands actually started: what coalescing saves

    async def run(self, command: Command, identity: Identity | None = None) -> Result:
        argv = tuple(command.argv())
        if not command.read_only:
            try:
                return await self._execute(argv, identity, command.stdin)
            finally:
                # A change made through us is seen by the next read.
                self._recent.clear()
        # The user, not the token, decides what slurmctld shows: two tokens of
        # one user share answers, two users never do.
        key = (argv, identity.user if identity else None, command.stdin)
        now = time.monotonic()
        self._forget_older_than(now - self.coalesce_seconds)
        entry = self._recent.get(key)
        if entry is None:
            future = asyncio.ensure_future(self._execute(argv, identity, command.stdin))
            self._recent[key] = (now, future)
            future.add_done_callback(lambda f: self._drop_failed(key, f))
        else:
            future = entry[1]
        return await asyncio.shield(future)

    def _forget_older_than(self, horizon: float) -> None:
        for key, (started, future) in list(self._recent.items()):
            if started < horizon and future.done():
                del self._recent[key]

    def _drop_failed(self, key: tuple, future: asyncio.Future) -> None:
        # A failure (timeout, slurmctld down) is not an answer worth sharing.
        if future.cancelled() or future.exception() or not future.result().ok:
            entry = self._recent.get(key)
            if entry and entry[1] is future:
                del self._recent[key]

    async def _execute(
        self, argv: tuple[str, ...], identity: Identity | None, stdin: bytes | None
    ) -> Result:
        env = dict(self._base_env)
        if identity:
            env.update(identity.environment())
        async with self._slots:
            started = time.monotonic()
            try:
                process = await asyncio.create_subprocess_exec(
                    *argv,
                    stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                    env=env,
                    start_new_session=True,
                )
            except FileNotFoundError:
                raise CommandNotFound(argv) from None
            self.executed += 1
            self._children.add(process)
            try:
                stdout, stderr = await asyncio.wait_for(process.communicate(stdin), self.timeout)
            except (asyncio.TimeoutError, asyncio.CancelledError) as error:
                await self._kill(process)
                if isinstance(error, asyncio.CancelledError):
                    raise
                raise CommandTimeout(argv, self.timeout) from None
            finally:
                self._children.discard(process)
            seconds = time.monotonic() - started
        result = Result(argv, process.returncode, stdout.decode("utf-8", "replace"),
                        stderr.decode("utf-8", "replace"), seconds)
        log.debug("%s -> %d in %.3fs", " ".join(argv), result.returncode, seconds)
        return result

    @staticmethod
    async def _kill(process: asyncio.subprocess.Process) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        await process.wait()

    async def close(self) -> None:
        """End every Slurm command still running (shutdown)."""
        for process in list(self._children):
            await self._kill(process)
