"""GET /metrics, in Prometheus' text format (prometheus-client): requests
by operation and status with their latency, the Slurm commands run with
their durations and failures, reads that shared a command (coalescing),
responses sent from a shared answer (server/answers.py) and, of those, the
ones sent before connexion's stack (server/fastreads.py).

It needs no token: Prometheus scrapes without one, and what it shows is
counts and timings by operation and by command name, never a user, a job, a
path's values or a token. A site that does not want even its load seen
turns it off (``--metrics off``) or serves it on one listener only
(``--metrics unix:/run/slurmrestpy/metrics.sock``).
"""

from __future__ import annotations

import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from starlette.responses import Response

from server.listeners import parse

PATH = "/metrics"
UNROUTED = "none"  # the operation label of requests no operation took
METHODS = ("GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS")  # others: "other", a bounded label


class Metrics:
    def __init__(self, listener: str | None = None):
        """``listener``: the one listener (as given on the command line) that
        serves /metrics; None: every listener."""
        self.listener = parse(listener) if listener else None
        self.registry = CollectorRegistry()
        self.runner = None  # set at start-up; its counters are read at each scrape
        self.requests = Counter("slurmrestpy_requests", "HTTP requests answered",
                                ["operation", "method", "status"], registry=self.registry)
        self.latency = Histogram("slurmrestpy_request_duration_seconds", "time to answer a request",
                                 ["operation"], registry=self.registry,
                                 buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30))
        self.commands = Counter("slurmrestpy_slurm_commands", "Slurm commands run", ["command"],
                                registry=self.registry)
        self.failures = Counter("slurmrestpy_slurm_command_failures",
                                "Slurm commands that failed or timed out", ["command"], registry=self.registry)
        self.command_seconds = Histogram("slurmrestpy_slurm_command_duration_seconds",
                                         "how long Slurm commands ran", ["command"], registry=self.registry,
                                         buckets=(.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60))
        self.shared = Counter("slurmrestpy_shared_answers", "responses sent from an answer another request made",
                              registry=self.registry)
        self.fast = Counter("slurmrestpy_fast_reads", "shared answers sent before connexion's stack "
                            "(server/fastreads.py)", registry=self.registry)
        self.registry.register(_RunnerCounters(self))

    def command_finished(self, program: str, seconds: float, ok: bool) -> None:
        self.commands.labels(program).inc()
        self.command_seconds.labels(program).observe(seconds)
        if not ok:
            self.failures.labels(program).inc()

    def answer_shared(self) -> None:
        self.shared.inc()

    def fast_read(self) -> None:
        self.fast.inc()

    def serves(self, scope) -> bool:
        """Is /metrics served on the listener this request came in on?"""
        if self.listener is None:
            return True
        server = scope.get("server") or (None, None)
        if self.listener.is_unix:
            return server[1] is None and str(server[0]) == str(self.listener.path)
        wildcard = self.listener.host in ("0.0.0.0", "::", "")
        return server[1] == self.listener.port and (wildcard or server[0] == self.listener.host)

    async def endpoint(self, request) -> Response:
        if not self.serves(request.scope):
            return Response("not found\n", status_code=404, media_type="text/plain")
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class _RunnerCounters:
    """The runner's own counts, read when scraped."""

    def __init__(self, metrics: Metrics):
        self.metrics = metrics

    def collect(self):
        runner = self.metrics.runner
        coalesced = CounterMetricFamily("slurmrestpy_coalesced_reads",
                                        "reads answered by a Slurm command another request started")
        coalesced.add_metric([], runner.coalesced if runner else 0)
        yield coalesced


class RequestMetrics:
    """ASGI middleware: counts and times every HTTP request by the operation
    connexion routed it to (its operationId), method and status."""

    def __init__(self, app, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extensions = scope.setdefault("extensions", {})  # connexion's routing writes into it
        started = time.monotonic()
        status = 500

        async def sending(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            operation = ((extensions.get("connexion_routing") or {}).get("operation_id")
                         or (PATH.strip("/") if scope["path"] == PATH else UNROUTED))
            method = scope["method"] if scope["method"] in METHODS else "other"
            self.metrics.requests.labels(operation, method, str(status)).inc()
            self.metrics.latency.labels(operation).observe(time.monotonic() - started)
