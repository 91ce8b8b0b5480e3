"""Fixtures shared by the whole suite."""

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

from notinschool.core import clock

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def as_of() -> Iterator[dt.date]:
    """Fix 'today' as the command line's --as-of does."""
    with clock.as_of(AS_OF):
        yield AS_OF


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write rows (a header list then value lists) as a CSV file in a temporary folder."""

    def write(name: str, header: list[str], *rows: list[str]) -> Path:
        path = tmp_path / name
        lines = [",".join(header)] + [",".join(r) for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests run last, one after the other, so the one Chromium they share
    (notinschool/web/tests/browser.py) starts once for all of them, not once for each browser
    file between the others; the order within each group is kept."""
    browser = [item for item in items if item.get_closest_marker("browser") is not None]
    if browser:
        items[:] = [item for item in items if item.get_closest_marker("browser") is None] + browser


@pytest.fixture(autouse=True)
def chromium_only_for_browser_tests(request: pytest.FixtureRequest) -> None:
    """The browser tests share one Chromium (notinschool/web/tests/browser.py); it is stopped
    before any other test, since Playwright's event loop would stop that test using asyncio."""
    browser = sys.modules.get("notinschool.web.tests.browser")
    if browser is not None and request.node.get_closest_marker("browser") is None:
        browser.chromium_stop()


@pytest.fixture(scope="session", autouse=True)
def chromium_stopped_at_the_end() -> Iterator[None]:
    yield
    browser = sys.modules.get("notinschool.web.tests.browser")
    if browser is not None:
        browser.chromium_stop()


@pytest.fixture(scope="session", autouse=True)
def scratch_template(request: pytest.FixtureRequest, django_db_blocker: object) -> None:
    """On PostgreSQL, when the run has tests of real processes, their scratch databases are copied
    from the test database as pytest-django has just migrated it, before any test has written to
    it or flushed it (workflow/tests/scratch.py), rather than from a second migration."""
    from notinschool.workflow.tests.scratch import postgres, template_from_test_database

    if not postgres() or not any(item.get_closest_marker("processes")
                                 for item in request.session.items):
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        name = connections["default"].settings_dict["NAME"]
        connections.close_all()  # a database is copied only while nothing is connected to it
        template_from_test_database(name)
