"""Every email the register sends: to whom, what it said, through which backend, and whether
it went. An email about a child names the child, and shows on the child's timeline."""

from django.db import models

from notinschool.core.models import BaseModel


class SentEmail(BaseModel):
    """One email, sent or refused: `to` holds every address it went to (an email to several
    is one record), `provider_reference` the backend's own id for it (GOV.UK Notify's
    notification id, one an address, space-separated), `error` why it was not sent.

    A send that fails is never lost. An email to a family is tried again by the worker
    (`retrying`, at `next_attempt_at`, up to `MAX_ATTEMPTS` tries), then left `failed` for a
    person; alerts and daily summaries are sent again by their own jobs, and the same email
    sent again is this record tried again (`attempts` counts the tries). Until it goes, or a
    later email of the same kind to the same people replaces it (`replaced`), it is a work
    item in the child's officer's queue (workflow.email_followup)."""

    class Kind(models.TextChoices):
        ALERT = "alert", "Alert to children's social care"
        DAILY_SUMMARY = "daily_summary", "Daily summary"
        FAMILY = "family", "Email to the family"

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Not sent yet: being tried again"
        FAILED = "failed", "Not sent"
        REPLACED = "replaced", "Not sent: a later email went instead"

    child = models.ForeignKey("people.Child", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="sent_emails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    backend = models.CharField(max_length=200)
    provider_reference = models.CharField(max_length=1000, blank=True)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    sent_by_label = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "sent_at"], name="sent_email_child_at"),
                   models.Index(fields=["status", "next_attempt_at"], name="sent_email_retry")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
