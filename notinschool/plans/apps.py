from importlib import import_module

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "notinschool.plans"
    label = "plans"

    def ready(self) -> None:
        import_module(f"{self.name}.child_page")  # plans, meetings, health, the social worker's view
