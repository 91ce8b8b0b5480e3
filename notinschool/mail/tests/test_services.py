"""email_send: every email is sent through the mail API, kept, and audited with the child it
is about (how many it went to, never the addresses); a failure is kept as not sent."""

import pytest
from django.core import mail

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE, SystemActor
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.mail.models import SentEmail
from notinschool.mail.services import EmailNotSent, child_records_move, email_send
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_an_email_to_a_family_is_sent_kept_and_audited_without_the_address():
    officer = UserFactory.create(role=Role.EHE_OFFICER, first_name="Olu", last_name="Officer")
    child = ChildFactory.create()
    email = email_send(actor=officer, to=["parent@example.com", " parent@example.com "],
                       subject="Our visit", body="We would like to visit.", kind=SentEmail.Kind.FAMILY,
                       child=child)

    [sent] = mail.outbox
    assert sent.to == ["parent@example.com"] and sent.subject == "Our visit"
    assert sent.body == "We would like to visit."
    email.refresh_from_db()
    assert (email.child, email.kind, email.to, email.status) == (
        child, "family", ["parent@example.com"], SentEmail.Status.SENT)
    assert email.sent_by == officer and email.sent_by_label == "Olu Officer" and email.sent_at
    assert email.backend == "django.core.mail.backends.locmem.EmailBackend"
    event = AuditEvent.objects.get(action="send")
    assert event.object_type == "family_email" and event.object_ids == [str(email.pk)]
    assert list(event.children.values_list("child_id", flat=True)) == [child.pk]
    assert event.detail == {"recipients": 1} and "parent@" not in str(event.detail)


def test_an_email_about_nobody_in_particular_names_no_child():
    email = email_send(actor=SystemActor("daily summaries"), to=["officer@la.example"], subject="Today",
                       body="Overdue: 1", kind=SentEmail.Kind.DAILY_SUMMARY)
    assert email.child is None and email.sent_by is None
    assert email.sent_by_label == "system: daily summaries"
    assert AuditEvent.objects.get(action="send").child_count == 0


def test_a_failed_send_is_kept_as_not_sent_and_the_caller_is_told(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2}}}
    child = ChildFactory.create()
    officer = UserFactory.create(role=Role.EHE_OFFICER)
    with pytest.raises(EmailNotSent, match="The email was not sent: "):
        email_send(actor=officer, to=["parent@example.com"], subject="Our visit", body="Monday",
                   kind=SentEmail.Kind.FAMILY, child=child)
    email = SentEmail.objects.get()
    assert email.status == SentEmail.Status.RETRYING and email.error and email.child == child
    assert email.attempts == 1 and email.next_attempt_at is not None  # the worker tries again
    event = AuditEvent.objects.get(action="send")
    assert event.detail == {"recipients": 1, "not_sent": True}


@pytest.mark.parametrize(("to", "subject"), [
    ([], "S"), ([""], "S"), (["not an address"], "S"),
    (["a@example.com"], "Two\nlines"), (["a@example.com"], "x" * 301)])
def test_an_email_needs_a_real_address_and_a_one_line_subject(to, subject):
    officer = UserFactory.create(role=Role.EHE_OFFICER)
    with pytest.raises(DomainError):
        email_send(actor=officer, to=to, subject=subject, body="B", kind=SentEmail.Kind.FAMILY)
    assert not mail.outbox and not SentEmail.objects.exists()


def test_only_those_who_record_casework_email_families():
    nurse = UserFactory.create(role=Role.HEALTH_PRACTITIONER)
    with pytest.raises(NotPermitted):
        email_send(actor=nurse, to=["parent@example.com"], subject="S", body="B",
                   kind=SentEmail.Kind.FAMILY, child=ChildFactory.create())
    assert not mail.outbox and not SentEmail.objects.exists()


def test_a_merge_moves_the_emails_to_the_record_kept():
    keep, other = ChildFactory.create(), ChildFactory.create()
    email_send(actor=COMMAND_LINE, to=["a@example.com"], subject="S", body="B",
               kind=SentEmail.Kind.ALERT, child=other)
    assert child_records_move(keep=keep, other=other) == {"emails": 1}
    assert SentEmail.objects.get().child == keep
