from django.urls import path

from notinschool.web import views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("children/<uuid:child_id>/", views.child_detail, name="child_detail"),
]
