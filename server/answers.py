"""Finished answers, shared like the Slurm commands behind them.

Reads of one user that would run the same Slurm command within the
coalescing window (``--coalesce``) also share the bytes of the answer: the
first request converts and serializes, the others are sent its bytes. An
answer is shared

- only between requests of the same user, method, path (which names the API
  version), query and media type: the key carries the user, as the runner's
  does, so one user's answer never reaches another;
- only within the window after it was made (the staleness bound; for an
  answer made from Slurm output another request had already taken, after
  that output was made), as an HTTP cache counts an answer's age from the
  origin's: it is at most the window older than one made afresh would be
  when it arrives, however long Slurm takes to print it; and only while no
  write went through us since it was begun, so a write is seen by the very
  next read.

With a shared store (``--cache``, server/store.py) a finished answer is also
kept there for the other instances, under the same key and bound; the
store's generation, which a write through any instance moves on, stands for
"no write since".

``meta.client.source`` is the one part that differs between requests of one
key: answers are rendered with a placeholder there, which each request's own
address replaces. Every answer also gets a weak ETag (304 for a matching
If-None-Match) and is gzipped for a client that accepts it.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field

import orjson
from starlette.responses import Response

from server import media
from server import store as stores
from server.envelope import DocumentResponse, client_source

# Unguessable, so no Slurm output can contain it.
PLACEHOLDER = f"srp-client-source-{secrets.token_hex(16)}"
_PLACEHOLDER = PLACEHOLDER.encode()
MAX_ANSWERS = 256  # answers kept at once
# Their size together (each lives one window at most); the newest is kept
# whatever its size: it is in memory anyway while it is sent, and 10,000
# jobs make one of 78 MB that every poll of the window wants.
MAX_BYTES = 128 * 1024 * 1024
MAX_SHARED_BYTES = 8 * 1024 * 1024  # larger answers are not sent to the shared store
GZIP_LEVEL = 6
VARY = "Accept, Accept-Encoding, X-SLURM-USER-NAME, X-SLURM-USER-TOKEN, Authorization"


@dataclass
class Answer:
    """One rendered answer, split around the client's address (views of one
    body: no copy of a 70 MB job list per request)."""

    head: memoryview
    tail: memoryview
    status: int
    media_type: str
    etag: str
    data_since: float  # monotonic time it was made, or its oldest Slurm output taken already made
    operation_id: str | None = None  # the operation that made it (for /metrics of server/fastreads.py)
    _gzip: tuple[bytes, object] | None = field(default=None, repr=False)

    def parts(self, source: str) -> tuple[memoryview | bytes, ...]:
        return self.head, _escaped(source), self.tail

    def gzipped(self, source: str) -> bytes:
        if self._gzip is None:
            # The head is most of the answer: compressed once, then each
            # request continues a copy of the compressor with its own bytes.
            compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
            self._gzip = (compressor.compress(self.head) + compressor.flush(zlib.Z_SYNC_FLUSH), compressor)
        head, compressor = self._gzip
        own = compressor.copy()
        return head + own.compress(_escaped(source)) + own.compress(self.tail) + own.flush()

    @property
    def size(self) -> int:
        return len(self.head) + len(self.tail)


@dataclass
class _Entry:
    future: asyncio.Future  # of the Answer; None when it is not one to share
    generation: object  # the store's generation of the data when it was begun


class Answers:
    def __init__(self, runner, seconds: float, on_shared=None, store: stores.InProcess | None = None):
        self.runner = runner
        self.store = store or stores.InProcess()
        self.seconds = seconds
        self.on_shared = on_shared  # called for each response sent from a shared answer
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()

    async def serve(self, call, produce) -> Response:
        """The response to ``call``: shared if an answer for its key is fresh
        or being made, else ``produce()``'s (the handler's)."""
        request = call.request
        key = self.key(call)
        if key is None:
            return finish(await rendered(await produce()), request, call)
        generation = await self._generation()
        answer = await self._shared(key, generation)
        if answer is not None:
            if self.on_shared:
                self.on_shared()
            return send(answer, request)
        return await self._make(key, call, produce, generation)

    async def fresh(self, key: tuple) -> Answer | None:
        """The answer ``serve`` would send for ``key`` without running its
        handler (one fresh, or being made: waited for), or None."""
        return await self._shared(key, await self._generation())

    async def _shared(self, key: tuple, generation) -> Answer | None:
        entry = self._entries.get(key)
        if entry is None or entry.generation != generation:
            return None
        in_flight = not entry.future.done()  # as fresh as any we would start now
        answer = await asyncio.shield(entry.future)
        # Checked again after the wait: a write may have come meanwhile.
        if (answer is not None and (in_flight or self._young(answer))
                and entry.generation == await self._generation()):
            return answer
        return None

    async def _generation(self):
        return await self.store.generation(self.runner.writes)

    def key(self, call) -> tuple | None:
        request = call.request
        if request.method != "GET" or call.identity is None:
            return None
        if (media.response_type(request.headers) or media.JSON) != media.JSON:
            return None  # YAML is rendered per request
        return (call.identity.user, request.url.path, tuple(sorted(request.query_params.multi_items())))

    def _young(self, answer: Answer) -> bool:
        return time.monotonic() - answer.data_since <= self.seconds

    async def _make(self, key: tuple, call, produce, generation) -> Response:
        call.source_placeholder = True
        entry = _Entry(asyncio.get_running_loop().create_future(), generation)
        self._forget_stale(generation)
        self._entries[key] = entry
        self._entries.move_to_end(key)
        answer = None
        try:
            answer = await self._from_store(key, generation)
            if answer is not None:
                if self.on_shared:
                    self.on_shared()
                return send(answer, call.request)
            response = await rendered(await produce())
            made = time.monotonic() if call.data_since is None else call.data_since
            # Looking for the placeholder in, and hashing, 78 MB takes a tenth of a second: not in the loop.
            answer = await asyncio.to_thread(template, response, call, made)
            if answer is None or answer.status != 200 or entry.generation != await self._generation():
                answer = None  # not worth sharing; those waiting make their own
                return finish(response, call.request, call)
            await self._to_store(key, generation, answer)
            return send(answer, call.request)
        finally:
            entry.future.set_result(answer)
            if answer is None and self._entries.get(key) is entry:
                del self._entries[key]
            self._bound()

    def _forget_stale(self, generation) -> None:
        now = time.monotonic()
        for key, entry in list(self._entries.items()):
            if not entry.future.done():
                continue
            answer = entry.future.result()
            if answer is None or entry.generation != generation or now - answer.data_since > self.seconds:
                del self._entries[key]

    # -- the shared store's tier (--cache): nothing happens here without one --

    async def _from_store(self, key: tuple, generation) -> Answer | None:
        if not self.store.shared:
            return None
        blob = await self.store.get(_store_key(key, generation))
        answer = _decoded(blob) if blob is not None else None
        return answer if answer is not None and self._young(answer) else None

    async def _to_store(self, key: tuple, generation, answer: Answer) -> None:
        if self.store.shared and answer.size <= MAX_SHARED_BYTES:
            await self.store.put(_store_key(key, generation), _encoded(answer), max(self.seconds, 0.001))

    def _bound(self) -> None:
        def size() -> int:
            return sum(e.future.result().size for e in self._entries.values()
                       if e.future.done() and e.future.result() is not None)

        while len(self._entries) > MAX_ANSWERS or (len(self._entries) > 1 and size() > MAX_BYTES):
            self._entries.popitem(last=False)


def _store_key(key: tuple, generation) -> str:
    user, path, query = key
    # Each process has its own placeholder: the store keeps the answer's parts.
    return stores.name("answer", generation, user, path, query)


def _encoded(answer: Answer) -> bytes:
    age = time.monotonic() - answer.data_since
    header = orjson.dumps({"head": len(answer.head), "status": answer.status, "media_type": answer.media_type,
                           "etag": answer.etag, "data_since": time.time() - age,
                           "operation_id": answer.operation_id})
    return header + b"\n" + answer.head + answer.tail


def _decoded(blob: bytes) -> Answer | None:
    try:
        header, body = blob.split(b"\n", 1)
        fields = orjson.loads(header)
        head, tail = body[:fields["head"]], body[fields["head"]:]
        age = max(0.0, time.time() - fields["data_since"])
        return Answer(head, tail, fields["status"], fields["media_type"], fields["etag"], time.monotonic() - age,
                      fields.get("operation_id"))
    except (ValueError, KeyError, TypeError):
        return None  # not one of ours: made afresh


async def rendered(response):
    """The response with its body written: a handler's document is written
    in a thread (envelope.DocumentResponse), so that a large one holds up
    no one else."""
    if isinstance(response, DocumentResponse) and not response.body:
        await asyncio.to_thread(response.render_now)
    return response


def _body(response: Response) -> bytes:
    if isinstance(response, DocumentResponse) and not response.body:
        return response.render_now()  # small: errors made after the handler
    return bytes(response.body)


def template(response, call, data_since: float) -> Answer | None:
    """The handler's response as an Answer: JSON with exactly one placeholder."""
    if not isinstance(response, Response) or response.media_type != media.JSON:
        return None
    body = _body(response)
    if body.count(_PLACEHOLDER) != 1:
        return None
    at = body.index(_PLACEHOLDER)
    whole = memoryview(body)
    return Answer(whole[:at], whole[at + len(_PLACEHOLDER):], response.status_code, response.media_type,
                  etag(call, body), data_since, _operation_id(call.request))


