"""Media types, as slurmrestd speaks them: JSON by default, YAML when the
client asks (`Accept: application/yaml` or `application/x-yaml`); request
bodies in either. A request body in anything else gets 415, an Accept that
allows neither gets 406, both in the envelope.

YAML request bodies are turned into JSON here, before connexion, so that one
validation path serves both. Each body is read up to --max-body-size and
checked (server/request_input.py) before connexion parses it again; a large
one is parsed off the event loop. While the request is answered, its
connection is watched: a read whose client has gone is cancelled.
"""

from __future__ import annotations

import asyncio
import json
import logging

import orjson
import yaml
from starlette.datastructures import Headers

from server import joblist
from server.accesslog import escaped
from server.request_input import (DEFAULT_MAX_BODY_SIZE, InputRefused, check_target, parse_json,
                                  parse_yaml, read_body)

log = logging.getLogger("slurmrestpy")

JSON = "application/json"
YAML = "application/yaml"
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
JSON_TYPES = ("application/json", "text/json")
# Bodies larger than this are parsed in a thread, so others are answered meanwhile.
PARSE_IN_THREAD_ABOVE = 64 * 1024


def weighted(header: str) -> list[tuple[str, float]]:
    found = []
    for part in header.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if media:
            found.append((media.lower(), quality))
    return found


def response_type(headers) -> str | None:
    """JSON or YAML, whichever the Accept header prefers; None if it allows neither."""
    accept = headers.get("accept")
    if not accept:
        return JSON
    best, best_quality = None, 0.0
    for media, quality in weighted(accept):
        if quality <= 0:
            continue
        if media in JSON_TYPES or media in ("*/*", "application/*"):
            chosen = JSON
        elif media in YAML_TYPES:
            chosen = YAML
        else:
            continue
        if quality > best_quality:
            best, best_quality = chosen, quality
    return best


def render(document: dict, media: str = JSON, *, compact: bool = False) -> bytes:
    if media == YAML:
        document = joblist.parsed_document(document)  # jobs kept written are JSON
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True,
                              default_flow_style=None if compact else False).encode()
    try:  # orjson: several times faster than json, same output
        if compact:
            return orjson.dumps(document)
        # The newline written by orjson: appending it would copy a 70 MB job list.
        return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # what orjson refuses (integers past 64 bits), json writes
        document = joblist.parsed_document(document)
        if compact:
            return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


class MediaTypes:
    """ASGI middleware: refuse what we cannot read or write, read the body
    within its bound, and hand YAML bodies to connexion as JSON."""

    def __init__(self, app, refuse, max_body_size: int = DEFAULT_MAX_BODY_SIZE):
        self.app = app
        self.refuse = refuse  # (scope, status, description, errno name) -> ASGI app
        self.max_body_size = max_body_size

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not is_api(scope["path"]):
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        if response_type(headers) is None:
            return await self.refuse(scope, 406, f"cannot answer in {headers.get('accept')}: "
                                     "this server writes application/json or application/yaml",
                                     "ESLURM_HTTP_UNKNOWN_ACCEPT_MIME_TYPE")(scope, receive, send)
        content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
        try:
            check_target(scope.get("raw_path") or scope["path"].encode(), scope.get("query_string", b""))
            body = await read_body(receive, self.max_body_size, headers.get("content-length"))
            if body and content_type in YAML_TYPES:
                body = json.dumps(await _parsed(parse_yaml, body)).encode()
                scope = _with_header(scope, b"content-type", JSON.encode(), len(body))
            elif body and content_type in JSON_TYPES:
                await _parsed(parse_json, body)
        except InputRefused as refused:
            return await self.refuse(scope, refused.status, refused.description,
                                     refused.errno_name)(scope, receive, send)
        if body and content_type not in YAML_TYPES + JSON_TYPES:
            return await self.refuse(scope, 415, f"cannot read a body of type {content_type or '(none given)'}: "
                                     "send application/json or application/yaml",
                                     "ESLURM_DATA_UNKNOWN_MIME_TYPE")(scope, receive, send)
        return await _until_disconnected(self.app, scope, _replay(body), receive, send)


READ_METHODS = ("GET", "HEAD")


async def _until_disconnected(app, scope, replayed, receive, send):
    """Answer the request, watching the connection meanwhile: a read whose
    client has gone is cancelled (and with it its Slurm command); a write
    is finished, so that what it changed is logged and never half done."""
    answered = False

    async def sending(message):
        nonlocal answered
        await send(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            answered = True  # uvicorn's receive() now says "disconnect" at once

    task = asyncio.ensure_future(app(scope, replayed, sending))
    watcher = asyncio.ensure_future(receive())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done() and not answered and watcher.result().get("type") == "http.disconnect":
            if scope["method"] in READ_METHODS:
                log.info("client gone: %s %s cancelled", scope["method"], escaped(scope["path"]))
                task.cancel()
            else:
                log.warning("client gone: finishing %s %s", scope["method"], escaped(scope["path"]))
        try:
            return await task
        except asyncio.CancelledError:
            if watcher.done() and not asyncio.current_task().cancelling():
                return None
            raise
    finally:
        watcher.cancel()
        task.cancel()


def is_api(path: str) -> bool:
    return path.startswith(("/slurm/", "/slurmdb/", "/util/"))


async def _parsed(parse, body: bytes):
    if len(body) > PARSE_IN_THREAD_ABOVE:
        return await asyncio.to_thread(parse, body)
    return parse(body)


def _replay(body: bytes):
    """The body, read once already; after it, the client is only heard of
    through _until_disconnected."""
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # never: the watcher owns the connection now

    return replayed


def _with_header(scope, name: bytes, value: bytes, length: int):
    headers = [(k, v) for k, v in scope["headers"] if k not in (name, b"content-length")]
    headers += [(name, value), (b"content-length", str(length).encode())]
    return {**scope, "headers": headers}
