"""Emailing a family from the child's page: who may, what they choose, what they are told;
and every email about the child on the timeline, its words only for those who see casework."""

import pytest
from django.core import mail
from django.urls import reverse

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.mail.models import SentEmail
from notinschool.mail.services import email_send
from notinschool.people.tests.factories import ChildFactory, ChildParentFactory
from notinschool.web.tests.conftest import health_agency  # noqa: F401 (fixture)
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def child():
    child = ChildFactory.create(postcode="LS6 1AB")
    ChildParentFactory.create(child=child, parent__name="Pat Parent", parent__email="pat@example.com")
    ChildParentFactory.create(child=child, parent__name="No Email", lives_with_child=False)
    return child


def test_an_officer_emails_a_parent_and_sees_it_on_the_record(client_for, child):
    client = client_for(Role.EHE_OFFICER, first_name="Olu", last_name="Officer")
    page = client.get(reverse("child_detail", kwargs={"child_id": child.pk}))
    assert reverse("family_email", kwargs={"child_id": child.pk}) in page.content.decode()

    form = client.get(reverse("family_email", kwargs={"child_id": child.pk}))
    assert_govuk_page(form.content)
    assert "Pat Parent (pat@example.com)" in form.content.decode()
    response = client.post(reverse("family_email", kwargs={"child_id": child.pk}), {
        "to": "pat@example.com", "subject": "Our visit", "message": "We would like to visit on Monday."},
        follow=True)
    assert response.redirect_chain[-1][0] == reverse("child_detail", kwargs={"child_id": child.pk})
    html = response.content.decode()
    assert "Email sent to pat@example.com." in html
    assert "Email: Our visit" in html and "Sent to 1 address." in html
    assert "We would like to visit on Monday." in html and "Olu Officer" in html
    [sent] = mail.outbox
    assert sent.to == ["pat@example.com"] and sent.subject == "Our visit"
    assert SentEmail.objects.get().kind == SentEmail.Kind.FAMILY


def test_another_address_can_be_typed_in(client_for, child):
    client = client_for(Role.TEAM_MANAGER)
    client.post(reverse("family_email", kwargs={"child_id": child.pk}), {
        "to": "another", "other_address": "grandparent@example.com", "subject": "S", "message": "M"})
    assert [e.to for e in mail.outbox] == [["grandparent@example.com"]]


@pytest.mark.parametrize(("data", "errors"), [
    ({}, ["Select who to email", "Enter a subject", "Enter a message"]),
    ({"to": "another", "subject": "S", "message": "M"}, ["Enter the email address to send to"]),
    ({"to": "another", "other_address": "nope", "subject": "S", "message": "M"},
     ["Enter an email address in the correct format, like name@example.com"]),
    ({"to": "stranger@example.com", "subject": "S", "message": "M"}, ["Select who to email"]),
])
def test_mistakes_are_listed_in_the_error_summary_and_nothing_is_sent(client_for, child, data, errors):
    response = client_for(Role.EHE_OFFICER).post(reverse("family_email", kwargs={"child_id": child.pk}), data)
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = response.content.decode()
    assert "There is a problem" in html
    for error in errors:
        assert error in html
    assert not mail.outbox and not SentEmail.objects.exists()


def test_a_failed_send_is_shown_and_kept(client_for, child, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2}}}
    response = client_for(Role.EHE_OFFICER).post(reverse("family_email", kwargs={"child_id": child.pk}), {
        "to": "pat@example.com", "subject": "S", "message": "M"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("child_detail", kwargs={"child_id": child.pk})
    assert "The email to pat@example.com could not be sent yet. It will be tried again" in html
    assert "Email not sent: S" in html
    assert SentEmail.objects.get().status == SentEmail.Status.RETRYING


def test_a_health_practitioner_may_not_email_families(client_for, child, health_agency):  # noqa: F811
    client = client_for(Role.HEALTH_PRACTITIONER, agency=health_agency)
    assert client.get(reverse("family_email", kwargs={"child_id": child.pk})).status_code == 403
    assert client.post(reverse("family_email", kwargs={"child_id": child.pk}), {
        "to": "pat@example.com", "subject": "S", "message": "M"}).status_code == 403
    assert not mail.outbox


def test_the_timeline_shows_who_sent_what_but_the_words_only_to_casework(client_for, child, health_agency):  # noqa: F811
    email_send(actor=COMMAND_LINE, to=["duty1@sc.example", "duty2@sc.example"], subject="New alert",
               body="Please read the record.", kind=SentEmail.Kind.ALERT, child=child)
    nurse = client_for(Role.HEALTH_PRACTITIONER, agency=health_agency)
    html = nurse.get(reverse("child_detail", kwargs={"child_id": child.pk})).content.decode()
    assert "Email: New alert" in html and "Sent to 2 addresses." in html
    assert "system: command line" in html and "Alert to children&#39;s social care" in html
    assert "Please read the record." not in html and "duty1@" not in html
    assert reverse("family_email", kwargs={"child_id": child.pk}) not in html

    officer = client_for(Role.EHE_OFFICER)
    assert "Please read the record." in officer.get(
        reverse("child_detail", kwargs={"child_id": child.pk})).content.decode()
