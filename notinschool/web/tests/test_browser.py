"""The service in a real browser: the set-up every app's browser tests share (`browser_page`,
`sign_in`, `check_page`), and the first sign-in that sets up the authenticator app. On each page
axe-core finds no accessibility problem and the browser reports no error (a content security
policy violation is one). Screenshots go to /tmp/nis-shots/. Signing in, searching the register
and opening a child: notinschool/people/tests/test_browser_pages.py.

Debian's Chromium, launched by its path (never `playwright install`); axe-core from npm. Needs
`npm ci && npm run build` first; skips, saying so, when the build or Chromium is missing.
"""

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import PASSWORD, UserFactory, current_code
from notinschool.accounts.totp import totp_code_now

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

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[Any]:
    for needed, how in ((APP_CSS, "run `npm ci && npm run build`"), (AXE, "run `npm ci`"),
                        (Path(CHROMIUM), "install Debian's `chromium` package")):
        if not needed.exists():
            pytest.skip(f"{needed} is missing: {how}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
        # axe is served as if from our own origin, so the strict content security policy stays on.
        context.route(f"**{AXE_URL_PATH}", lambda route: route.fulfill(path=str(AXE),
                                                                        content_type="text/javascript"))
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        yield page
        browser.close()


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
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), \
        "GOV.UK Frontend's JavaScript did not start"
    page.add_script_tag(url=AXE_URL_PATH)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
                  for v in result["violations"]]
    assert not violations, f"{name}: {json.dumps(violations, indent=1)}"
    assert not page.problems, f"{name}: the browser reported {page.problems}"


def test_first_sign_in_sets_up_the_authenticator_app(browser_page: Any) -> None:
    page = browser_page
    UserFactory.create(username="newstarter", role=Role.HEALTH_PRACTITIONER, totp=False)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("newstarter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/accounts/2fa/totp/activate/")
    check_page(page, "6-set-up-authenticator")
    secret = page.get_by_label("Or type this key into the app").input_value()
    page.get_by_label("Authenticator code").fill(totp_code_now(secret))
    page.get_by_role("button", name="Set up").click()

    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    check_page(page, "7-recovery-codes")
    page.goto("/")
    page.wait_for_url("**/register/")
