"""The annual report on the scorecard's hand-built authority: its figures over a school year
against the year before, the PDF (for publication, small numbers hidden) rendered to a picture
by pdftoppm and read back by pdftotext, the page to choose the year with its error, and every
run audited."""

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.core import clock
from notinschool.reports.annual import annual_report
from notinschool.reports.suppression import SUPPRESSED
from notinschool.reports.tests.test_scorecard import AS_OF, authority  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("authority")]


def test_this_year_to_date_against_the_year_before():
    """1 September to 30 November 2026: five children joined (one came back to school in
    November); one, Ada, was already home educated, joining in October 2025."""
    report = annual_report(first_year=2026, today=AS_OF)
    assert (report.first_day, report.as_of, report.complete) == (dt.date(2026, 9, 1), AS_OF, False)
    assert [m.month_end for m in report.months] == [dt.date(2026, 9, 30), dt.date(2026, 10, 31), AS_OF]
    assert [m.on_register for m in report.months] == [3, 5, 5]
    assert [m.year_before for m in report.months] == [0, 1, 1]
    assert (report.on_register_start, report.starts, report.returns) == (1, 5, 1)
    assert (report.starts_year_before, report.returns_year_before) == (1, 0)
    assert report.during == 6  # on the register at some time in the year, the returner too
    tables = {t.key: dict(t.rows) for t in report.tables}
    assert tables["sex"] == {"Female": 3, "Male": 3, "Not known": 0}
    assert "status" not in tables and report.contacts is not None


def test_a_past_year_counts_only_its_own_children():
    report = annual_report(first_year=2025, today=AS_OF)
    assert report.complete and report.as_of == dt.date(2026, 8, 31) and len(report.months) == 12
    assert report.during == 1 and report.starts == 1 and report.on_register_end == 1


def test_the_pdf_opens_as_a_picture_with_its_words_and_hides_small_numbers(client_for, tmp_path: Path):
    with clock.as_of(AS_OF):
        response = client_for(Role.ANALYST).get("/reports/annual.pdf?year=2026")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "annual.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Children not in school: annual report 2026 to 2027" in text
    assert "counted to 30 November 2026: the year is not over" in text
    for heading in ("Children on the register each month", "Joining the register and returning to school",
                    "By sex", "By risk tier (latest assessment)", "How fast children were reached"):
        assert heading in text
    assert SUPPRESSED in text  # 5 joined, but 3 female and 3 male: hidden
    assert "Ada" not in text  # aggregates only
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    data = Image.open(pages[1]).convert("RGB").tobytes()
    blue = sum(1 for i in range(0, len(data), 3)
               if data[i] < 80 and 90 < data[i + 1] < 140 and data[i + 2] > 160)
    assert blue > 50  # the charts' lines and bars, drawn in GOV.UK blue
    event = AuditEvent.objects.get(object_type="annual_report")
    assert event.action == "report" and event.detail["year"] == "2026 to 2027"
    assert event.detail["children"] == 6 and event.child_count == 0


def test_the_page_to_choose_the_year(client_for):
    with clock.as_of(AS_OF):
        manager = client_for(Role.TEAM_MANAGER)
        page = manager.get("/reports/annual/")
        assert page.status_code == 200
        assert '<option value="2026"' in page.content.decode() and "2025 to 2026" in page.content.decode()
        chosen = manager.get("/reports/annual/?year=2025").content.decode()
        assert "/reports/annual.pdf?year=2025" in chosen
        wrong = manager.get("/reports/annual/?year=1990")
        assert wrong.status_code == 200 and "There is a problem" in wrong.content.decode()
        assert manager.get("/reports/annual.pdf?year=1990").status_code == 404
        for role in (Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER, Role.ADMIN):
            assert client_for(role).get("/reports/annual/").status_code == 403
