from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "notinschool.governance"
    label = "governance"
