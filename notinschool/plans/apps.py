from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "notinschool.plans"
    label = "plans"
