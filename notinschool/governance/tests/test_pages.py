"""The data protection officer's pages (the audit search, a person's access report, unusual
access) and break-glass from the refused child's page to the review queue."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import AgencyFactory, UserFactory
from notinschool.audit.models import AuditEvent, BreakGlassGrant
from notinschool.audit.services import audit_record
from notinschool.core.clock import LONDON
from notinschool.governance.models import AccessFlag
from notinschool.governance.tests.conftest import recorded_at
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db
REASON = "Strategy meeting at 3pm about the family; need the education history"


def page(client: Any, url: str, data: dict[str, Any] | None = None, status: int = 200) -> str:
    response = client.get(url, data or {})
    assert response.status_code == status, (url, response.status_code)
    html = response.content.decode()
    assert_govuk_page(html)
    return html


def test_the_dpo_starts_at_the_audit_search(client_for: Any) -> None:
    dpo = client_for(Role.DPO)
    response = dpo.get("/")
    assert response["Location"] == "/governance/audit/"
    html = page(dpo, "/governance/audit/")
    assert "Audit search" in html and "Correct the search" not in html
    assert 'href="/governance/break-glass/"' in html  # the menu: the audit, break-glass to review


@pytest.mark.parametrize("role", [Role.EHE_OFFICER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.ADMIN,
                                  Role.ANALYST])
def test_only_the_dpo_searches_the_audit(client_for: Any, role: Role) -> None:
    client = client_for(role)
    for url in ("/governance/audit/", f"/governance/audit/people/{client.user.pk}/", "/governance/flags/"):
        assert client.get(url).status_code == 403


def test_search_by_child_shows_who_saw_and_why_and_is_audited(client_for: Any) -> None:
    child, other = ChildFactory.create(forename="Maisie", surname="Thornbury"), ChildFactory.create()
    officer = UserFactory.create(username="kwame", role=Role.EHE_OFFICER)
    worker = UserFactory.create(username="sam", role=Role.SOCIAL_WORKER)
    audit_record(actor=officer, action="view", object_type="child", child_ids=[child.pk])
    audit_record(actor=officer, action="view", object_type="child", child_ids=[other.pk])
    audit_record(actor=worker, action="refuse", object_type="page", object_ids=[child.pk],
                 detail={"path": f"/children/{child.pk}/", "refused": "child outside scope"})
    audit_record(actor=worker, action="break_glass", object_type="child", child_ids=[child.pk], reason=REASON)
    audit_record(actor=officer, action="export", object_type="register", child_ids=[child.pk, other.pk],
                 detail={"purpose": "DfE return"})
    dpo = client_for(Role.DPO)

    for term in (child.child_ref, "maisie thorn"):
        html = page(dpo, "/governance/audit/", {"child": term})
        assert "4 events" in html and f"{child.child_ref} Maisie Thornbury" in html
        assert REASON in html and "Refused: child outside scope" in html and "Purpose: DfE return" in html
        assert "Break-glass access" in html and "Viewed a record" in html
    searches = AuditEvent.objects.filter(action="search", object_type="audit", actor=dpo.user)
    assert [s.detail["search"] for s in searches.order_by("pk")] == [{"child": child.child_ref},
                                                                     {"child": "maisie thorn"}]

    html = page(dpo, "/governance/audit/", {"child": "C9999999"})
    assert "No events found" in html and "No child on the register has the reference" in html


def test_search_by_person_agency_dates_and_action(client_for: Any) -> None:
    nursing = AgencyFactory.create(name="School nursing north", kind="health")
    nurse = UserFactory.create(username="nurse", first_name="Ada", last_name="Okafor",
                               role=Role.HEALTH_PRACTITIONER, agency=nursing)
    officer = UserFactory.create(username="kwame")
    child = ChildFactory.create()
    with recorded_at(dt.datetime(2026, 11, 2, 10, tzinfo=LONDON)):
        audit_record(actor=nurse, action="view", object_type="child", child_ids=[child.pk])
    with recorded_at(dt.datetime(2026, 11, 20, 10, tzinfo=LONDON)):
        audit_record(actor=nurse, action="list", object_type="child", child_ids=[child.pk])
        audit_record(actor=officer, action="view", object_type="child", child_ids=[child.pk])
    dpo = client_for(Role.DPO)
    assert "2 events" in page(dpo, "/governance/audit/", {"user": "ada okafor"})
    assert "2 events" in page(dpo, "/governance/audit/", {"user": "NURSE"})
    assert "2 events" in page(dpo, "/governance/audit/", {"agency": nursing.pk})
    html = page(dpo, "/governance/audit/", {"from_day": "10", "from_month": "11", "from_year": "2026",
                                             "to_day": "20", "to_month": "11", "to_year": "2026"})
    assert "2 events" in html and "nurse (health_practitioner)" in html and "kwame (ehe_officer)" in html
    assert "1 event<" in page(dpo, "/governance/audit/", {"user": "nurse", "action": "view"})
    html = page(dpo, "/governance/audit/", {"from_day": "31", "from_month": "2", "from_year": "2026"})
    assert "There is a problem" in html and "From date must be a real date" in html


def test_results_come_fifty_a_page(client_for: Any) -> None:
    officer, child = UserFactory.create(username="busy"), ChildFactory.create()
    for _ in range(55):
        audit_record(actor=officer, action="view", object_type="child", child_ids=[child.pk])
    dpo = client_for(Role.DPO)
    html = page(dpo, "/governance/audit/", {"user": "busy"})
    assert "55 events" in html and "Showing 1 to 50" in html and "page=2" in html
    assert "Showing 51 to 55" in page(dpo, "/governance/audit/", {"user": "busy", "page": "2"})


def test_a_persons_access_report_as_a_page_and_a_csv(client_for: Any) -> None:
    worker = UserFactory.create(username="sam", role=Role.SOCIAL_WORKER)
    child = ChildFactory.create()
    with recorded_at(dt.datetime(2026, 11, 3, 9, tzinfo=LONDON)):
        audit_record(actor=worker, action="break_glass", object_type="child", child_ids=[child.pk],
                     reason=REASON)
    with recorded_at(dt.datetime(2026, 10, 1, 9, tzinfo=LONDON)):  # before the period
        audit_record(actor=worker, action="view", object_type="child", child_ids=[child.pk])
    dpo = client_for(Role.DPO)
    period = {"from_day": "1", "from_month": "11", "from_year": "2026",
              "to_day": "30", "to_month": "11", "to_year": "2026"}
    html = page(dpo, f"/governance/audit/people/{worker.pk}/")  # no period: the last 30 days
    assert "Nothing recorded" in html  # its events are from October and 3 November
    html = page(dpo, f"/governance/audit/people/{worker.pk}/", period)
    assert "Access report: " in html and "1 event" in html
    assert REASON in html and child.child_ref in html

    response = dpo.get(f"/governance/audit/people/{worker.pk}/access.csv", period)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["action"], r["children"], r["why"]) for r in rows] == [
        ("break_glass", child.child_ref, REASON)]
    export = AuditEvent.objects.get(action="export", actor=dpo.user)
    assert export.detail["purpose"] == "user access report" and export.detail["rows"] == 1


def test_a_child_outside_scope_offers_break_glass_to_a_social_worker_only(client_for: Any) -> None:
    child = ChildFactory.create()
    worker = client_for(Role.SOCIAL_WORKER)
    html = page(worker, f"/children/{child.pk}/", status=404)
    assert "Open with break-glass" in html and child.child_ref not in html
    nurse = client_for(Role.HEALTH_PRACTITIONER)
    html = nurse.get(f"/children/{ChildFactory.create(postcode='WV1 1AA').pk}/").content.decode()
    assert "break-glass" not in html
    assert nurse.get(f"/children/{child.pk}/break-glass/").status_code == 403


def test_break_glass_from_reason_to_banner_to_review(client_for: Any) -> None:
    child = ChildFactory.create()
    worker = client_for(Role.SOCIAL_WORKER, username="sam")
    url = f"/children/{child.pk}/break-glass/"
    assert "Why do you need this record now?" in page(worker, url)
    response = worker.post(url, {"reason": ""})
    assert "Say why you need this record now" in response.content.decode()
    response = worker.post(url, {"reason": "urgent"})
    assert "in a sentence" in response.content.decode() and not BreakGlassGrant.objects.exists()

    response = worker.post(url, {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == f"/children/{child.pk}/"
    html = page(worker, f"/children/{child.pk}/")
    assert "Break-glass access" in html and f"{child.child_ref}'s record" in html and REASON in html
    assert "Break-glass access" in page(worker, "/register/")  # on every page while it runs
    assert AuditEvent.objects.get(action="break_glass").reason == REASON

    assert worker.get(url)["Location"] == f"/children/{child.pk}/"  # open already: no reason asked
    grant = BreakGlassGrant.objects.get()
    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now())
    assert "Open with break-glass" in page(worker, f"/children/{child.pk}/", status=404)
    assert "Break-glass access" not in page(worker, "/register/")

    manager = client_for(Role.TEAM_MANAGER)
    html = page(manager, "/governance/break-glass/")
    assert "sam" in html and child.child_ref in html and REASON in html
    review = f"/governance/break-glass/{grant.pk}/"
    assert "Viewed a record" in page(manager, review)  # what they opened while it ran
    html = manager.post(review, {"outcome": "not_justified", "note": ""}).content.decode()
    assert "Say why the access was not justified" in html and "There is a problem" in html
    response = manager.post(review, {"outcome": "justified", "note": ""}, follow=True)
    assert "reviewed" in response.content.decode()
    grant.refresh_from_db()
    assert (grant.outcome, grant.reviewed_by) == ("justified", manager.user)
    assert "No break-glass access waits for review" in page(manager, "/governance/break-glass/")
    assert manager.get(review).status_code == 404  # reviewed: no longer waiting
    assert client_for(Role.EHE_OFFICER).get("/governance/break-glass/").status_code == 403


def test_the_dpo_checks_today_and_reviews_a_flag(client_for: Any, settings: Any) -> None:
    settings.NOTINSCHOOL_UNUSUAL_OUT_OF_HOURS = 0
    settings.NOTINSCHOOL_WORKING_HOURS = (0, 0)  # every hour is out of hours
    nosy = UserFactory.create(username="nosy")
    audit_record(actor=nosy, action="view", object_type="child", child_ids=[ChildFactory.create().pk])
    dpo = client_for(Role.DPO)
    response = dpo.post("/governance/flags/", follow=True)
    assert "access checked: 1 flag for today." in response.content.decode()
    html = page(dpo, "/governance/flags/")
    assert "nosy" in html and "Many records out of hours" in html
    assert "1 unusual access flag to review" in page(dpo, "/governance/audit/")
    flag = AccessFlag.objects.get()
    url = f"/governance/flags/{flag.pk}/"
    assert "What did you find?" in page(dpo, url)
    html = dpo.post(url, {"outcome": "concern", "note": ""}).content.decode()
    assert "Say what the concern is" in html
    dpo.post(url, {"outcome": "concern", "note": "Spoke to their manager"})
    flag.refresh_from_db()
    assert (flag.outcome, flag.reviewed_by, flag.note) == ("concern", dpo.user, "Spoke to their manager")
    assert "Spoke to their manager" in page(dpo, "/governance/flags/")
