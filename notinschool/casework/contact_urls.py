"""The pages for contacts with a family: recording a contact, planning a visit, recording how
it went."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
