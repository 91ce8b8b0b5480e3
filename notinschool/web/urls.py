from django.urls import path

from notinschool.web import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
