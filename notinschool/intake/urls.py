from django.urls import path

from notinschool.intake.views import (
    child_split_view,
    import_detail,
    import_queued,
    imports,
    notification_kinds,
    notification_new,
)

urlpatterns = [
    path("imports/", imports, name="imports"),
    path("imports/<uuid:batch_id>/", import_detail, name="import_detail"),
    path("imports/queued/<uuid:queued_id>/", import_queued, name="import_queued"),
    path("notifications/new/", notification_kinds, name="notification_kinds"),
    path("notifications/new/<slug:kind>/", notification_new, name="notification_new"),
    path("children/<uuid:child_id>/split/", child_split_view, name="child_split"),
]
