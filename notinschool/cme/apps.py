from django.apps import AppConfig


class CmeConfig(AppConfig):
    name = "notinschool.cme"
    label = "cme"
