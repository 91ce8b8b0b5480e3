"""The service in a real browser: the set-up every app's browser tests share. `browser_page` is
the fixture (a Chromium page on the live server, collecting console errors, in a browser context
of its own; the Chromium process, `chromium()`, is one for a run of browser tests), `sign_in` signs a
user in with password and authenticator code, `check_page` asserts that axe-core finds no
accessibility problem and the browser reported no error (a content security policy violation is
one), and keeps a screenshot in /tmp/nis-shots/. A test module imports the fixture and the
helpers from here; the first sign-in itself is tested in test_browser.py.

Debian's Chromium, launched by its path (never `playwright install`); axe-core from npm. Needs
`npm ci && npm run build` first; the fixture skips, saying so, when the build or Chromium is
missing.
"""

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from notinschool.accounts.tests.factories import PASSWORD, current_code

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

ROOT = Path(__file__).resolve().parents[3]
APP_CSS = ROOT / "notinschool" / "web" / "static" / "build" / "app.css"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path("/tmp/nis-shots")
AXE_URL_PATH = "/__test__/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]


_running: dict[str, Any] = {}


def chromium() -> Any:
    """The run's one Chromium, started by the first browser test: starting Playwright and
    launching the browser for each test cost about 3 s a test. Each test still gets a browser
    context of its own (cookies, storage, cache), closed after it, so the tests share nothing but
    the process."""
    if "browser" not in _running:
        sync_api = pytest.importorskip("playwright.sync_api")
        _running["playwright"] = sync_api.sync_playwright().start()
        _running["browser"] = _running["playwright"].chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    return _running["browser"]


def chromium_stop() -> None:
    """Close the shared Chromium and stop Playwright, whose event loop counts as running in this
    thread while it is started (asyncio.run and async_to_sync refuse to run beside it): the root
    conftest.py calls this before each test that is not a browser test, and at the end."""
    if "browser" in _running:
        _running.pop("browser").close()
        _running.pop("playwright").stop()


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[Any]:
    """A page in a browser context of its own, on the live server."""
    for needed, how in ((APP_CSS, "run `npm ci && npm run build`"), (AXE, "run `npm ci`"),
                        (Path(CHROMIUM), "install Debian's `chromium` package")):
        if not needed.exists():
            pytest.skip(f"{needed} is missing: {how}")
    browser = chromium()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    # axe is served as if from our own origin, so the strict content security policy stays on.
    context.route(f"**{AXE_URL_PATH}", lambda route: route.fulfill(path=str(AXE),
                                                                    content_type="text/javascript"))
    page = context.new_page()
    # 60 s, not Playwright's 30: a test server's first page (templates compiled) on a machine
    # running other test streams beside it has taken longer than 30 s here
    page.set_default_navigation_timeout(60_000)
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    for made in list(browser.contexts):  # this test's, and any other context it opened
        made.close()


def sign_in(page: Any, user: Any) -> None:
    """Sign in as ``user`` (password, then the authenticator's code), landing on the register."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/register/")


def check_page(page: Any, name: str) -> None:
    """No browser errors, no axe violations; a screenshot to look at."""
    SHOTS.mkdir(exist_ok=True)
    # A form posted back to its own address may still be loading when the test gets here (on a
    # busy machine, seen in CI): wait for the page and its scripts, up to 10 s, before judging.
    page.wait_for_load_state("load")
    try:
        page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')",
                               timeout=10_000)
    except PlaywrightTimeout:
        raise AssertionError(f"{name}: GOV.UK Frontend's JavaScript did not start") from None
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(url=AXE_URL_PATH)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
                  for v in result["violations"]]
    assert not violations, f"{name}: {json.dumps(violations, indent=1)}"
    assert not page.problems, f"{name}: the browser reported {page.problems}"
