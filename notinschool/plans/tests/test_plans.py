"""Plans, professionals-only meetings, drift, the health partnership and the social worker's
view, through the services and the pages as the people who use them see them."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core import mail

from notinschool.accounts.roles import Role
from notinschool.accounts.system import SystemActor
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import Alert, WorkItem
from notinschool.casework.services import daily_summaries_send
from notinschool.core import clock
from notinschool.letters.compose import team, values
from notinschool.linkage.tests.factories import known_to
from notinschool.people.models import Status
from notinschool.people.tests.factories import ChildFactory
from notinschool.plans.models import HealthShare, Meeting, Plan
from notinschool.plans.selectors import meeting_minutes_for_child
from notinschool.plans.services import (
    Named,
    drift_run,
    health_record,
    health_share_run,
    plan_create,
    plan_progress_record,
)
from notinschool.plans.tests.factories import (
    MINUTES,
    health_team,
    held_meeting,
    nurse,
    officer,
    social_worker,
)
from notinschool.reports.register_export import register_export_rows
from notinschool.risk.models import RequiredAction
from notinschool.workflow.assessment import child_reassess

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with clock.as_of(TODAY):
        yield


def test_a_plan_with_members_from_two_agencies_is_seen_by_its_members_only(client_for) -> None:
    child = ChildFactory.create(postcode="LS6 1AB")
    lead, worker, practitioner = officer(), social_worker(), nurse()
    outsider = nurse(team=practitioner.agency, username="other-nurse")
    plan = plan_create(actor=lead, child=child, kind=Plan.Kind.EARLY_HELP, lead=worker, lead_name="",
                       lead_agency="", start_date=dt.date(2026, 11, 1), review_date=dt.date(2027, 2, 1),
                       member_users=[practitioner], others=[Named("Sam Okafor", "Oakfield Primary")])
    assert plan.lead_agency == "North social work team"
    assert sorted(m.agency_name for m in plan.members.all()) == [
        "Leeds North school nursing", "North social work team", "Oakfield Primary"]

    for user, sees in ((lead, True), (practitioner, True), (outsider, False)):
        client = client_for(user.role, username=f"c-{user.username}", agency=user.agency)
        if user is not lead:
            client.force_login(user)
        page = client.get(f"/children/{child.pk}/")
        assert ("Team around the family (early help)" in page.content.decode()) is sees, user
        assert client.get(f"/plans/{plan.pk}/").status_code == (200 if sees else 404)


def test_a_current_plan_in_social_cares_file_shows_as_theirs_not_duplicated(client_for) -> None:
    child = ChildFactory.create()
    known_to("social_care", child, indicator="child_protection_plan")
    page = client_for(Role.EHE_OFFICER).get(f"/children/{child.pk}/").content.decode()
    assert "Child protection plan" in page and "From Children&#39;s social care" in page
    assert not Plan.objects.exists()


def test_a_meeting_lands_its_actions_in_two_queues_and_closes_the_meeting_action(client_for) -> None:
    child = ChildFactory.create()
    chair, worker = officer(), social_worker()
    action = RequiredAction.objects.create(child=child, code="professionals_meeting", raised_on=TODAY)
    client = client_for(Role.EHE_OFFICER)
    asked = "The assessment asks for a professionals' meeting"
    assert asked in client.get(f"/children/{child.pk}/").content.decode()
    meeting = held_meeting(child, chair, worker, TODAY)
    assert asked not in client.get(f"/children/{child.pk}/").content.decode()

    items = WorkItem.objects.filter(source="plans.meeting_action", closed_at__isnull=True)
    assert sorted((i.owner_id, i.due_date) for i in items) == sorted(
        [(chair.pk, dt.date(2026, 12, 17)), (worker.pk, dt.date(2026, 12, 12))])
    action.refresh_from_db()
    assert action.state == RequiredAction.State.DONE
    assert (action.evidence_kind, action.evidence_id) == ("meeting", meeting.pk)
    assert action.evidence_summary == "Professionals' meeting held on 7 December 2026"


def test_a_social_worker_sees_and_completes_their_meeting_action(client_for) -> None:
    child = ChildFactory.create()
    known_to("social_care", child)
    chair, worker = officer(), social_worker()
    meeting = held_meeting(child, chair, worker, TODAY)
    client = client_for(Role.SOCIAL_WORKER, username="x")
    client.force_login(worker)
    for path in ("/plans/your-actions/", "/work/"):
        page = client.get(path).content.decode()
        assert "Meeting action: Check the social care history" in page
        assert "Visit with the school nurse" not in page
    mine = meeting.actions.get(owner=worker)
    client.post(f"/meetings/actions/{mine.pk}/done/")
    assert "You have no open actions" in client.get("/plans/your-actions/").content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.EHE_OFFICER, Role.SOCIAL_WORKER)])
def test_minutes_are_invisible_to_every_role_not_in_the_meeting(client_for, role: Role) -> None:
    child = ChildFactory.create(postcode="LS6 1AB")
    meeting = held_meeting(child, officer(), social_worker(), TODAY)
    client = client_for(role, agency=health_team() if role == Role.HEALTH_PRACTITIONER else None)
    assert client.get(f"/meetings/{meeting.pk}/").status_code in (403, 404)
    for path in (f"/children/{child.pk}/", "/plans/your-actions/"):
        assert MINUTES not in client.get(path).content.decode()


def test_minutes_are_read_by_the_attendees_roles_and_held_for_subject_access(client_for) -> None:
    child = ChildFactory.create()
    meeting = held_meeting(child, officer(), social_worker(), TODAY)
    officer_page = client_for(Role.EHE_OFFICER).get(f"/meetings/{meeting.pk}/").content.decode()
    assert MINUTES in officer_page and "Dr Patel, Oakwood Surgery" in officer_page
    assert list(meeting_minutes_for_child(child)) == [meeting]
    assert Meeting.PROFESSIONALS_ONLY is True


def test_minutes_are_in_no_letter_and_not_in_the_register_export() -> None:
    child = ChildFactory.create()
    chair = officer()
    held_meeting(child, chair, social_worker(), TODAY)
    letter_values = values(child=child, actor=chair, on=TODAY, team=team())
    assert not any("strategy discussion" in str(v) for v in letter_values.values())
    rows = list(register_export_rows(actor=chair, include_closed=True, as_of=TODAY))
    assert rows and not any("strategy discussion" in str(cell) for row in rows for cell in row)


def test_drift_flags_a_plan_past_review_without_progress_and_clears_on_progress() -> None:
    child = ChildFactory.create()
    lead = officer()
    plan = plan_create(actor=lead, child=child, kind=Plan.Kind.CHILD_IN_NEED, lead=lead, lead_name="",
                       lead_agency="", start_date=dt.date(2026, 9, 1), review_date=dt.date(2026, 12, 1),
                       member_users=[], others=[])
    drift_run(actor=SystemActor("test"))
    titles = sorted(WorkItem.objects.filter(kind="plan_drift", closed_at__isnull=True)
                    .values_list("title", flat=True))
    assert titles == ["Child in need plan: no progress recorded since 1 September 2026 (more than 6 weeks)",
                      "Child in need plan: review was due on 1 December 2026"]
    assert set(WorkItem.objects.filter(kind="plan_drift").values_list("owner", flat=True)) == {lead.pk}
    plan_progress_record(actor=lead, plan=plan, note="Family agreed to a visit")
    drift_run(actor=SystemActor("test"))
    assert list(WorkItem.objects.filter(kind="plan_drift", closed_at__isnull=True)
                .values_list("source", flat=True)) == ["plans.review"]


def test_an_overdue_meeting_action_drifts() -> None:
    child = ChildFactory.create()
    held_meeting(child, officer(), social_worker(), dt.date(2026, 11, 1))
    drift_run(actor=SystemActor("test"))
    overdue = WorkItem.objects.filter(kind="plan_drift", source="plans.action_overdue")
    assert sorted(i.title for i in overdue) == [
        "Meeting action overdue since 11 November 2026: Visit with the school nurse",
        "Meeting action overdue since 6 November 2026: Check the social care history"]


def test_a_new_ehe_child_goes_to_the_health_team_covering_its_district_only(client_for) -> None:
    north, south = health_team(), health_team("Leeds South school nursing", "LS10")
    child = ChildFactory.create(postcode="LS6 2CD", forename="Amara", surname="Lowe")
    ChildFactory.create(postcode="LS6 3EF", status=Status.CME)
    assert health_share_run(actor=SystemActor("weekly health list")) == 1
    assert list(HealthShare.objects.values_list("child", "agency")) == [(child.pk, north.pk)]
    assert health_share_run(actor=SystemActor("weekly health list")) == 0

    north_client = client_for(Role.HEALTH_PRACTITIONER, agency=north)
    assert "Amara Lowe" in north_client.get("/health/").content.decode()
    csv_text = north_client.get("/health/children.csv").content.decode()
    assert csv_text.splitlines()[0] == ("Register reference,Forename,Surname,Date of birth,Sex,"
                                        "NHS number,Postcode,Shared on")
    assert "Amara,Lowe" in csv_text and "LS6 2CD" in csv_text
    assert AuditEvent.objects.filter(action="export", object_type="health_list").exists()
    south_client = client_for(Role.HEALTH_PRACTITIONER, agency=south, username="south")
    assert "Amara Lowe" not in south_client.get("/health/").content.decode()
    assert "Amara" not in south_client.get("/health/children.csv").content.decode()


def test_the_csv_withholds_the_postcode_of_a_family_whose_address_is_not_to_be_disclosed(client_for) -> None:
    north = health_team()
    ChildFactory.create(postcode="LS6 2CD", do_not_disclose_address=True)
    health_share_run(actor=SystemActor("weekly health list"))
    csv_text = client_for(Role.HEALTH_PRACTITIONER, agency=north).get("/health/children.csv").content.decode()
    assert "LS6 2CD" not in csv_text and "Withheld" in csv_text


def test_a_health_concern_feeds_the_risk_model_and_the_officer_sees_the_flag(client_for) -> None:
    child = ChildFactory.create(postcode="LS6 2CD")
    practitioner = nurse()
    health_share_run(actor=SystemActor("weekly health list"))
    health_record(actor=practitioner, child=child, service="immunisations", offer="made", gp="no",
                  concern="Weight loss noted by the GP", request_to_ehe="Please tell us when you visit")
    child_reassess(actor=practitioner, child=child)
    latest = child.assessments.get(is_latest=True)
    assert {"health_concern", "not_registered_with_gp"} <= set(latest.flags)
    assert "Health concern recorded (health)." in latest.reasons
    page = client_for(Role.EHE_OFFICER).get(f"/children/{child.pk}/").content.decode()
    assert "shared with Leeds North school nursing on 7 December 2026" in page
    assert "Immunisations: offer made" in page and "A health concern was recorded" in page
    assert "Weight loss" not in page
    request = WorkItem.objects.get(kind="health_request")
    assert request.owner is None and request.title.startswith("Request from Leeds North school nursing")


def test_a_social_worker_sees_the_education_side_and_records_what_was_done(client_for) -> None:
    child = ChildFactory.create(last_seen_date=dt.date(2026, 10, 2), last_seen_alone=True)
    worker = social_worker()
    alert = Alert.objects.create(child=child, recipient=worker, raised_on=TODAY)
    client = client_for(Role.SOCIAL_WORKER, username="sw-client")
    client.force_login(worker)
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Education: what social care needs to know" in page and "2 October 2026; seen alone" in page
    did = "Strategy discussion held; child seen at home"
    response = client.post(f"/alerts/{alert.pk}/outcome/", {"outcome": did})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == worker
    assert did in client.get(f"/children/{child.pk}/").content.decode()
    officer_page = client_for(Role.EHE_OFFICER, username="ehe").get(f"/children/{child.pk}/").content.decode()
    assert "What social care did about the alert" in officer_page and did not in officer_page
    manager_page = client_for(Role.TEAM_MANAGER).get(f"/children/{child.pk}/").content.decode()
    assert did in manager_page
    other = UserFactory.create(role=Role.SOCIAL_WORKER, username="other-sw")
    client.force_login(other)
    assert client.get(f"/alerts/{alert.pk}/outcome/").status_code == 404


def test_drift_and_a_social_workers_actions_reach_the_daily_summary(settings) -> None:
    settings.NOTINSCHOOL_BASE_URL = "https://register.example"
    lead = officer(email="lead@la.example")
    worker = social_worker(email="sw@la.example")
    child = ChildFactory.create(officer=lead)
    known_to("social_care", child)
    plan_create(actor=lead, child=child, kind=Plan.Kind.CHILD_IN_NEED, lead=lead, lead_name="",
                lead_agency="", start_date=dt.date(2026, 9, 1), review_date=dt.date(2026, 12, 1),
                member_users=[worker], others=[])
    held_meeting(child, lead, worker, dt.date(2026, 11, 20))  # actions due 30 and 25 November
    drift_run(actor=SystemActor("daily drift check"))
    daily_summaries_send(actor=SystemActor("daily summaries"))
    by_person = {e.to[0]: e.body for e in mail.outbox}
    # the lead's overdue action once (as drift, no longer as the meeting's action); the review
    # and the plan without progress flagged today
    assert "Overdue: 1\nDue in the next 5 working days: 2" in by_person["lead@la.example"]
    assert "Your actions from meetings and plans: 1" in by_person["sw@la.example"]
