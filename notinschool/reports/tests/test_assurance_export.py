"""The assurance report as a CSV and a PDF for the partnership's record: the page's figures,
audited, no child named; they move when one child's record changes."""

import csv
import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import Contact
from notinschool.core import clock
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def children():
    return [ChildFactory.create(status=status, forename=name, surname="Test")
            for status, name in (("ehe", "Ada"), ("ehe", "Bea"), ("cme", "Cal"))]


def figures(client) -> dict[tuple[str, str], str]:
    response = client.get("/reports/assurance.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return {(r["measure"], r["value"]): r["count"]
            for r in csv.DictReader(io.StringIO(response.content.decode()))}


def test_the_csv_has_the_pages_figures_and_moves_with_a_record(children, client_for):
    analyst = client_for(Role.ANALYST)
    before = figures(analyst)
    assert before[("views", "applies")] == "3" and before[("views", "met")] == "0"
    assert before[("Status", "Home educated")] == "2" and before[("Status", "Missing education")] == "1"
    Contact.objects.create(child=children[0], contact_date=clock.today() - dt.timedelta(days=3),
                           method="home_visit", child_seen=True, child_views="Fine.", outcome="engaged")
    after = figures(analyst)
    assert after[("views", "met")] == "1" and after[("views", "share_percent")] == "33"
    page = analyst.get("/reports/assurance/").content.decode()
    assert "33%" in page  # the page shows the same share
    events = AuditEvent.objects.filter(object_type="assurance_report", action="export")
    assert events.count() == 2 and {e.detail["format"] for e in events} == {"csv"}


def test_the_pdf_opens_with_each_question_and_names_no_child(children, client_for, tmp_path: Path):
    response = client_for(Role.TEAM_MANAGER).get("/reports/assurance.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (tmp_path / "a.pdf").write_bytes(response.content)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "a.pdf"), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Children not in school: assurance report" in text
    assert "7. Are children already known to services given particular attention in time?" in text
    assert "The child's views recorded in the last 12 months" in text
    assert "Ada" not in text and "Cal" not in text
    assert AuditEvent.objects.get(object_type="assurance_report", action="export").detail["format"] == "pdf"


def test_only_report_roles_download_it(client_for):
    for role in (Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER, Role.ADMIN):
        assert client_for(role).get("/reports/assurance.csv").status_code == 403
        assert client_for(role).get("/reports/assurance.pdf").status_code == 403
