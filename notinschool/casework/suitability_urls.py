"""The suitability pages: record a judgement, a manager's approval, the list awaiting it."""

from django.urls import path

from notinschool.casework import suitability_views as views

urlpatterns = [
    path("children/<uuid:child_id>/suitability/new/", views.suitability_new, name="suitability_new"),
    path("suitability/awaiting/", views.suitability_awaiting_list, name="suitability_awaiting"),
    path("suitability/<uuid:judgement_id>/decide/", views.suitability_decide,
         name="suitability_decide"),
]
