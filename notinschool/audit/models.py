"""Who saw and changed what. Rows hold ids and field names, never the record's content; the
application never updates them, and only the retention job deletes them."""

import uuid

from django.conf import settings
from django.db import models

from notinschool.core.errors import DomainError


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed a record"
        LIST = "list", "Listed records"
        SEARCH = "search", "Searched"
        EXPORT = "export", "Exported"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        IMPORT = "import", "Imported a file"
        DECIDE = "decide", "Made a decision"
        SIGN_IN = "sign_in", "Signed in"
        BREAK_GLASS = "break_glass", "Break-glass access"
        SEND = "send", "Sent a message about a child"
        DOWNLOAD = "download", "Downloaded a document"
        ALLOCATE = "allocate", "Allocated to an officer"
        API_CALL = "api_call", "Called the API"
        REVOKE = "revoke", "Revoked"
        SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in (wrong username or password)"
        TWO_FACTOR_FAILED = "two_factor_failed", "Failed to sign in (wrong two-factor code)"
        LOCKOUT = "lockout", "Locked out after failed sign-ins"
        SIGN_OUT = "sign_out", "Signed out"
        REFUSE = "refuse", "Refused access"
        REVIEW = "review", "Reviewed someone's access"
        SUBJECT_ACCESS = "subject_access", "Produced a subject access bundle"
        REDACT = "redact", "Decided what a subject access bundle releases"
        RETENTION = "retention", "Applied the retention schedules"
        LEGAL_HOLD = "legal_hold", "Set or lifted a legal hold"
        REPORT = "report", "Ran a report counting children (no record opened)"
        SSO_REFUSED = "sso_refused", "Refused sign-in through the identity provider"
        SSO_LINKED = "sso_linked", "Linked the identity provider's account to a person"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200)
    # the labels live in `Action` only, not in the database, so a new action needs no migration
    action = models.CharField(max_length=20)
    object_type = models.CharField(max_length=60)
    object_ids = models.JSONField(default=list)
    child_count = models.PositiveIntegerField(default=0)
    detail = models.JSONField(default=dict)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise DomainError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise DomainError("audit events are deleted only by the retention job")

    def get_action_display(self) -> str:
        """The action in words ("Viewed a record")."""
        return dict(self.Action.choices).get(self.action, self.action.replace("_", " "))


class AuditedChild(models.Model):
    """Which children an audit event touched: one row per child, so 'who has seen this child'
    is an indexed query."""

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="children")
    child_id = models.UUIDField(db_index=True)

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.child_id}"


class BreakGlassGrant(models.Model):
    """A person's time-limited access to one child outside their scope, given because they
    said why (break-glass). The scope check (`people.selectors.child_queryset_for`) reads the
    grants that have not expired; each use waits for a manager or the data protection officer to
    judge it justified or not (`governance`). Kept here, below the register, so the scope check
    and the page banner read it without importing upwards."""

    class Outcome(models.TextChoices):
        JUSTIFIED = "justified", "Justified"
        NOT_JUSTIFIED = "not_justified", "Not justified"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child_id = models.UUIDField(db_index=True)
    child_ref = models.CharField(max_length=20, blank=True)
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="break_glass_user_expiry")]

    def __str__(self) -> str:
        return f"{self.user_id} -> {self.child_ref or self.child_id} until {self.expires_at:%H:%M}"
