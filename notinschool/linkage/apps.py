from importlib import import_module

from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "notinschool.linkage"
    label = "linkage"

    def ready(self) -> None:
        import_module(f"{self.name}.child_page")  # its sections of the child's page
        import_module(f"{self.name}.agency_intake")  # the agency intake kind
