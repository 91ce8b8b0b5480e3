"""Sending an email: one way in for every email the register sends. It goes through Django's
mail API, so through whichever backend the settings choose (the outbox folder, GOV.UK Notify,
SMTP; docs/operations.md, "Email"), and each one is kept (`SentEmail`) and audited, with the
child it is about: how many it went to, never the addresses."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.core.validators import validate_email
from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.mail.models import SentEmail
from notinschool.people.models import Child

# What a person needs to send each kind; the register's own emails (alerts, summaries) are
# sent by the services that raise them, which check their own capabilities.
KIND_CAPABILITY = {SentEmail.Kind.FAMILY: Cap.RECORD_CASEWORK}

Attachment = tuple[str, bytes | str, str]  # file name, content, MIME type
SUBJECT_MAX = SentEmail._meta.get_field("subject").max_length or 300

# Kinds the worker tries again itself (emails_retry_due); alerts are sent again by
# casework's job every 15 minutes, daily summaries by the next morning's run.
RETRIED_BY_WORKER = frozenset({SentEmail.Kind.FAMILY})
MAX_ATTEMPTS = 8
UNSENT = (SentEmail.Status.RETRYING, SentEmail.Status.FAILED)


def retry_delay(attempts: int) -> dt.timedelta:
    """5 minutes after the first failure, doubling, at most an hour: 8 tries span about 4 hours."""
    return dt.timedelta(minutes=min(5 * 2 ** (attempts - 1), 60))


class EmailNotSent(DomainError):
    """The backend did not send the email; it is recorded as not sent, with the reason."""


def email_send(*, actor: Actor, to: Sequence[str], subject: str, body: str, kind: str,
               child: Child | None = None, attachments: Iterable[Attachment] = (),
               audit_object_ids: Sequence[object] = ()) -> SentEmail:
    """Send one email to every address in `to` and keep it. The audit event (action "send",
    object type "<kind>_email") names the email, or what it is about (`audit_object_ids`,
    e.g. the alert); the child when it is about one; and how many it went to. A send the
    backend refuses is kept as not sent, audited, and raised as EmailNotSent; an email to a
    family is then tried again by the worker (`emails_retry_due`)."""
    capability = KIND_CAPABILITY.get(SentEmail.Kind(kind))
    if capability is not None and not actor.can(capability):
        raise NotPermitted("your role cannot send emails to families")
    addresses = _addresses(to)
    if not subject.strip() or not body.strip():
        raise DomainError("An email needs a subject and a message")
    if len(subject) > SUBJECT_MAX or "\n" in subject or "\r" in subject:
        raise DomainError(f"The subject must be one line of {SUBJECT_MAX} characters or fewer")
    attachments = list(attachments)
    backend = mailers.default  # settings.MAILERS, from NOTINSCHOOL_EMAIL_BACKEND
    # The same email again (alerts and summaries are sent again by their own jobs) is the
    # earlier one tried again, not a second record.
    email = (SentEmail.objects.filter(child=child, kind=kind, to=addresses, subject=subject, body=body,
                                      status__in=UNSENT).order_by("created_at").first()
             if not attachments else None)
    if email is None:
        email = SentEmail(child=child, kind=kind, to=addresses, subject=subject, body=body, attempts=0,
                          created_by=actor_user(actor))
    email.backend = f"{type(backend).__module__}.{type(backend).__qualname__}"
    email.sent_by, email.sent_by_label, email.modified_by = actor_user(actor), _who(actor), actor_user(actor)
    return _attempt(actor, email, audit_object_ids, attachments=attachments)


def _attempt(actor: Actor, email: SentEmail, audit_object_ids: Sequence[object],
             attachments: Iterable[Attachment] = ()) -> SentEmail:
    """One try at sending `email` through the configured backend; kept whatever happens."""
    connection = mailers.default
    message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, list(email.to))
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    email.attempts += 1
    try:
        connection.send_messages([message])
    except Exception as error:  # any backend's failure: SMTP, Notify, the file system
        # an attachment is not kept, so an email with one is left to a person, not retried
        _keep(actor, email, audit_object_ids, error=str(error) or error.__class__.__name__,
              retry=not message.attachments)
        raise EmailNotSent(f"The email was not sent: {email.error}") from error
    email.provider_reference = str(getattr(message, "provider_reference", ""))
    return _keep(actor, email, audit_object_ids)


def _keep(actor: Actor, email: SentEmail, audit_object_ids: Sequence[object],
          error: str = "", retry: bool = True) -> SentEmail:
    email.sent_at = clock.now()
    email.error = error
    if not error:
        email.status, email.next_attempt_at = SentEmail.Status.SENT, None
    elif retry and email.kind in RETRIED_BY_WORKER and email.attempts < MAX_ATTEMPTS:
        email.status = SentEmail.Status.RETRYING
        email.next_attempt_at = email.sent_at + retry_delay(email.attempts)
    else:
        email.status, email.next_attempt_at = SentEmail.Status.FAILED, None
    detail: dict[str, object] = {"recipients": len(email.to)}
    if error:
        detail["not_sent"] = True
    if email.attempts > 1:
        detail["attempt"] = email.attempts
    with transaction.atomic():
        email.save()
        if not error and email.child_id:
            # an earlier email of this kind to the same people, not sent, is answered by this one
            SentEmail.objects.filter(child_id=email.child_id, kind=email.kind, to=email.to,
                                     status__in=UNSENT, created_at__lt=email.created_at) \
                .update(status=SentEmail.Status.REPLACED, next_attempt_at=None)
        audit_record(actor=actor, action="send", object_type=f"{email.kind}_email",
                     object_ids=list(audit_object_ids) or [email.pk],
                     child_ids=[email.child_id] if email.child_id else [], detail=detail)
    return email


def emails_retry_due(*, actor: Actor) -> dict[str, int]:
    """The worker's turn (every 5 minutes): try again each email whose next try is due. Returns
    how many went and how many did not (again)."""
    sent = failed = 0
    due = SentEmail.objects.filter(status=SentEmail.Status.RETRYING, next_attempt_at__lte=clock.now())
    for email in due.order_by("next_attempt_at"):
        try:
            _attempt(actor, email, [])
        except EmailNotSent:
            failed += 1
        else:
            sent += 1
    return {"sent": sent, "failed": failed}


def _addresses(to: Sequence[str]) -> list[str]:
    addresses = list(dict.fromkeys(a.strip() for a in to if a and a.strip()))
    if not addresses:
        raise DomainError("Enter an email address")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise DomainError(f"{address} is not an email address; enter one like "
                              "name@example.com") from None
    return addresses


def _who(actor: Actor) -> str:
    if isinstance(actor, User):
        return actor.get_full_name() or actor.get_username()
    return actor.get_username()


def child_records_move(*, keep: Child, other: Child) -> dict[str, int]:
    """A merge of ``other`` into ``keep`` (workflow.merge, which audits it): the emails about
    ``other`` move to ``keep``, so the record kept shows them on its timeline."""
    return {"emails": SentEmail.objects.filter(child=other).update(child=keep)}
