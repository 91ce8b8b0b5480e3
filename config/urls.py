"""Every app's pages, each from its own `urls.py`; the API with its own keys; sign-in."""

from allauth import urls as allauth_urls
from allauth.socialaccount.providers.openid_connect import views as oidc
from django.urls import include, path

from notinschool.accounts import sso
from notinschool.api.api import api_urls

# allauth's pages, without its unnamed redirects from the old "social/" addresses (this project
# never had them). Single sign-on (notinschool.accounts.sso): allauth's OpenID Connect views at
# allauth's addresses, as flat patterns (its own nest the provider's id in an outer pattern); the
# answer's view checks the ID token's signature always (accounts.sso.callback).
_ACCOUNTS = [p for p in allauth_urls.urlpatterns if not str(p.pattern).startswith(("social/", "oidc/"))]

urlpatterns = [
    path("accounts/oidc/<str:provider_id>/login/", oidc.login, name="openid_connect_login"),
    path("accounts/oidc/<str:provider_id>/login/callback/", sso.callback, name="openid_connect_callback"),
    path("accounts/", include(_ACCOUNTS)),
    path("api/v1/", api_urls()),
    path("", include("notinschool.web.urls")),
    path("", include("notinschool.people.urls")),
    path("", include("notinschool.intake.urls")),
    path("", include("notinschool.linkage.urls")),
    path("", include("notinschool.risk.urls")),
    path("", include("notinschool.mail.urls")),
    path("", include("notinschool.casework.urls")),
    path("", include("notinschool.casework.contact_urls")),
    path("", include("notinschool.casework.suitability_urls")),
    path("", include("notinschool.allocation.urls")),
    path("", include("notinschool.letters.urls")),
    path("", include("notinschool.governance.urls")),
    path("", include("notinschool.reports.urls")),
    path("", include("notinschool.statutory.urls")),
    path("", include("notinschool.cme.urls")),
    path("", include("notinschool.moves.urls")),
    path("", include("notinschool.records.urls")),
    path("", include("notinschool.administration.urls")),
    path("", include("notinschool.plans.urls")),
    path("", include("notinschool.public.urls")),
]
