from django.urls import path

from notinschool.web import views_casework

urlpatterns = [
    path("work/", views_casework.work_queue, name="work_queue"),
    path("work/alerts/<uuid:alert_id>/acknowledge/", views_casework.alert_acknowledge_view,
         name="alert_acknowledge"),
    path("consent/", views_casework.consent_list, name="consent_list"),
    path("consent/<uuid:child_id>/", views_casework.consent_decide, name="consent_decide"),
]
