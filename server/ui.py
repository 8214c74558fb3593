"""Swagger UI at /ui/, arranged for a person rather than a client generator.

The descriptions clients read (/openapi.json, /openapi/v3, /openapi.yaml)
keep slurmrestd's tags, order and texts, since generated clients name their
classes after them. The UI instead loads one document per API version from
/openapi/ui/{version}.json (its version drop-down), each with:
- the operations grouped under the tags a user looks for, in that order;
- an introduction that says where the token for *Authorize* comes from;
- the address the page was loaded from as its one server;
- JSON as the first media type of every body, so Try it out asks for JSON.
A browser asking for `/` is sent to the UI; API clients still get
slurmrestd's answer there (404 in the envelope).
"""

from __future__ import annotations

import copy
import functools
import json
import re

from connexion.options import SwaggerUIOptions
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

UI_PATH = "/ui"
DOCUMENT_PATH = "/openapi/ui/{version}.json"

TAGS = [
    ("jobs", "Submit, list, change and cancel jobs (what sbatch, squeue, scontrol and scancel do)."),
    ("nodes", "The compute nodes: their state, and changing, adding or removing them."),
    ("partitions", "The partitions jobs are queued in."),
    ("reservations", "Reservations of nodes for users or accounts."),
    ("accounting", "slurmdbd: finished jobs, accounts, users, associations, QOS, TRES, wckeys, clusters."),
    ("util", "Health and statistics of the daemons, licenses, reconfiguring, and host list helpers."),
]

# (API prefix, what follows the version, tag): a path's place on the page is
# the first rule it matches; paths of one rule keep the description's order.
RULES = [
    ("slurm", r"jobs/$", "jobs"),
    ("slurm", r"job/\{", "jobs"),
    ("slurm", r"job/submit", "jobs"),
    ("slurm", r"job/allocate", "jobs"),
    ("slurm", r"jobs/state/", "jobs"),
    ("slurm", r"resources/", "jobs"),
    ("slurm", r"nodes/", "nodes"),
    ("slurm", r"node/", "nodes"),
    ("slurm", r"new/node/", "nodes"),
    ("slurm", r"partitions/", "partitions"),
    ("slurm", r"partition/", "partitions"),
    ("slurm", r"reservations/", "reservations"),
    ("slurm", r"reservation", "reservations"),
    ("slurmdb", r"jobs/", "accounting"),
    ("slurmdb", r"job/", "accounting"),
    ("slurmdb", r"accounts/", "accounting"),
    ("slurmdb", r"account/", "accounting"),
    ("slurmdb", r"accounts_association/", "accounting"),
    ("slurmdb", r"users/", "accounting"),
    ("slurmdb", r"user/", "accounting"),
    ("slurmdb", r"users_association/", "accounting"),
    ("slurmdb", r"associations/", "accounting"),
    ("slurmdb", r"association/", "accounting"),
    ("slurmdb", r"qos/$", "accounting"),
    ("slurmdb", r"qos/", "accounting"),
    ("slurmdb", r"tres/", "accounting"),
    ("slurmdb", r"wckeys/", "accounting"),
    ("slurmdb", r"wckey/", "accounting"),
    ("slurmdb", r"clusters/", "accounting"),
    ("slurmdb", r"cluster/", "accounting"),
    ("slurm", r"shares", "accounting"),
    ("slurmdb", r"config", "accounting"),
    ("slurmdb", r"instances/", "accounting"),
    ("slurmdb", r"instance/", "accounting"),
    ("slurm", r"ping/", "util"),
    ("slurmdb", r"ping/", "util"),
    ("slurm", r"diag/", "util"),
    ("slurmdb", r"diag/", "util"),
    ("slurm", r"licenses/", "util"),
    ("slurm", r"reconfigure/", "util"),
    ("util", r"", "util"),
]
_PATH = re.compile(r"^/(?P<prefix>[^/]+)/v\d+\.\d+\.\d+/(?P<rest>.*)$")

INTRODUCTION = (
    "**A token for *Authorize*:** on a host of the cluster, `scontrol token` prints `SLURM_JWT=...` "
    "(root may add `username=NAME lifespan=SECONDS`).  \n"
    "Paste what follows `SLURM_JWT=` as `token`, your user name as `user`, then *Try it out*.\n\n"
)


def place(path: str) -> tuple[int, str]:
    """Where a path goes on the page: its rule's rank and its tag."""
    match = _PATH.match(path)
    if match:
        for rank, (prefix, rest, tag) in enumerate(RULES):
            if match["prefix"] == prefix and re.match(rest, match["rest"]):
                return rank, tag
    return len(RULES), "util"


def for_people(document: dict, origin: str) -> dict:
    """One version's description as the UI shows it, served from `origin`."""
    return with_server(arranged(document), origin)


def arranged(document: dict) -> dict:
    """What the UI shows of a description whatever address it is served at."""
    shown = copy.deepcopy(document)
    shown["info"]["description"] = INTRODUCTION + shown["info"].get("description", "")
    ordered = sorted(shown["paths"].items(), key=lambda item: place(item[0])[0])  # stable
    used = {place(path)[1] for path, _ in ordered}
    shown["tags"] = [{"name": name, "description": text} for name, text in TAGS if name in used]
    for path, item in ordered:
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["tags"] = [place(path)[1]]
                _json_first(operation)
    shown["paths"] = dict(ordered)
    return shown


def with_server(document: dict, origin: str) -> dict:
    return {**document, "servers": [{"url": origin, "description": "this slurmrestpy"}]}


def _json_first(operation: dict) -> None:
    bodies = [operation.get("requestBody", {}), *operation["responses"].values()]
    for body in bodies:
        content = body.get("content")
        if content and "application/json" in content:
            body["content"] = {"application/json": content["application/json"], **content}


def swagger_ui_options(versions: list[str]) -> SwaggerUIOptions:
    """The UI's version drop-down, newest first; the URLs are relative to /ui/
    so that the page also works behind a proxy that adds a path prefix."""
    urls = [{"name": v, "url": ".." + DOCUMENT_PATH.format(version=v)} for v in reversed(versions)]
    return SwaggerUIOptions(
        swagger_ui_path=UI_PATH,
        serve_spec=False,  # server/app.py serves the description
        swagger_ui_template_arguments={"urls": urls, "openapi_spec_url": urls[0]["url"]},
    )


def add_routes(app, specs, anonymous: bool) -> None:
    @functools.lru_cache(maxsize=None)  # one entry per loaded version at most
    def arranged_version(version: str) -> dict:
        return arranged(specs.for_connexion(version, anonymous=anonymous))

    async def document(request):
        version = request.path_params["version"]
        if version not in specs.versions:
            raise HTTPException(404)  # answered in the envelope by problems.py
        origin = str(request.base_url).rstrip("/")
        shown = with_server(arranged_version(version), origin)
        return Response(json.dumps(shown), media_type="application/json")

    app.add_url_rule(DOCUMENT_PATH, "ui_document", document)


class BrowserHome:
    """`/` for a browser (Accept: text/html) is the UI; anything else passes on."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/" and scope["method"] in ("GET", "HEAD") \
                and "text/html" in Headers(scope=scope).get("accept", ""):
            target = scope.get("root_path", "").rstrip("/") + UI_PATH + "/"
            await RedirectResponse(target, status_code=302)(scope, receive, send)
            return
        await self.app(scope, receive, send)
