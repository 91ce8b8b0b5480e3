"""Working together (docs/product.md, item 6): the multi-agency plans a child is under, the
professionals-only meetings about the child with their decisions and actions, what the health
team was told and did, and what social care did with an alert.

The practice reviews behind the product found each professional holding a piece and nobody
meeting, nobody owning the actions, and health (often the only service that knew the child)
never told the child had left school. These records are the place those pieces meet."""

from django.conf import settings
from django.db import models

from notinschool.core.models import BaseModel


class Plan(BaseModel):
    """A multi-agency plan the child is under, recorded on the register: its kind, the lead
    professional and their agency, members, start and review dates, and the end with a reason.
    A current child protection or child in need plan known from social care's file is not
    recorded again: it shows beside these, read-only (plans.selectors.agency_plans)."""

    class Kind(models.TextChoices):
        CHILD_PROTECTION = "child_protection", "Child protection plan"
        CHILD_IN_NEED = "child_in_need", "Child in need plan"
        EARLY_HELP = "early_help", "Team around the family (early help)"
        EDUCATION = "education", "Education plan"
        EHCP = "ehcp", "Education, health and care plan"
        HOME_EDUCATION_SUPPORT = "home_education_support", "Home education support plan"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    lead_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    lead_name = models.CharField(max_length=200)
    lead_agency = models.CharField(max_length=200)
    start_date = models.DateField()
    review_date = models.DateField(null=True, blank=True)
    last_progress_on = models.DateField(null=True, blank=True)
    last_progress = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["child", "ended_on"], name="plan_child_open")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.child_id} from {self.start_date}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class PlanMember(BaseModel):
    """A member of a plan: a person who signs in here (`user`), or a named person from an
    agency that does not."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="plan_memberships")
    name = models.CharField(max_length=200)
    agency_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_name})"


class Meeting(BaseModel):
    """A professionals-only meeting about the child: never shown to a parent or young person,
    never in a letter or the register export, and held for review before any subject access
    disclosure (`PROFESSIONALS_ONLY`). Its minutes are read only by people in the roles of
    those who attended (plans.selectors.meeting_minutes_visible)."""

    PROFESSIONALS_ONLY = True

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE,
                              related_name="professionals_meetings")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="meetings")
    required_action = models.ForeignKey("risk.RequiredAction", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    held_on = models.DateField()
    question = models.TextField()
    contributions = models.TextField(blank=True)  # what each agency brought, one a line
    decisions = models.TextField()

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"meeting for {self.child_id} on {self.held_on}"


class MeetingAttendee(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=200)
    agency_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=30, blank=True)  # the user's role when they attended

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} at {self.meeting_id}"


class MeetingAction(BaseModel):
    """An action agreed at a meeting: what, who owns it (a person who signs in, so it reaches
    their queue as a work item) and by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "created_at"]

    def __str__(self) -> str:
        return f"{self.what} by {self.due_date}"


class HealthShare(BaseModel):
    """A home-educated child told to the health team whose postcode districts cover the
    child's home, for the health offer: once per child and team."""

    class How(models.TextChoices):
        SCHEDULE = "schedule", "The weekly list"
        ON_DEMAND = "on_demand", "Shared on request"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="health_shares")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    shared_on = models.DateField()
    how = models.CharField(max_length=10, choices=How.choices)

    class Meta:
        ordering = ["-shared_on"]
        constraints = [models.UniqueConstraint(fields=["child", "agency"], name="health_share_once")]

    def __str__(self) -> str:
        return f"{self.child_id} shared with {self.agency_id} on {self.shared_on}"


class HealthRecord(BaseModel):
    """What a health practitioner recorded for a home-educated child: a health offer made,
    taken up or declined; whether the child is registered with a GP; a health concern (which
    the risk model reads as a health agency fact); and a request to the home education team
    (a work item for the child's officer)."""

    class Service(models.TextChoices):
        SCHOOL_NURSING = "school_nursing", "School nursing"
        IMMUNISATIONS = "immunisations", "Immunisations"
        SCREENING = "screening", "Screening (vision, hearing, height and weight)"
        DENTAL = "dental", "Dental"

    class Offer(models.TextChoices):
        MADE = "made", "Offer made"
        TAKEN_UP = "taken_up", "Taken up"
        DECLINED = "declined", "Declined"

    class Gp(models.TextChoices):
        YES = "yes", "Registered with a GP"
        NO = "no", "Not registered with a GP"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="health_records")
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    recorded_on = models.DateField()
    service = models.CharField(max_length=20, choices=Service.choices, blank=True)
    offer = models.CharField(max_length=10, choices=Offer.choices, blank=True)
    gp = models.CharField(max_length=3, choices=Gp.choices, blank=True)
    concern = models.TextField(blank=True)
    request_to_ehe = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_on", "-created_at"]

    def __str__(self) -> str:
        return f"health record for {self.child_id} on {self.recorded_on}"


class AlertOutcome(BaseModel):
    """What social care did with an alert (casework.Alert), in words: more than 'acknowledged'."""

    alert = models.OneToOneField("casework.Alert", on_delete=models.CASCADE, related_name="outcome")
    outcome = models.TextField()
    recorded_on = models.DateField()

    def __str__(self) -> str:
        return f"outcome of {self.alert_id}"
