from importlib import import_module

from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "notinschool.allocation"
    label = "allocation"

    def ready(self) -> None:
        import_module(f"{self.name}.child_page")  # the officer on the child's page, and its timeline
