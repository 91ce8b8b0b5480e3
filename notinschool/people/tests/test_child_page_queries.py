"""The child's page reads each thing once: a section and the timeline that show the same
records (contacts, consent decisions, meetings, overrides...) share one read, so the page asks
the database no question twice, whoever opens it."""

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notinschool.accounts.roles import Role
from notinschool.casework.models import Contact
from notinschool.casework.tests.factories import MONDAY, child_on_plan_withdrawn
from notinschool.plans.tests.factories import held_meeting, social_worker
from notinschool.workflow.assessment import child_reassess

pytestmark = pytest.mark.django_db


def repeated(client: Any, url: str) -> tuple[str, list[str], int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    counts = Counter(q["sql"] for q in queries.captured_queries)
    return response.content.decode(), [sql for sql, n in counts.items() if n > 1], len(queries)


@pytest.mark.parametrize(("role", "sees"), [
    (Role.EHE_OFFICER, "Professionals-only meeting"),  # the meeting, on the timeline
    (Role.TEAM_MANAGER, "Saw the child at home"),  # the visit's notes, in Contacts
    (Role.SOCIAL_WORKER, "Professionals-only meeting"),
])
def test_no_question_is_asked_twice_on_a_busy_childs_page(client_for, make_user, role, sees):
    child = child_on_plan_withdrawn()
    officer = make_user(Role.EHE_OFFICER)
    Contact.objects.create(child=child, contact_date=MONDAY - dt.timedelta(days=2), method="home_visit",
                           outcome="seen", state="done", notes="Saw the child at home with her work.")
    held_meeting(child, officer, social_worker(), MONDAY)
    child_reassess(actor=officer, child=child)
    html, twice, count = repeated(client_for(role), f"/children/{child.pk}/")
    assert sees in html
    assert "Assessed: tier" in html  # the timeline is on the page
    assert twice == [], f"{len(twice)} of {count} queries asked twice: {twice}"
