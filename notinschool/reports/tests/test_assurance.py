"""The assurance report on three children: each measure moves when one child's record changes
(views recorded, a meeting held, an alert acknowledged, a plan begun, a social care file compared after a
child left school), the children missing from a measure are listed for officers, and the
analyst sees the numbers only."""

import datetime as dt

import pytest
from django.utils import timezone

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import Alert, Contact
from notinschool.core import clock
from notinschool.intake.models import ImportBatch, ImportKind, Notification
from notinschool.people.tests.factories import ChildFactory
from notinschool.plans.models import Meeting, Plan
from notinschool.reports.assurance import assurance
from notinschool.risk.models import RequiredAction
from notinschool.risk.tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def shares(code: str) -> tuple[int, int]:
    m = assurance(as_of=clock.today()).measure(code)
    return len(m.met), m.applies


@pytest.fixture
def children():
    return [ChildFactory.create(status=status, forename=name, surname="Test")
            for status, name in (("ehe", "Ada"), ("ehe", "Bea"), ("cme", "Cal"))]


def test_the_childs_voice_moves_with_one_contact(children):
    ada = children[0]
    assert shares("views") == (0, 3)
    Contact.objects.create(child=ada, contact_date=clock.today() - dt.timedelta(days=30),
                           method="home_visit", child_seen=True, seen_alone=False,
                           child_views="I like learning at home.", outcome="engaged")
    assert shares("views") == (1, 3)
    assert shares("seen") == (1, 3)
    assert shares("seen_alone") == (0, 3), "seen, but not alone"
    Contact.objects.create(child=ada, contact_date=clock.today() - dt.timedelta(days=400),
                           method="home_visit", seen_alone=True, outcome="engaged")
    assert shares("seen_alone") == (0, 3), "more than a year ago"


def test_a_meeting_held_and_an_alert_acknowledged_count(children):
    bea, cal = children[1], children[2]
    today = clock.today()
    action = RequiredAction.objects.create(child=bea, code="professionals_meeting",
                                           raised_on=today - dt.timedelta(days=20))
    assert shares("meetings") == (0, 1)
    Meeting.objects.create(child=bea, required_action=action, held_on=today - dt.timedelta(days=5),
                           question="Is Bea safe?", decisions="Visit together.")
    assert shares("meetings") == (1, 1)
    alert = Alert.objects.create(child=cal, raised_on=today - dt.timedelta(days=10),
                                 due_date=today - dt.timedelta(days=9))
    assert shares("alerts") == (0, 1)
    alert.acknowledged_at = timezone.now() - dt.timedelta(days=9, hours=1)
    alert.save()
    assert shares("alerts") == (1, 1)


def test_checked_against_social_care_after_leaving_school(children):
    ada = children[0]
    today = clock.today()
    deletions = ImportBatch.objects.create(kind=ImportKind.ROLL_DELETIONS, file_name="d.csv",
                                           sha256="0" * 64, as_of=today)
    Notification.objects.create(kind=ImportKind.ROLL_DELETIONS, batch=deletions, child=ada,
                                row_hash="1" * 64, event_date=today - dt.timedelta(days=3),
                                received_date=today - dt.timedelta(days=2))
    assert shares("checked_social_care") == (0, 1)
    ImportBatch.objects.create(kind="agency", source="social_care", file_name="sc.csv",
                               sha256="2" * 64, as_of=today)
    report = assurance(as_of=today)
    assert shares("checked_social_care") == (1, 1)
    assert report.measure("checked_social_care").detail == "median 2 days from the deletion arriving"
    assert shares("checked_health") == (0, 1), "the health file has not come"


def test_officers_list_the_children_missing_and_the_analyst_sees_numbers(children, client_for):
    officer = client_for(Role.EHE_OFFICER)
    page = officer.get("/reports/assurance/").content.decode()
    assert "/reports/assurance/children/?measure=views" in page
    listed = officer.get("/reports/assurance/children/?measure=views").content.decode()
    assert "Ada Test" in listed and "Cal Test" in listed
    event = AuditEvent.objects.filter(object_type="assurance_children").get()
    assert event.child_count == 3
    analyst = client_for(Role.ANALYST)
    page = analyst.get("/reports/assurance/").content.decode()
    assert "Are children&#39;s voices, needs and views heard?" in page
    assert "/reports/assurance/children/" not in page
    assert analyst.get("/reports/assurance/children/?measure=views").status_code == 403


def test_a_plan_for_a_child_at_tier_1(children):
    ada, bea = children[0], children[1]
    AssessmentFactory.create(child=ada, tier=1)
    AssessmentFactory.create(child=bea, tier=3)
    assert shares("plan") == (0, 1), "only Ada needs one"
    Plan.objects.create(child=ada, kind=Plan.Kind.CHILD_IN_NEED, lead_name="Sam Lee",
                        lead_agency="Children's social care", start_date=clock.today())
    assert shares("plan") == (1, 1)
