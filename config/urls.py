from django.urls import include, path

from notinschool.api.api import api

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("notinschool.web.urls")),
]
