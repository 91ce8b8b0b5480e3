"""Subject access: a bundle gathered from the child's reference alone, its third-party and
professionals-only items held until someone decides each with a reason, and the family's PDF
and JSON holding only what was released; every step audited with the request's purpose."""

import datetime as dt
import json

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.core.errors import DomainError
from notinschool.letters.tests.factories import pdf_objects, pdf_text
from notinschool.records import subject_access as sa
from notinschool.records.models import SubjectAccessItem
from notinschool.records.tests.factories import (
    CHILD_WORDS,
    HOUSEHOLD_DETAIL,
    SOCIAL_CARE_DETAIL,
    whole_family,
)
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

PURPOSE = "Mrs Okafor's request of 1 December 2026 for Ava's record"


def held(request, section_word: str) -> SubjectAccessItem:  # type: ignore[no-untyped-def]
    return next(i for i in request.items.all() if section_word in f"{i.section} {i.title}")


def test_third_party_and_professionals_only_items_are_held_the_rest_released(make_user):
    child = whole_family()
    request = sa.subject_access_create(actor=make_user(Role.DPO), child=child, requester_name="Ava Okafor",
                                       purpose=PURPOSE, received_date=dt.date(2026, 12, 1))
    items = {f"{i.section}: {i.title}": i.held_because for i in request.items.all()}
    assert items["Parents: Parent: Grace Okafor"] == sa.THIRD_PARTY
    assert items["Parents: Parent: Daniel Okafor"] == sa.THIRD_PARTY
    assert items["Agency information: Social care: child in need"] == sa.AGENCY
    assert items["Agency information: Social care: child protection plan (household)"] == sa.HOUSEHOLD
    alert = "Shared with social care: Alert to children's social care, 2 October 2026"
    assert items[alert] == sa.PROFESSIONALS
    # the child's own record, in the child's own request, goes as it is
    for released in ("The register: The child's details", "The register: Current address",
                     "Notifications: Taken off a school's roll, 1 October 2026",
                     "Contacts: Home visit on 20 November 2026",
                     "The child's own words: The child's words, 20 November 2026"):
        assert items[released] == "", released
    assert any(k.startswith("Assessments: Assessment of") and not v for k, v in items.items())
    assert any(k.startswith("Who has seen the record") for k in items)
    event = AuditEvent.objects.get(action="subject_access")
    assert event.reason == PURPOSE and event.detail["held"] == 5 and event.detail["step"] == "gathered"


def test_professionals_meetings_and_cme_enquiries_are_held_plans_released(make_user):
    from notinschool.cme.tests.factories import open_case
    from notinschool.plans.tests.factories import MINUTES, held_meeting, officer, social_worker

    child = whole_family()
    manager = make_user(Role.TEAM_MANAGER)
    held_meeting(child, officer(), social_worker(), dt.date(2026, 11, 30))
    open_case(manager, child, reason="parent_not_applied", since=dt.date(2026, 11, 1))
    request = sa.subject_access_create(actor=make_user(Role.DPO), child=child, requester_name="",
                                       purpose=PURPOSE, received_date=dt.date(2026, 12, 1))
    meeting = held(request, "Professionals' meeting")
    assert meeting.held_because == sa.PROFESSIONALS and [f for f in meeting.fields if MINUTES in f[1]]
    assert held(request, "Missing education from 1 November 2026").held_because == ""
    assert not any(i.held_because == sa.UNKNOWN for i in request.items.all())


def test_a_parents_request_releases_their_own_details_and_holds_the_childs_words(make_user):
    child = whole_family()
    request = sa.subject_access_create(actor=make_user(Role.TEAM_MANAGER), child=child,
                                       parent_name="grace  okafor", requester_name="",
                                       purpose=PURPOSE, received_date=dt.date(2026, 12, 1))
    assert request.subject == "parent" and request.requester_name == "Grace Okafor"
    assert held(request, "Grace Okafor").held_because == ""
    assert held(request, "Daniel Okafor").held_because == sa.THIRD_PARTY
    assert held(request, "The child's words").held_because == sa.CHILD_WORDS
    with pytest.raises(DomainError, match="No parent of that name"):
        sa.subject_access_create(actor=make_user(Role.DPO), child=child, parent_name="Someone Else",
                                 requester_name="", purpose=PURPOSE, received_date=dt.date(2026, 12, 1))


