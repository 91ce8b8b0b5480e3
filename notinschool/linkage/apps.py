from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "notinschool.linkage"
    label = "linkage"
