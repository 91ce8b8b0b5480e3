"""The statutory path to school attendance (Education Act 1996 ss.437 to 443): the informal
enquiry, the preliminary notice, the decision, the notice of intention, the school attendance
order and its revocation, each a dated step with its letter, deadline and approval."""
from importlib import import_module

from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    name = "notinschool.statutory"
    label = "statutory"

    def ready(self) -> None:
        from notinschool.statutory.letters import register

        register()  # its kinds of letter and their placeholders
        import_module(f"{self.name}.child_page")  # its section of the child's page, its timeline entries
