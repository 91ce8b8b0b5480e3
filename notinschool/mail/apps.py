from importlib import import_module

from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "notinschool.mail"
    label = "mail"

    def ready(self) -> None:
        import_module(f"{self.name}.child_page")  # its section of the child's page, its timeline
