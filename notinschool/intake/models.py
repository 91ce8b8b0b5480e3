"""What arrives: files and the notifications in them (deletions, admissions, registrations,
referrals). Every row is kept as it arrived, so a decision can be traced to its source."""

from django.db import models

from notinschool.core.models import BaseModel
from notinschool.intake.kinds import intake_kind


class ImportKind(models.TextChoices):
    """Intake's own notification kinds, by name (the one list of every kind, with its label and
    what it does, is `intake.kinds`)."""

    ROLL_DELETIONS = "roll-deletions", "School roll deletions"
    SCHOOL_ADMISSIONS = "school-admissions", "School admissions"
    PARENT_REGISTRATIONS = "parent-registrations", "Parent registrations"
    REFERRALS = "referrals", "Referrals"


class ImportBatch(BaseModel):
    """One file (or one form or API call) brought in, by whom, and what it touched."""

    kind = models.CharField(max_length=40)  # an intake kind's slug (intake.kinds)
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=10, default="cli")  # cli, upload, api, form
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL)
    rows_total = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    as_of = models.DateField()
    # What follows an import (linking, possible duplicates, assessment) is recorded in the same
    # transaction as its rows: the records it touched ("children", or agency "people"), and
    # when that follow-up was done. A batch with `followed_up_at` empty is finished by whoever
    # comes next (workflow.imports.follow_ups_complete), so a kill between the commit and the
    # follow-up leaves a register that heals itself.
    follow_up = models.JSONField(default=dict, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["followed_up_at"], name="importbatch_pending",
                                condition=models.Q(followed_up_at__isnull=True))]

    @property
    def kind_label(self) -> str:
        return intake_kind(self.kind).label

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"


class Notification(BaseModel):
    """One row of an intake file, as received, with what it did to the register."""

    kind = models.CharField(max_length=40)  # an intake kind's slug (intake.kinds)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="notifications")
    child = models.ForeignKey("people.Child", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="notifications")
    row_hash = models.CharField(max_length=64)
    row_number = models.PositiveIntegerField(null=True, blank=True)  # in its file; header is row 1
    event_date = models.DateField()
    received_date = models.DateField()
    ground = models.CharField(max_length=40, blank=True)
    school_urn = models.CharField(max_length=7, blank=True)
    school_type = models.CharField(max_length=30, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict)
    # why the row was taken as this child when it joined one already known (on the register, or
    # made by an earlier row of the file): {"score": n, "evidence": ["surname agrees", ...]};
    # empty for a row that made a new child
    joined_because = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "row_hash"], name="notification_once")
        ]
        indexes = [models.Index(fields=["kind", "event_date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_date}"

    @property
    def kind_label(self) -> str:
        return intake_kind(self.kind).label


class SplitDecision(BaseModel):
    """A person's decision that notifications matched to one child were about another: the
    record it split from, the record it made, why, and which notifications moved."""

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="splits")
    new_child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="split_from")
    reason = models.TextField()
    notification_ids = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"split {self.child_id} -> {self.new_child_id}"


class QueuedImport(BaseModel):
    """A file sent through the upload page or the API while another import held the register:
    kept, with what it was sent with, until its turn (one import at a time: docs/data-contract.md,
    section 1.6). Whoever holds the imports lock runs the queue, oldest first, before letting go
    (workflow.queue); the sender follows its state on a page or through the API."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        DONE = "done", "Imported"
        REFUSED = "refused", "Not imported"

    kind = models.CharField(max_length=40)
    file_name = models.CharField(max_length=500)
    content = models.BinaryField()
    suffix = models.CharField(max_length=8, default=".csv")
    source = models.CharField(max_length=40, blank=True)
    snapshot = models.BooleanField(default=False)
    allow_large_end = models.BooleanField(default=False)
    channel = models.CharField(max_length=10)
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL)
    sender_label = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    message = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["created_at"], name="queuedimport_waiting",
                                condition=models.Q(state="queued"))]

    def __str__(self) -> str:
        return f"queued {self.kind} {self.file_name} ({self.state})"
