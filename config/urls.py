"""Every app's pages, each from its own `urls.py`; the API with its own keys; sign-in."""

from django.urls import include, path

from notinschool.api.api import api_urls

urlpatterns = [
    path("accounts/", include("allauth.urls")),
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
