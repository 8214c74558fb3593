"""From an operation of the OpenAPI description to its handler, in one step.

Each operation names its handler in ``x-slurmrestpy-handler`` (a dotted
path). The operationId stays SchedMD's, because generated clients name their
methods after it. The handler is bound to the operation it serves and called
as ``handler(call, **parameters)``, where ``call`` (server.call.Call) knows
the API version, the caller and how to run Slurm; a ``SlurmError`` it raises
becomes slurmrestd's error envelope.
"""

from __future__ import annotations

import inspect

from connexion import request as current_request
from connexion.decorators.parameter import sanitized
from connexion.resolver import Resolution, Resolver
from connexion.utils import get_function_from_name

from server import answers
from server.auth import AuthenticationFailed, identity_from, slurm_token_info
from server.gate import tokens_of
from server.peercred import LocalAuthRefused, local_identity
from server.call import Call
from server.services import services_of
from server.slurm.command import SlurmError
from server.slurm.errno import by_name
from server.versions import parameter_names

HANDLER_KEY = "x-slurmrestpy-handler"
NO_CREDENTIALS = ("Authentication does not apply to request: it has no X-SLURM-USER-TOKEN header "
                  "and no Authorization: Bearer token")
# connexion hands a handler argument of these names its security context
# (the authenticated user), over a query parameter of the same name.
CONTEXT_NAMES = {"user"}


class HandlerResolver(Resolver):
    def __init__(self, specs):
        super().__init__()
        self.specs = specs

    def resolve(self, operation) -> Resolution:
        dotted = operation._operation.get(HANDLER_KEY)
        if not dotted:
            raise ValueError(f"{operation.method.upper()} {operation.path} has no {HANDLER_KEY}")
        ref = self.specs.find(operation.path, operation.method)
        return Resolution(bind(get_function_from_name(dotted), ref), operation.operation_id)


def bind(handler, ref):
    """The endpoint connexion calls: it takes the operation's parameters by
    name (as the handler declares them, minus `call`) plus connexion's
    `token_info`, builds the Call and answers failures in the envelope."""
    declared = list(inspect.signature(handler).parameters.values())[1:]
    shadowed = CONTEXT_NAMES & {p.name for p in declared}
    # Query parameters this version names otherwise than the internal form.
    renamed = {sanitized(old): sanitized(new) if new else None
               for old, new in (parameter_names(ref.version, ref.path) if ref else {}).items()}

    async def endpoint(token_info=None, **parameters):
        request = current_request
        for name in shadowed:  # the client's value, not connexion's context
            parameters[name] = ",".join(request.query_params.getlist(name)) or None
        services = services_of(request)
        call = Call(request=request, services=services, operation=ref, identity=identity_from(token_info))
        for old, new in renamed.items():
            value = parameters.pop(old, None)
            if value is not None and new:
                parameters[new] = value
            elif value is not None:
                call.warn(f"{old} is not applied: this Slurm has no such filter for {ref.version}")
        if parameters.get("body") is not None:
            parameters["body"] = services.specs.body_from_version(ref, parameters["body"], call.warn)
        try:
            if call.identity is None:
                call.identity = anonymous_identity(request, services)
                request.context["token_info"] = {"identity": call.identity}  # for the access log
        except SlurmError as error:
            return answers.finish(call.fail(error), request, call)

        async def answer():
            try:
                return await handler(call, **parameters)
            except SlurmError as error:
                return call.fail(error)

        # Known now, the caller may be sent an answer another request of theirs made.
        return await services.answers.serve(call, answer)

    endpoint.__name__ = handler.__name__
    endpoint.__qualname__ = handler.__qualname__
    endpoint.__module__ = handler.__module__
    endpoint.__doc__ = handler.__doc__
    token_info = inspect.Parameter("token_info", inspect.Parameter.KEYWORD_ONLY, default=None)
    named = [p for p in declared if p.kind != p.VAR_KEYWORD]
    named += [inspect.Parameter(old, inspect.Parameter.KEYWORD_ONLY, default=None)
              for old in renamed if old not in {p.name for p in named}]
    rest = [p for p in declared if p.kind == p.VAR_KEYWORD]  # **parameters stays last
    endpoint.__signature__ = inspect.Signature([*named, token_info, *rest])
    return endpoint


def anonymous_identity(request, services):
    """A request connexion let through without a token: only rest_auth/local
    lets it in (the description allows it only when that plugin is loaded)."""
    token = next(iter(tokens_of(request.headers)), None)
    try:
        if token:
            # A token that failed is no invitation to try another way in.
            return slurm_token_info(token, request)["identity"]
        if "rest_auth/local" not in services.config.auth_types:
            raise LocalAuthRefused(NO_CREDENTIALS)
        return local_identity(request.scope)
    except AuthenticationFailed as error:
        raise _unauthenticated(error.detail, error.errno_name) from None
    except LocalAuthRefused as error:
        raise _unauthenticated(str(error)) from None


def _unauthenticated(description: str, errno_name: str = "ESLURM_AUTH_CRED_INVALID") -> SlurmError:
    known = by_name(errno_name)
    return SlurmError(description, number=known.number if known else None, source="rest_auth", status=401)
