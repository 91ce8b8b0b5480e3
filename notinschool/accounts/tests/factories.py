"""Agencies and users for tests. Every user is enrolled in TOTP, as the service requires of every
staff role; `user.totp_secret` keeps the plain secret so a test can make a current code."""

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Role
from notinschool.accounts.totp import totp_code_now

PASSWORD = "correct-horse-battery-staple"

ROLE_AGENCY_KIND = {
    Role.EHE_OFFICER: Agency.Kind.EDUCATION,
    Role.TEAM_MANAGER: Agency.Kind.EDUCATION,
    Role.SOCIAL_WORKER: Agency.Kind.SOCIAL_CARE,
    Role.HEALTH_PRACTITIONER: Agency.Kind.HEALTH,
    Role.SCHOOL_LEAD: Agency.Kind.SCHOOL,
    Role.ANALYST: Agency.Kind.PARTNERSHIP,
    Role.DPO: Agency.Kind.AUTHORITY,
    Role.ADMIN: Agency.Kind.AUTHORITY,
}


def current_code(user: User) -> str:
    """The code the user's authenticator app shows now."""
    return totp_code_now(user.totp_secret)  # type: ignore[attr-defined]


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.EDUCATION


def _agency_for(role: str) -> Agency | None:
    kind = ROLE_AGENCY_KIND.get(role)  # type: ignore[call-overload]
    return AgencyFactory.create(name=f"Demo {kind.label}", kind=kind) if kind else None


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    role = Role.EHE_OFFICER
    agency = factory.LazyAttribute(lambda o: _agency_for(o.role))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def totp(user: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Enrolled unless `UserFactory.create(totp=False)`; the plain secret is kept on the
        instance as `totp_secret`."""
        user.save()
        user.totp_secret = ""  # type: ignore[attr-defined]
        if create and extracted is not False:
            user.totp_secret = generate_totp_secret()  # type: ignore[attr-defined]
            TOTP.activate(user, user.totp_secret)  # type: ignore[attr-defined]
