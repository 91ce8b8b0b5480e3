from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "notinschool.administration"
    label = "administration"
