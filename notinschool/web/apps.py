from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "notinschool.web"
    label = "web"
