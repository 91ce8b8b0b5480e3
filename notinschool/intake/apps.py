from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "notinschool.intake"
    label = "intake"
