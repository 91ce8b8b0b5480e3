"""The GOV.UK Notify backend: the real Notify client, talking to a stand-in for Notify's API
on this machine (conftest.notify_server); and the outbox folder of the demo."""

import os
import subprocess
import sys
from pathlib import Path

import jwt
import pytest

from notinschool.accounts.system import COMMAND_LINE
from notinschool.audit.models import AuditEvent
from notinschool.mail.models import SentEmail
from notinschool.mail.services import EmailNotSent, email_send
from notinschool.mail.tests.conftest import SECRET, SERVICE_ID, TEMPLATE_ID
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_each_address_is_one_notification_through_the_template_and_notify_ids_are_kept(notify_server):
    child = ChildFactory.create()
    email = email_send(actor=COMMAND_LINE, to=["a@example.com", "b@example.com"], subject="Your visit",
                       body="We will visit on Monday.", kind=SentEmail.Kind.ALERT, child=child)

    assert [r["path"] for r in notify_server.requests] == ["/v2/notifications/email"] * 2
    assert [r["json"] for r in notify_server.requests] == [
        {"email_address": address, "template_id": TEMPLATE_ID,
         "personalisation": {"subject": "Your visit", "body": "We will visit on Monday."}}
        for address in ("a@example.com", "b@example.com")]
    scheme, token = notify_server.requests[0]["headers"]["Authorization"].split(" ")
    assert scheme == "Bearer"
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID  # signed with the key
    email.refresh_from_db()
    assert email.status == SentEmail.Status.SENT and email.provider_reference == " ".join(notify_server.ids)
    assert email.backend == "notinschool.mail.notify.NotifyEmailBackend"


def test_a_refusal_is_kept_as_not_sent_with_notifys_reason(notify_server):
    notify_server.status = 400
    child = ChildFactory.create()
    with pytest.raises(EmailNotSent, match=r"GOV\.UK Notify refused the email \(400: .*team-only API key"):
        email_send(actor=COMMAND_LINE, to=["a@example.com"], subject="Your visit", body="Monday.",
                   kind=SentEmail.Kind.ALERT, child=child)
    [email] = SentEmail.objects.all()
    assert email.status == SentEmail.Status.FAILED and email.child == child and not email.provider_reference
    assert "team-only API key" in email.error
    event = AuditEvent.objects.get(action="send")
    assert event.detail == {"recipients": 1, "not_sent": True}


def test_notify_without_a_key_sends_nothing_and_says_what_is_missing(notify_server, settings):
    settings.NOTINSCHOOL_NOTIFY_API_KEY = ""
    with pytest.raises(EmailNotSent, match="NOTINSCHOOL_NOTIFY_API_KEY"):
        email_send(actor=COMMAND_LINE, to=["a@example.com"], subject="S", body="B",
                   kind=SentEmail.Kind.DAILY_SUMMARY)
    assert not notify_server.requests
    assert SentEmail.objects.get().status == SentEmail.Status.FAILED


def test_the_outbox_backend_writes_each_email_into_the_outbox_folder(settings, tmp_path: Path):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                                    "OPTIONS": {"file_path": str(tmp_path)}}}
    email_send(actor=COMMAND_LINE, to=["officer@la.example"], subject="Your work today",
               body="Overdue: 1", kind=SentEmail.Kind.DAILY_SUMMARY)
    [written] = list(tmp_path.iterdir())
    text = written.read_text()
    assert "Subject: Your work today" in text and "To: officer@la.example" in text and "Overdue: 1" in text
    assert SentEmail.objects.get().backend == "django.core.mail.backends.filebased.EmailBackend"


@pytest.mark.parametrize(("extra", "refused"), [({}, True), ({"NOTINSCHOOL_NOTIFY_API_KEY": "k",
                                                              "NOTINSCHOOL_NOTIFY_TEMPLATE_ID": "t"}, False)])
def test_production_refuses_to_start_with_notify_and_no_key(extra, refused):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTINSCHOOL_NOTIFY")}
    env |= {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "register.example.gov.uk",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:5432/never_connected",
            "NOTINSCHOOL_STATIC_ROOT": "/tmp/static", "NOTINSCHOOL_BASE_URL": "https://register.example.gov.uk",
            "NOTINSCHOOL_EMAIL_BACKEND": "notify", **extra}
    run = subprocess.run([sys.executable, "-c", "import config.settings.production"], env=env,
                         capture_output=True, text=True, check=False)
    assert (run.returncode != 0) is refused
    if refused:
        assert "NOTINSCHOOL_NOTIFY_API_KEY must be set" in run.stderr
