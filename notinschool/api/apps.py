from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "notinschool.api"
    label = "api"
    verbose_name = "HTTP API"
