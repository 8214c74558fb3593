"""Swagger UI driven in a real browser (Debian's chromium through Playwright),
as a new user would: the page loads cleanly, each API version can be picked,
Authorize takes a token from `scontrol token`, Try it out lists the caller's
jobs, and a wrong token shows the 401 envelope. Each state is saved as a
screenshot under tests/.generated/swagger-ui/.

Nothing may come from outside: Playwright never downloads a browser here,
and any request the page makes to another origin fails the test."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright import sync_api

from conftest import ALICE, BOB, REPO
from server.specs import version_of

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# An operation's path; older versions' operations are marked deprecated, as
# SchedMD marks them, and Swagger UI gives those a class of their own.
PATH_SELECTOR = ".opblock-summary-path, .opblock-summary-path__deprecated"
SCREENSHOTS = REPO / "tests" / ".generated" / "swagger-ui"
TAG_ORDER = ["jobs", "nodes", "partitions", "reservations", "accounting", "util"]
TIMEOUT_MS = 60_000

pytestmark = [pytest.mark.cluster, pytest.mark.browser]


@pytest.fixture(scope="module")
def browser_context():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} missing: `make test` installs Debian's chromium (apt-get install chromium)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="srp-chromium-")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


class Visit:
    """One page of the browser, with what went wrong on it."""

    def __init__(self, context, origin: str):
        self.page = context.new_page()
        self.console_errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.route("**/*", lambda route: self._only_from(origin, route))

    def _only_from(self, origin: str, route):
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open_ui(self, url: str):
        self.page.goto(url)
        self.page.wait_for_selector(".opblock-tag-section")

    def tags(self) -> list[str]:
        return [t.get_attribute("data-tag") for t in self.page.locator(".opblock-tag").all()]

    def paths(self) -> list[str]:
        return [p.get_attribute("data-path") for p in self.page.locator(PATH_SELECTOR).all()]

    def shot(self, name: str):
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    def authorize(self, user: str, token: str, shot: str):
        self.page.click(".scheme-container button.authorize")
        modal = self.page.locator(".modal-ux")
        for header, value in (("X-SLURM-USER-NAME", user), ("X-SLURM-USER-TOKEN", token)):
            box = modal.locator(".auth-container", has_text=header)
            box.locator("input").fill(value)
            box.locator("button.authorize").click()
            box.locator("button", has_text="Logout").wait_for()
        self.shot(shot)
        modal.locator("button.btn-done").first.click()

    def pick(self, version: str) -> None:
        """Show one version's page (the drop-down opens on the newest)."""
        self.page.locator(".topbar select").select_option(label=version)
        self.page.wait_for_function(
            "v => [...document.querySelectorAll(PATHS)].length > 0 && "
            "[...document.querySelectorAll(PATHS)].every(p => p.dataset.path.includes('/' + v + '/'))"
            .replace("PATHS", repr(PATH_SELECTOR)), arg=version)

    def try_out(self, operation_id: str, tag: str) -> tuple[int, dict]:
        block = self.page.locator(f"#operations-{tag}-{operation_id}")
        block.locator(".opblock-summary").click()
        block.locator("button.try-out__btn").click()
        block.locator("button.execute").click()
        response = block.locator(".live-responses-table .response")
        response.locator(".response-col_status").wait_for()
        response.scroll_into_view_if_needed()  # for the screenshot
        status = int(response.locator(".response-col_status").inner_text().strip())
        body = response.locator(".response-col_description pre").first.inner_text()
        return status, json.loads(body)

    def close(self):
        self.page.close()


@pytest.fixture
def visit(browser_context, server):
    opened = Visit(browser_context, server.url)
    yield opened
    opened.close()


def test_ui_loads_without_console_errors(visit, server):
    visit.open_ui(server.url + "/")  # a browser asking for / lands on the UI
    assert visit.page.url == server.url + "/ui/"
    assert visit.tags() == TAG_ORDER
    assert visit.page.locator(".servers select").input_value() == server.url
    assert "scontrol token" in visit.page.locator(".information-container").inner_text()
    visit.shot("loaded")
    assert visit.console_errors == []
    assert visit.outside == []


def test_every_served_version_can_be_picked(visit, server, api):
    versions = sorted({version_of(path) for path in api.get("/openapi.json").json()["paths"]} - {None})
    assert versions, "the served description has no versioned path"
    visit.open_ui(server.url + "/ui/")
    picker = visit.page.locator(".topbar select")
    assert sorted(picker.locator("option").all_inner_texts()) == versions
    for version in versions:
        visit.pick(version)
        shown = api.get(f"/openapi/ui/{version}.json").json()
        assert visit.tags() == [tag["name"] for tag in shown["tags"]]
        assert visit.tags()[0] == "jobs"
        assert visit.paths()[0] == f"/slurm/{version}/jobs/"
        visit.shot(f"version-{version}")
    assert visit.console_errors == []
    assert visit.outside == []


@pytest.fixture
def alice_job(cluster):
    job = cluster.submit("--hold", "--job-name=srp_browser", "--wrap=sleep 600", user=ALICE)
    bob_job = cluster.submit("--hold", "--job-name=srp_browser", "--wrap=sleep 600", user=BOB)
    yield job, bob_job
    cluster.cancel(job, bob_job)


def test_authorize_with_scontrol_token_then_try_it_out_lists_the_callers_jobs(visit, server, cluster, alice_job):
    mine, bobs = alice_job
    visit.open_ui(server.url + "/ui/")
    visit.pick("v0.0.44")
    visit.authorize(ALICE, cluster.token(ALICE), "authorized")
    status, body = visit.try_out("slurm_v0044_get_jobs", "jobs")
    visit.shot("try-it-out-jobs-200")
    assert status == 200, body
    assert body["errors"] == []
    assert body["meta"]["client"]["user"] == ALICE
    listed = {job["job_id"] for job in body["jobs"]}
    assert mine in listed
    assert bobs not in listed  # PrivateData=jobs: the caller's jobs only
    assert {job["user_name"] for job in body["jobs"]} == {ALICE}
    assert visit.outside == []


def test_a_wrong_token_shows_the_401_envelope(visit, server):
    visit.open_ui(server.url + "/ui/")
    visit.pick("v0.0.44")
    visit.authorize(ALICE, "not-a-token", "authorized-wrong-token")
    status, body = visit.try_out("slurm_v0044_get_jobs", "jobs")
    visit.shot("try-it-out-jobs-401")
    assert status == 401
    assert body["jobs"] == []
    [error] = body["errors"]
    assert error["error_number"] > 0
    assert "malformed" in error["description"].lower()
    assert set(body) >= {"meta", "errors", "warnings"}
    assert visit.outside == []