def _operation_id(request) -> str | None:
    """The operation connexion routed the request to, as /metrics names it."""
    routing = (getattr(request, "scope", None) or {}).get("extensions", {}).get("connexion_routing") or {}
    return routing.get("operation_id")


def send(answer: Answer, request) -> Response:
    source = client_source(request)
    headers = {"ETag": answer.etag, "Vary": VARY, "Cache-Control": "private, no-cache"}
    if matches(request.headers.get("if-none-match"), answer.etag):
        return Response(status_code=304, headers=headers)
    if accepts_gzip(request.headers.get("accept-encoding")):
        headers["Content-Encoding"] = "gzip"
        return Response(answer.gzipped(source), answer.status, headers, answer.media_type)
    return PartsResponse(answer.parts(source), answer.status, headers, answer.media_type)


class PartsResponse(Response):
    """A body sent as the parts it is made of, in slices: each waits until
    the client has taken the one before (uvicorn's flow control), so a
    large shared answer is neither copied per request nor buffered whole
    for each slow client."""

    SLICE = 256 * 1024

    def __init__(self, parts, status: int, headers: dict, media_type: str):
        self.parts = parts
        super().__init__(b"", status, headers, media_type)
        length = str(sum(len(part) for part in parts)).encode()
        self.raw_headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]
        self.raw_headers.append((b"content-length", length))

    @property
    def content(self) -> bytes:
        return b"".join(bytes(part) for part in self.parts)

    async def __call__(self, scope, receive, send):
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        if sum(len(part) for part in self.parts) <= self.SLICE:  # small: one write, not one per part
            await send({"type": "http.response.body", "body": b"".join(self.parts)})
            return
        slices = [part[i:i + self.SLICE] for part in self.parts for i in range(0, len(part), self.SLICE)]
        for n, piece in enumerate(slices):
            await send({"type": "http.response.body", "body": bytes(piece) if len(piece) < 4096 else piece,
                        "more_body": n < len(slices) - 1})


