from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "notinschool.reports"
    label = "reports"
