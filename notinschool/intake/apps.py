from importlib import import_module

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "notinschool.intake"
    label = "intake"

    def ready(self) -> None:
        import_module(f"{self.name}.notification_kinds")  # the data contract's notification kinds
        import_module(f"{self.name}.implied_status")  # what joins the register at school age
        import_module(f"{self.name}.child_page")  # notifications on the child's timeline
