"""Every email the register sends: to whom, what it said, through which backend, and whether
it went. An email about a child names the child, and shows on the child's timeline."""

from django.db import models

from notinschool.core.models import BaseModel


class SentEmail(BaseModel):
    """One email, sent or refused: `to` holds every address it went to (an email to several
    is one record), `provider_reference` the backend's own id for it (GOV.UK Notify's
    notification id, one an address, space-separated), `error` why it was not sent."""

    class Kind(models.TextChoices):
        ALERT = "alert", "Alert to children's social care"
        DAILY_SUMMARY = "daily_summary", "Daily summary"
        FAMILY = "family", "Email to the family"

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"

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

    class Meta:
        indexes = [models.Index(fields=["child", "sent_at"], name="sent_email_child_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
