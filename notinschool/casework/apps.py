from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "notinschool.casework"
    label = "casework"
