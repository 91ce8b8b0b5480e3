from importlib import import_module

from django.apps import AppConfig


class CmeConfig(AppConfig):
    name = "notinschool.cme"
    label = "cme"

    def ready(self) -> None:
        import_module(f"{self.name}.child_page")  # the cases on the child's page, and the timeline
