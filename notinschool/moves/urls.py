"""The moves pages: a move out from the child's page, the handover, how it was sent and its
acknowledgement. (A move in is a file sent through the upload page, kind `handover`.)"""

from django.urls import path

from notinschool.moves import views

urlpatterns = [
    path("children/<uuid:child_id>/handover/new/", views.handover_new, name="handover_new"),
    path("handovers/<uuid:handover_id>/", views.handover_detail, name="handover_detail"),
    path("handovers/<uuid:handover_id>/handover.pdf", views.handover_pdf_download,
         name="handover_pdf"),
    path("handovers/<uuid:handover_id>/handover.json", views.handover_json_download,
         name="handover_json"),
    path("handovers/<uuid:handover_id>/sent/", views.handover_sent, name="handover_sent"),
    path("handovers/<uuid:handover_id>/acknowledged/", views.handover_acknowledged,
         name="handover_acknowledged"),
]
