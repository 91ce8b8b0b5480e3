from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.http import HttpRequest
from django.urls import reverse

from notinschool.accounts.totp import totp_just_set_up


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made by an administrator: nobody signs themselves up."""

    def is_open_for_signup(self, request):  # type: ignore[no-untyped-def]
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """After signing in, the home page sends each role where it can work (the register, or
        the account page for roles that see no children)."""
        return reverse("home")

    def add_message(self, request, level, message_template=None, message_context=None,  # type: ignore[no-untyped-def]
                    extra_tags="", message=None):
        """No banner saying the person has signed in: the page they land on says enough."""
        if message_template == "account/messages/logged_in.txt":
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with its two-factor stage passed over for a sign-in through the
        authority's identity provider unless our code is asked of those too (accounts.sso)."""
        ours = {"allauth.mfa.stages.AuthenticateStage": "notinschool.accounts.sso.AuthenticateStage"}
        return [ours.get(path, path) for path in super().get_login_stages()]

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Setting up the first authenticator app straight after signing in, and seeing the
        recovery codes made with it, do not ask for the password again: until the app is set up
        the person can open nothing else (middleware), and in the minutes after it they have
        just proved both factors. Removing or replacing two factors later still asks."""
        user = getattr(context.request, "user", None)
        if app == "allauth.mfa" and user is not None and user.is_authenticated and totp_just_set_up(user):
            return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))
