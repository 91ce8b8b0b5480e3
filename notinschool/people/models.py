"""Children, their families and homes: the content section 436C asks the register to hold.

Education Act 1996 s.436C(1) as inserted by the Children's Wellbeing and Schools Act 2026:
the child's name, date of birth and home address (and the previous one where the child moved
in less than 12 months ago), every parent (including one not living with the child) with
name and address, which parents educate, estimated hours, and providers above a threshold.
"""

from django.db import models

from notinschool.core.models import BaseModel


class Status(models.TextChoices):
    EHE = "ehe", "Electively home educated"
    CME = "cme", "Missing education"
    NOT_IN_SCHOOL_OTHER = "not_in_school_other", "Not in school (other)"
    RETURNED_TO_SCHOOL = "returned_to_school", "Returned to school"
    LEFT_AREA = "left_area", "Left the area"
    CEASED = "ceased", "Ceased (past compulsory school age)"
    RECORDED = "recorded", "Recorded, not registered"
    # a duplicate record of a child, merged into the record that carries on (`merged_into`):
    # kept for its history, never listed, exported, assessed or linked
    MERGED = "merged", "Merged into another record"


OPEN_STATUSES = (Status.EHE, Status.CME, Status.NOT_IN_SCHOOL_OTHER)
REGISTER_STATUSES = tuple(s for s in Status if s not in (Status.RECORDED, Status.MERGED))


class EligibilityBasis(models.TextChoices):
    NOT_ON_ROLL = "not_on_roll", "Not a registered pupil at a relevant school"
    EDUCATED_ELSEWHERE = "educated_elsewhere", "On roll but educated elsewhere by the school's arrangement"
    PART_TIME_STUDENT = "part_time_student", "Part-time student not registered elsewhere"


# The school census ethnicity codes (DfE main categories), as schools send them.
ETHNICITY_CODES = {
    "WBRI": "White - British", "WIRI": "White - Irish", "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background", "WROM": "Gypsy / Roma",
    "MWBC": "White and Black Caribbean", "MWBA": "White and Black African", "MWAS": "White and Asian",
    "MOTH": "Any other mixed background", "AIND": "Indian", "APKN": "Pakistani",
    "ABAN": "Bangladeshi", "AOTH": "Any other Asian background", "BCRB": "Black Caribbean",
    "BAFR": "Black - African", "BOTH": "Any other Black background", "CHNE": "Chinese",
    "OOTH": "Any other ethnic group", "REFU": "Refused", "NOBT": "Information not yet obtained",
}
SEN_CODES = {"E": "Education, health and care plan", "K": "SEN support", "N": "No special educational needs"}


class Household(BaseModel):
    """Children who live together: siblings, step-siblings and other children of the home."""

    def __str__(self) -> str:
        return f"household {self.pk}"


class Child(BaseModel):
    child_ref = models.CharField(max_length=12, unique=True)
    forename = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=100)
    sex = models.CharField(max_length=1, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    upn = models.CharField(max_length=13, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    ethnicity = models.CharField(max_length=4, blank=True)
    sen_provision = models.CharField(max_length=1, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECORDED)
    status_date = models.DateField(null=True, blank=True)
    joined_register_date = models.DateField(null=True, blank=True)
    eligibility_basis = models.CharField(max_length=30, choices=EligibilityBasis.choices, blank=True)
    ehe_reason = models.CharField(max_length=40, blank=True)
    known_to_school = models.BooleanField(default=False)
    last_school_urn = models.CharField(max_length=7, blank=True)
    la_arranged_special_placement = models.BooleanField(default=False)
    hours_parent_per_week = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    hours_other_per_week = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    registration_due_date = models.DateField(null=True, blank=True)
    registration_received_date = models.DateField(null=True, blank=True)
    missing_since = models.DateField(null=True, blank=True)
    last_seen_date = models.DateField(null=True, blank=True)
    last_seen_alone = models.BooleanField(null=True, blank=True)
    last_contact_date = models.DateField(null=True, blank=True)
    do_not_disclose_address = models.BooleanField(default=False)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="children")
    officer = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="allocated_children")
    # set when a person found this record to be a duplicate of another child's (status MERGED)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_from")
    # Normalised keys, kept by the services, for fast look-ups.
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    surname_key = models.CharField(max_length=100, blank=True, db_index=True)
    # Counts the changes made by hand (people.editing): a form carries the version its user saw,
    # so a second person saving over a change they did not see is told (docs/product.md, 1).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return f"{self.child_ref} {self.forename} {self.surname}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.forename, self.middle_names, self.surname) if p)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Address(BaseModel):
    """Where a child lives or lived. The current one has no `moved_out_date`."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=200, blank=True)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    moved_in_date = models.DateField(null=True, blank=True)
    moved_out_date = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "addresses"
        indexes = [models.Index(fields=["postcode"])]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.town, self.postcode) if p)


class Parent(BaseModel):
    name = models.CharField(max_length=200)
    address_line_1 = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.name


class ChildParent(BaseModel):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="child_links")
    lives_with_child = models.BooleanField(default=True)
    educates = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "parent"], name="one_link_per_child_parent")
        ]

    def __str__(self) -> str:
        return f"{self.parent} of {self.child}"


class Provider(BaseModel):
    """Another person or organisation educating the child (s.436C(1)(e))."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="providers")
    name = models.CharField(max_length=200)
    provider_type = models.CharField(max_length=100, blank=True)
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class StatusChange(BaseModel):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=20, choices=Status.choices)
    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "created_at"]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.status} from {self.date}"


class FieldChange(BaseModel):
    """One field of a child's record changed by hand (people.editing), with the value before:
    who, when and why. The rows of one save share its `version` (the child's version after it);
    values are text as the page shows them."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="field_changes")
    version = models.PositiveIntegerField()
    object_type = models.CharField(max_length=20)  # child, address, parent, provider
    object_id = models.UUIDField()
    field = models.CharField(max_length=50)
    value_before = models.TextField(blank=True)
    value_after = models.TextField(blank=True)
    changed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    changed_by_label = models.CharField(max_length=200)
    changed_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["changed_at", "created_at"]
        indexes = [models.Index(fields=["child", "version"])]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.object_type}.{self.field} v{self.version}"
