"""Every staff role signs in with two factors: a signed-in user without TOTP is sent to enrol,
and can open nothing else (but allauth's own pages, static files and health checks) until then."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from notinschool.accounts.totp import has_totp

_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/public/", "/api/")


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
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
