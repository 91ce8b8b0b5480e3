"""The casework pages: the work queue, marking actions done, acknowledging alerts, and consent
decisions."""

from django.urls import path

from notinschool.casework import views

urlpatterns = [
    path("work/", views.work_queue, name="work_queue"),
    path("work/alerts/<uuid:alert_id>/acknowledge/", views.alert_acknowledge_view,
         name="alert_acknowledge"),
    path("work/actions/<uuid:action_id>/done/", views.action_done, name="required_action_done"),
    path("consent/", views.consent_list, name="consent_list"),
    path("consent/<uuid:child_id>/", views.consent_decide, name="consent_decide"),
]
