from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "notinschool.allocation"
    label = "allocation"
