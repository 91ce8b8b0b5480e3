"""Single sign-on with the authority's identity provider: allauth's OpenID Connect provider,
configured from the environment (config/settings/base.py; docs/operations.md, "Single sign-on").

Roles stay in the application. The provider proves who someone is; whether they may sign in, and
what they may do, is still the register's: a sign-in is accepted only for an active person an
administrator has added, found by the provider's verified email (any case; the one active person
with it, a deactivated one sharing it being a leaver), and linked to the
provider's identity (its `sub`) at that first sign-in. Nobody is signed up by it; an unknown,
ambiguous or deactivated person is refused with a page saying why, and the refusal is sent as
`sso_refused` for the audit trail (`notinschool.audit.signin`), as is each first link
(`sso_linked`).

Besides allauth's own checks (the `state` it stashed in the session, PKCE, the ID token's issuer,
audience and expiry), each request to the provider carries a fresh `nonce`, kept with the state,
that the ID token must return, and the ID token's signature is checked against the provider's
published keys always (allauth skips that for a token fetched from the token endpoint, which
OpenID Connect allows over TLS; checking it costs one request and does not rest on TLS alone).

Two factors: the provider's sign-in (with its own second factor, as councils run them) stands for
ours, unless `NOTINSCHOOL_OIDC_REQUIRE_TWO_FACTOR` asks for our code too. A password sign-in
always asks for our code (`RequireTwoFactorMiddleware`, allauth's stage)."""

import hmac
import secrets
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.account.models import Login
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa import stages as mfa_stages
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.dispatch import Signal
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from notinschool.accounts.models import User

PROVIDER_ID = "authority"

# Sent with request, reason (a word below), email, uid (the provider's `sub`) and user (or None).
sso_refused = Signal()
# Sent with request, user and uid when a person's first sign-in links the provider's identity.
sso_linked = Signal()

REASONS = {
    "unknown": "no active person in the register has this email",
    "not_verified": "the identity provider did not say the email is verified",
    "ambiguous": "more than one person in the register has this email",
    "deactivated": "the person's account is deactivated",
    "nonce": "the identity provider's answer did not carry this sign-in's nonce",
    "connect": "linking from a signed-in session is not offered",
    "error": "the identity provider's answer failed a check",
    "cancelled": "the person cancelled at the identity provider",
}


class AuthorityProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider, sending a fresh nonce with each sign-in and keeping it
    with the state allauth stashes in the session (checked in `SocialAccountAdapter`)."""

    def redirect(self, request: HttpRequest, process: Any, next_url: Any = None, data: Any = None,
                 **kwargs: Any) -> Any:
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        return super().redirect(request, process, next_url, data,
                                auth_params={**auth_params, "nonce": nonce}, nonce=nonce, **kwargs)


class AuthorityOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, checking the ID token's signature always."""

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict[str, Any]:
        return dict(jwtkit.verify_and_decode(
            credential=id_token, keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"], audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk, verify_signature=True))


@login_not_required
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    """allauth's answer view (openid_connect.views.callback) with `AuthorityOAuth2Adapter`."""
    try:
        view = OAuth2CallbackView.adapter_view(AuthorityOAuth2Adapter(request, provider_id))
        return view(request)  # type: ignore[no-any-return]
    except SocialApp.DoesNotExist:
        raise Http404 from None


# Anyone may bring the provider's answer back (web.access.public's mark; web is a layer above).
callback.access = "public"  # type: ignore[attr-defined]



def sso_configured() -> bool:
    """Whether the authority's identity provider is set up (config/settings/base.py)."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    return any(app.get("provider_id") == PROVIDER_ID for app in apps)


def sso_links(user: User) -> list[SocialAccount]:
    """The provider's identities linked to the person (one, after their first sign-in with it)."""
    return list(SocialAccount.objects.filter(user=user, provider=PROVIDER_ID).order_by("date_joined"))


def signed_in_by_sso(request: HttpRequest) -> bool:
    """Whether this session's sign-in was through the identity provider."""
    user = getattr(request, "user", None)
    records = get_authentication_records(request, user) if user is not None else []
    return any(r.get("method") == "socialaccount" for r in records)


def _is_sso(login: Login) -> bool:
    return bool((login.signal_kwargs or {}).get("sociallogin"))


class AuthenticateStage(mfa_stages.AuthenticateStage):
    """allauth's two-factor stage, passed over for a sign-in through the identity provider unless
    `NOTINSCHOOL_OIDC_REQUIRE_TWO_FACTOR`."""

    def _should_handle(self, request: HttpRequest) -> bool:
        if _is_sso(self.login) and not settings.NOTINSCHOOL_OIDC_REQUIRE_TWO_FACTOR:
            return False
        return bool(super()._should_handle(request))


def _emails(sociallogin: SocialLogin) -> tuple[list[str], list[str]]:
    """The provider's emails: (verified, all)."""
    trust = settings.NOTINSCHOOL_OIDC_TRUST_EMAIL
    every = [a.email for a in sociallogin.email_addresses if a.email]
    verified = [a.email for a in sociallogin.email_addresses if a.email and (a.verified or trust)]
    return verified, every


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Nobody signs up through the identity provider; it signs in people the register knows."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def get_provider(self, request: HttpRequest, provider: Any, client_id: Any = None) -> Any:
        found = super().get_provider(request, provider, client_id=client_id)
        if type(found) is OpenIDConnectProvider and found.app.provider_id == PROVIDER_ID:
            return AuthorityProvider(request, app=found.app)
        return found

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        uid = str(sociallogin.account.uid)
        verified, every = _emails(sociallogin)
        email = (verified or every or [""])[0]

        def refuse(reason: str, user: User | None = None) -> None:
            self._refuse(request, reason=reason, email=email, uid=uid, user=user)

        claims = (sociallogin.account.extra_data or {}).get("id_token") or {}
        expected = str(sociallogin.state.get("nonce") or "")
        if not expected or not hmac.compare_digest(str(claims.get("nonce") or ""), expected):
            refuse("nonce")
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            refuse("connect", request.user if isinstance(request.user, User) else None)
        if sociallogin.is_existing:
            user = sociallogin.user
            if not user.is_active:
                refuse("deactivated", user)
            return
        if not verified:
            refuse("not_verified" if every else "unknown")
        # A leaver's deactivated account may share the email with the new starter given it.
        people = list(User.objects.filter(email__iexact=verified[0]).order_by("-is_active", "pk")[:3])
        active = [p for p in people if p.is_active]
        if len(active) > 1:
            refuse("ambiguous")
        if not people:
            refuse("unknown")
        if not active:
            refuse("deactivated", people[0])
        person = active[0]
        sociallogin.connect(request, person)
        sso_linked.send(sender=type(self), request=request, user=person, uid=uid)

    def on_authentication_error(self, request: HttpRequest, provider: Any, error: Any = None,
                                exception: Any = None, extra_context: Any = None) -> None:
        """A bad or replayed `state`, a failed token exchange or ID token: refused and audited."""
        detail = str(error or "")
        if exception is not None:
            detail = f"{detail}: {type(exception).__name__}: {exception}"[:300]
        if error == AuthError.CANCELLED:  # allauth's page says so and offers to sign in again
            sso_refused.send(sender=type(self), request=request, reason="cancelled", email="", uid="",
                             user=None, detail=detail)
            return
        self._refuse(request, reason="error", email="", uid="", user=None, detail=detail)

    def _refuse(self, request: HttpRequest, *, reason: str, email: str, uid: str, user: User | None,
                detail: str = "") -> None:
        sso_refused.send(sender=type(self), request=request, reason=reason, email=email, uid=uid,
                         user=user, detail=detail)
        context = {"reason": reason, "email": email, "provider_name": settings.NOTINSCHOOL_OIDC_NAME}
        raise ImmediateHttpResponse(render(request, "socialaccount/refused.html", context, status=403))
