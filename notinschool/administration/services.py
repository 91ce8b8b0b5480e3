"""What the administrator changes: people (invited with a link to set their own password, then
two factors at first sign-in; role, agency and name changed; deactivated and reactivated; two
factors reset, after the administrator gives their own password again) and agencies with the
postcode districts a team covers. Every change is audited with what changed; an administrator
can neither deactivate themself nor leave the authority without an active administrator."""

import re
from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse

from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Cap, Role
from notinschool.accounts.sso import sso_links
from notinschool.audit.services import audit_record
from notinschool.core.errors import DomainError, NotPermitted

_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


def _check(actor: User) -> None:
    if not actor.can(Cap.MANAGE_USERS):
        raise NotPermitted("only an administrator manages people and agencies")


@dataclass(frozen=True)
class Invitation:
    user: User
    link: str  # where the person sets their password (sent by email; shown once to the admin)


def user_invite(*, actor: User, username: str, first_name: str, last_name: str, email: str,
                role: str, agency: Agency | None, site: str) -> Invitation:
    """Makes the account without a password and emails the person a link (valid as long as
    allauth's reset links are) to set one; at first sign-in they set up two factors."""
    _check(actor)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"There is already an account with the username {username}")
    Role(role)  # a role the application knows
    with transaction.atomic():
        user = User(username=username, first_name=first_name, last_name=last_name, email=email,
                    role=role, agency=agency)
        user.set_unusable_password()
        user.save()
        link = site + reverse("account_reset_password_from_key", kwargs={
            "uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
        audit_record(actor=actor, action="create", object_type="user", object_ids=[user.pk],
                     detail={"role": role, "agency": agency.name if agency else "", "invited": True})
    body = (f"Hello {first_name or username},\n\nAn account has been made for you on the register of "
            f"children not in school, as {Role(role).label.lower()}. Your username is {username}.\n\n"
            f"Choose your password here:\n{link}\n\nWhen you first sign in you will set up a second "
            f"factor: an authenticator app on your phone. If you did not expect this email, tell "
            f"your administrator.\n")
    mailers.default.send_messages([EmailMessage("Your account on the register", body,
                                                settings.DEFAULT_FROM_EMAIL, [email])])
    audit_record(actor=actor, action="send", object_type="invitation_email", object_ids=[user.pk],
                 detail={"recipients": 1})
    return Invitation(user=user, link=link)


def user_update(*, actor: User, user: User, first_name: str, last_name: str, email: str, role: str,
                agency: Agency | None) -> list[str]:
    """Changes a person's name, email, role and agency; returns the fields that changed."""
    _check(actor)
    Role(role)
    if user.pk == actor.pk and role != actor.role:
        raise DomainError("You cannot change your own role: ask another administrator")
    if user.role == Role.ADMIN and role != Role.ADMIN:
        _keep_an_admin(user)
    new = {"first_name": first_name, "last_name": last_name, "email": email, "role": role,
           "agency_id": agency.pk if agency else None}
    changed = [name for name, value in new.items() if getattr(user, name) != value]
    if changed:
        for name, value in new.items():
            setattr(user, name, value)
        user.save(update_fields=[name.removesuffix("_id") if name == "agency_id" else name
                                 for name in changed])
        audit_record(actor=actor, action="update", object_type="user", object_ids=[user.pk],
                     detail={"fields": changed, "role": role})
    return changed


def user_active_set(*, actor: User, user: User, active: bool, reason: str) -> None:
    """Deactivates (the person can no longer sign in; their name stays on what they did) or
    reactivates an account, with the reason."""
    _check(actor)
    if not reason.strip():
        raise DomainError("Give the reason")
    if not active and user.pk == actor.pk:
        raise DomainError("You cannot deactivate your own account")
    if not active and user.role == Role.ADMIN:
        _keep_an_admin(user)
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="update", object_type="user", object_ids=[user.pk],
                 detail={"active": active}, reason=reason.strip())


def user_two_factor_reset(*, actor: User, user: User, password: str, reason: str) -> int:
    """Removes the person's authenticator app and recovery codes, so they set up new ones at
    their next sign-in (a lost phone). The administrator gives their own password again first.
    Returns how many authenticators were removed."""
    _check(actor)
    if not actor.check_password(password):
        audit_record(actor=actor, action="refuse", object_type="user", object_ids=[user.pk],
                     detail={"two_factor_reset": "wrong password"})
        raise DomainError("Your password is not right: the two factors were not reset")
    if not reason.strip():
        raise DomainError("Give the reason")
    if user.pk == actor.pk:
        raise DomainError("You cannot reset your own two factors: ask another administrator")
    removed, _ = Authenticator.objects.filter(user=user).delete()
    audit_record(actor=actor, action="update", object_type="user", object_ids=[user.pk],
                 detail={"two_factor_reset": True, "removed": removed}, reason=reason.strip())
    return removed


def user_sso_unlink(*, actor: User, user: User, reason: str) -> list[str]:
    """Removes the link between the person and their identity at the authority's identity
    provider (its account given to someone else, say): their next single sign-on links again, to
    whoever the provider then says has their email. Returns the identities unlinked."""
    _check(actor)
    if not reason.strip():
        raise DomainError("Give the reason")
    links = sso_links(user)
    if not links:
        raise DomainError("They are not linked to the identity provider")
    uids = [str(link.uid) for link in links]
    SocialAccount.objects.filter(pk__in=[link.pk for link in links]).delete()
    audit_record(actor=actor, action="update", object_type="user", object_ids=[user.pk],
                 detail={"sso_unlinked": uids}, reason=reason.strip())
    return uids


def _keep_an_admin(leaving: User) -> None:
    others = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=leaving.pk)
    if not others.exists():
        raise DomainError("The authority must keep at least one active administrator")


def districts_clean(text: str) -> str:
    """Postcode districts as typed (commas or spaces between), checked and put in order:
    'ls6, ls7 wv10' is 'LS6 LS7 WV10'."""
    found = [d for d in re.split(r"[\s,;]+", text.upper()) if d]
    wrong = [d for d in found if not _DISTRICT.match(d)]
    if wrong:
        what = "is not a postcode district" if len(wrong) == 1 else "are not postcode districts"
        raise DomainError(f"{', '.join(wrong)} {what} (the first part of a postcode, like LS6 or WV10)")
    return " ".join(sorted(set(found), key=lambda d: (re.sub(r"\d.*", "", d), len(d), d)))


def agency_save(*, actor: User, agency: Agency | None, name: str, kind: str, school_urn: str,
                districts: str) -> Agency:
    """Adds an agency or team, or changes one: its name, kind, a school's URN, and the postcode
    districts a team covers (a health team sees the children of its districts)."""
    _check(actor)
    Agency.Kind(kind)
    clean = districts_clean(districts)
    same_name = Agency.objects.filter(name__iexact=name)
    if agency is not None:
        same_name = same_name.exclude(pk=agency.pk)
    if same_name.exists():
        raise DomainError(f"There is already an agency called {name}")
    created = agency is None
    target = agency or Agency()
    target.name, target.kind, target.school_urn, target.postcode_districts = name, kind, school_urn, clean
    target.save()
    audit_record(actor=actor, action="create" if created else "update", object_type="agency",
                 object_ids=[target.pk], detail={"kind": kind, "districts": clean})
    return target
