"""The termly return on a page, on the hand-built authority of test_dfe_return: the page's
figures are the CLI export's, cell for cell; the CSV download is the export's bytes; each
figure opens the children behind it (audited), the warnings name the children to fix, the
analyst sees numbers only, and the PDF opens with its tables."""

import contextlib
import csv
import io
import re
from html.parser import HTMLParser

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from django.core.management import call_command

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.people.models import Child, StatusChange
from notinschool.people.tests.factories import ChildFactory
from notinschool.reports import codes
from notinschool.reports.return_page import IN_YEAR_MEASURES
from notinschool.reports.tests.test_dfe_return import authority  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("authority")]
CENSUS = "2027-01-14"


class Tables(HTMLParser):
    """Each table on the page by its id: its rows as the text of their cells, and the links."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = a.get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        elif tag == "span" and (self._hidden or "govuk-visually-hidden" in (a.get("class") or "")):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "span" and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def page(client, census: str = CENSUS) -> Tables:
    response = client.get(f"/reports/return/?census_date={census}")
    assert response.status_code == 200
    parsed = Tables()
    parsed.feed(response.content.decode())
    return parsed


def cli(census: str = CENSUS) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command("export", "dfe-return", "--census-date", census)
    return out.getvalue()


def test_the_page_shows_every_figure_of_the_export(client_for):
    tables = page(client_for(Role.TEAM_MANAGER)).tables
    rows = list(csv.reader(io.StringIO(cli())))[1:]
    assert len(rows) > 300
    for section, measure, breakdown, value, count in rows:
        table = tables[f"{section}-{breakdown}".replace("_", "-")]
        code_list = codes.CODE_LISTS.get(breakdown)
        row = table[1 + (code_list.values.index(value) if code_list else 0)]
        assert row[0].startswith(code_list.label(value) if code_list else "Total")
        column = 1 if section.endswith("census") else 1 + IN_YEAR_MEASURES.index(measure)
        assert row[column] == f"{int(count):,}", (section, measure, breakdown, value)
    assert tables["ehe-census-reason"][1][:2] == ["Mental health", "1"], "Amira, with the label"


def test_the_csv_download_is_the_exports_bytes(client_for):
    response = client_for(Role.EHE_OFFICER).get(f"/reports/return.csv?census_date={CENSUS}")
    assert response.status_code == 200
    assert response.content == cli().encode("utf-8")


def test_a_figure_opens_the_children_behind_it_and_the_list_is_audited(client_for):
    client = client_for(Role.EHE_OFFICER)
    links = [link for link in page(client).links if "section=ehe_census" in link
             and "breakdown=reason" in link and "value=mental_health" in link]
    assert len(links) == 1
    response = client.get(links[0])
    text = response.content.decode()
    amira = Child.objects.get(forename="Amira")
    assert "Amira" in text and "Ben" not in text
    assert "Home educated on the census date: children, primary reason for elective home " \
           "education: Mental health: 1 child." in " ".join(text.split())
    event = AuditEvent.objects.filter(object_type="dfe_return_children").get()
    assert list(event.children.values_list("child_id", flat=True)) == [amira.pk]


def test_warnings_name_the_children_to_fix(client_for):
    """Cara is missing education with no case, so no primary reason; Fin is home educated with
    no date of birth, so the return leaves him out."""
    fin = ChildFactory.create(forename="Fin", surname="Ford", status="ehe", date_of_birth=None)
    StatusChange.objects.create(child=fin, status="ehe", date="2026-10-01", reason="test")
    client = client_for(Role.TEAM_MANAGER)
    tables = page(client).tables
    checks = {row[0]: row[1] for row in tables["table-0"][1:]}
    assert checks["Home educated or missing education on the census date but no date of birth: "
                  "left out of every figure"] == "1"
    assert checks["Missing education on the census date with no primary reason recorded: "
                  "counted as not known"] == "1"
    listed = client.get(f"/reports/return/children/?census_date={CENSUS}&warning=no_date_of_birth")
    assert "Fin Ford" in listed.content.decode()
    listed = client.get(f"/reports/return/children/?census_date={CENSUS}&warning=cme_reason_not_recorded")
    assert "Cara" in listed.content.decode()


def test_the_analyst_sees_numbers_and_no_child(client_for):
    client = client_for(Role.ANALYST)
    parsed = page(client)
    assert parsed.tables["ehe-census-total"][1] == ["Total", "1"]
    assert not [link for link in parsed.links if "/reports/return/children/" in link]
    assert client.get(f"/reports/return/children/?census_date={CENSUS}&section=ehe_census"
                      "&measure=children&breakdown=total&value=").status_code == 403
    assert client.get(f"/reports/return.csv?census_date={CENSUS}").status_code == 403
    event = AuditEvent.objects.filter(object_type="dfe_return", action="report").get()
    assert event.child_count == 4, "the run is audited with the children it counted"


def test_the_pdf_for_the_record_opens_with_its_tables(client_for):
    response = client_for(Role.ANALYST).get(f"/reports/return.pdf?census_date={CENSUS}")
    assert response["Content-Type"] == "application/pdf"
    pdf = pdfium.PdfDocument(response.content)
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Termly return" in text and "14 January 2027" in text
    assert re.search(r"Mental health\s+1", text)

