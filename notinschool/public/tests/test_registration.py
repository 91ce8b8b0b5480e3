"""A parent registers online: four question pages, then check your answers; the registration is
taken in through the same import as a file (a parent-registrations notification), so the child
joins the register, is linked and assessed; the parent gets a reference and an email; the same
answers sent twice are taken in once; nothing shows whether the child was known already."""

import pytest
from django.core import mail
from django.test import Client

from notinschool.audit.models import AuditEvent
from notinschool.intake.models import ImportBatch, Notification
from notinschool.people.models import Child
from notinschool.public.models import Submission
from notinschool.public.tests.helpers import ADDRESS, CHILD, EDUCATION, PARENTS, register
from notinschool.risk.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_child_joins_the_register_linked_and_assessed_and_the_parent_is_told():
    client = Client()
    start = client.get("/register-a-child/")
    assert "Start now" in start.content.decode()
    done = register(client)
    page = done.content.decode()
    submission = Submission.objects.get(kind="registration")
    assert done.redirect_chain[-1][0] == "/register-a-child/sent/"
    assert "Registration sent" in page and submission.reference in page
    child = Child.objects.get(surname="Haddad")
    assert child.status == "ehe" and child.registration_received_date is not None
    assert child.hours_parent_per_week == 15 and child.ehe_reason == "bullying"
    assert {a.postcode for a in child.addresses.all()} == {"DT1 2AB", "DT2 3CD"}
    parents = {link.parent.name: link for link in child.parent_links.select_related("parent")}
    assert set(parents) == {"Samira Haddad", "Karim Haddad"}
    assert parents["Karim Haddad"].lives_with_child is False and parents["Samira Haddad"].educates is True
    assert [p.name for p in child.providers.all()] == ["Maths Online"]
    note = Notification.objects.get(child=child)
    assert note.kind == "parent-registrations"
    assert submission.import_batch_id is not None
    batch = ImportBatch.objects.get(pk=submission.import_batch_id)
    assert batch.channel == "form" and batch.followed_up_at is not None  # linked, compared, assessed
    assert Assessment.objects.filter(child=child).exists()
    assert submission.child == child and submission.email_sent
    [email] = mail.outbox
    assert email.to == ["samira@example.invalid"] and submission.reference in email.subject
    assert "Noor" in email.body and "Haddad" not in email.body.split("Thank you")[0]
    assert AuditEvent.objects.filter(action="create", object_type="public_registration").exists()


def test_the_same_answers_sent_twice_are_taken_in_once_with_the_same_reference():
    first = register(Client())
    second = register(Client())
    [submission] = Submission.objects.filter(kind="registration")
    assert submission.reference in first.content.decode() and submission.reference in second.content.decode()
    assert Notification.objects.filter(kind="parent-registrations").count() == 1
    assert AuditEvent.objects.filter(action="refuse", object_type="public_registration",
                                     detail__refused="the same answers were sent before").count() == 1


def test_a_known_child_gets_the_same_answer_as_a_new_one():
    new = register(Client()).content.decode()
    again = register(Client(), parents={"p1_phone": "07700 900999"}).content.decode()
    assert Child.objects.filter(surname="Haddad").count() == 1  # matched to the child already known

    def shown(page: str) -> str:
        return page.split('id="main-content"')[1].split("Your reference number")[0]

    assert shown(new) == shown(again)
    assert len({s.reference for s in Submission.objects.all()}) == 2


def test_each_page_says_what_is_missing_in_the_error_summary():
    client = Client()
    response = client.post("/register-a-child/child/", {
        "forename": "", "surname": "Haddad", "dob_day": "31", "dob_month": "2", "dob_year": "2014"})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "s first name" in page and "must be a real date" in page
    client.post("/register-a-child/child/", CHILD)
    moved_recently = client.post("/register-a-child/address/", {
        "address_line_1": "4 Mill Lane", "postcode": "DT1 2AB",
        "moved_day": "1", "moved_month": "10", "moved_year": "2026"}).content.decode()
    assert "Enter the first line of your previous address" in moved_recently
    assert "Enter a postcode" in moved_recently


def test_a_robot_filling_the_hidden_field_is_answered_as_if_sent_but_nothing_is_taken_in():
    client = Client()
    for step, answers in (("child", {**CHILD, "forename": "Robo"}), ("address", ADDRESS),
                          ("parents", PARENTS), ("education", EDUCATION)):
        client.post(f"/register-a-child/{step}/", answers)
    done = client.post("/register-a-child/check/", {"website": "http://spam.example"}, follow=True)
    assert "Registration sent" in done.content.decode()
    assert not Submission.objects.exists() and not Child.objects.filter(forename="Robo").exists()
    assert AuditEvent.objects.filter(action="refuse", object_type="public_registration",
                                     detail__refused="the hidden field was filled in (a robot)").exists()


def test_registrations_from_one_address_are_limited(settings):
    settings.NOTINSCHOOL_PUBLIC_LIMITS = {"submit_per_address": (1, 3600)}
    register(Client())
    refused = register(Client(), child={"forename": "Zara"})
    assert "You have sent a lot of registrations" in refused.content.decode()
    assert not Child.objects.filter(forename="Zara").exists()


def test_answers_too_long_for_a_page_are_refused_without_a_trace():
    response = Client().post("/register-a-child/child/", {"forename": "x" * 70_000})
    assert response.status_code == 413 and "too long" in response.content.decode()
    assert "Traceback" not in response.content.decode()
