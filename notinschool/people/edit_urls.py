"""The pages that change a child's record, and its history (people.edit_views)."""

from django.urls import path

from notinschool.people import edit_views

urlpatterns = [
    path("children/<uuid:child_id>/history/", edit_views.history, name="child_history"),
    path("children/<uuid:child_id>/change/details/", edit_views.details_edit, name="child_details_edit"),
    path("children/<uuid:child_id>/change/addresses/new/", edit_views.address_add,
         name="child_address_add"),
    path("children/<uuid:child_id>/change/addresses/<uuid:address_id>/", edit_views.address_edit,
         name="child_address_edit"),
    path("children/<uuid:child_id>/change/parents/new/", edit_views.parent_add, name="child_parent_add"),
    path("children/<uuid:child_id>/change/parents/<uuid:link_id>/", edit_views.parent_edit,
         name="child_parent_edit"),
    path("children/<uuid:child_id>/change/providers/new/", edit_views.provider_add,
         name="child_provider_add"),
    path("children/<uuid:child_id>/change/providers/<uuid:provider_id>/", edit_views.provider_edit,
         name="child_provider_edit"),
    path("children/<uuid:child_id>/change/providers/<uuid:provider_id>/remove/",
         edit_views.provider_remove, name="child_provider_remove"),
]
