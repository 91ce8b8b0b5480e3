"""The missing education pages (cme.views)."""

from django.urls import path

from notinschool.cme import views

urlpatterns = [
    path("children/<uuid:child_id>/cme/new/", views.cme_case_new, name="cme_case_new"),
    path("cme/<uuid:case_id>/", views.cme_case, name="cme_case"),
    path("cme/<uuid:case_id>/reason/", views.cme_reason_change, name="cme_reason_change"),
    path("cme/<uuid:case_id>/enquiries/new/", views.cme_enquiry_new, name="cme_enquiry_new"),
    path("cme/enquiries/<uuid:enquiry_id>/answer/", views.cme_enquiry_answer,
         name="cme_enquiry_answer"),
    path("cme/<uuid:case_id>/escalate/", views.cme_escalate, name="cme_escalate"),
    path("cme/<uuid:case_id>/close/", views.cme_case_close, name="cme_case_close"),
]
