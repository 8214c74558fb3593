"""Errors raised before a handler runs (authentication, validation, routing)
answered in slurmrestd's envelope rather than connexion's problem documents,
so that clients generated from SchedMD's description can read every answer."""

from __future__ import annotations

import logging

from connexion.exceptions import BadRequestProblem, OAuthProblem, ProblemException
from connexion.lifecycle import ConnexionResponse
from starlette.exceptions import HTTPException
from starlette.requests import Request

from server import envelope
from server.auth import AuthenticationFailed
from server.services import services_of
from server.slurm.errno import by_name
from server.specs import plugin_of, version_of

log = logging.getLogger("slurmrestpy")

# The Slurm error each HTTP failure stands for, as slurmrestd reports it.
ERROR_OF_STATUS = {
    400: "ESLURM_REST_FAIL_PARSING",
    401: "ESLURM_AUTH_CRED_INVALID",
    403: "ESLURM_ACCESS_DENIED",
    404: "ESLURM_REST_UNKNOWN_URL",
    405: "ESLURM_REST_UNKNOWN_URL_METHOD",
    406: "ESLURM_HTTP_UNKNOWN_ACCEPT_MIME_TYPE",
    415: "ESLURM_DATA_UNKNOWN_MIME_TYPE",
}

NO_CREDENTIALS = (
    "Authentication does not apply to request: it has no X-SLURM-USER-TOKEN header "
    "and no Authorization: Bearer token"
)
NOT_FOUND = (
    "Unable to find requested URL endpoint; /openapi/v3 describes every endpoint this server has"
)


def install(app) -> None:
    app.add_error_handler(ProblemException, on_problem)
    app.add_error_handler(HTTPException, on_http_exception)
    app.add_error_handler(Exception, on_unexpected)


def on_problem(request, exc: ProblemException):
    if isinstance(exc, OAuthProblem):
        status, source = 401, "rest_auth/jwt"
        errno_name = getattr(exc, "errno_name", ERROR_OF_STATUS[401])
        if not isinstance(exc, AuthenticationFailed):  # connexion found no credentials at all
            exc.detail = NO_CREDENTIALS
    elif isinstance(exc, BadRequestProblem):
        status, source, errno_name = 400, "openapi validation", ERROR_OF_STATUS[400]
    else:
        status, source = exc.status, "slurmrestpy"
        errno_name = ERROR_OF_STATUS.get(status, "SLURM_ERROR")
    description = exc.detail or exc.title or "Request refused"
    return answer(request, status, description, errno_name, source)


def on_http_exception(request, exc: HTTPException):
    if exc.status_code == 404:
        description = NOT_FOUND
    elif exc.status_code == 405:
        description = f"{request.method} is not an operation of {request.url.path}"
    else:
        description = str(exc.detail)
    errno_name = ERROR_OF_STATUS.get(exc.status_code, "SLURM_ERROR")
    return answer(request, exc.status_code, description, errno_name, "slurmrestpy")


def on_unexpected(request, exc: Exception):
    log.error("unexpected error answering %s %s", request.method, request.url.path, exc_info=exc)
    return answer(request, 500, "Internal error in slurmrestpy; the server log has the details",
                  "SLURM_ERROR", "slurmrestpy")


def answer(request, status: int, description: str, errno_name: str, source: str):
    """connexion's error handlers want a ConnexionResponse."""
    response = envelope_response(request, status, description, errno_name, source)
    return ConnexionResponse(status_code=response.status_code, mimetype=response.media_type,
                             content_type=response.media_type, body=response.render_now())


def envelope_response(request, status: int, description: str, errno_name: str, source: str):
    known = by_name(errno_name)
    entry = {
        "description": description,
        "error_number": known.number if known else -1,
        "error": known.message if known else "Unspecified error",
        "source": source,
    }
    body, meta, config = {}, {}, None
    services = _services(request)
    path = request.url.path
    version = version_of(path)
    if services is not None:
        config = services.config
        ref = services.specs.find(path, request.method)
        if ref is not None:
            body = services.specs.empty_body(ref, status)
        if version:
            meta = envelope.meta(services, plugin=plugin_of(path), version=version,
                                 request=request, user=None)
    document = envelope.envelope(body, meta=meta, errors=[entry])
    return envelope.render(document, status, request=request, config=config)


def refusal(scope, status: int, description: str, errno_name: str, source: str = "slurmrestpy"):
    """An ASGI app answering a request refused before connexion saw it."""
    return envelope_response(Request(scope), status, description, errno_name, source)


def _services(request):
    try:
        return services_of(request)
    except (KeyError, AttributeError):
        return None
