"""The ASGI application: connexion routing the loaded API versions to their
handlers, the description served at /openapi.json, /openapi.yaml and
/openapi/v3, Swagger UI at /ui/, and slurmrestd's envelope for every error."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from connexion import AsyncApp
from connexion.middleware import MiddlewarePosition

from server import memory, problems, ui
from server import store as stores
from server.accesslog import ConnectionLimit
from server.answers import Answers
from server.fastreads import FastReads
from server.gate import AuthenticationGate
from server.media import MediaTypes
from server.metrics import PATH, Metrics, RequestMetrics
from server.auth import JwtVerifier
from server.config import Config
from server.resolver import HandlerResolver
from server.services import Services
from server.descriptions import DescriptionRoutes
from server.slashes import TrailingSlash
from server.slurm import installation, slurmconf
from server.slurm.runner import Runner
from server.specs import Specs, available_versions
from server.validation import VALIDATOR_MAP

log = logging.getLogger("slurmrestpy")


class StartupError(Exception):
    """A setting that keeps the server from starting, said in one line."""


def load_verifier(config: Config, conf: slurmconf.SlurmConf) -> JwtVerifier | None:
    """The keys of rest_auth/jwt: --jwt-key and --jwks, else AuthAltParameters."""
    if "rest_auth/jwt" not in config.auth_types:
        return None
    parameters = conf.auth_alt_parameters()
    key = Path(config.jwt_key) if config.jwt_key else conf.jwt_key_path
    jwks = Path(config.jwks) if config.jwks else (Path(parameters["jwks"]) if parameters.get("jwks") else None)
    if key is None and jwks is None:
        raise StartupError(
            f"no JWT key: {conf.path} has no AuthAltParameters=jwt_key= (or jwks=), "
            "and neither --jwt-key nor --jwks was given"
        )
    try:
        return JwtVerifier.from_files(key, jwks, user_claim=parameters.get("userclaimfield") or "sun",
                                      slurm_user=conf.get("SlurmUser") or "root")
    except OSError as error:
        raise StartupError(f"cannot read the JWT key {error.filename}: {error.strerror}") from None
    except ValueError as error:
        raise StartupError(str(error)) from None


def select_versions(config: Config) -> list[str]:
    have = available_versions()
    if not config.data_parsers:
        return have
    unknown = [v for v in config.data_parsers if v not in have]
    if unknown:
        raise StartupError(f"unknown data parser {', '.join(unknown)}; available: {', '.join(have)}")
    return [v for v in have if v in config.data_parsers]


def create_app(config: Config) -> AsyncApp:
    conf_path = slurmconf.locate(config.slurm_conf)
    try:
        conf = slurmconf.read(conf_path)
    except OSError as error:
        raise StartupError(f"cannot read {conf_path}: {error.strerror}") from None
    verifier = load_verifier(config, conf)
    specs = Specs(select_versions(config), plugins=config.openapi_plugins,
                  status_codes=config.response_status_codes)

    metrics = Metrics(None if config.metrics == "on" else config.metrics) if config.metrics != "off" else None

    @contextlib.asynccontextmanager
    async def lifespan(app):
        store = stores.from_url(config.cache)
        runner = Runner(
            store=store,
            slurm_conf=str(conf_path),
            timeout=config.command_timeout,
            max_concurrent=config.max_concurrent_commands,
            coalesce_seconds=config.coalesce_seconds,
            max_per_user=config.user_command_share(),
            max_output=config.max_command_output,
        )
        if metrics:
            metrics.runner = runner
            runner.on_finish = metrics.command_finished
        answers = Answers(runner, config.coalesce_seconds, on_shared=metrics.answer_shared if metrics else None,
                          store=store)
        if store.shared:
            log.info("sharing reads with other instances through %s", store.url)
        slurm = await installation.discover(runner)
        log.info("driving Slurm %s (JSON from: %s)", slurm.release,
                 ", ".join(sorted(slurm.json_commands)) or "none")
        memory.tune()
        releasing = asyncio.create_task(memory.keep_releasing())
        try:
            yield {"services": Services(config, conf, runner, slurm, verifier, specs, answers)}
        finally:
            releasing.cancel()
            await runner.close()
            await store.close()

    app = AsyncApp(
        "slurmrestpy",
        lifespan=lifespan,
        swagger_ui_options=ui.swagger_ui_options(specs.versions),
    )
    # Requests without a token get past connexion only with rest_auth/local.
    anonymous = "rest_auth/local" in config.auth_types
    app.add_api(specs.combined(anonymous=anonymous), resolver=HandlerResolver(specs), name="slurmrestpy",
                validator_map=VALIDATOR_MAP)
    app.add_middleware(DescriptionRoutes, position=MiddlewarePosition.BEFORE_SWAGGER,
                       document=specs.combined(anonymous=anonymous))
    ui.add_routes(app, specs, anonymous)
    problems.install(app)
    # Before connexion's exception handling, so that they see every answer;
    # the gate first, so that an unknown caller waits for no turn and sends
    # no body that is read.
    if metrics:  # outermost: requests refused by those below are counted too
        app.add_url_rule(PATH, "metrics", metrics.endpoint)
        app.add_middleware(RequestMetrics, position=MiddlewarePosition.BEFORE_EXCEPTION, metrics=metrics)
    app.add_middleware(AuthenticationGate, position=MiddlewarePosition.BEFORE_EXCEPTION,
                       verifier=verifier, local_allowed=anonymous)
    if config.max_connections:
        app.add_middleware(ConnectionLimit, position=MiddlewarePosition.BEFORE_EXCEPTION,
                           limit=config.max_connections)
    # Polls whose answer is shared and fresh, before the rest of the stack.
    app.add_middleware(FastReads, position=MiddlewarePosition.BEFORE_EXCEPTION,
                       on_served=metrics.fast_read if metrics else None)
    app.add_middleware(MediaTypes, position=MiddlewarePosition.BEFORE_EXCEPTION, refuse=problems.refusal,
                       max_body_size=config.max_body_size)
    app.add_middleware(ui.BrowserHome, position=MiddlewarePosition.BEFORE_EXCEPTION)
    app.add_middleware(TrailingSlash, position=MiddlewarePosition.BEFORE_ROUTING, specs=specs)
    return app
