"""Email that leaves through SMTP, and a send that fails is tried again, never lost: Django's
SMTP backend against an SMTP server started here (Python has no smtpd since 3.12 and aiosmtpd
is not installed, so a small one: EHLO, MAIL, RCPT, DATA, QUIT; it can refuse every message
with a 451 as a relay that is down does)."""

import datetime as dt
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from notinschool.accounts.roles import Role
from notinschool.accounts.system import SystemActor
from notinschool.casework.models import WorkItem
from notinschool.mail.models import SentEmail
from notinschool.mail.services import MAX_ATTEMPTS, email_send
from notinschool.people.tests.factories import ChildFactory, ChildParentFactory
from notinschool.workflow import tasks as workflow_tasks
from notinschool.workflow.email_followup import emails_follow_up

pytestmark = pytest.mark.django_db


@dataclass
class SmtpServer:
    port: int = 0
    refuse: bool = False
    messages: list[dict[str, object]] = field(default_factory=list)


def _handler(server: SmtpServer) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 test.invalid ESMTP")
            sender, recipients = "", list[str]()
            while line := self.rfile.readline().decode(errors="replace").rstrip("\r\n"):
                verb = line.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250 test.invalid")
                elif verb == "MAIL":
                    if server.refuse:
                        self.reply("451 4.3.0 Mail server temporarily unavailable")
                        continue
                    sender, recipients = line.split(":", 1)[1].strip(" <>"), list[str]()
                    self.reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(line.split(":", 1)[1].strip(" <>"))
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 End data with <CR><LF>.<CR><LF>")
                    data = []
                    while (body := self.rfile.readline().decode()) not in (".\r\n", ""):
                        data.append(body)
                    server.messages.append({"from": sender, "to": recipients, "data": "".join(data)})
                    self.reply("250 OK: queued")
                elif verb == "RSET":
                    self.reply("250 OK")
                elif verb == "QUIT":
                    self.reply("221 Bye")
                    return
                else:
                    self.reply("502 Command not implemented")

    return Handler


@pytest.fixture
def smtp(settings) -> Iterator[SmtpServer]:
    server = SmtpServer()
    tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(server))
    tcp.daemon_threads = True
    server.port = tcp.server_address[1]
    threading.Thread(target=tcp.serve_forever, daemon=True).start()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5}}}
    settings.DEFAULT_FROM_EMAIL = "register@council.example"
    yield server
    tcp.shutdown()
    tcp.server_close()


def _due_now() -> None:
    """The five minutes to the next try pass."""
    SentEmail.objects.filter(status=SentEmail.Status.RETRYING).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def test_an_email_goes_through_the_smtp_server(smtp):
    child = ChildFactory.create()
    email = email_send(actor=SystemActor("test"), to=["pat@example.com"], subject="Our visit",
                       body="We would like to visit on Monday.", kind=SentEmail.Kind.FAMILY, child=child)
    [message] = smtp.messages
    assert message["from"] == "register@council.example" and message["to"] == ["pat@example.com"]
    assert "Subject: Our visit" in str(message["data"]) and "visit on Monday" in str(message["data"])
    assert email.status == SentEmail.Status.SENT and email.attempts == 1


