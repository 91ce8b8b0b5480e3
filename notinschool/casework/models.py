"""Contacts with a family: letters, calls, visits, and whether the child was seen."""

from django.db import models

from notinschool.core.models import BaseModel


class Contact(BaseModel):
    """One contact with a family: imported (`row_hash`), recorded by an officer, or a visit
    planned for a day, place and officer, then recorded as done or missed. `outcome` is the
    parent's response; blank while a letter or email awaits a reply, while a visit is planned,
    and for a visit the authority cancelled. Only contacts with an outcome feed the risk
    model (workflow.risk_facts). The child's views are their own words, kept apart from the
    adult's account (`parent_account`)."""

    class Method(models.TextChoices):
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        HOME_VISIT = "home_visit", "Home visit"
        OTHER_VISIT = "other_visit", "Visit elsewhere"
        ONLINE_MEETING = "online_meeting", "Online meeting"

    class Outcome(models.TextChoices):
        ENGAGED = "engaged", "Engaged"
        DECLINED = "declined", "Declined"
        NO_REPLY = "no_reply", "No reply"

    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"
        MISSED = "missed", "Missed"

    class SeenHow(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="contacts")
    contact_date = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    child_seen = models.BooleanField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    recorded_by_name = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    row_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DONE)
    planned_for = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    officer = models.ForeignKey("accounts.User", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    seen_how = models.CharField(max_length=10, choices=SeenHow.choices, blank=True)
    child_wrote = models.BooleanField(default=False)
    child_views = models.TextField(blank=True)
    parent_account = models.TextField(blank=True)
    education_approach = models.TextField(blank=True)
    education_resources = models.TextField(blank=True)
    education_time = models.TextField(blank=True)
    who_teaches = models.CharField(max_length=300, blank=True)
    concerns = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    next_contact_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-contact_date"]

    def __str__(self) -> str:
        return f"{self.method} {self.contact_date}"

    @property
    def is_visit(self) -> bool:
        return self.method in (self.Method.HOME_VISIT, self.Method.OTHER_VISIT)

    @property
    def who(self) -> str:
        """Who recorded it: the person, else the name an imported row gave."""
        if self.recorded_by is not None:
            return self.recorded_by.get_full_name() or self.recorded_by.username
        return self.recorded_by_name


class SocialWorkerAllocation(BaseModel):
    """The social worker children's social care has allocated to a child, to whom alerts about
    the child go (otherwise they go to the front door team). One current allocation a child."""

    child = models.OneToOneField("people.Child", on_delete=models.CASCADE,
                                 related_name="social_worker_allocation")
    worker = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.child_id} allocated to {self.worker_id}"


class ConsentDecision(BaseModel):
    """The authority's decision on consent to withdraw a child from school to home educate.

    Education Act 1996 s.434A (inserted by the Children's Wellbeing and Schools Act 2026 s.37):
    the authority decides, gives reasons, and informs the parents and the school. After a
    refusal the parent may not ask again for six months (`re_request_from`;
    docs/legal-basis.md, "The six-month bar"; the months are a setting)."""

    class Decision(models.TextChoices):
        GRANTED = "granted", "Consent given"
        REFUSED = "refused", "Consent refused"

    class NoticeMethod(models.TextChoices):
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"
        HAND = "by_hand", "Delivered by hand"
        MEETING = "meeting", "In a meeting, confirmed in writing"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE,
                              related_name="consent_decisions")
    required_action = models.ForeignKey("risk.RequiredAction", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    deletion = models.ForeignKey("intake.Notification", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reasons = models.TextField()
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    decided_on = models.DateField()
    parent_notified_on = models.DateField()
    parent_notice_method = models.CharField(max_length=20, choices=NoticeMethod.choices)
    school_notified_on = models.DateField()
    re_request_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["child", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.decision} for {self.child_id} on {self.decided_on}"

    @property
    def refused(self) -> bool:
        return self.decision == self.Decision.REFUSED


class Alert(BaseModel):
    """Children's social care told that a child is now not in school (docs/risk-model.md:
    `alert_social_care`, 1 working day from the data arriving; Working Together 2023). One
    alert per tracked required action, so running the assessment again never repeats it."""

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="alerts")
    required_action = models.OneToOneField("risk.RequiredAction", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="alert")
    recipient = models.ForeignKey("accounts.User", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="alerts")
    recipient_agency = models.ForeignKey("accounts.Agency", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="alerts")
    raised_on = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    emailed_to = models.JSONField(default=list)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["raised_on"]
        indexes = [models.Index(fields=["acknowledged_at"])]

    def __str__(self) -> str:
        return f"alert for {self.child_id} on {self.raised_on}"


class DailySummary(BaseModel):
    """A daily work summary emailed to one person; at most one a person a day."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    counts = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_summary_a_day")]

    def __str__(self) -> str:
        return f"summary for {self.user_id} on {self.day}"


class SuitabilityJudgement(BaseModel):
    """An officer's judgement, after contact, of whether the child receives suitable education
    (Education Act 1996 s.437(1); the elective home education guidance: efficient, full-time,
    suitable to age, ability, aptitude and any special needs), with reasons in words and the
    evidence it rests on. "Suitable" is in force at once; "not suitable" and "unable to
    determine" await a manager's approval (casework.suitability). The judgement in force feeds
    the risk model (workflow.risk_facts)."""

    class Judgement(models.TextChoices):
        SUITABLE = "suitable", "Suitable"
        NOT_SUITABLE = "not_suitable", "Not suitable"
        UNABLE = "unable_to_determine", "Unable to determine"

    class Why(models.TextChoices):
        NO_INFORMATION = "no_information", "No information about the education"
        VISIT_REFUSED = "visit_refused", "A visit was refused"
        OTHER = "other", "Another reason, given in the reasons"

    class State(models.TextChoices):
        IN_FORCE = "in_force", "In force"
        AWAITING = "awaiting", "Awaiting approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"
        WITHDRAWN = "withdrawn", "Replaced before approval"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE,
                              related_name="suitability_judgements")
    judgement = models.CharField(max_length=20, choices=Judgement.choices)
    unable_why = models.CharField(max_length=20, choices=Why.choices, blank=True)
    reasons = models.TextField()
    contacts = models.ManyToManyField(Contact, blank=True, related_name="+")
    documents = models.TextField(blank=True)
    child_views = models.TextField(blank=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    decided_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices)
    manager_comments = models.TextField(blank=True)
    approved_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.judgement} {self.decided_on}"

    @property
    def effective(self) -> bool:
        """In force: suitable, or approved, and not replaced by a later judgement."""
        return self.superseded_by_id is None and self.state in (self.State.IN_FORCE,
                                                                self.State.APPROVED)


class WorkItem(BaseModel):
    """Something a person must do for a child by a date, raised by a domain above casework (a
    statutory notice's deadline, an enquiry to chase, a handover not yet acknowledged, an action
    from a professionals' meeting). It shows in its owner's work queue, or with no owner in the
    queue of the child's officer, and in the team view, until the step that answers it closes
    it. `source` and `source_id` name the record that raised it (the app's label and the
    record's id); `kind` is a short code and `title` the words shown in the queue; `link` is
    where the person acts on it."""

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="work_items")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    due_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="work_items")
    source = models.CharField(max_length=40)
    source_id = models.UUIDField(null=True, blank=True)
    link = models.CharField(max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    closed_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [models.Index(fields=["source", "source_id"], name="work_item_source"),
                   models.Index(fields=["child", "closed_at"], name="work_item_child_open")]

    def __str__(self) -> str:
        return f"{self.title} ({self.kind}) for {self.child_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
