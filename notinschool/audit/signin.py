"""Signing in and out is audited: a success, a wrong username or password (an unknown username
too, without making a user), a lockout, a wrong two-factor code, and signing out. Each event
names the username tried and the address it came from, never the password. Failures are
recorded by the sign-in page itself (the person is not yet proved to be the account's owner);
the account tried, if it exists, is the event's object.

Single sign-on through the authority's identity provider (notinschool.accounts.sso): a sign-in is
`sign_in` with `"method": "sso"` and the provider's identity (`sub`); each refusal is
`sso_refused` with the reason, the email the provider gave and its identity; the first sign-in's
link of that identity to the person is `sso_linked`."""

from typing import Any

from allauth.account.signals import user_logged_in as allauth_user_logged_in
from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.http import HttpRequest

from notinschool.accounts.models import User
from notinschool.accounts.sso import REASONS, sso_linked, sso_refused
from notinschool.accounts.system import SystemActor
from notinschool.audit.services import audit_record

SIGN_IN_PAGE = SystemActor("sign-in page")


def client_address(request: HttpRequest | None) -> str:
    """The address the request came from, as axes saw it (the same one its lockout records)."""
    if request is None:
        return ""
    return str(getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", ""))


def _account_ids(username: str) -> list[int]:
    return list(User.objects.filter(username=username).values_list("pk", flat=True)[:1])


def _on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                     **kwargs: Any) -> None:
    username = str(credentials.get("username") or "")
    audit_record(actor=SIGN_IN_PAGE, action="sign_in_failed", object_type="account",
                 object_ids=_account_ids(username),
                 detail={"username": username, "ip_address": client_address(request)})


def _on_locked_out(sender: Any, request: HttpRequest | None, username: str | None,
                   ip_address: str | None, **kwargs: Any) -> None:
    """Sent when the limit is reached, and again at each attempt while the account is locked
    (then without a count: those attempts are not counted and do not move the unlock time)."""
    failures = getattr(request, "axes_failures_since_start", None)
    audit_record(actor=SIGN_IN_PAGE, action="lockout", object_type="account",
                 object_ids=_account_ids(username or ""),
                 detail={"username": username or "", "ip_address": ip_address or "",
                         "failures": failures, "already_locked": failures is None})


def _on_two_factor_failed(sender: Any, request: HttpRequest | None, user: User,
                          reauthentication: bool = False, **kwargs: Any) -> None:
    audit_record(actor=SIGN_IN_PAGE, action="two_factor_failed", object_type="account",
                 object_ids=[user.pk],
                 detail={"username": user.get_username(), "ip_address": client_address(request),
                         "reauthentication": reauthentication})


def _on_signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    detail = {"username": user.get_username(), "ip_address": client_address(request)}
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None:
        detail |= {"method": "sso", "provider": str(sociallogin.account.provider),
                   "uid": str(sociallogin.account.uid)}
    audit_record(actor=user, action="sign_in", object_type="account", object_ids=[user.pk], detail=detail)


def _on_sso_refused(sender: Any, request: HttpRequest, reason: str, email: str, uid: str,
                    user: User | None, detail: str = "", **kwargs: Any) -> None:
    audit_record(actor=SIGN_IN_PAGE, action="sso_refused", object_type="account",
                 object_ids=[user.pk] if user is not None else [],
                 detail={"reason": reason, "why": REASONS.get(reason, reason), "email": email, "uid": uid,
                         "ip_address": client_address(request), "error": detail})


def _on_sso_linked(sender: Any, request: HttpRequest, user: User, uid: str, **kwargs: Any) -> None:
    audit_record(actor=SIGN_IN_PAGE, action="sso_linked", object_type="account", object_ids=[user.pk],
                 detail={"username": user.get_username(), "uid": uid, "ip_address": client_address(request)})


def _on_signed_out(sender: Any, request: HttpRequest | None, user: User | None,
                   **kwargs: Any) -> None:
    if user is None:
        return
    audit_record(actor=user, action="sign_out", object_type="account", object_ids=[user.pk],
                 detail={"username": user.get_username(), "ip_address": client_address(request)})


def signin_audit_connect() -> None:
    """Called once from AuditConfig.ready(). Sign-in success is allauth's signal, sent after
    both factors (not Django's, which a test's force_login also sends)."""
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit.sign_in_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="audit.lockout")
    mfa_authentication_failed.connect(_on_two_factor_failed, dispatch_uid="audit.two_factor_failed")
    allauth_user_logged_in.connect(_on_signed_in, dispatch_uid="audit.sign_in")
    user_logged_out.connect(_on_signed_out, dispatch_uid="audit.sign_out")
    sso_refused.connect(_on_sso_refused, dispatch_uid="audit.sso_refused")
    sso_linked.connect(_on_sso_linked, dispatch_uid="audit.sso_linked")
