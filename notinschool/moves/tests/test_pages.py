"""The moves pages: recording a move out from the child's page (with its errors), the
handover's page and its two files, how it was sent, the acknowledgement that closes the record;
a handover file sent through the upload page; and who may open each."""

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notinschool.accounts.roles import Role
from notinschool.moves.models import Handover, MoveIn
from notinschool.moves.tests.factories import moving_child
from notinschool.people.models import Child
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert_govuk_page(response.content)
    return response.content.decode()


def test_an_officer_records_a_move_out_until_the_record_closes(client_for):
    child = moving_child()
    client = client_for(Role.EHE_OFFICER)
    html = page(client, f"/children/{child.pk}/")
    assert "Record a move to another authority" in html[html.index('id="moves"'):]
    url = f"/children/{child.pk}/handover/new/"
    page(client, url)
    response = client.post(url, {"to_authority": "", "to_la_code": "93", "new_postcode": "nowhere"})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    for message in ("Enter the name of the authority the child moved to",
                    "The local authority code is 3 digits, like 380", "Enter a real postcode"):
        assert message in html
    response = client.post(url, {"to_authority": "Northshire County Council", "to_la_code": "931",
                                 "moved_on_day": "20", "moved_on_month": "11", "moved_on_year": "2026",
                                 "new_line_1": "3 Harbour Street", "new_postcode": "np1 2ab"})
    handover = Handover.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/handovers/{handover.pk}/"
    assert handover.new_postcode == "NP1 2AB"
    html = page(client, f"/handovers/{handover.pk}/")
    assert "Produced, not sent yet" in html and "Record how the handover was sent" in html

    pdf = client.get(f"/handovers/{handover.pk}/handover.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    download = client.get(f"/handovers/{handover.pk}/handover.json")
    assert json.loads(download.content)["handover_id"] == str(handover.pk)
    assert "attachment" in download["Content-Disposition"]

    page(client, f"/handovers/{handover.pk}/sent/")
    response = client.post(f"/handovers/{handover.pk}/sent/", {
        "method": "s2s", "sent_on_day": "23", "sent_on_month": "11", "sent_on_year": "2026"})
    assert response.status_code == 302
    html = page(client, "/work/")
    assert "Chase Northshire County Council: receipt of the handover not acknowledged" in html

    response = client.post(f"/handovers/{handover.pk}/acknowledged/", {
        "acknowledged_by": "", "acknowledged_on_day": "23", "acknowledged_on_month": "11",
        "acknowledged_on_year": "2026"})
    assert "Enter who at the receiving authority acknowledged receipt" in response.content.decode()
    response = client.post(f"/handovers/{handover.pk}/acknowledged/", {
        "acknowledged_by": "Sam Patel", "acknowledged_on_day": "23", "acknowledged_on_month": "11",
        "acknowledged_on_year": "2026"})
    assert response.status_code == 302 and response["Location"].endswith("#moves")
    child.refresh_from_db()
    assert child.status == "left_area"
    html = page(client, f"/children/{child.pk}/")
    timeline = html[html.index('id="timeline"'):]
    assert "Northshire County Council acknowledged receipt of the handover" in timeline
    assert "Record a move to another authority" not in html


def test_a_handover_file_sent_through_the_upload_page_shows_its_history(client_for):
    child = moving_child()
    officer = client_for(Role.EHE_OFFICER)
    officer.post(f"/children/{child.pk}/handover/new/", {"to_authority": "Demo Borough Council"})
    content = officer.get(f"/handovers/{Handover.objects.get().pk}/handover.json").content
    Child.objects.all().delete()
    upload = SimpleUploadedFile("handover.json", content, content_type="application/json")
    response = officer.post("/imports/", {"kind": "handover", "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    move = MoveIn.objects.get()
    html = page(officer, f"/children/{move.child_id}/")
    section = html[html.index('id="moves-in"'):html.index('id="timeline"')]
    assert "From the previous authority: Demo Borough Council" in section
    assert "Status history at Demo Borough Council" in section
    assert "Home visit" not in section  # a summary, not the contacts themselves
    bad = SimpleUploadedFile("bad.json", io.BytesIO(b"[]").read(), content_type="application/json")
    html = officer.post("/imports/", {"kind": "handover", "file": bad}).content.decode()
    assert "bad.json:1:-: should be a JSON object" in html


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER, Role.ANALYST])
def test_roles_without_casework_see_no_handover(client_for, role):
    child = moving_child()
    officer = client_for(Role.EHE_OFFICER)
    officer.post(f"/children/{child.pk}/handover/new/", {"to_authority": "Demo Borough Council"})
    handover = Handover.objects.get()
    other = client_for(role)
    for url in (f"/handovers/{handover.pk}/", f"/handovers/{handover.pk}/handover.json",
                f"/children/{child.pk}/handover/new/"):
        assert other.get(url).status_code in (403, 404)
