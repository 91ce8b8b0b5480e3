"""The scorecard on a small authority built by hand: each figure checked, a figure that moves
when one child's record changes, small numbers hidden in what is published, the PDF opened as
a picture with its words, and only report roles let in."""

import csv
import datetime as dt
import io
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import Contact
from notinschool.core import clock
from notinschool.people.models import StatusChange
from notinschool.people.tests.factories import ChildFactory
from notinschool.reports.scorecard import month_ends, scorecard
from notinschool.reports.suppression import SUPPRESSED
from notinschool.risk.tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 30)


def child(status: str, history: list[tuple[str, str]], **kw: object) -> Any:
    made = ChildFactory.create(status=status, status_date=dt.date.fromisoformat(history[-1][0]), **kw)
    for day, value in history:
        StatusChange.objects.create(child=made, status=value, date=dt.date.fromisoformat(day), reason="test")
    return made


@pytest.fixture
def authority():
    """Six children: four home educated (one since last year), one missing education, one back
    at school in November."""
    with clock.as_of(AS_OF):
        a = child("ehe", [("2025-10-01", "ehe")], sex="F", date_of_birth=dt.date(2015, 3, 1),
                  ehe_reason="bullying", ethnicity="WBRI", sen_provision="K", joined_register_date=None)
        b = child("ehe", [("2026-09-10", "ehe")], sex="M", date_of_birth=dt.date(2011, 1, 5),
                  ehe_reason="mental_health", ethnicity="APKN", sen_provision="N",
                  joined_register_date=dt.date(2026, 9, 10))
        child("ehe", [("2026-10-05", "ehe")], sex="F", date_of_birth=dt.date(2012, 6, 1),
              ehe_reason="bullying", joined_register_date=dt.date(2026, 10, 5))
        child("ehe", [("2026-11-02", "ehe")], sex="M", date_of_birth=dt.date(2016, 2, 2),
              joined_register_date=dt.date(2026, 11, 2))
        child("cme", [("2026-10-20", "cme")], sex="F", date_of_birth=dt.date(2013, 4, 4),
              joined_register_date=dt.date(2026, 10, 20))
        child("returned_to_school", [("2026-09-01", "ehe"), ("2026-11-12", "returned_to_school")],
              sex="M", date_of_birth=dt.date(2014, 7, 7), joined_register_date=dt.date(2026, 9, 1))
        AssessmentFactory.create(child=a, tier=2, next_contact_due=dt.date(2026, 11, 20))
        AssessmentFactory.create(child=b, tier=4, next_contact_due=dt.date(2026, 12, 10))
        Contact.objects.create(child=b, contact_date=dt.date(2026, 9, 17), method="home_visit",
                               outcome="engaged", child_seen=True, seen_alone=True)
    return {"a": a, "b": b}


def test_every_figure_of_a_hand_built_authority(authority):
    card = scorecard(as_of=AS_OF)
    assert card.on_register == 5
    by_month = {m.month_end: m for m in card.months}
    assert [(m.on_register, m.starts, m.returns) for m in (
        by_month[dt.date(2026, 8, 31)], by_month[dt.date(2026, 9, 30)], by_month[dt.date(2026, 10, 31)],
        by_month[AS_OF])] == [(1, 0, 0), (3, 2, 0), (5, 2, 0), (5, 1, 1)]
    assert by_month[AS_OF].year_before == 1 and by_month[AS_OF].change == 4.0  # 5 against 1
    assert card.table("status").rows == [("Elective home education", 4), ("Missing education", 1),
                                         ("Not in school, other", 0)]
    assert dict(card.table("sex").rows) == {"Female": 3, "Male": 2, "Not known": 0}
    # on 31 August 2026 they were 11, 15, 14, 10 and 13: years 7, 11, 10, 6 and 9
    assert dict(card.table("phase").rows) == {"Primary (reception to year 6)": 1,
                                              "Secondary (years 7 to 11)": 4}
    assert dict(card.table("reason").rows) == {"Bullying": 2, "Mental health": 1, "Not given": 1}
    assert dict(card.table("ethnicity").rows)["Asian or Asian British"] == 1
    assert dict(card.table("sen").rows)["SEN support"] == 1
    assert dict(card.table("tier").rows) == {"Tier 1": 0, "Tier 2": 1, "Tier 3": 0, "Tier 4": 1,
                                             "Not assessed yet": 3}
    assert dict(card.table("contacts").rows) == {"Overdue": 1, "Due in the next 28 days": 1}
    first_contact, seen = card.timings
    assert (first_contact.median_days, first_contact.measured, first_contact.waiting) == (7, 1, 4)
    assert (seen.median_days, seen.measured) == (7, 1)


def test_a_figure_moves_when_one_childs_record_changes(authority):
    before = scorecard(as_of=AS_OF).table("contacts").rows
    authority["b"].assessments.update(is_latest=False)
    AssessmentFactory.create(child=authority["b"], tier=4, next_contact_due=dt.date(2026, 11, 1),
                             as_of=AS_OF)
    after = dict(scorecard(as_of=AS_OF).table("contacts").rows)
    assert dict(before)["Overdue"] == 1 and after["Overdue"] == 2


def test_month_ends_run_back_from_the_day():
    assert month_ends(dt.date(2026, 3, 15), 4) == [dt.date(2025, 12, 31), dt.date(2026, 1, 31),
                                                   dt.date(2026, 2, 28), dt.date(2026, 3, 15)]


def test_the_csv_for_publication_hides_small_numbers(authority, client_for):
    client = client_for(Role.ANALYST)
    with clock.as_of(AS_OF):
        plain = client.get("/reports/scorecard.csv").content.decode()
        public = client.get("/reports/scorecard.csv?published=1").content.decode()
    rows = {(r["section"], r["value"]): r["count"] for r in csv.DictReader(io.StringIO(plain))}
    shown = {(r["section"], r["value"]): r["count"] for r in csv.DictReader(io.StringIO(public))}
    assert rows[("sex", "Female")] == "3" and shown[("sex", "Female")] == SUPPRESSED
    assert shown[("status", "total")] == "5" and shown[("status", "Not in school, other")] == "0"
    events = AuditEvent.objects.filter(object_type="scorecard", action="export")
    assert [e.detail["published"] for e in events.order_by("at")] == [False, True]


def test_the_pdf_opens_with_its_charts_and_tables(authority, client_for):
    with clock.as_of(AS_OF):
        response = client_for(Role.TEAM_MANAGER).get("/reports/scorecard.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = pdfium.PdfDocument(response.content)
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Children not in school: scorecard" in text and "5 children are on the register" in text
    assert "By risk tier (latest assessment)" in text and "November 2026" in text
    image = pdf[0].render(scale=1).to_pil()
    assert image.size[0] > 500
    blue = sum(1 for px in image.getdata() if px[:3] == (29, 112, 184))
    assert blue > 500  # the chart's line and the rule at the top are drawn


def test_the_page_for_report_roles_and_not_for_others(authority, client_for):
    with clock.as_of(AS_OF):
        page = client_for(Role.ANALYST).get("/reports/scorecard/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "5 children are on the register." in text and "data:image/svg+xml;base64," in text
        assert authority["a"].child_ref not in text  # no child is named
        for role in (Role.HEALTH_PRACTITIONER, Role.SOCIAL_WORKER, Role.ADMIN, Role.SCHOOL_LEAD):
            assert client_for(role).get("/reports/scorecard/").status_code == 403


def test_the_analyst_starts_on_the_reports(client_for):
    assert client_for(Role.ANALYST).get("/")["Location"] == "/reports/"
