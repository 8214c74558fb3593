"""The request-level protections of issue 8 that need no cluster: answers
written off the event loop, reads cancelled when their client goes, writes
finished, bodies checked before connexion parses them."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from server import media
from server.envelope import DocumentResponse
from server.request_input import MAX_DEPTH, InputRefused, check_document, check_target, parse_json, parse_yaml


async def test_a_large_yaml_answer_does_not_stall_the_event_loop():
    """Finding 3: a YAML answer of 2,000 jobs took 12.7 s in the event loop,
    and nothing else was answered meanwhile."""
    jobs = [{"job_id": i, "name": f"job{i}", "nodes": "n[1-3]", "state": ["RUNNING"],
             "resources": {"cpus": i, "tres": [{"type": "cpu", "count": i}] * 5}} for i in range(4000)]
    response = DocumentResponse({"jobs": jobs}, 200, media.YAML, False)
    sent = []

    async def send(message):
        sent.append(message)

    longest, ticking = 0.0, True

    async def tick():
        nonlocal longest
        last = time.monotonic()
        while ticking:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            longest, last = max(longest, now - last), now

    ticker = asyncio.ensure_future(tick())
    await asyncio.sleep(0.05)  # ticking
    started = time.monotonic()
    await response({"type": "http", "method": "GET"}, None, send)
    took = time.monotonic() - started
    ticking = False
    await ticker
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert body.startswith(b"jobs:") and dict(sent[0]["headers"])[b"content-length"] == str(len(body)).encode()
    assert took > 0.5, "the document is too small to show anything"
    # Written in the loop, it stands still the whole time; a busy machine
    # may still hold it up for a moment now and then.
    assert longest < max(0.3, took / 4), f"the event loop stood still for {longest:.2f}s of {took:.2f}s"


def _app_that_takes(seconds: float, finished: list):
    async def app(scope, receive, send):
        await asyncio.sleep(seconds)
        finished.append(scope["method"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})
    return app


def _client_that_leaves_after(seconds: float):
    messages = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if messages:
            return messages.pop()
        await asyncio.sleep(seconds)
        return {"type": "http.disconnect"}
    return receive


async def _serve(method: str, finished: list):
    middleware = media.MediaTypes(_app_that_takes(0.5, finished), refuse=None)
    scope = {"type": "http", "method": method, "path": "/slurm/v0.0.44/jobs/", "raw_path": b"/slurm/v0.0.44/jobs/",
             "query_string": b"", "headers": []}
    sent = []

    async def send(message):
        sent.append(message)
    await middleware(scope, _client_that_leaves_after(0.1), send)
    return sent


async def test_a_read_whose_client_has_gone_is_cancelled():
    finished = []
    assert await _serve("GET", finished) == []
    assert finished == []


async def test_a_write_whose_client_has_gone_is_finished():
    finished = []
    sent = await _serve("POST", finished)
    assert finished == ["POST"] and sent[0]["status"] == 200


def test_a_deep_document_is_refused_and_one_at_the_limit_is_not():
    nested = []
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]
    check_document(nested)
    with pytest.raises(InputRefused):
        check_document([nested])


def test_a_body_nested_100000_deep_is_a_clear_refusal():
    with pytest.raises(InputRefused, match="nested deeper"):
        parse_json(b"[" * 100_000 + b"]" * 100_000)


def test_yaml_aliases_are_refused_before_anything_is_built():
    laughs = "a: &a [x,x]\nb: [*a,*a]\n"
    with pytest.raises(InputRefused, match="aliases"):
        parse_yaml(laughs.encode())
    assert parse_yaml(b"a: [x, 1, true, null, 1.5]\n") == {"a": ["x", 1, True, None, 1.5]}


@pytest.mark.parametrize("path, query", [(b"/a%00", b""), (b"/a%ff", b""), (b"/a", b"x=%00"),
                                         (b"/a", b"x=1&y=%c3%28")])
def test_nul_or_invalid_utf8_in_the_target_is_refused(path, query):
    with pytest.raises(InputRefused):
        check_target(path, query)


def test_plain_targets_pass():
    check_target(b"/slurm/v0.0.44/job/12%2B1", b"flags=DETAIL&update_time=%C3%A9+x")
    assert json.loads(json.dumps(parse_json(b'{"a": "\\u00e9"}'))) == {"a": "\u00e9"}


# Found by tests/live/test_bad_input.py: minimum_cpus 2^64+7 reached scontrol
# (a 500 with Slurm's "Invalid NumCPUs value"); slurmrestd 25.11 even answers 200.
@pytest.mark.parametrize("fmt, value, fits", [
    ("int32", 2**32 - 1, True), ("int32", 2**32, False), ("int32", -2**31, True), ("int32", -2**31 - 1, False),
    ("int64", 2**64 - 1, True), ("int64", 2**64 + 7, False), ("int64", -2**63 - 1, False), ("int64", True, True),
])
def test_a_number_past_its_formats_range_fails_body_validation(fmt, value, fits):
    from connexion.json_schema import Draft4RequestValidator

    from server.validation import RANGES

    schema = {"type": "object", "properties": {"n": {"type": ["integer", "boolean"], "format": fmt}}}
    errors = list(Draft4RequestValidator(schema, format_checker=RANGES).iter_errors({"n": value}))
    assert (not errors) == fits, errors
