"""What the administrator's pages show: people (filtered by role, agency and whether they can
sign in, with whether two factors are set up), agencies, and the settings in force without any
secret."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Cap, Role, capabilities

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


def roles_described() -> list[tuple[str, int, list[str]]]:
    """Each role: its name, how many active people hold it, and what it may do in words (the
    roles and their capabilities are the application's, `accounts.roles`: fixed, not edited)."""
    held = dict(User.objects.filter(is_active=True).values_list("role").annotate(n=Count("id")))
    return [(role.label, held.get(role.value, 0),
             [CAPABILITY_WORDS.get(cap, cap.value.replace("_", " ")) for cap in sorted(capabilities(role))])
            for role in Role]


CAPABILITY_WORDS = {
    Cap.VIEW_REGISTER: "list and open children's records",
    Cap.VIEW_ALL_CHILDREN: "see every child in the area, not only those associated with them",
    Cap.EDIT_REGISTER: "record notifications and change the register",
    Cap.IMPORT_FILES: "send files",
    Cap.EXPORT_REGISTER: "export the register and the DfE return",
    Cap.VIEW_AGENCY_DETAIL_SOCIAL_CARE: "read social care's detail",
    Cap.VIEW_AGENCY_DETAIL_HEALTH: "read health's detail",
    Cap.VIEW_AGENCY_DETAIL_POLICE: "read the police's detail",
    Cap.REVIEW_MATCHES: "decide possible matches and duplicates",
    Cap.OVERRIDE_TIER: "override a child's risk tier",
    Cap.CHANGE_RULES: "change the risk rules",
    Cap.DECIDE_CONSENT: "decide consent requests and approve decisions",
    Cap.VIEW_CASEWORK: "read education casework",
    Cap.VIEW_AUDIT: "search the audit",
    Cap.VIEW_REPORTS: "read reports",
    Cap.MANAGE_USERS: "manage people, agencies and settings",
    Cap.VIEW_TEAM_WORK: "see the whole team's work",
    Cap.ALLOCATE_SOCIAL_WORKER: "choose who in social care gets a child's alerts",
    Cap.RECORD_CASEWORK: "record contacts, visits and letters",
    Cap.ALLOCATE_OFFICERS: "allocate children to officers",
    Cap.EDIT_LETTER_TEMPLATES: "edit letter templates",
    Cap.EDIT_PUBLIC_PAGES: "edit the public pages",
    Cap.BREAK_GLASS: "open a child outside their scope, giving a reason (break-glass)",
    Cap.REVIEW_BREAK_GLASS: "review break-glass use",
    Cap.SUBJECT_ACCESS: "produce subject access bundles",
    Cap.LEGAL_HOLD: "set legal holds",
}


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
