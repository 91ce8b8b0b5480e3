"""Agencies and the people who sign in for them."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from notinschool.accounts.roles import Cap, Role, capabilities


class Agency(models.Model):
    class Kind(models.TextChoices):
        EDUCATION = "education", "Local authority education"
        SOCIAL_CARE = "social_care", "Children's social care"
        HEALTH = "health", "Health"
        POLICE = "police", "Police"
        SCHOOL = "school", "School"
        PARTNERSHIP = "partnership", "Safeguarding partnership"
        AUTHORITY = "authority", "Local authority (corporate)"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    school_urn = models.CharField(max_length=7, blank=True)
    # Health teams see children in these postcode districts only (space-separated, e.g. "LS6 LS7").
    postcode_districts = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def districts(self) -> list[str]:
        return self.postcode_districts.upper().split()


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=[(r.value, r.label) for r in Role])
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)

    def can(self, capability: Cap) -> bool:
        return self.is_active and capability in capabilities(self.role)

    @property
    def role_label(self) -> str:
        try:
            return Role(self.role).label
        except ValueError:
            return "No role"
