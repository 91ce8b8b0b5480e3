"""The shell's own pages: the start page, the health check and the signed-in person's account.
Each domain's pages are in its app's `urls.py`, included from `config/urls.py`."""

from django.urls import path

from notinschool.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("account/", views.your_account, name="your_account"),
]
