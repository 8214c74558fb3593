"""Where finished reads are shared beyond one process (``--cache``).

The runner shares a Slurm command among the requests of one process, and
server/answers.py shares finished answers; both keep their own in-process
tables (futures of work in flight cannot leave a process). A store adds a
second tier that several instances see:

- ``InProcess``, the default: nothing leaves the process; the generation of
  the data is this process's own count of writes.
- ``RedisStore`` (``--cache redis://host:port/db``, Redis or Valkey): command
  results and answers under keys that carry the user (never a token), kept
  for the same staleness bound; a lock with an expiry (``claim``) so that one
  instance runs a command while the others wait for its result; and a
  generation counter that every write increments and every key includes, so
  a write through any instance makes every instance's next read fresh.

When Redis fails or is slow (short socket timeouts), every call answers as
``InProcess`` would, the failure is logged once, and Redis is tried again a
little later: slurmrestpy keeps serving, from each instance's own tier.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from typing import Awaitable, Callable, TypeVar

log = logging.getLogger("slurmrestpy.store")

PREFIX = "srp:"
GENERATION = PREFIX + "generation"
# Seconds a Redis call may take before we serve without it: short, yet
# longer than a busy host may hold up our event loop (a timer that fires
# late fails a call whose answer has come); such a call is tried once more.
SOCKET_TIMEOUT = 2.0
RETRY_AFTER = 2.0  # seconds between attempts to reach a Redis that failed
WARN_EVERY = 300.0  # seconds: an outage is logged once, a flapping Redis not at every flap
POLL = 0.02  # seconds between looks for a result another instance is making

T = TypeVar("T")


def name(kind: str, generation, user: str | None, *parts) -> str:
    """A key: its kind, the generation of the data, the user in clear (an
    operator can see whose it is; it is never a token), and a digest of what
    was asked."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"{PREFIX}{kind}:{generation[1]}:{user or ''}:{digest}"


class InProcess:
    """The embedded default: each process shares only within itself."""

    shared = False

    async def generation(self, local_writes: int):
        return ("local", local_writes)

    async def bumped(self) -> None:
        pass

    async def get(self, key: str) -> bytes | None:
        return None

    async def put(self, key: str, blob: bytes, seconds: float) -> None:
        pass

    async def claim(self, key: str, seconds: float) -> bool:
        return True

    async def release(self, key: str) -> None:
        pass

    async def wait(self, key: str, seconds: float) -> bytes | None:
        return None

    async def close(self) -> None:
        pass


class RedisStore(InProcess):
    shared = True

    def __init__(self, url: str, client=None):
        import redis.asyncio as redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        self.url = _without_password(url)
        # One retry at once, no more: a call that fails again is answered
        # from this process, and Redis is tried again after RETRY_AFTER.
        self._redis = client or redis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT,
            retry=Retry(NoBackoff(), 1))
        self._down_until = 0.0  # monotonic; while in the future, Redis is not asked
        self._down = False
        self._warned = False  # this outage was logged
        self._warned_at = -WARN_EVERY

    async def _ask(self, call: Callable[[], Awaitable[T]], otherwise: T) -> T:
        """call()'s answer, or ``otherwise`` when Redis fails (logged once)."""
        if self._down and time.monotonic() < self._down_until:
            return otherwise
        try:
            answer = await call()
        except Exception as error:  # redis' errors, and OSError beneath them
            now = time.monotonic()
            if not self._down:
                self._warned = now - self._warned_at >= WARN_EVERY
                log.log(logging.WARNING if self._warned else logging.DEBUG,
                        "shared store %s unreachable (%s): this instance serves from its own store until "
                        "Redis answers", self.url, type(error).__name__)
                if self._warned:
                    self._warned_at = now
            self._down = True
            self._down_until = now + RETRY_AFTER
            return otherwise
        if self._down:
            log.log(logging.WARNING if self._warned else logging.DEBUG,
                    "shared store %s answers again: sharing with the other instances", self.url)
            self._down = False
        return answer

    async def generation(self, local_writes: int):
        if self._down and time.monotonic() < self._down_until:
            return ("local", local_writes)
        counter = await self._ask(lambda: self._redis.get(GENERATION), None)
        if self._down:
            return ("local", local_writes)
        return ("redis", int(counter or 0))

    async def bumped(self) -> None:
        await self._ask(lambda: self._redis.incr(GENERATION), None)

    async def get(self, key: str) -> bytes | None:
        return await self._ask(lambda: self._redis.get(key), None)

    async def put(self, key: str, blob: bytes, seconds: float) -> None:
        await self._ask(lambda: self._redis.set(key, blob, px=_ms(seconds)), None)

    async def claim(self, key: str, seconds: float) -> bool:
        taken = await self._ask(lambda: self._redis.set(key + ":lock", b"1", nx=True, px=_ms(seconds)), True)
        return bool(taken)

    async def release(self, key: str) -> None:
        await self._ask(lambda: self._redis.delete(key + ":lock"), None)

    async def wait(self, key: str, seconds: float) -> bytes | None:
        """The value another instance is making, once it is there; None when
        its lock ends (made nothing to share, or died) or ``seconds`` pass."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            async def look():
                # The lock first: the maker stores the value before it lets
                # go of the lock, so a lock found gone means the value (if
                # any) is there to get. Looked at the other way round, a
                # maker finishing between the two reads would leave this
                # instance with neither, running the command again.
                async with self._redis.pipeline(transaction=False) as pipe:
                    return await pipe.exists(key + ":lock").get(key).execute()

            locked, blob = await self._ask(look, (0, None))
            if blob is not None or not locked:
                return blob
            await asyncio.sleep(POLL)
        return None

    async def close(self) -> None:
        try:
            await self._redis.aclose()
        except Exception:  # closing a connection that already failed
            pass


async def once(store: InProcess, key: str, produce: Callable[[], Awaitable[T]], *,
               encode: Callable[[T], bytes | None], decode: Callable[[bytes], T],
               fresh: Callable[[T], bool], keep: float, lock_for: float) -> T:
    """What ``produce()`` makes, made by one instance of all that share the
    store: a fresh value stored under ``key`` is taken; else the first to
    claim the key makes it while the others wait for it (at most
    ``lock_for``, the claim's expiry, so an instance that dies blocks no
    one for longer). ``encode`` returns None for a value not to share."""
    blob = await store.get(key)
    if blob is not None:
        value = decode(blob)
        if fresh(value):
            return value
    claimed = await store.claim(key, lock_for)
    if not claimed:
        blob = await store.wait(key, lock_for)
        if blob is not None:
            return decode(blob)  # made while we waited: as fresh as ours would be
    try:
        value = await produce()
        blob = encode(value)
        if blob is not None:
            await store.put(key, blob, keep)
        return value
    finally:
        if claimed:
            await asyncio.shield(store.release(key))


def from_url(url: str | None) -> InProcess:
    if not url:
        return InProcess()
    return RedisStore(url)


def check_url(url: str) -> None:
    """Refuse a --cache value we cannot use, before anything starts."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix") or not (parts.hostname or parts.path):
        raise ValueError(f"{_without_password(url)!r} is not a redis://host:port/db, rediss:// or unix:// URL")
    if parts.scheme != "unix" and parts.path.strip("/") and not parts.path.strip("/").isdigit():
        raise ValueError(f"database {parts.path.strip('/')!r} of {_without_password(url)!r} is not a number")


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def _without_password(url: str) -> str:
    """The URL as it may be logged: any password replaced."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}{port}", parts.path, parts.query, parts.fragment))
