"""The statutory path to school attendance for one child (Education Act 1996 ss.437 to 443): a
case per episode, and its steps in order, one row each, with the day it was taken, its letter,
the parent's deadline it set, the day it was due, and the manager's approval.

The steps, in the order the law and the guidance take them (docs/legal-basis.md):

1. informal enquiry letter (the elective home education guidance: ask first);
2. the home visit request (Children's Wellbeing and Schools Act 2026, only once commenced);
3. the preliminary notice, s.437(1): the parent must satisfy the authority within the period it
   gives, not less than 15 days from service;
4. the decision: satisfied (the case closes) or not satisfied (the path goes on);
5. the notice of intention, s.438(2): the school(s) the authority means to name, and the
   parent's window to choose another;
6. the school attendance order, s.437(3);
7. revocation, s.442: by the authority, or on the parent's application, granted or refused.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from notinschool.core.models import BaseModel


class StatutoryCase(BaseModel):
    """One episode of the statutory path for a child: opened by its first step, closed when the
    authority is satisfied or the order is revoked. One open case per child."""

    class Closed(models.TextChoices):
        SATISFIED = "satisfied", "The authority is satisfied"
        REVOKED = "revoked", "The order was revoked"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="statutory_cases")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=20, choices=Closed.choices, blank=True)

    class Meta:
        ordering = ["-opened_on", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["child"], condition=Q(closed_on__isnull=True),
                                               name="one_open_statutory_case_per_child")]

    def __str__(self) -> str:
        return f"statutory case for {self.child_id} from {self.opened_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class StatutoryStep(BaseModel):
    """A step of a case. A step that needs a manager's approval is first `proposed` (with its
    details), then `taken` when a manager approves it (its letter is printed then) or
    `returned` with comments; the others are taken at once.

    `taken_on` is the day of the step (the letter's date); `served_on` the day its letter is
    served (by hand: that day; by first class post: deemed the second working day after
    posting); `deadline` the parent's last day that it gives (counted in calendar days from
    service); `due_by` the day it was due, from the step before; `late_days` how many days
    after `due_by` it was taken (0 when on time)."""

    class Kind(models.TextChoices):
        INFORMAL_ENQUIRY = "informal_enquiry", "Informal enquiry letter"
        HOME_VISIT_REQUEST = "home_visit_request", "Home visit request"
        PRELIMINARY_NOTICE = "preliminary_notice", "Preliminary notice (section 437(1))"
        DECISION = "decision", "Decision after the preliminary notice"
        NOTICE_OF_INTENTION = "notice_of_intention", "Notice of intention to serve an order"
        ORDER = "school_attendance_order", "School attendance order (section 437(3))"
        REVOCATION = "revocation", "Revocation of the order (section 442)"

    class State(models.TextChoices):
        PROPOSED = "proposed", "Awaiting a manager's approval"
        RETURNED = "returned", "Returned by a manager"
        TAKEN = "taken", "Taken"

    class Service(models.TextChoices):
        HAND = "hand", "By hand (served the same day)"
        POST = "post", "First class post (deemed served the second working day after posting)"

    class Outcome(models.TextChoices):
        SATISFIED = "satisfied", "Satisfied: the child is receiving suitable education"
        NOT_SATISFIED = "not_satisfied", "Not satisfied: the path goes on"
        REVOKED = "revoked", "The order is revoked"
        REFUSED = "refused", "The application is refused: the order stays"

    class By(models.TextChoices):
        AUTHORITY = "authority", "The authority"
        PARENT = "parent", "The parent's application"

    case = models.ForeignKey(StatutoryCase, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices)
    taken_on = models.DateField(null=True, blank=True)
    service = models.CharField(max_length=10, choices=Service.choices, blank=True)
    served_on = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    due_by = models.DateField(null=True, blank=True)
    late_days = models.PositiveIntegerField(default=0)
    letter = models.ForeignKey("letters.Letter", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    revoked_by = models.CharField(max_length=20, choices=By.choices, blank=True)
    application_on = models.DateField(null=True, blank=True)
    schools = models.CharField(max_length=400, blank=True)
    parent_chose = models.BooleanField(default=False)
    reasons = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    manager_comments = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="statutory_step_number")]
        indexes = [models.Index(fields=["kind", "state", "taken_on"], name="statutory_step_counted")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.state}) in {self.case_id}"

    @property
    def is_late(self) -> bool:
        return self.late_days > 0
