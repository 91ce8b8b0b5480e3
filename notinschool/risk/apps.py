from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "notinschool.risk"
    label = "risk"
