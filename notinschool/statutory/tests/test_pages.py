"""The statutory path's pages: the section on the child's page, the step forms (a skipped step
refused in the GOV.UK error summary), the case page with its steps and what is late, the
manager's approval and the list awaiting it, the work queue's item, and who may open each."""

import datetime as dt
from html import escape
from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.core import clock
from notinschool.statutory.models import StatutoryCase, StatutoryStep
from notinschool.statutory.services import K, step_take
from notinschool.statutory.tests.factories import family, to_preliminary_notice
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db
S = StatutoryStep


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert_govuk_page(response.content)
    return response.content.decode()


def test_an_officer_starts_the_path_from_the_childs_page(client_for):
    child = family()
    client = client_for(Role.EHE_OFFICER)
    html = page(client, f"/children/{child.pk}/")
    section = html[html.index('id="statutory"'):]
    assert "No statutory case is open" in section and "Start with an informal enquiry letter" in section
    page(client, f"/children/{child.pk}/statutory/informal_enquiry/")
    response = client.post(f"/children/{child.pk}/statutory/informal_enquiry/", {"reasons": ""})
    case = StatutoryCase.objects.get(child=child)
    assert response.status_code == 302 and response["Location"] == f"/statutory/{case.pk}/"
    html = page(client, f"/statutory/{case.pk}/")
    assert "Informal enquiry letter" in html and "22 December 2026" in html and "Letter (PDF)" in html
    assert "Next step: preliminary notice (section 437(1))" in html
    assert AuditEvent.objects.filter(action="view", object_type="statutory_case").exists()
    html = page(client, f"/children/{child.pk}/")
    assert "Open the statutory case" in html[html.index('id="statutory"'):]
    assert "Statutory path: Informal enquiry letter" in html[html.index('id="timeline"'):]


def test_a_skipped_step_is_refused_in_the_error_summary(client_for):
    child = family()
    client = client_for(Role.EHE_OFFICER)
    response = client.post(f"/children/{child.pk}/statutory/school_attendance_order/",
                           {"schools": "Canal Primary School"})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "a record cannot skip a step. The next step is: informal enquiry letter" in html
    assert not StatutoryCase.objects.exists()
    response = client.post(f"/children/{child.pk}/statutory/preliminary_notice/", {})
    assert "Select how the letter is served" in response.content.decode()


def test_a_manager_approves_the_notice_from_the_list(client_for, make_user):
    child = family()
    officer = make_user(Role.EHE_OFFICER)
    step_take(actor=officer, child=child, kind=K.INFORMAL_ENQUIRY)
    proposed = step_take(actor=officer, child=child, kind=K.PRELIMINARY_NOTICE, service="hand")
    manager = client_for(Role.TEAM_MANAGER)
    queue = page(manager, "/work/")  # the manager's work queue says what waits, and where
    approvals = queue[queue.index('id="approvals"'):]
    assert "Notices and orders" in approvals and "1 step waits for a manager" in approvals
    assert 'href="/statutory/awaiting/"' in approvals
    assert 'id="approvals"' not in page(client_for(Role.EHE_OFFICER), "/work/")
    html = page(manager, f"/children/{child.pk}/")
    section = html[html.index('id="statutory"'):]
    assert "awaits a manager" in section and f"/statutory/steps/{proposed.pk}/decide/" in section
    html = page(manager, "/statutory/awaiting/")
    assert escape(child.full_name) in html and "Preliminary notice (section 437(1))" in html
    page(manager, f"/statutory/steps/{proposed.pk}/decide/")
    response = manager.post(f"/statutory/steps/{proposed.pk}/decide/", {"decision": "return"})
    assert "Enter your comments for the officer" in response.content.decode()
    response = manager.post(f"/statutory/steps/{proposed.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.state == S.State.TAKEN and proposed.letter is not None
    assert 'id="approvals"' not in page(manager, "/work/")  # nothing waits now
    html = page(manager, f"/statutory/{proposed.case_id}/")
    assert "until 22 December 2026 to satisfy the authority" in html
    assert "Next step: decision after the preliminary notice" in html


def test_a_late_step_says_so_and_the_overdue_item_is_in_the_queue(client_for, make_user):
    child = family()
    client = client_for(Role.EHE_OFFICER)
    child.officer = client.user
    child.save()
    to_preliminary_notice(child, client.user, make_user(Role.TEAM_MANAGER))
    with clock.as_of(dt.date(2027, 1, 4)):
        html = page(client, "/work/")
        assert "the preliminary notice&#39;s period ended 22 December 2026: record the decision" in html \
            or "the preliminary notice's period ended 22 December 2026: record the decision" in html
        response = client.post(f"/children/{child.pk}/statutory/decision/",
                               {"outcome": "not_satisfied", "reasons": "No information came."})
        assert response.status_code == 302
        html = page(client, response["Location"])
    assert "Late" in html and "taken 3 days after it was due (1 January 2027)" in html


def test_who_may_open_the_pages(client_for, make_user):
    child = family()
    notice = to_preliminary_notice(child, make_user(Role.EHE_OFFICER), make_user(Role.TEAM_MANAGER))
    officer = client_for(Role.EHE_OFFICER)
    assert officer.get("/statutory/awaiting/").status_code == 403
    assert officer.get(f"/statutory/steps/{notice.pk}/decide/").status_code == 403
    analyst = client_for(Role.ANALYST)
    assert analyst.get(f"/statutory/{notice.case_id}/").status_code == 403
    assert analyst.get(f"/children/{child.pk}/statutory/informal_enquiry/").status_code == 403
    manager = client_for(Role.TEAM_MANAGER)
    missing = "00000000-0000-0000-0000-000000000000"
    assert manager.get(f"/statutory/{missing}/").status_code == 404
    assert AuditEvent.objects.filter(action="refuse",
                                     detail__refused="No such statutory case for you").exists()


def test_the_notices_templates_are_edited_with_the_others_and_preview_with_a_made_up_deadline(client_for):
    from notinschool.letters.models import LetterTemplate
    from notinschool.letters.tests.factories import pdf_text

    manager = client_for(Role.TEAM_MANAGER)
    html = page(manager, "/letters/templates/")
    for name in ("Preliminary notice (section 437(1))", "School attendance order",
                 "Revocation of a school attendance order"):
        assert name in html
    notice = LetterTemplate.objects.get(kind="preliminary_notice")
    html = page(manager, f"/letters/templates/{notice.pk}/")
    assert "{deadline}" in html and "the last day the parent has" in html
    response = manager.get(f"/letters/templates/{notice.pk}/preview/")
    text = pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)
    assert "You have until 22 December 2026" in text and "{" not in text
