"""Assessments: each child's tier, review date, flags, actions and reasons, stored with the rule
version and inputs that produced them, so a past decision can be explained later."""

from django.conf import settings
from django.db import models

from notinschool.core.models import BaseModel


class Assessment(BaseModel):
    """One child's result of one run. A run writes a row per open record, so the table grows
    by the register's size each night: it keeps only the indexes its readers use. The child's
    own index is the (child, is_latest) one; runs write no created_by/modified_by (who ran it
    is on the run), so those columns are not indexed."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", db_index=False)
    modified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", db_index=False)
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="assessments",
                              db_index=False)
    as_of = models.DateField()
    rule_version = models.CharField(max_length=40)
    is_latest = models.BooleanField(default=True)
    tier = models.PositiveSmallIntegerField()
    computed_tier = models.PositiveSmallIntegerField()
    review_interval_months = models.PositiveSmallIntegerField()
    next_contact_due = models.DateField(null=True, blank=True)
    flags = models.JSONField(default=list)
    required_actions = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    deadlines = models.JSONField(default=dict)
    fired_rules = models.JSONField(default=list)
    inputs = models.JSONField(default=dict)
    run = models.ForeignKey("AssessmentRun", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="assessments")

    class Meta:
        indexes = [
            models.Index(fields=["child", "is_latest"]),
            # latest only: a run retires the previous row without writing to this index
            models.Index(fields=["tier"], condition=models.Q(is_latest=True),
                         name="risk_latest_tier"),
        ]
        constraints = [
            # a child has at most one latest assessment: a run retires the previous one
            # before it stores the new (risk.storing), and runs take turns (workflow.assessment)
            models.UniqueConstraint(fields=["child"], condition=models.Q(is_latest=True),
                                    name="one_latest_assessment_per_child"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} tier {self.tier} on {self.as_of}"


class TierOverride(BaseModel):
    """A manager's override of a computed tier, with a written rationale (docs/risk-model.md: "the
    override is audited and expires at the next review"). It applies to assessments as of
    `starts_on` up to the day before `expires_on`, unless ended early (`ended_on`); it never
    makes a tier less serious than the floors give (ADR 0004). `created_by` is the manager."""

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="overrides")
    tier = models.PositiveSmallIntegerField()
    computed_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    rationale = models.TextField()
    starts_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    end_reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.child_id} overridden to tier {self.tier}"


class RuleSetting(BaseModel):
    """One change of a threshold or look-back in the rule table, kept as history: the row with
    `is_current` holds the value in force; `created_by`/`created_at` say who and when."""

    name = models.CharField(max_length=60)
    value = models.CharField(max_length=60)
    previous_value = models.CharField(max_length=60, blank=True)
    reason = models.TextField(blank=True)
    is_current = models.BooleanField(default=True)
    rule_version_before = models.CharField(max_length=40, blank=True)
    rule_version_after = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=models.Q(is_current=True),
                                    name="one_current_value_per_setting")
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class AssessmentRun(BaseModel):
    """One run of the risk rules: the day, the rule version and settings it used, and what
    changed against each child's previous assessment (`summary`)."""

    as_of = models.DateField()
    rule_version = models.CharField(max_length=40)
    settings = models.JSONField(default=dict)
    scope = models.CharField(max_length=20)  # "all" open records, or "selected" children
    actor_label = models.CharField(max_length=200, blank=True)
    children = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    summary = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"run of {self.rule_version} as of {self.as_of}"


class RequiredAction(BaseModel):
    """A required action from the latest assessment, tracked to completion in work queues.

    Done by a person (casework.actions): who, when, and the evidence (a contact or consent
    decision of the child, `evidence_id`, described in `evidence_summary`; or a note). Closed
    by an assessment that no longer asks for it (risk.storing): `evidence_kind` "reassessment"
    and `closed_reason`, the words of why."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        DONE = "done", "Done"

    class Evidence(models.TextChoices):
        CONTACT = "contact", "A contact with the family"
        CONSENT_DECISION = "consent_decision", "A consent decision"
        NOTE = "note", "A note"
        REASSESSMENT = "reassessment", "The assessment no longer asks for it"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(max_length=40)
    raised_on = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+", db_index=False)
    done_on = models.DateField(null=True, blank=True)
    evidence_kind = models.CharField(max_length=20, choices=Evidence.choices, blank=True)
    evidence_id = models.UUIDField(null=True, blank=True)
    evidence_summary = models.CharField(max_length=200, blank=True)
    done_note = models.TextField(blank=True)
    closed_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "code"],
                                    condition=models.Q(state__in=["open", "acknowledged"]),
                                    name="one_open_action_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} for {self.child_id}"
