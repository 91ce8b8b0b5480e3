"""The records pages: subject access requests and their review, and legal holds."""

from django.urls import path

from notinschool.records import views

urlpatterns = [
    path("records/subject-access/", views.request_list, name="subject_access_list"),
    path("records/subject-access/new/", views.request_new, name="subject_access_new"),
    path("records/subject-access/<uuid:request_id>/", views.request_review, name="subject_access_review"),
    path("records/subject-access/<uuid:request_id>/items/<uuid:item_id>/", views.item_decision,
         name="subject_access_item"),
    path("records/subject-access/<uuid:request_id>/release/", views.request_release,
         name="subject_access_release"),
    path("records/subject-access/<uuid:request_id>/bundle.<str:kind>", views.bundle_file,
         name="subject_access_bundle"),
    path("records/holds/", views.hold_list, name="legal_hold_list"),
    path("records/holds/<uuid:hold_id>/lift/", views.hold_lift, name="legal_hold_lift"),
]
