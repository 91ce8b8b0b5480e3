"""An action whose reason has gone closes itself at the next assessment, with the reason in
words (risk.storing): a child not seen for over a year is to be visited; once a contact records
the child seen, the next run closes the visit and says so."""

import datetime as dt

import pytest

from notinschool.accounts.system import COMMAND_LINE
from notinschool.casework.models import Contact
from notinschool.casework.tests.factories import MONDAY
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import RequiredAction
from notinschool.workflow.assessment import risk_assessment_run

pytestmark = pytest.mark.django_db


def test_a_visit_closes_with_the_reason_once_the_child_is_seen():
    child = ChildFactory.create(joined_register_date=dt.date(2025, 6, 1))
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    visit = RequiredAction.objects.get(child=child, code="arrange_visit")
    assert visit.state == "open" and visit.closed_reason == ""

    Contact.objects.create(child=child, contact_date=MONDAY, method="home_visit", child_seen=True,
                           seen_alone=True, outcome="engaged")
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    visit.refresh_from_db()
    assert visit.state == "done" and visit.done_on == MONDAY
    assert visit.evidence_kind == "reassessment" and visit.done_by is None
    assert visit.closed_reason == (
        "No longer required: the child was seen on 23 November 2026; the assessment on "
        "23 November 2026 no longer asks to \u201cArrange to see the child\u201d; the rules that "
        "ask for it (Not seen) no longer apply.")
    assert not RequiredAction.objects.filter(child=child, code="arrange_visit", state="open").exists()
