"""Sending a file on /imports/ and recording a notification by hand on /notifications/new/."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import AgencyFactory
from notinschool.intake.models import ImportBatch, Notification
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.people.models import Child
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db


def csv_file(name: str, header: list[str], *rows: list[str]) -> SimpleUploadedFile:
    content = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def school(name: str, urn: str) -> Agency:
    return AgencyFactory.create(name=name, kind=Agency.Kind.SCHOOL, school_urn=urn)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# -- the upload page ---------------------------------------------------------------------------

def test_an_officer_sends_a_file_and_sees_what_it_did(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    page = client.get("/imports/")
    assert page.status_code == 200
    assert_govuk_page(page.content)
    assert ">Imports<" in page.content.decode(), "the navigation offers the page"

    response = client.post("/imports/", {"kind": "roll-deletions",
                                         "file": csv_file("deletions.csv", DELETION_HEADER, deletion(),
                                                          deletion("Oliver"))})
    assert response.status_code == 302
    done = client.get(response["Location"])
    assert_govuk_page(done.content)
    html = text(done)
    assert "File imported" in html and "2 rows read" in html and "2 new" in html
    assert sorted(Child.objects.values_list("forename", flat=True)) == ["Alexander", "Oliver"]
    batch = ImportBatch.objects.get()
    assert batch.channel == "upload" and batch.created_by == client.user
    assert "deletions.csv" in client.get("/imports/").content.decode()


def test_each_file_received_links_to_its_import_page(as_of, client_for):
    """The file's name in "Files received" is a link to the import's page, not markup shown as
    text (it was escaped twice, so no import's page could be reached from the list)."""
    client = client_for(Role.EHE_OFFICER)
    client.post("/imports/", {"kind": "roll-deletions",
                              "file": csv_file("Mill & Canal <spring>.csv", DELETION_HEADER, deletion())})
    batch = ImportBatch.objects.get()
    page = client.get("/imports/")
    assert_govuk_page(page.content)
    html = text(page)
    link = f'<a class="govuk-link" href="/imports/{batch.pk}/">Mill &amp; Canal &lt;spring&gt;.csv</a>'
    assert link in html, "a real link, the file's name escaped once"
    assert "&lt;a" not in html and "&amp;amp;" not in html
    assert client.get(f"/imports/{batch.pk}/").status_code == 200

def test_an_invalid_file_lists_its_problems_and_writes_nothing(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    response = client.post("/imports/", {"kind": "roll-deletions", "file": csv_file(
        "bad.csv", DELETION_HEADER, deletion(), deletion(dob="2015-02-30"), deletion(ground="holiday"))})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = text(response)
    assert "govuk-error-summary" in html and "nothing was imported" in html
    assert "bad.csv:3:date_of_birth: &#39;2015-02-30&#39; is not a real date" in html
    assert "bad.csv:4:deletion_ground:" in html
    assert 'href="#file"' in html
    assert Child.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_file_with_many_problems_shows_50_and_a_count(as_of, client_for):
    rows = [deletion(dob="yesterday") for _ in range(60)]
    response = client_for(Role.EHE_OFFICER).post(
        "/imports/", {"kind": "roll-deletions", "file": csv_file("many.csv", DELETION_HEADER, *rows)})
    html = text(response)
    assert "The file has 60 problems" in html
    assert html.count("many.csv:") == 50
    assert "and 10 more problems" in html


def test_a_missing_file_is_a_field_error(as_of, client_for):
    response = client_for(Role.EHE_OFFICER).post("/imports/", {"kind": "roll-deletions"})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    assert "Select a CSV or XLSX file" in response.content.decode()


def test_school_leads_send_deletions_and_see_only_their_own_schools_files(as_of, client_for):
    mill = client_for(Role.SCHOOL_LEAD, agency=school("Mill Road Primary", "123456"))
    canal = client_for(Role.SCHOOL_LEAD, agency=school("Canal Street Academy", "654321"))
    officer = client_for(Role.EHE_OFFICER)

    page = mill.get("/imports/").content.decode()
    assert 'value="roll-deletions"' in page and 'value="school-admissions"' in page
    assert 'value="referrals"' not in page and 'name="source"' not in page
    referral = csv_file("r.csv", ["surname", "date_received", "postcode"], ["Smith", "2026-11-01", "LS6 1AB"])
    refused = mill.post("/imports/", {"kind": "referrals", "file": referral})
    assert refused.status_code == 200 and "Select what the file holds" in refused.content.decode()

    sent = mill.post("/imports/", {"kind": "roll-deletions",
                                   "file": csv_file("mill.csv", DELETION_HEADER, deletion())})
    assert sent.status_code == 302
    batch = ImportBatch.objects.get()
    assert "mill.csv" in mill.get("/imports/").content.decode()
    assert "mill.csv" not in canal.get("/imports/").content.decode()
    assert canal.get(f"/imports/{batch.pk}/").status_code == 404
    assert "mill.csv" in officer.get("/imports/").content.decode()
    assert officer.get(f"/imports/{batch.pk}/").status_code == 200

    other = mill.post("/imports/", {"kind": "roll-deletions", "file": csv_file(
        "theirs.csv", DELETION_HEADER, deletion("Oliver", school_urn="654321"))})
    assert "theirs.csv:2:school_urn: is not your school&#39;s URN" in other.content.decode()
    assert Child.objects.count() == 1


def test_agency_files_need_a_source(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    header = ["record_id", "forename", "surname", "date_of_birth", "indicator", "start_date"]
    rows = ["S1", "Ada", "Lovelace", "2014-03-27", "child_in_need", "2026-01-05"]
    missing = client.post("/imports/", {"kind": "agency", "file": csv_file("sc.csv", header, rows)})
    assert missing.status_code == 200
    assert_govuk_page(missing.content)
    assert "Enter the agency as one lower-case word" in missing.content.decode()
    sent = client.post("/imports/", {"kind": "agency", "source": "social_care",
                                     "file": csv_file("sc.csv", header, rows)})
    assert sent.status_code == 302
    assert ImportBatch.objects.get().source == "social_care"


def test_roles_without_import_files_are_refused(client_for):
    assert client_for(Role.SOCIAL_WORKER).get("/imports/").status_code == 403
    assert client_for(Role.SCHOOL_LEAD).get("/notifications/new/referral/").status_code == 403


# -- recording a notification by hand -------------------------------------------------------------

def dob(day: str, month: str, year: str, name: str = "date_of_birth") -> dict[str, str]:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def record(client, kind: str, **fields: str):
    return client.post(f"/notifications/new/{kind}/", fields)


def deletion_form(**extra: str) -> dict[str, str]:
    return {"school_urn": "123456", "forename": "Alexander", "surname": "Smith-Jones",
            "postcode": "LS6 1AB", "deletion_ground": "elective_home_education",
            **dob("5", "3", "2015"), **dob("1", "10", "2026", "deletion_date"), **extra}


def test_the_kinds_page_and_each_form_are_govuk_pages(client_for):
    client = client_for(Role.EHE_OFFICER)
    kinds = client.get("/notifications/new/")
    assert_govuk_page(kinds.content)
    for slug in ("roll-deletion", "school-admission", "parent-registration", "referral"):
        assert f"/notifications/new/{slug}/" in kinds.content.decode()
        page = client.get(f"/notifications/new/{slug}/")
        assert page.status_code == 200
        assert_govuk_page(page.content)
        html = page.content.decode()
        assert ">None</textarea>" not in html and 'value="None"' not in html, "empty, not 'None'"
    assert client.get("/notifications/new/holiday/").status_code == 404


def test_a_roll_deletion_by_hand_puts_the_child_on_the_register(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    response = record(client, "roll-deletion", **deletion_form())
    child = Child.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/children/{child.pk}/"
    assert child.status == "ehe" and str(child.registration_due_date) == "2026-10-16"
    assert ImportBatch.objects.get().channel == "form"
    page = client.get(response["Location"])
    assert "School roll deletion recorded" in page.content.decode()


def test_the_same_notification_twice_changes_nothing_and_finds_the_child(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    record(client, "roll-deletion", **deletion_form())
    again = record(client, "roll-deletion", **deletion_form())
    child = Child.objects.get()
    assert again["Location"] == f"/children/{child.pk}/"
    assert "already been recorded" in client.get(again["Location"]).content.decode()
    assert Notification.objects.count() == 1


def test_an_admission_by_hand_takes_the_same_child_off_the_register(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    record(client, "roll-deletion", **deletion_form())
    response = record(client, "school-admission", school_urn="654321", forename="Alex",
                      surname="Smith-Jones", **dob("5", "3", "2015"),
                      **dob("2", "11", "2026", "admission_date"))
    child = Child.objects.get()
    assert response["Location"] == f"/children/{child.pk}/"
    assert child.status == "returned_to_school"


def test_a_parent_registration_by_hand_updates_the_child(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    record(client, "roll-deletion", **deletion_form())
    response = record(client, "parent-registration", forename="Alexander", surname="Smith-Jones",
                      postcode="LS6 1AB", parent1_name="Sarah Smith", parent1_educates="Y",
                      reason="bullying", **dob("5", "3", "2015"), **dob("9", "10", "2026", "date_received"))
    child = Child.objects.get()
    assert response["Location"] == f"/children/{child.pk}/"
    assert str(child.registration_received_date) == "2026-10-09" and child.ehe_reason == "bullying"


def test_a_referral_by_hand_opens_a_missing_education_case(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    response = record(client, "referral", referrer_agency="Police", forename="Maya", surname="Patel",
                      postcode="LS7 2CD", concern="Not seen at school since September",
                      **dob("12", "6", "2013"), **dob("20", "11", "2026", "date_received"))
    child = Child.objects.get()
    assert response["Location"] == f"/children/{child.pk}/"
    assert (child.forename, child.status) == ("Maya", "cme")


def test_an_invalid_date_shows_the_error_summary_and_writes_nothing(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    response = record(client, "roll-deletion", **deletion_form(**dob("30", "2", "2015")))
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert "Date of birth must be a real date" in html
    assert 'href="#date_of_birth-day"' in html and 'id="date_of_birth-day"' in html
    assert Child.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_a_cell_the_service_rejects_is_shown_on_its_field(as_of, client_for):
    client = client_for(Role.EHE_OFFICER)
    response = record(client, "roll-deletion", **deletion_form(postcode="NOT A CODE",
                                                               **dob("1", "1", "2030")))
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert 'href="#postcode"' in html and "is not a UK postcode" in html
    assert 'href="#date_of_birth-day"' in html and "is in the future" in html
    assert Child.objects.count() == 0


def test_missing_required_fields_are_named(as_of, client_for):
    response = record(client_for(Role.EHE_OFFICER), "referral")
    html = response.content.decode()
    assert_govuk_page(response.content)
    assert "Enter the surname" in html and "Enter the date received" in html
