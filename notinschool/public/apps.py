from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "notinschool.public"
    label = "public"
