from django.urls import path

from notinschool.web import views_risk

urlpatterns = [
    path("rules/", views_risk.rules, name="rules"),
    path("rules/changed/", views_risk.rules_changed, name="rules_changed"),
    path("rules/re-run/", views_risk.rules_rerun, name="rules_rerun"),
    path("rules/<str:setting>/edit/", views_risk.rule_setting_edit, name="rule_setting_edit"),
    path("children/<uuid:child_id>/override/", views_risk.child_override, name="child_override"),
    path("children/<uuid:child_id>/override/end/", views_risk.child_override_end,
         name="child_override_end"),
]
