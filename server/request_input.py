"""What a request may carry, checked before connexion or any Slurm command
sees it: a body no larger than --max-body-size, JSON or YAML that is plain
data (no YAML aliases or anchors, no types JSON lacks) nested no deeper than
MAX_DEPTH, and no NUL, invalid UTF-8 or lone surrogate in the path, the
query or any string of the body. Each refusal is an `InputRefused` that the
media-type middleware answers in the envelope.
"""

from __future__ import annotations

import json
import math
from urllib.parse import unquote_to_bytes

import yaml

MAX_DEPTH = 64  # arrays and objects inside each other; slurmrestd's own bodies need under 10
DEFAULT_MAX_BODY_SIZE = 50 * 1024 * 1024  # slurmrestd's limit


class InputRefused(Exception):
    def __init__(self, description: str, status: int = 400,
                 errno_name: str = "ESLURM_REST_FAIL_PARSING"):
        super().__init__(description)
        self.description = description
        self.status = status
        self.errno_name = errno_name


class BodyTooLarge(InputRefused):
    def __init__(self, limit: int):
        super().__init__(f"request body larger than {limit} bytes (--max-body-size)", 413,
                         "ESLURM_REST_FAIL_PARSING")


async def read_body(receive, limit: int, declared_length: str | None) -> bytes:
    """The whole body, refused as soon as it is known to exceed `limit`."""
    if declared_length and declared_length.strip().isdigit() and int(declared_length) > limit:
        raise BodyTooLarge(limit)
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def check_target(raw_path: bytes, query_string: bytes) -> None:
    """The path and the query decode to UTF-8 without NUL."""
    _check_text_bytes(unquote_to_bytes(raw_path), "the URL path")
    for pair in query_string.split(b"&"):
        for part in pair.split(b"=", 1):
            _check_text_bytes(unquote_to_bytes(part.replace(b"+", b" ")), "the query string")


def _check_text_bytes(data: bytes, where: str) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputRefused(f"{where} is not valid UTF-8") from None
    if "\0" in text:
        raise InputRefused(f"{where} contains a NUL character")


def parse_json(body: bytes):
    try:
        document = json.loads(body, parse_constant=_no_constant)
    except RecursionError:
        raise InputRefused(f"JSON body nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError alike
        raise InputRefused(f"unreadable JSON body: {_first_line(error)}") from None
    check_document(document)
    return document


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def parse_yaml(body: bytes):
    """YAML as plain data: its events are checked (no alias, no anchor, no
    deeper than MAX_DEPTH) before anything is built, so nothing can expand."""
    try:
        depth = 0
        for event in yaml.parse(body, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise InputRefused("YAML anchors and aliases (&, *) are not accepted in a request body")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputRefused(f"YAML body nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        documents = list(yaml.load_all(body, Loader=_LOADER))
    except yaml.YAMLError as error:
        raise InputRefused(f"unreadable YAML body: {_first_line(error)}") from None
    except (ValueError, OverflowError) as error:  # a constructor refusing its scalar
        raise InputRefused(f"unreadable YAML body: {_first_line(error)}") from None
    if len(documents) != 1:
        raise InputRefused("a YAML body holds exactly one document")
    check_document(documents[0])
    return documents[0]


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN = (str, int, float, bool, type(None))


def check_document(document) -> None:
    """Only what JSON can say, nested at most MAX_DEPTH deep, and no string
    (key or value) that could not reach a command: NUL, lone surrogates."""
    pending = [(document, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            if depth >= MAX_DEPTH:
                raise InputRefused(f"body nested deeper than {MAX_DEPTH} levels")
            for key, item in value.items():
                if not isinstance(key, str):
                    raise InputRefused(f"object keys must be strings, not {_kind(key)}")
                _check_string(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            if depth >= MAX_DEPTH:
                raise InputRefused(f"body nested deeper than {MAX_DEPTH} levels")
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_string(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise InputRefused(f"{value} is not a JSON number")
        elif not isinstance(value, _PLAIN):
            raise InputRefused(f"a {_kind(value)} value has no JSON form; quote it to send a string")


def _check_string(text: str) -> None:
    if "\0" in text:
        raise InputRefused("a string of the body contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputRefused("a string of the body contains a lone UTF-16 surrogate") from None


def _kind(value) -> str:
    return {"datetime": "timestamp", "date": "date", "bytes": "binary", "set": "set"}.get(
        type(value).__name__, type(value).__name__)


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:200]
