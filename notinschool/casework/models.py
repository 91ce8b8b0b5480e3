"""Contacts with a family: letters, calls, visits, and whether the child was seen."""

from django.db import models

from notinschool.core.models import BaseModel


class Contact(BaseModel):
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

    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="contacts")
    contact_date = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    child_seen = models.BooleanField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    recorded_by_name = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    row_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-contact_date"]

    def __str__(self) -> str:
        return f"{self.method} {self.contact_date}"
