"""The statutory path's pages."""

from django.urls import path

from notinschool.statutory import views

urlpatterns = [
    path("statutory/<uuid:case_id>/", views.statutory_case, name="statutory_case"),
    path("children/<uuid:child_id>/statutory/<slug:kind>/", views.statutory_step_new,
         name="statutory_step_new"),
    path("statutory/steps/<uuid:step_id>/decide/", views.statutory_step_decide, name="statutory_step_decide"),
    path("statutory/awaiting/", views.statutory_awaiting, name="statutory_awaiting"),
]
