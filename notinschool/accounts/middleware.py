"""Every staff role signs in with two factors: a signed-in user without TOTP is sent to enrol."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/public/", "/api/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and request.path != "/"
            and not _has_totp(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
