"""The pages for contacts with a family: recording a contact, planning a visit, recording how
it went."""

from django.urls import path

from notinschool.casework import contact_views as views

urlpatterns = [
    path("children/<uuid:child_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("children/<uuid:child_id>/visits/new/", views.visit_new, name="visit_new"),
    path("contacts/<uuid:contact_id>/done/", views.visit_done, name="visit_done"),
    path("contacts/<uuid:contact_id>/missed/", views.visit_missed, name="visit_missed"),
    path("contacts/<uuid:contact_id>/reply/", views.contact_reply, name="contact_reply"),
]
