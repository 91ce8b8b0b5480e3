from django.urls import include, path

from notinschool.api.api import api_urls

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api_urls()),
    path("", include("notinschool.web.urls")),
]
