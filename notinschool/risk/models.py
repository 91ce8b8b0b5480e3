"""Assessments: each child's tier, review date, flags, actions and reasons, stored with the rule
version and inputs that produced them, so a past decision can be explained later."""

from django.db import models

from notinschool.core.models import BaseModel


class Assessment(BaseModel):
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="assessments")
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

    class Meta:
        indexes = [models.Index(fields=["child", "is_latest"]), models.Index(fields=["tier"])]

    def __str__(self) -> str:
        return f"{self.child_id} tier {self.tier} on {self.as_of}"


class TierOverride(BaseModel):
    """A manager's override of a computed tier, with a written rationale; expires at the next
    review."""

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="overrides")
    tier = models.PositiveSmallIntegerField()
    rationale = models.TextField()
    expires_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.child_id} overridden to tier {self.tier}"


class RuleSetting(BaseModel):
    """A manager's change of a threshold or look-back in the rule table."""

    name = models.CharField(max_length=60, unique=True)
    value = models.CharField(max_length=60)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class RequiredAction(BaseModel):
    """A required action from the latest assessment, tracked to completion in work queues."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        DONE = "done", "Done"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(max_length=40)
    raised_on = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "code"],
                                    condition=models.Q(state__in=["open", "acknowledged"]),
                                    name="one_open_action_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} for {self.child_id}"
