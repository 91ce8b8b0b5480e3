"""The working-together pages: plans, professionals-only meetings, a person's actions, the
health team's list and records, and alert outcomes."""

from django.urls import path

from notinschool.plans import views

urlpatterns = [
    path("children/<uuid:child_id>/plans/new/", views.plan_new, name="plan_new"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:plan_id>/progress/", views.plan_progress, name="plan_progress"),
    path("plans/<uuid:plan_id>/end/", views.plan_end, name="plan_end"),
    path("children/<uuid:child_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<uuid:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/actions/<uuid:action_id>/done/", views.meeting_action_done,
         name="meeting_action_done"),
    path("plans/your-actions/", views.your_actions, name="plans_your_actions"),
    path("health/", views.health_list, name="health_list"),
    path("health/children.csv", views.health_csv, name="health_csv"),
    path("children/<uuid:child_id>/health/new/", views.health_record_new, name="health_record_new"),
    path("alerts/<uuid:alert_id>/outcome/", views.alert_outcome, name="alert_outcome"),
]
