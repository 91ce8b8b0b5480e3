"""Which officer holds a child (`people.Child.officer`): the district rules a manager sets for
children as they arrive, and the history of every change of officer."""

from django.conf import settings
from django.db import models

from notinschool.core.models import BaseModel


class AllocationRule(BaseModel):
    """New children whose postcode is in `district` (the outward code, `WV10`) go to `officer`
    when they arrive, unless they already have one."""

    district = models.CharField(max_length=4, unique=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="allocation_rules")

    class Meta:
        ordering = ["district"]

    def __str__(self) -> str:
        return f"{self.district} to {self.officer_id}"


class AllocationChange(BaseModel):
    """One change of a child's officer: from whom to whom, who made it (a person, or the system
    following a rule), when, and how."""

    class How(models.TextChoices):
        ONE = "one", "Allocated on the child's page"
        BULK = "bulk", "Allocated in bulk"
        RULE = "rule", "Allocated by a district rule"
        DEMO = "demo", "Allocated by the demo"

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE,
                              related_name="allocation_changes")
    officer_before = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    officer_after = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    by_label = models.CharField(max_length=200)  # the person's name, or the system's label
    at = models.DateTimeField()
    how = models.CharField(max_length=10, choices=How.choices)
    district = models.CharField(max_length=4, blank=True)  # the rule's, for a rule

    class Meta:
        indexes = [models.Index(fields=["child", "at"])]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.officer_before_id} to {self.officer_after_id} ({self.how})"
