from django.urls import include, path

from notinschool.people import views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("children/<uuid:child_id>/", views.child_detail, name="child_detail"),
    path("", include("notinschool.people.edit_urls")),
]
