"""The mail pages: emailing a child's family."""

from django.urls import path

from notinschool.mail import views

urlpatterns = [
    path("children/<uuid:child_id>/email/", views.family_email, name="family_email"),
]