def test_the_review_releases_only_what_was_decided_and_audits_each_step(client_for):
    child = whole_family()
    dpo = client_for(Role.DPO)
    response = dpo.post("/records/subject-access/new/", {
        "child_ref": "r000123", "subject": "child", "purpose": PURPOSE,
        "received_day": "1", "received_month": "12", "received_year": "2026"})
    assert response.status_code == 302, response.content.decode()[:3000]
    review = response["Location"]
    request = child_requests = sa.SubjectAccessRequest.objects.get(child=child)
    assert child_requests.purpose == PURPOSE
    page = dpo.get(review)
    assert_govuk_page(page.content)
    html = page.content.decode()
    assert "5 held items still need a decision" in html and "Release the bundle" in html
    assert "Held because" in html and SOCIAL_CARE_DETAIL in html
    # releasing before every held item is decided is refused
    refused = dpo.post(f"{review}release/", follow=True).content.decode()
    assert "5 held items still need a decision" in refused
    # a decision needs a reason
    grace = held(request, "Grace Okafor")
    url = f"{review}items/{grace.pk}/"
    no_reason = dpo.post(url, {"decision": "release", "reason": ""})
    assert no_reason.status_code == 200 and "Enter the reason for the decision" in no_reason.content.decode()
    assert_govuk_page(no_reason.content)
    agreed = {"decision": "release", "reason": "Grace asked with Ava and agreed"}
    assert dpo.post(url, agreed).status_code == 302
    for item in request.items.exclude(held_because="").exclude(pk=grace.pk):
        withhold = {"decision": "withhold", "reason": "Schedule 2 para 16: another person's information"}
        assert dpo.post(f"{review}items/{item.pk}/", withhold).status_code == 302
    assert dpo.post(f"{review}release/").status_code == 302
    done = dpo.get(review).content.decode()
    assert "Download the bundle for the family (PDF)" in done
    bundle = json.loads(dpo.get(f"{review}bundle.json").content)
    text = json.dumps(bundle)
    assert bundle["items_withheld"] == 4 and bundle["items_released"] == request.items.count() - 4
    assert "Grace Okafor" in text and CHILD_WORDS in text and "Taken off a school's roll" in text
    for withheld in (SOCIAL_CARE_DETAIL, HOUSEHOLD_DETAIL, "Daniel Okafor", "Alert to children"):
        assert withheld not in text
    pdf = dpo.get(f"{review}bundle.pdf").content
    words = pdf_text(pdf)
    assert "Your information: Ava Okafor" in words and "Items withheld" in words and CHILD_WORDS in words
    for withheld in (SOCIAL_CARE_DETAIL, HOUSEHOLD_DETAIL, "Daniel Okafor"):
        assert withheld not in words
    objects = pdf_objects(pdf)
    assert b"/StructTreeRoot" in objects and b"/Lang (en-GB)" in objects
    # every step audited with the purpose
    assert AuditEvent.objects.filter(action="redact").count() == 5
    assert set(AuditEvent.objects.filter(action__in=("subject_access", "redact", "download"))
               .exclude(object_type="subject_access_item").values_list("reason", flat=True)) == {PURPOSE}
    assert AuditEvent.objects.filter(action="download", object_type="subject_access_bundle").count() == 2


@pytest.mark.parametrize("role", [Role.EHE_OFFICER, Role.SOCIAL_WORKER, Role.ANALYST, Role.ADMIN])
def test_only_managers_and_the_dpo_produce_bundles(client_for, role):
    client = client_for(role)
    assert client.get("/records/subject-access/").status_code == 403
    assert client.get("/records/holds/").status_code == 403


def test_an_unknown_reference_is_said_on_the_form(client_for):
    response = client_for(Role.TEAM_MANAGER).post("/records/subject-access/new/", {
        "child_ref": "Z999", "subject": "parent", "purpose": "",
        "received_day": "31", "received_month": "2", "received_year": "2026"})
    html = response.content.decode()
    assert_govuk_page(response.content)
    assert "Enter the parent&#39;s full name" in html or "Enter the parent's full name" in html
    assert "Enter the purpose of the export" in html and "must be a real date" in html
