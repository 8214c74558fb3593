"""A bound on a request's line and headers. httptools keeps a header in
memory until it ends, whatever its size, so a 1 GB header would be a 1 GB
buffer; here the bytes are counted as they arrive, and past the bound the
request is answered 431 in slurmrestd's envelope and its rest discarded
unread. (uvicorn's h11 protocol has its own bound, 16 KiB, answered 400.)"""

from __future__ import annotations

import asyncio
import logging

from server.problems import refusal

MAX_HEADER_BYTES = 64 * 1024  # tokens are bounded far below this (server/auth.py)
LINGER_SECONDS = 5  # how long the rest of a refused request is read and dropped

log = logging.getLogger("slurmrestpy")


def protocol_with_header_limit(protocol_class, limit: int = MAX_HEADER_BYTES):
    if not hasattr(protocol_class, "on_headers_complete"):
        return protocol_class  # not httptools: bounded by its own parser

    class HeaderLimitedProtocol(protocol_class):
        _header_bytes = 0
        _reading_headers = True
        _refused = False

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return  # the rest of a refused request: dropped unread
            if self._reading_headers:
                self._header_bytes += len(data)
            super().data_received(data)
            # Counted whole chunks may hold the start of a body too; only a
            # request still in its headers past the bound is refused.
            if self._reading_headers and self._header_bytes > limit and not self.transport.is_closing():
                self._refuse()

        def on_headers_complete(self) -> None:
            self._reading_headers = False
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._reading_headers, self._header_bytes = True, 0
            super().on_message_complete()

        def _refuse(self) -> None:
            self._refused = True
            scope = {**getattr(self, "scope", {}), "type": "http", "method": _method(self.parser),
                     "path": "/", "query_string": b"", "headers": []}
            log.info("%s: request headers over %d bytes refused (431)", _client(scope), limit)
            response = refusal(scope, 431, f"Request line and headers are longer than {limit} bytes",
                               "ESLURM_DATA_TOO_LARGE")
            body = response.render_now() if hasattr(response, "render_now") else response.body  # a small envelope
            head = [b"HTTP/1.1 431 Request Header Fields Too Large\r\n"]
            head += [name + b": " + value + b"\r\n" for name, value in response.raw_headers]
            head.append(b"connection: close\r\n\r\n")
            self.transport.write(b"".join(head) + body)
            # Closing now, with the request's rest unread, would make the kernel
            # reset the connection and the client lose the answer: end our side
            # and keep dropping what comes, for a bounded time.
            if self.transport.can_write_eof():
                self.transport.write_eof()
            asyncio.get_running_loop().call_later(LINGER_SECONDS, self.transport.close)

    return HeaderLimitedProtocol


def _method(parser) -> str:
    try:
        return (parser.get_method() or b"GET").decode("ascii")
    except Exception:  # the request line itself was not finished
        return "GET"


def _client(scope) -> str:
    client = scope.get("client")
    return f"{client[0]}:{client[1]}" if client else "unix"
