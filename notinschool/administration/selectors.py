"""What the administrator's pages show: people (filtered by role, agency and whether they can
sign in, with whether two factors are set up), agencies, and the settings in force without any
secret."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from notinschool.accounts.models import Agency, User

# A setting whose name holds one of these is never shown, whatever its value.
_SECRET_WORDS = ("KEY", "SECRET", "PASSWORD", "TOKEN", "DSN", "WEBHOOK", "DATABASE")


def users_list(*, role: str = "", agency: int | None = None, active: str = "") -> QuerySet[User]:
    users = User.objects.select_related("agency").annotate(
        two_factor=Exists(Authenticator.objects.filter(user=OuterRef("pk"),
                                                       type=Authenticator.Type.TOTP)))
    if role:
        users = users.filter(role=role)
    if agency is not None:
        users = users.filter(agency_id=agency)
    if active in ("yes", "no"):
        users = users.filter(is_active=active == "yes")
    return users.order_by("-is_active", "last_name", "first_name", "username")


def has_two_factors(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def agencies_list() -> QuerySet[Agency]:
    active = Count("user", filter=Q(user__is_active=True))
    return Agency.objects.annotate(people=active).order_by("kind", "name")


def settings_shown() -> list[tuple[str, str]]:
    """The register's own settings (NOTINSCHOOL_...) as they are in force, secrets left out."""
    shown = []
    for name in sorted(dir(settings)):
        if not name.startswith("NOTINSCHOOL_") or any(w in name for w in _SECRET_WORDS):
            continue
        shown.append((name, _words(getattr(settings, name))))
    return shown


def _words(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value) or "None set"
    if value in ("", None):
        return "Not set"
    return str(value)
