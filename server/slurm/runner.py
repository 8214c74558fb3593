"""The one way slurmrestpy runs Slurm.

Every Slurm call of every request passes through ``Runner.run``: an asyncio
subprocess with an argument vector (never a shell), a clean environment that
carries the caller's token as ``SLURM_JWT``, a timeout, a bound on how many
commands run at once, and coalescing of identical reads, so that many clients
polling the same thing cost slurmctld one RPC, not one each.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import pwd
import shutil
import signal
import time
from dataclasses import dataclass, field

import orjson

from server import store as stores
from server.slurm.command import Command, InputArgument

log = logging.getLogger("slurmrestpy.slurm")

# What a Slurm client needs from our own environment; nothing else leaks in.
PASSED_ENVIRONMENT = ("PATH", "SLURM_CONF", "LANG", "LC_ALL", "TZ", "HOME")


@dataclass(frozen=True)
class Identity:
    """Who a command runs for: the user slurmctld will see, and their token."""

    user: str
    token: str | None = field(default=None, repr=False)
    # Proven by the kernel on a UNIX socket (rest_auth/local), not by a token:
    # a root server then runs every command of the request as this user.
    local: bool = False

    def environment(self) -> dict[str, str]:
        return {"SLURM_JWT": self.token} if self.token else {}


@dataclass(frozen=True)
class Result:
    argv: tuple[str, ...]
    returncode: int
    # As read: a JSON reader parses the bytes (a 10,000-job list is 80 MB,
    # and decoding it would hold it twice); `stdout` is its text.
    output: bytes | bytearray | str
    stderr: str
    seconds: float
    interrupted: bool = False  # stopped with SIGINT at its interrupt_grace
    started: float = 0.0  # time.monotonic() when it started
    # What requests made of this output, made once for all the reads that
    # share the command (server.call.Call.run_converted).
    derived: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def stdout(self) -> str:
        output = self.output
        return output if isinstance(output, str) else output.decode("utf-8", "replace")

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def finished(self) -> float:
        """When Slurm was done printing it (time.monotonic()): the staleness
        bound counts from here, as an HTTP cache's age counts from the origin's
        answer, so a command that runs longer than the window is still shared."""
        return self.started + self.seconds


class CommandTimeout(Exception):
    def __init__(self, argv: tuple[str, ...], seconds: float):
        super().__init__(f"{argv[0]} did not finish within {seconds:g}s")
        self.argv = argv


class CommandOutputTooLarge(Exception):
    def __init__(self, argv: tuple[str, ...], limit: int):
        super().__init__(f"{argv[0]} printed more than {limit} bytes, more than this server reads "
                         "(--max-command-output); ask for less")
        self.argv = argv


class CommandNotFound(Exception):
    def __init__(self, argv: tuple[str, ...]):
        super().__init__(f"{argv[0]} is not installed or not on PATH")
        self.argv = argv


class CommandLineTooLong(Exception):
    def __init__(self, argv: tuple[str, ...], size: int):
        super().__init__(f"the request makes a {os.path.basename(argv[0])} command line of {size} bytes, "
                         f"more than one command may take ({MAX_COMMAND_LINE} bytes, {MAX_ARGUMENT} in one "
                         "argument); send fewer or shorter items")
        self.argv = argv


# Linux starts no program with an argument past MAX_ARG_STRLEN (32 pages)
# or arguments and environment together past ARG_MAX (a quarter of the
# stack limit, 2 MiB by default): a request that would make one is refused
# before it is tried, with room left for the environment.
MAX_ARGUMENT = 32 * 4096 - 1
MAX_COMMAND_LINE = 1024 * 1024


def check_command_line(argv, env: dict[str, str]) -> None:
    sizes = [len(os.fsencode(arg)) for arg in argv]
    total = sum(sizes) + sum(len(os.fsencode(k)) + len(os.fsencode(v)) + 2 for k, v in env.items())
    if total > MAX_COMMAND_LINE or max(sizes, default=0) > MAX_ARGUMENT:
        raise CommandLineTooLong(tuple(argv), total)


RUNUSER = "runuser"  # how a root server runs a command as the caller
UNSHARE = "unshare"  # how an unprivileged server does


def caller_mode(euid: int | None = None) -> str:
    """How ``runs_as_caller`` commands start here (see as_caller): commands
    whose options depend on it (sbatch's environment) ask this too."""
    return RUNUSER if (os.geteuid() if euid is None else euid) == 0 else UNSHARE


def as_caller(argv: tuple[str, ...], user: str, euid: int) -> tuple[tuple[str, ...], bool]:
    """The argument vector that runs a ``runs_as_caller`` command as ``user``,
    and whether the caller's token still goes in SLURM_JWT.

    Slurm gives a job the uid of the process that submits it, and slurmctld
    refuses a job whose uid is not the authenticated user's ("Invalid user
    id"). So:

    - as root, ``runuser -u USER --``: the process is the user's, with their
      groups, and munge vouches for them. The token is not needed and is left
      out, so that it can never reach a job's environment (sbatch without an
      export file copies SLURM_* variables into the job's; a token there
      would be stored with the job and make srun inside it authenticate with
      the token until it expires).
    - unprivileged, ``unshare --map-root-user`` plus ``--uid``/``--gid``
      after the program name: sbatch and salloc take those from "root" only,
      and the token proves to slurmctld who the job is for (munge would
      vouch for the server's own user). The token then also reaches the
      job's environment; Slurm 22.05 offers no way around it.

    ``argv[0]`` should be an absolute path: the command may run with the
    caller's PATH (sbatch's job environment, see commands/sbatch.py).
    """
    if caller_mode(euid) == RUNUSER:
        if user == "root":
            return argv, False
        runuser = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin") or "runuser"
        return (runuser, "-u", user, "--", *argv), False
    try:
        entry = pwd.getpwnam(user)
        ids = (f"--uid={entry.pw_uid}", f"--gid={entry.pw_gid}")
    except KeyError:  # let Slurm say what it makes of the name
        ids = (f"--uid={user}",)
    unshare = shutil.which("unshare") or "unshare"
    return (unshare, "--map-root-user", argv[0], *ids, *argv[1:]), True


class Runner:
    def __init__(
        self,
        *,
        slurm_conf: str | None = None,
        timeout: float = 30.0,
        max_concurrent: int = 8,
        coalesce_seconds: float = 1.0,
        max_per_user: int | None = None,
        max_output: int = 256 * 1024 * 1024,
        store: stores.InProcess | None = None,
    ):
        self.timeout = timeout
        self.coalesce_seconds = coalesce_seconds
        self.max_output = max_output  # bytes of stdout, and of stderr, read from one command
        self._slots = asyncio.Semaphore(max_concurrent)
        # One user's commands hold at most this many of the slots, so that
        # the others always find one free (eight sallocs of one user waited
        # on by everyone's /ping/).
        self._per_user = max_per_user or max(1, max_concurrent // 2)
        self._user_slots: dict[str, asyncio.Semaphore] = {}
        self._waiters: dict[asyncio.Future, int] = {}
        self._base_env = {k: os.environ[k] for k in PASSED_ENVIRONMENT if k in os.environ}
        self._base_env.setdefault("PATH", "/usr/bin:/bin")
        # JSON without indentation: 10,000 jobs are 50 MB so, not 83, to
        # read and hold (server/joblist.py cuts either layout).
        self._base_env["SLURM_JSON"] = "compact"
        self._base_env.setdefault("LANG", "C.UTF-8")
        if slurm_conf:
            self._base_env["SLURM_CONF"] = slurm_conf
        # Where reads are shared beyond this process (--cache), and the
        # generation of the data (a write anywhere starts a new one).
        self.store = store or stores.InProcess()
        # Reads in flight or finished within coalesce_seconds, by (generation, argv, user, stdin).
        self._recent: dict[tuple, tuple[float, asyncio.Future]] = {}
        self._children: set[asyncio.subprocess.Process] = set()
        self.executed = 0  # commands actually started: what coalescing saves
        self.coalesced = 0  # reads answered by a command another request started
        self.writes = 0  # changes made through us: answers older than the last one are stale
        # Told (program, seconds, ok) of each command that ran: server/metrics.py.
        self.on_finish = None

    async def run(self, command: Command, identity: Identity | None = None) -> Result:
        argv = tuple(command.argv())
        if not command.read_only:
            try:
                return await self._execute(argv, identity, command.stdin, command)
            finally:
                # A change made through us is seen by the next read, here and
                # (through the store) in every instance sharing it.
                self._recent.clear()
                self.writes += 1
                await asyncio.shield(self.store.bumped())
        # The user, not the token, decides what slurmctld shows: two tokens of
        # one user share answers, two users never do.
        while True:
            generation = await self.store.generation(self.writes)
            key = (generation, argv, identity.user if identity else None, command.stdin)
            now = time.monotonic()
            self._forget_older_than(now - self.coalesce_seconds)
            entry = self._recent.get(key)
            if entry is None or entry[1].cancelled():
                future = asyncio.ensure_future(self._read(key, identity))
                self._recent[key] = (now, future)
                future.add_done_callback(lambda f, key=key: self._drop_failed(key, f))
            else:
                future = entry[1]
                self.coalesced += 1
            try:
                return await self._shared(future)
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling() or not future.cancelled():
                    raise
                # Joined just as its last other waiter left and withdrew the
                # command: this request still wants it, so it is run again.
                if self._recent.get(key, (None, None))[1] is future:
                    del self._recent[key]

    async def shares(self, command: Command, identity: Identity | None = None) -> bool:
        """Would ``run(command)`` now be answered by a read already in flight
        or finished within the window (here; another instance's is not
        looked for)? A handler that could ask Slurm for less then knows
        whether the whole is there for free."""
        generation = await self.store.generation(self.writes)
        key = (generation, tuple(command.argv()), identity.user if identity else None, command.stdin)
        entry = self._recent.get(key)
        if entry is None or entry[1].cancelled():
            return False
        stamp, future = entry
        return not future.done() or time.monotonic() - stamp <= self.coalesce_seconds

    async def _shared(self, future: asyncio.Future) -> Result:
        """A read's result, shared by every request waiting for it; when the
        last of them is cancelled (its client has gone), so is the command."""
        self._waiters[future] = self._waiters.get(future, 0) + 1
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if self._waiters[future] == 1 and not future.done():
                future.cancel()
            raise
        finally:
            self._waiters[future] -= 1
            if not self._waiters[future]:
                del self._waiters[future]

    def _forget_older_than(self, horizon: float) -> None:
        for key, (stamp, future) in list(self._recent.items()):
            if stamp < horizon and future.done():
                del self._recent[key]

    def _drop_failed(self, key: tuple, future: asyncio.Future) -> None:
        entry = self._recent.get(key)
        if not entry or entry[1] is not future:
            return
        # A failure (timeout, slurmctld down) is not an answer worth sharing.
        if future.cancelled() or future.exception() or not future.result().ok:
            del self._recent[key]
        else:  # shared for the window after it finished, even if another instance ran it
            self._recent[key] = (future.result().finished, future)

    async def _read(self, key: tuple, identity: Identity | None) -> Result:
        """A read's result: run here, or (with a shared store) taken from
        the instance that ran it for the same user within the window."""
        generation, argv, user, stdin = key
        if not self.store.shared:
            return await self._execute(argv, identity, stdin)
        return await stores.once(
            self.store, stores.name("command", generation, user, argv, stdin),
            lambda: self._execute(argv, identity, stdin),
            encode=_encoded, decode=_decoded,
            fresh=lambda result: time.monotonic() - result.finished <= self.coalesce_seconds,
            keep=max(self.coalesce_seconds, 1.0),  # long enough for those waiting to take it
            lock_for=self.timeout + 1)

    async def _execute(
        self, argv: tuple[str, ...], identity: Identity | None, stdin: bytes | None,
        command: Command | None = None,
    ) -> Result:
        program = os.path.basename(argv[0])  # before runuser/unshare wrap it
        env = dict(self._base_env)
        cwd = None
        keep_token = True
        if command is not None and command.process_environment is not None:
            # The command's own environment, with only our SLURM_CONF added:
            # sbatch hands its whole environment to the job.
            env = {k: v for k, v in env.items() if k == "SLURM_CONF"}
            env = {**command.process_environment, **env}
        if identity and _impersonate(command, identity):
            program = shutil.which(argv[0], path=self._base_env["PATH"]) or argv[0]
            argv, keep_token = as_caller((program, *argv[1:]), identity.user, os.geteuid())
            cwd = "/"  # a directory every user may enter
        if identity and keep_token:
            env.update(identity.environment())
        inputs = command.inputs if command is not None else ()
        async with self._user_slot(identity), self._slots:
            started = time.monotonic()
            pipes = [os.pipe() for _ in inputs]
            try:
                argv = _with_descriptors(argv, [read for read, _ in pipes])
                check_command_line(argv, env)
                process = await asyncio.create_subprocess_exec(
                    *argv,
                    stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                    env=env,
                    cwd=cwd,
                    pass_fds=tuple(read for read, _ in pipes),
                    start_new_session=True,
                )
            except BaseException as error:
                for _, write in pipes:
                    os.close(write)
                if isinstance(error, FileNotFoundError):
                    raise CommandNotFound(argv) from None
                if isinstance(error, OSError) and error.errno == errno.E2BIG:  # a smaller ARG_MAX than ours
                    raise CommandLineTooLong(argv, sum(len(os.fsencode(a)) for a in argv)) from None
                raise
            finally:
                for read, _ in pipes:  # the child has its own copies now
                    os.close(read)
            feeders = [asyncio.ensure_future(_feed(write, data)) for (_, write), data in zip(pipes, inputs)]
            self.executed += 1
            self._children.add(process)
            grace = command.interrupt_grace if command is not None else None
            try:
                stdout, stderr, interrupted = await self._communicate(process, stdin, grace, argv)
            except (asyncio.TimeoutError, asyncio.CancelledError, CommandOutputTooLarge) as error:
                await self._kill(process)
                if not isinstance(error, asyncio.CancelledError):
                    self._finished(program, time.monotonic() - started, False)
                if isinstance(error, asyncio.TimeoutError):
                    # named as the program, not runuser or unshare around it
                    raise CommandTimeout((os.path.basename(program), *argv[1:]), self.timeout) from None
                raise
            finally:
                self._children.discard(process)
                for feeder in feeders:
                    await asyncio.wait([feeder])
            seconds = time.monotonic() - started
        result = Result(argv, process.returncode, stdout,
                        stderr.decode("utf-8", "replace"), seconds, interrupted, started)
        self._finished(program, seconds, result.ok)
        log.debug("%s -> %d in %.3fs", " ".join(argv), result.returncode, seconds)
        return result

    def _finished(self, program: str, seconds: float, ok: bool) -> None:
        if self.on_finish is not None:
            self.on_finish(program, seconds, ok)

    async def _communicate(self, process, stdin: bytes | None, grace: float | None, argv: tuple[str, ...]):
        """Output and error of the process, and whether it had to be asked to
        stop: with a grace, SIGINT comes that long before the timeout."""
        talk = asyncio.ensure_future(self._talk(process, stdin, argv))
        try:
            if grace and 0 < grace < self.timeout:
                try:
                    stdout, stderr = await asyncio.wait_for(asyncio.shield(talk), self.timeout - grace)
                    return stdout, stderr, False
                except asyncio.TimeoutError:
                    try:
                        os.killpg(process.pid, signal.SIGINT)
                    except ProcessLookupError:
                        pass
                stdout, stderr = await asyncio.wait_for(asyncio.shield(talk), grace)
                return stdout, stderr, True
            stdout, stderr = await asyncio.wait_for(asyncio.shield(talk), self.timeout)
            return stdout, stderr, False
        finally:
            if not talk.done():
                talk.cancel()

    def _user_slot(self, identity: Identity | None):
        """The caller's share of the slots; the server's own commands (no
        identity: start-up) need none."""
        if identity is None:
            return contextlib.nullcontext()
        if identity.user not in self._user_slots:
            self._user_slots[identity.user] = asyncio.Semaphore(self._per_user)
        return self._user_slots[identity.user]

    async def _talk(self, process, stdin: bytes | None, argv: tuple[str, ...]) -> tuple[bytearray, bytearray]:
        """communicate(), reading no more than max_output of each stream."""
        async def feed():
            if stdin is None:
                return
            try:
                process.stdin.write(stdin)
                await process.stdin.drain()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                process.stdin.close()

        async def collect(stream) -> bytearray:
            # Grown in place: chunks joined at the end would hold the output twice.
            output = bytearray()
            while chunk := await stream.read(65536):
                if len(output) + len(chunk) > self.max_output:
                    raise CommandOutputTooLarge(argv, self.max_output)
                output += chunk
            return output

        parts = [asyncio.ensure_future(part) for part in
                 (feed(), collect(process.stdout), collect(process.stderr))]
        try:
            _, stdout, stderr = await asyncio.gather(*parts)
        except BaseException:
            for part in parts:
                part.cancel()
            raise
        await process.wait()
        return stdout, stderr

    @staticmethod
    async def _kill(process: asyncio.subprocess.Process) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        # wait() also waits for the end of the output pipes; when we stopped
        # reading one (output past its bound), asyncio paused it with data
        # left in it, and that end never comes: close them.
        transport = getattr(process, "_transport", None)
        if transport is not None:
            transport.close()
        await process.wait()

    async def close(self) -> None:
        """End every Slurm command still running (shutdown)."""
        for process in list(self._children):
            await self._kill(process)


def _encoded(result: Result) -> bytes | None:
    """A result as the store keeps it (a failure is not shared); its start
    is wall-clock time there, since each process has its own monotonic clock."""
    if not result.ok or result.interrupted:
        return None
    age = time.monotonic() - result.started
    return orjson.dumps({"argv": list(result.argv), "returncode": result.returncode, "stdout": result.stdout,
                         "stderr": result.stderr, "seconds": result.seconds, "started": time.time() - age})


def _decoded(blob: bytes) -> Result:
    fields = orjson.loads(blob)
    age = max(0.0, time.time() - fields["started"])
    return Result(tuple(fields["argv"]), fields["returncode"], fields["stdout"], fields["stderr"],
                  fields["seconds"], False, time.monotonic() - age)


def _impersonate(command: Command | None, identity: Identity) -> bool:
    """Must this command run under the caller's own uid?"""
    if identity.local:
        # Munge vouches for whoever the process is: a root server becomes the
        # caller for everything; an unprivileged one already is the caller.
        return os.geteuid() == 0
    return command is not None and command.runs_as_caller


def _with_descriptors(argv: tuple[str, ...], descriptors: list[int]) -> tuple[str, ...]:
    """argv with each ``Command.input_fd(i)`` argument replaced by its prefix
    and the number of the descriptor the i-th input arrives on."""
    def resolved(arg: str) -> str:
        if not isinstance(arg, InputArgument):
            return arg
        if arg.index >= len(descriptors):
            raise ValueError(f"argv names input {arg.index}, but the command has {len(descriptors)}")
        return f"{arg.prefix}{descriptors[arg.index]}"

    return tuple(resolved(arg) for arg in argv)


async def _feed(descriptor: int, data: bytes) -> None:
    """Write one input to its pipe and close it, without blocking the event
    loop (nor needing a thread); a command that exits without reading it all
    just ends the writing."""
    loop = asyncio.get_running_loop()
    os.set_blocking(descriptor, False)
    view = memoryview(data)
    try:
        while view:
            try:
                view = view[os.write(descriptor, view):]
            except BlockingIOError:
                writable = loop.create_future()
                loop.add_writer(descriptor, lambda: writable.done() or writable.set_result(None))
                try:
                    await writable
                finally:
                    loop.remove_writer(descriptor)
    except BrokenPipeError:
        pass
    finally:
        os.close(descriptor)
