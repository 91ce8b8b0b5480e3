"""The shell's own pages: the start page, the health and readiness checks (web.health) and the
signed-in person's account.
Each domain's pages are in its app's `urls.py`, included from `config/urls.py`."""

from django.urls import path

from notinschool.web import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("account/", views.your_account, name="your_account"),
]
