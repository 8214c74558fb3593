"""One API request being answered: which operation of which version, for
whom, and the way to run Slurm commands and answer in the envelope.

Handlers receive it as their first argument (see ``server.resolver``)."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from typing import Any, Awaitable, Callable

from server import answers, envelope, versions
from server.slurm.command import Command, SlurmError
from server.slurm.commands.scontrol import ScontrolPing
from server.slurm.runner import (CommandLineTooLong, CommandNotFound, CommandOutputTooLarge, CommandTimeout,
                                 Identity)
from server.slurm.errno import by_name

CONTROLLER_UNREACHABLE = "SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR"


class Call:
    def __init__(self, *, request, services, operation, identity: Identity | None):
        self.request = request
        self.services = services
        self.operation = operation  # server.specs.OperationRef
        self.identity = identity
        self.warnings: list[dict] = []
        # For server/answers.py: when the oldest Slurm output this answer
        # shows was finished, if it was already finished when this request
        # took it (None: all of it was made for this request, so the answer
        # is as new as the moment it is made), and whether
        # meta.client.source is left as a placeholder for each request's
        # own address.
        self.data_since: float | None = None
        self.source_placeholder = False

    @property
    def requested_version(self) -> str:
        return self.operation.version

    @property
    def version(self) -> str:
        """The API version the handler works in: the requested one where the
        installed Slurm prints it (passed through), else the printed one
        nearest to it (v0.0.40 from v0.0.41 on 25.11), else the internal
        form; `respond` makes any of them into the requested version."""
        return versions.nearest(self.operation.version, self.slurm.prints_anywhere)

    @property
    def converts(self) -> bool:
        """Is what the handler answers made into another version by
        `respond`? If not, it is written as it is (jobs kept written may be
        in it: server.joblist)."""
        return self.requested_version != versions.INTERNAL

    @property
    def slurm(self):
        return self.services.slurm

    async def run(self, command: Command) -> Any:
        """Run a command as the caller and return what it parses to."""
        result = await self._result(command)

        async def parse():
            return command.parse(result)

        return await self._parsed(command, parse())

    async def shares(self, command: Command) -> bool:
        """Is a read of ``command`` for this caller shared now (in flight,
        or finished within the window)? See Runner.shares."""
        return await self.services.runner.shares(command, self.identity)

    async def run_converted(self, command: Command, key: tuple, convert: Callable[[Any], Any],
                            parse: Callable[[Any], Any] | None = None) -> Any:
        """``convert`` of what a read parses to (``parse``, else the
        command's parse), made once (in a thread) for every request that
        shares the Slurm command: a job list is parsed and converted once,
        then each request only picks and writes its part. ``key`` names the
        conversion; what it returns must not be changed."""
        result = await self._result(command)
        parse = parse or command.parse
        made = result.derived.get(key)
        if made is None:
            made = asyncio.ensure_future(asyncio.to_thread(collection_paused, lambda: convert(parse(result))))
            result.derived[key] = made
        return await self._parsed(command, asyncio.shield(made))

    async def _result(self, command: Command):
        asked = time.monotonic()
        try:
            result = await self.services.runner.run(command, self.identity)
        except CommandTimeout as error:
            description = str(error)
            if not command.read_only:  # sent, maybe, and not withdrawn by killing the command
                description += "; Slurm may still make the change once it answers again: look before repeating it"
            raise SlurmError(description, number=_number("SLURM_PROTOCOL_SOCKET_IMPL_TIMEOUT"),
                             source=command.source(), status=504) from None
        except CommandOutputTooLarge as error:
            raise SlurmError(str(error), source=command.source(), status=500) from None
        except CommandLineTooLong as error:  # nothing was started
            raise SlurmError(str(error), number=_number("ESLURM_REST_INVALID_QUERY"),
                             source=command.source(), status=413) from None
        except CommandNotFound as error:
            raise SlurmError(str(error), source=command.source(), status=500) from None
        if result.started and result.finished < asked and (self.data_since is None
                                                            or result.finished < self.data_since):
            self.data_since = result.finished
        return result

    async def _parsed(self, command: Command, parsing: Awaitable) -> Any:
        try:
            return await parsing
        except SlurmError as error:
            # A failure Slurm reported without its cause (22.05's JSON says
            # -1): slurmrestd's 1800 (status 502) when slurmctld is down.
            if error.cause_unknown and command.daemon() == "slurmctld" and await self._controller_down():
                raise SlurmError(error.description, number=_number(CONTROLLER_UNREACHABLE),
                                 source=error.source) from None
            raise

    async def require_controller(self) -> None:
        """Before a submission: slurmctld answers a ping, or the request is
        refused with nothing sent. A submission sent to a slurmctld that has
        stopped answering (paused, overloaded) is kept in its socket and
        made into a job when it answers again, long after the command was
        killed at its timeout and the client told it failed: a job nobody
        was given the id of. Only one that stops in the instant between
        this ping and the submission can still do that."""
        pings = await self.run(ScontrolPing())  # a ping that hangs is answered 504 here
        if not any(ping["responding"] for ping in pings):
            raise SlurmError("slurmctld does not answer its ping: nothing was submitted",
                             number=_number(CONTROLLER_UNREACHABLE), source="scontrol ping")

    async def _controller_down(self) -> bool:
        try:
            pings = await self.run(ScontrolPing())
        except SlurmError:
            return False
        return bool(pings) and not any(ping["responding"] for ping in pings)

    def warn(self, description: str, source: str = "slurmrestpy") -> None:
        self.warnings.append(envelope.warning(description, source))

    def _meta(self) -> dict:
        return envelope.meta(
            self.services,
            plugin=self.operation.plugin,
            version=self.requested_version,
            request=self.request,
            user=self.identity.user if self.identity else None,
            source=answers.PLACEHOLDER if self.source_placeholder else None,
        )

    def respond(self, body: dict, status: int = 200):
        if self.converts:
            body = self.services.specs.as_version(self.operation, body, status, self.warn)
        document = envelope.envelope(body, meta=self._meta(), warnings=self.warnings)
        return envelope.render(document, status, request=self.request, config=self.services.config)

    def fail(self, error: SlurmError, *more: SlurmError):
        """The error envelope, answered with ``error``'s status; ``more`` adds
        further errors of the same request (one per failed list item)."""
        body = self.services.specs.empty_body(self.operation, error.status)
        document = envelope.envelope(body, meta=self._meta(),
                                     errors=[error.entry(), *(e.entry() for e in more)],
                                     warnings=self.warnings)
        return envelope.render(document, error.status, request=self.request, config=self.services.config)


_paused = 0
_paused_lock = threading.Lock()


def collection_paused(make: Callable[[], Any]) -> Any:
    """``make()`` with Python's cycle collector off: parsing and converting
    10,000 jobs makes millions of objects, none in a cycle, and the
    collections they set off would double the time. Reference counting
    still frees everything; the collector resumes when the last such
    conversion ends."""
    global _paused
    with _paused_lock:
        _paused += 1
        gc.disable()
    try:
        return make()
    finally:
        with _paused_lock:
            _paused -= 1
            if not _paused:
                gc.enable()


def _number(name: str) -> int | None:
    known = by_name(name)
    return known.number if known else None