def finish(response, request, call) -> Response:
    """A response not shared: its placeholder (if any) filled in, an ETag on
    a successful GET, gzip if the client accepts it."""
    if not isinstance(response, Response):
        return response
    body = _body(response)
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")}
    headers["Vary"] = VARY
    if request.method == "GET" and response.status_code == 200:
        headers["ETag"] = etag(call, body)  # before the address goes in, as for a shared answer
        headers["Cache-Control"] = "private, no-cache"
        if matches(request.headers.get("if-none-match"), headers["ETag"]):
            return Response(status_code=304, headers=headers)
    if getattr(call, "source_placeholder", False):
        body = body.replace(_PLACEHOLDER, _escaped(client_source(request)))
    if body and accepts_gzip(request.headers.get("accept-encoding")):
        headers["Content-Encoding"] = "gzip"
        body = gzip(body)
    return Response(body, response.status_code, headers, response.media_type)


def etag(call, body: bytes) -> str:
    """A weak validator of the answer as the user's: never equal to another user's."""
    user = call.identity.user if call.identity else ""
    digest = hashlib.sha256(user.encode() + b"\0")  # as server.joblist.digest_of: 42 MB in 38 ms
    digest.update(body)  # not concatenated: no copy of a large body
    return f'W/"{digest.hexdigest()[:32]}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    wanted = _opaque(etag)
    return any(tag.strip() == "*" or _opaque(tag.strip()) == wanted for tag in if_none_match.split(","))


def accepts_gzip(accept_encoding: str | None) -> bool:
    # media's parser of comma lists with q= weights serves Accept-Encoding too;
    # gzip named outweighs "*".
    weights = dict(media.weighted(accept_encoding or ""))
    quality = weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0)))
    return quality > 0


def gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag  # weak comparison (RFC 9110 13.1.2)


def _escaped(source: str) -> bytes:
    return orjson.dumps(source)[1:-1]