def test_a_refused_email_is_in_the_work_queue_and_goes_when_the_worker_tries_again(smtp, client_for):
    client = client_for(Role.EHE_OFFICER, first_name="Olu", last_name="Officer")
    child = ChildFactory.create(officer=client.user)
    ChildParentFactory.create(child=child, parent__name="Pat Parent", parent__email="pat@example.com")
    smtp.refuse = True
    page = client.post(reverse("family_email", kwargs={"child_id": child.pk}), {
        "to": "pat@example.com", "subject": "Our visit", "message": "We would like to visit on Monday."},
        follow=True)
    html = page.content.decode()
    assert "could not be sent yet. It will be tried again every few minutes" in html
    assert "Email not sent: Our visit" in html
    assert "Not sent yet: being tried again (to 1 address, 1 try so far)." in html
    assert "4.3.0 Mail server temporarily unavailable" in html  # the reason, for casework roles
    email = SentEmail.objects.get()
    assert email.status == SentEmail.Status.RETRYING and email.attempts == 1 and email.next_attempt_at
    [item] = WorkItem.objects.filter(child=child, closed_at__isnull=True)
    assert (item.kind, item.title, item.source_id) == (
        "email_not_sent", "Email not sent: Our visit", email.pk)
    assert "Email not sent: Our visit" in client.get(reverse("work_queue")).content.decode()

    # the worker's run before the next try is due changes nothing
    assert emails_follow_up(actor=SystemActor("email retries")) == {"sent": 0, "failed": 0, "opened": 0,
                                                                    "closed": 0}
    _due_now()  # still refused: a second try, the next one later
    assert emails_follow_up(actor=SystemActor("email retries"))["failed"] == 1
    email.refresh_from_db()
    assert email.status == SentEmail.Status.RETRYING and email.attempts == 2
    assert email.next_attempt_at > timezone.now() + dt.timedelta(minutes=9)  # 10 minutes after the 2nd

    smtp.refuse = False  # the relay is back
    _due_now()
    result = workflow_tasks.retry_emails.enqueue().return_value  # the scheduled task, as the worker runs it
    assert result == {"sent": 1, "failed": 0, "opened": 0, "closed": 1}
    [message] = smtp.messages
    assert message["to"] == ["pat@example.com"] and "visit on Monday" in str(message["data"])
    email.refresh_from_db()
    assert (email.status, email.attempts, email.error) == (SentEmail.Status.SENT, 3, "")
    item.refresh_from_db()
    assert item.closed_at is not None and item.closed_reason == "sent"
    html = client.get(reverse("child_detail", kwargs={"child_id": child.pk})).content.decode()
    assert "Sent to 1 address at the third try." in html
    assert "Email not sent: Our visit" not in client.get(reverse("work_queue")).content.decode()


def test_after_its_last_try_an_email_stays_not_sent_and_in_the_queue(smtp):
    smtp.refuse = True
    child = ChildFactory.create()
    with pytest.raises(Exception, match="not sent"):
        email_send(actor=SystemActor("test"), to=["pat@example.com"], subject="Our visit", body="Monday",
                   kind=SentEmail.Kind.FAMILY, child=child)
    for _ in range(MAX_ATTEMPTS - 1):
        _due_now()
        emails_follow_up(actor=SystemActor("email retries"))
    email = SentEmail.objects.get()
    assert (email.status, email.attempts, email.next_attempt_at) == (
        SentEmail.Status.FAILED, MAX_ATTEMPTS, None)
    assert WorkItem.objects.filter(child=child, source_id=email.pk, closed_at__isnull=True).count() == 1
    assert smtp.messages == []


def test_an_alert_sent_again_by_its_own_job_is_the_same_email_tried_again(smtp):
    """Alerts are not retried by the worker (casework's job sends them again every 15 minutes):
    the same email again is one record with two tries, and one work item, closed when it goes."""
    child = ChildFactory.create()
    smtp.refuse = True
    for _ in range(2):
        with pytest.raises(Exception, match="not sent"):
            email_send(actor=SystemActor("pending alerts"), to=["front.door@council.example"],
                       subject="Alert", body="A child", kind=SentEmail.Kind.ALERT, child=child)
        emails_follow_up(actor=SystemActor("email retries"))
    email = SentEmail.objects.get()
    assert (email.status, email.attempts) == (SentEmail.Status.FAILED, 2)
    assert WorkItem.objects.filter(child=child, closed_at__isnull=True).count() == 1
    smtp.refuse = False
    email_send(actor=SystemActor("pending alerts"), to=["front.door@council.example"],
               subject="Alert", body="A child", kind=SentEmail.Kind.ALERT, child=child)
    assert emails_follow_up(actor=SystemActor("email retries"))["closed"] == 1
    assert SentEmail.objects.get().status == SentEmail.Status.SENT and len(smtp.messages) == 1
