from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    name = "notinschool.statutory"
    label = "statutory"
