from importlib import import_module

from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "notinschool.public"
    label = "public"

    def ready(self) -> None:
        import_module(f"{self.name}.child_page")  # its section of the child's page, its timeline entries
