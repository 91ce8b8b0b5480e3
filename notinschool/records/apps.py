from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "notinschool.records"
    label = "records"
