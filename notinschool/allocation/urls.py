"""The allocation pages: the unallocated children and bulk allocation, the district rules, and
one child's officer."""

from django.urls import path

from notinschool.allocation import views

urlpatterns = [
    path("allocation/", views.allocation_queue, name="allocation_queue"),
    path("allocation/rules/", views.allocation_rules, name="allocation_rules"),
    path("allocation/rules/<uuid:rule_id>/remove/", views.allocation_rule_remove,
         name="allocation_rule_remove"),
    path("children/<uuid:child_id>/officer/", views.child_officer, name="child_officer"),
]
