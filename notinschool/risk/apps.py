from importlib import import_module

from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "notinschool.risk"
    label = "risk"

    def ready(self) -> None:
        import_module(f"{self.name}.child_page")  # its sections of the child's page
