from importlib import import_module

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "notinschool.casework"
    label = "casework"

    def ready(self) -> None:
        import_module(f"{self.name}.child_page")  # its sections of the child's page
        import_module(f"{self.name}.contacts_intake")  # the contacts intake kind
        import_module(f"{self.name}.suitability_page")  # the suitability section and timeline
