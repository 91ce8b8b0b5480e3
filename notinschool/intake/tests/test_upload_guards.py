"""The upload page shows what the command line and the API refuse in its GOV.UK error summary:
a snapshot that would end most of an agency's records (with a box to confirm and send again),
an empty snapshot (no box: never taken), a doubled byte-order mark, implausible dates, and a
clash with another import."""

import pytest
from django.db import IntegrityError

from notinschool.accounts.roles import Role
from notinschool.intake.models import ImportBatch
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.intake.tests.test_pages import csv_file, text
from notinschool.linkage.models import AgencyFact
from notinschool.people.models import Child
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

HEADER = ["record_id", "forename", "surname", "date_of_birth", "indicator", "start_date"]


def plan(n: int) -> list[str]:
    return [f"S{n}", f"Child{chr(65 + n)}", "Hall", "2014-03-27", "child_protection_plan", "2026-01-05"]


def snapshot(client, name: str, *rows: list[str], confirm: bool = False):
    data = {"kind": "agency", "source": "social_care", "snapshot": "on",
            "file": csv_file(name, HEADER, *rows)}
    if confirm:
        data["allow_large_end"] = "on"
    return client.post("/imports/", data)


def summary(html: str) -> str:
    start = html.index('class="govuk-error-summary"')
    return html[start:html.index("</div> </div>", start)]


def test_a_large_snapshot_is_refused_in_the_summary_and_confirmed_with_the_box(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    assert snapshot(client, "all.csv", *(plan(n) for n in range(5))).status_code == 302
    page = client.get("/imports/")
    assert 'name="allow_large_end"' not in page.content.decode(), "no box until it is needed"

    refused = snapshot(client, "short.csv", plan(0))
    assert refused.status_code == 200
    assert_govuk_page(refused.content)
    html = text(refused)
    box = summary(html)
    assert ("short.csv:0:-: as a snapshot this file would end 4 of the 5 current social_care "
            "facts (80%; more than 20% is ended only when the sender confirms it): nothing was "
            "imported") in box
    assert 'href="#allow_large_end"' in box
    assert ("If social_care really ended these records, tick the box to confirm, select the file "
            "again and send it.") in box
    assert 'id="allow_large_end"' in html and 'name="allow_large_end"' in html
    assert ("Tick the box if social_care really ended the 4 records this file leaves out, then "
            "select the file again") in html
    assert "End the records this file leaves out (4 of 5)" in html
    assert AgencyFact.objects.filter(end_date__isnull=False).count() == 0
    assert ImportBatch.objects.count() == 1

    confirmed = snapshot(client, "short.csv", plan(0), confirm=True)
    assert confirmed.status_code == 302
    assert AgencyFact.objects.filter(ended_by_snapshot=True).count() == 4


def test_an_empty_snapshot_is_refused_with_no_box_to_confirm(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    snapshot(client, "all.csv", *(plan(n) for n in range(3)))
    for confirm in (False, True):
        refused = snapshot(client, "empty.csv", confirm=confirm)
        assert refused.status_code == 200
        assert_govuk_page(refused.content)
        box = summary(text(refused))
        assert ("empty.csv:0:-: the file is sent as a snapshot of social_care, but it has no rows: "
                "it would end all 3 current social_care facts. An empty snapshot is never taken") in box
        assert 'href="#file"' in box and "tick the box" not in box
    assert AgencyFact.objects.filter(end_date__isnull=True).count() == 3


def test_a_doubled_byte_order_mark_and_implausible_dates_are_in_the_summary(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    content = "\ufeff\ufeff" + "\n".join(",".join(r) for r in [DELETION_HEADER, deletion()]) + "\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    twice = client.post("/imports/", {"kind": "roll-deletions", "file": SimpleUploadedFile(
        "twice.csv", content.encode("utf-8"), content_type="text/csv")})
    assert_govuk_page(twice.content)
    assert "twice.csv:1:school_urn: the column name starts with a byte-order mark (U+FEFF)" in \
        summary(text(twice))

    dated = client.post("/imports/", {"kind": "roll-deletions", "file": csv_file(
        "dates.csv", DELETION_HEADER, deletion(on="2099-09-01"), deletion("Oliver", dob="1990-01-01"))})
    box = summary(text(dated))
    assert ("dates.csv:2:deletion_date: &#39;2099-09-01&#39; is in the future (more than 7 days "
            "after 2026-11-23)") in box
    assert ("dates.csv:3:date_of_birth: &#39;1990-01-01&#39; would make the child older than 25: "
            "check the year") in box
    assert Child.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_a_clash_with_another_import_is_an_error_on_the_file(as_of, client_for, monkeypatch):
    def clash(**_: object) -> None:
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr("notinschool.intake.views.upload_import", clash)
    response = client_for(Role.EHE_OFFICER).post("/imports/", {"kind": "roll-deletions", "file": csv_file(
        "d.csv", DELETION_HEADER, deletion())})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    box = summary(text(response))
    assert ("Another import changed the same records at the same time: nothing was imported. "
            "Select the file and send it again") in box and 'href="#file"' in box
