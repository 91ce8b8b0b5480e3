"""The demo's people: one agency of each kind and one user of each role, each enrolled in
TOTP, so a demo can be signed into as anyone (`notinschool seed_demo_users`)."""

import secrets
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Role
from notinschool.accounts.totp import totp_code_now

# username, role, first name, last name, agency kind
DEMO_USERS = (
    ("officer", Role.EHE_OFFICER, "Priya", "Shah", Agency.Kind.EDUCATION),
    ("manager", Role.TEAM_MANAGER, "Tom", "Evans", Agency.Kind.EDUCATION),
    ("socialworker", Role.SOCIAL_WORKER, "Grace", "Okafor", Agency.Kind.SOCIAL_CARE),
    ("health", Role.HEALTH_PRACTITIONER, "Siân", "Morgan", Agency.Kind.HEALTH),
    ("schoollead", Role.SCHOOL_LEAD, "David", "Clarke", Agency.Kind.SCHOOL),
    ("analyst", Role.ANALYST, "Hannah", "Lee", Agency.Kind.PARTNERSHIP),
    ("dpo", Role.DPO, "Robert", "Hughes", Agency.Kind.AUTHORITY),
    ("admin", Role.ADMIN, "Amira", "Khan", Agency.Kind.AUTHORITY),
)

AGENCY_NAMES = {
    Agency.Kind.EDUCATION: "{council}: children not in school team",
    Agency.Kind.SOCIAL_CARE: "{council}: children's social care",
    Agency.Kind.HEALTH: "Demo school nursing service",
    Agency.Kind.POLICE: "Demo police: public protection unit",
    Agency.Kind.SCHOOL: "Demo Academy",
    Agency.Kind.PARTNERSHIP: "Demo safeguarding children partnership",
    Agency.Kind.AUTHORITY: "{council}: information governance",
    Agency.Kind.OTHER: "Demo voluntary sector partner",
}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    totp_secret: str

    @property
    def code_now(self) -> str:
        return totp_code_now(self.totp_secret)


def demo_password() -> str:
    """Readable enough to type in a demo, long enough for the password rules."""
    return "-".join(secrets.token_hex(3) for _ in range(4))


@transaction.atomic
def demo_users_seed(*, council: str, password: str, health_districts: list[str]) -> list[DemoLogin]:
    """Create or update the demo's agencies and users; secrets already enrolled are kept, so
    running it again changes nothing but the password."""
    validate_password(password)
    agencies = {kind: _agency(kind, council, health_districts) for kind in Agency.Kind}
    return [_user(row, agencies, password) for row in DEMO_USERS]


def _agency(kind: Agency.Kind, council: str, health_districts: list[str]) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        name=AGENCY_NAMES[kind].format(council=council),
        defaults={"kind": kind,
                  "postcode_districts": " ".join(health_districts) if kind == Agency.Kind.HEALTH else "",
                  "school_urn": "100001" if kind == Agency.Kind.SCHOOL else ""},
    )
    return agency


DemoUser = tuple[str, Role, str, str, Agency.Kind]


def _user(row: DemoUser, agencies: dict[Agency.Kind, Agency], password: str) -> DemoLogin:
    username, role, first, last, kind = row
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"role": role, "first_name": first, "last_name": last, "agency": agencies[kind],
                  "email": f"{username}@demo.invalid", "is_active": True},
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return DemoLogin(role=role.label, username=username, password=password, totp_secret=_totp_secret(user))


def _totp_secret(user: User) -> str:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
