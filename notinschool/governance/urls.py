"""The governance pages: the data protection officer's audit search, access reports and unusual
access flags; break-glass (asking, and the review queue)."""

from django.urls import path

from notinschool.governance import views

urlpatterns = [
    path("governance/audit/", views.audit_search, name="governance_audit_search"),
    path("governance/audit/people/<int:user_id>/", views.user_access, name="governance_user_access"),
    path("governance/audit/people/<int:user_id>/access.csv", views.user_access_csv,
         name="governance_user_access_csv"),
    path("governance/flags/", views.access_flags, name="governance_flags"),
    path("governance/flags/<uuid:flag_id>/", views.access_flag_review, name="governance_flag_review"),
    path("governance/break-glass/", views.break_glass_queue, name="break_glass_queue"),
    path("governance/break-glass/<uuid:grant_id>/", views.break_glass_review,
         name="break_glass_review"),
    path("children/<uuid:child_id>/break-glass/", views.break_glass_open, name="break_glass_open"),
]
