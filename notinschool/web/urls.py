from django.urls import path

from notinschool.web import views, views_casework, views_risk
from notinschool.web.views_duplicates import duplicate_detail, duplicates
from notinschool.web.views_intake import import_detail, imports, notification_kinds, notification_new
from notinschool.web.views_matches import match_detail, matches
from notinschool.web.views_split import child_split_view

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("account/", views.your_account, name="your_account"),
    path("register/", views.register, name="register"),
    path("children/<uuid:child_id>/", views.child_detail, name="child_detail"),
    path("rules/", views_risk.rules, name="rules"),
    path("rules/changed/", views_risk.rules_changed, name="rules_changed"),
    path("rules/re-run/", views_risk.rules_rerun, name="rules_rerun"),
    path("rules/<str:setting>/edit/", views_risk.rule_setting_edit, name="rule_setting_edit"),
    path("children/<uuid:child_id>/override/", views_risk.child_override, name="child_override"),
    path("children/<uuid:child_id>/override/end/", views_risk.child_override_end,
         name="child_override_end"),
    path("work/", views_casework.work_queue, name="work_queue"),
    path("work/alerts/<uuid:alert_id>/acknowledge/", views_casework.alert_acknowledge_view,
         name="alert_acknowledge"),
    path("consent/", views_casework.consent_list, name="consent_list"),
    path("consent/<uuid:child_id>/", views_casework.consent_decide, name="consent_decide"),
    path("matches/", matches, name="match_queue"),
    path("matches/<uuid:match_id>/", match_detail, name="match_detail"),
    path("matches/duplicates/", duplicates, name="duplicate_queue"),
    path("matches/duplicates/<uuid:pair_id>/", duplicate_detail, name="duplicate_detail"),
    path("imports/", imports, name="imports"),
    path("imports/<uuid:batch_id>/", import_detail, name="import_detail"),
    path("notifications/new/", notification_kinds, name="notification_kinds"),
    path("notifications/new/<slug:kind>/", notification_new, name="notification_new"),
    path("children/<uuid:child_id>/split/", child_split_view, name="child_split"),
]
