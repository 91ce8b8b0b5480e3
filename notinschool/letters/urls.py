"""The letters pages."""

from django.urls import path

from notinschool.letters import views

urlpatterns = [
    path("letters/templates/", views.template_list, name="letter_template_list"),
    path("letters/templates/<uuid:template_id>/", views.template_edit, name="letter_template_edit"),
    path("letters/templates/<uuid:template_id>/preview/", views.template_preview_pdf,
         name="letter_template_preview"),
    path("letters/<uuid:letter_id>/pdf/", views.letter_download, name="letter_download"),
    path("children/<uuid:child_id>/letters/new/", views.letter_new, name="letter_new"),
    path("children/<uuid:child_id>/letters/preview/<uuid:template_id>/", views.letter_preview_pdf,
         name="letter_preview"),
    path("children/<uuid:child_id>/letters/<uuid:letter_id>/sent/", views.letter_sent, name="letter_sent"),
]
