from django.urls import path

from notinschool.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("account/", views.your_account, name="your_account"),
    path("register/", views.register, name="register"),
    path("children/<uuid:child_id>/", views.child_detail, name="child_detail"),
]
