from importlib import import_module

from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "notinschool.letters"
    label = "letters"

    def ready(self) -> None:
        import_module(f"{self.name}.child_page")  # its section of the child's page, its timeline entries
