"""What records management keeps: subject access requests with the items each bundle may
release, legal holds that stop the retention job, and each run of that job.

A subject access bundle is gathered once, when the request is made, into `SubjectAccessItem`
rows: each item is one thing the register holds (a notification, a contact, a letter...), with
its words as the family would read them. Items that name other people or that only
professionals should see are *held*: the bundle's files hold only items released, and a held
item is released only when an officer decides so, with a reason."""

from django.conf import settings
from django.db import models

from notinschool.core.models import BaseModel


class SubjectAccessRequest(BaseModel):
    class Subject(models.TextChoices):
        CHILD = "child", "The child"
        PARENT = "parent", "A parent"

    class State(models.TextChoices):
        REVIEW = "review", "Waiting for the redaction decisions"
        RELEASED = "released", "Released"

    subject = models.CharField(max_length=10, choices=Subject.choices)
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")
    # for a parent's request: the parent asking (their own details and their children's records)
    parent = models.ForeignKey("people.Parent", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    requester_name = models.CharField(max_length=200)
    purpose = models.TextField()
    received_date = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_by_label = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.REVIEW)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by_label = models.CharField(max_length=200, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    json = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"subject access {self.subject} {self.child_id} ({self.state})"


class SubjectAccessItem(BaseModel):
    class Decision(models.TextChoices):
        RELEASE = "release", "Released"
        WITHHOLD = "withhold", "Withheld"

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    section = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    # the item's words: rows of (label, value), as the family would read them
    fields = models.JSONField(default=list)
    # why it is held for a person's decision ("Names other people..."); empty: released as is
    held_because = models.CharField(max_length=300, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by_label = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "position"]

    def __str__(self) -> str:
        return f"{self.section}: {self.title}"

    @property
    def held(self) -> bool:
        return bool(self.held_because)

    @property
    def released(self) -> bool:
        return not self.held or self.decision == self.Decision.RELEASE


class LegalHold(BaseModel):
    """While a hold is in force the retention job deletes nothing of the child's record (nor
    the audit events about the child): a claim, a complaint, an inquiry or a review needs it."""

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    set_by_label = models.CharField(max_length=200)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by_label = models.CharField(max_length=200, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"legal hold on {self.child_id}{' (lifted)' if self.lifted_at else ''}"


class RetentionRun(BaseModel):
    """One run of the retention job: what it found past its date, and what it deleted (nothing
    on a dry run)."""

    as_of = models.DateField()
    dry_run = models.BooleanField()
    actor_label = models.CharField(max_length=200)
    # per schedule: {"due": n, "deleted": n, "held": n, "kept": n}
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"retention {self.as_of} {'dry run' if self.dry_run else 'applied'}"
