"""An action whose reason has gone closes itself at the next assessment, with the reason in
words (risk.storing): a child not seen for over a year is to be visited; once a contact records
the child seen, the next run closes the visit and says so. An action a person marked done is
not raised again for a while, though its rule still asks."""

import datetime as dt

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.casework.actions import required_action_done
from notinschool.casework.models import Contact
from notinschool.casework.tests.factories import MONDAY
from notinschool.core import clock
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


def test_an_action_a_person_marked_done_is_not_handed_back_the_next_night(settings):
    child = ChildFactory.create(joined_register_date=dt.date(2026, 10, 1))
    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    ask = RequiredAction.objects.get(child=child, code="request_information", state="open")
    letter = Contact.objects.create(child=child, contact_date=MONDAY, method="letter", outcome="")
    required_action_done(actor=UserFactory.create(role=Role.EHE_OFFICER), action=ask,
                         evidence_kind="contact", evidence_id=letter.pk)

    risk_assessment_run(actor=COMMAND_LINE, child_ids=None)  # the information is still missing
    assert not RequiredAction.objects.filter(child=child, code="request_information",
                                             state="open").exists()
    later = MONDAY + dt.timedelta(days=settings.NOTINSCHOOL_ACTION_QUIET_DAYS + 1)
    with clock.as_of(later):
        risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
    again = RequiredAction.objects.get(child=child, code="request_information", state="open")
    assert again.raised_on == later
