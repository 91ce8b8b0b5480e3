"""The split page: an officer moves a twin's notification to a new record."""

import pytest

from notinschool.accounts.roles import Role
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, run_import
from notinschool.people.models import Child
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

REGISTRATION_HEADER = ["forename", "surname", "date_of_birth", "address_line_1", "postcode",
                       "parent1_name", "date_received"]


@pytest.fixture
def merged(as_of, write_csv) -> Child:
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion()))
    run_import("parent-registrations", write_csv(
        "r.csv", REGISTRATION_HEADER,
        ["Alex", "Smith-Jones", "2015-03-05", "1 Mill Road", "LS6 1AB", "Dana Other", "2026-10-20"]))
    return Child.objects.get()


def test_an_officer_splits_a_record_and_lands_on_the_new_child(client_for, merged):
    client = client_for(Role.EHE_OFFICER)
    page = client.get(f"/children/{merged.pk}/")
    assert "Split this record" in page.content.decode()
    form = client.get(f"/children/{merged.pk}/split/")
    assert_govuk_page(form.content)
    registration = merged.notifications.get(kind="parent-registrations")
    response = client.post(f"/children/{merged.pk}/split/",
                           {"notifications": [str(registration.pk)], "reason": "twins"}, follow=True)
    new = Child.objects.exclude(pk=merged.pk).get()
    assert response.redirect_chain[-1][0] == f"/children/{new.pk}/"
    assert f"is now {new.child_ref}" in response.content.decode()


def test_missing_choices_and_reason_show_the_error_summary(client_for, merged):
    client = client_for(Role.EHE_OFFICER)
    response = client.post(f"/children/{merged.pk}/split/", {"reason": ""})
    assert_govuk_page(response.content)
    assert "govuk-error-summary" in response.content.decode()
    text = response.content.decode()
    assert "Select the notifications that were about another child" in text
    assert "Enter why these notifications are about another child" in text
    assert Child.objects.count() == 1


def test_a_social_worker_cannot_split(client_for, merged):
    assert client_for(Role.SOCIAL_WORKER).get(f"/children/{merged.pk}/split/").status_code == 403
