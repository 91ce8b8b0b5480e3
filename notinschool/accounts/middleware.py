"""Every staff role signs in with two factors: a signed-in user without TOTP is sent to enrol,
and can open nothing else (but allauth's own pages, static files and health checks) until then.
A sign-in through the authority's identity provider had its second factor there, and is not sent
to enrol unless NOTINSCHOOL_OIDC_REQUIRE_TWO_FACTOR (accounts.sso)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from notinschool.accounts.sso import signed_in_by_sso
from notinschool.accounts.totp import has_totp

# the public pages (public.urls.PUBLIC_PREFIXES): anyone may read them, enrolled or not
_PUBLIC_PAGES = ("/families/", "/home-education/", "/health-services/", "/tell-us-about-a-child/",
                 "/privacy/", "/accessibility/", "/contact/", "/young-people/", "/register-a-child/",
                 "/tell-us-about-a-change/")
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/public/", "/api/", *_PUBLIC_PAGES)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and not has_totp(user)
            and (settings.NOTINSCHOOL_OIDC_REQUIRE_TWO_FACTOR or not signed_in_by_sso(request))
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
