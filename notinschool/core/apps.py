from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "notinschool.core"
    label = "core"
