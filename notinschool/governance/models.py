"""Unusual access flagged for the data protection officer's review.

A flag says: on this day this person opened more children's records than the threshold
allows outside their usual area (the postcode districts of the children allocated to them and
of their team), or outside working hours. A job computes them each night (and the DPO may
check today at any time); the DPO reviews each, saying what they found."""

import uuid

from django.conf import settings
from django.db import models


class AccessFlag(models.Model):
    class Kind(models.TextChoices):
        OUTSIDE_AREA = "outside_area", "Many records outside their usual area"
        OUT_OF_HOURS = "out_of_hours", "Many records out of hours"

    class Outcome(models.TextChoices):
        NO_CONCERN = "no_concern", "No concern: the access was part of their work"
        CONCERN = "concern", "Concern: taken up with the person or their manager"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    count = models.PositiveIntegerField()      # children opened that count towards the flag
    threshold = models.PositiveIntegerField()  # the setting when it was computed
    child_ids = models.JSONField(default=list)  # the first of them, for the review
    computed_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "user_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "day", "kind"],
                                               name="one_access_flag_a_person_day_kind")]

    def __str__(self) -> str:
        return f"{self.day} {self.user_id} {self.kind} {self.count}"
