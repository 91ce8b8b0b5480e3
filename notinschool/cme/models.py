"""Children missing education (CME) cases: the reasonable enquiries an authority makes to find
a child of compulsory school age who is not on a school roll and not known to be receiving
suitable education otherwise (Education Act 1996 s.436A; the children missing education
statutory guidance, docs/legal-basis.md).

A `CmeCase` is one episode for one child: opened with the primary reason the child is missing
education (the DfE collection's list, `reasons.py`) and the date the child was first known to be
missing; it carries its enquiries (`CmeEnquiry`, a checklist of who should be asked), any
escalation to children's social care or the police (`CmeEscalation`), and is closed only for a
reason the guidance allows, with that reason's evidence. One case is open per child at a time."""

from django.db import models

from notinschool.core.models import BaseModel


class CmeCase(BaseModel):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Closure(models.TextChoices):
        ADMITTED = "admitted_to_school", "Admitted to a school"
        HOME_EDUCATION = "suitable_home_education", "Suitable education at home established"
        MOVED_KNOWN = "moved_known_to_authority", "Moved, and known to the receiving authority"
        MOVED_ABROAD = "moved_abroad", "Moved abroad"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="cme_cases")
    # the `cme_enquiries` required action the case answers, when it was opened from one
    required_action = models.ForeignKey("risk.RequiredAction", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    primary_reason = models.CharField(max_length=40)
    missing_since = models.DateField()  # the date the child was first known to be missing
    opened_on = models.DateField()
    opened_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closure = models.CharField(max_length=30, choices=Closure.choices, blank=True)
    # the closure's evidence: which fields depend on `closure` (cme.services.cme_case_close)
    school_urn = models.CharField(max_length=7, blank=True)
    school_name = models.CharField(max_length=200, blank=True)
    effective_on = models.DateField(null=True, blank=True)  # admitted, confirmed or left on
    suitability_judgement = models.ForeignKey("casework.SuitabilityJudgement", null=True,
                                              blank=True, on_delete=models.PROTECT,
                                              related_name="+")
    contact = models.ForeignKey("casework.Contact", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    receiving_authority = models.CharField(max_length=200, blank=True)
    confirmed_by = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    evidence = models.TextField(blank=True)  # the evidence described, in words

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=models.Q(state="open"),
                                    name="cme_one_open_case_per_child")
        ]
        indexes = [models.Index(fields=["state", "missing_since"], name="cme_case_state")]

    def __str__(self) -> str:
        return f"CME case for {self.child_id} from {self.missing_since}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class CmeEnquiry(BaseModel):
    """One reasonable enquiry: of whom (the kind, from the guidance's checklist, and the person
    or body asked), when and how it was made, and, once answered, when and what they said."""

    class Kind(models.TextChoices):
        PARENTS = "parents", "Parents or carers"
        RELATIVES = "relatives", "Relatives"
        NEIGHBOURS = "neighbours", "Neighbours"
        SCHOOL = "school", "The school (last or expected)"
        OTHER_AUTHORITY = "other_authority", "Another local authority"
        SOCIAL_CARE = "social_care", "Children's social care"
        HEALTH = "health", "Health (GP, health visitor, school nursing)"
        POLICE = "police", "Police"
        HOUSING = "housing", "Housing"
        LOST_PUPIL_DATABASE = "lost_pupil_database", "Lost Pupil Database (school-to-school service)"
        OTHER = "other", "Others"

    class Method(models.TextChoices):
        PHONE = "phone", "Telephone"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        VISIT = "visit", "Visit to the address"
        IN_PERSON = "in_person", "In person"
        SYSTEM = "system", "Search of a database or system"

    case = models.ForeignKey(CmeCase, on_delete=models.CASCADE, related_name="enquiries")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    other_authority = models.CharField(max_length=200, blank=True)  # named, for that kind
    asked_whom = models.CharField(max_length=200)
    asked_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answer_recorded_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["asked_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.kind} asked on {self.asked_on}"

    @property
    def answered(self) -> bool:
        return self.answered_on is not None


class CmeEscalation(BaseModel):
    """The case passed to children's social care or the police, with the reason, dated."""

    class To(models.TextChoices):
        SOCIAL_CARE = "social_care", "Children's social care"
        POLICE = "police", "Police"

    case = models.ForeignKey(CmeCase, on_delete=models.CASCADE, related_name="escalations")
    to = models.CharField(max_length=20, choices=To.choices)
    reason = models.TextField()
    escalated_on = models.DateField()
    escalated_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    reference = models.CharField(max_length=100, blank=True)  # the receiving team's reference

    class Meta:
        ordering = ["escalated_on", "created_at"]

    def __str__(self) -> str:
        return f"escalated to {self.to} on {self.escalated_on}"
