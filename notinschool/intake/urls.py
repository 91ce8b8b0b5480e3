from django.urls import path

from notinschool.web.views_intake import import_detail, imports, notification_kinds, notification_new
from notinschool.web.views_split import child_split_view

urlpatterns = [
    path("imports/", imports, name="imports"),
    path("imports/<uuid:batch_id>/", import_detail, name="import_detail"),
    path("notifications/new/", notification_kinds, name="notification_kinds"),
    path("notifications/new/<slug:kind>/", notification_new, name="notification_new"),
    path("children/<uuid:child_id>/split/", child_split_view, name="child_split"),
]
