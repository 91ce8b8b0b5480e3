"""The risk pages: the rule table, changing a threshold, re-running the rules, and tier overrides."""

from django.urls import path

from notinschool.risk import views

urlpatterns = [
    path("rules/", views.rules, name="rules"),
    path("rules/changed/", views.rules_changed, name="rules_changed"),
    path("rules/re-run/", views.rules_rerun, name="rules_rerun"),
    path("rules/<str:setting>/edit/", views.rule_setting_edit, name="rule_setting_edit"),
    path("children/<uuid:child_id>/override/", views.child_override, name="child_override"),
    path("children/<uuid:child_id>/override/end/", views.child_override_end,
         name="child_override_end"),
]
