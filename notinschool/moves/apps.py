"""Moves between authorities: the handover of a child's record to the receiving authority
(a PDF and a structured file), its acknowledgement, and a handover file imported as a move in."""
from importlib import import_module

from django.apps import AppConfig


class MovesConfig(AppConfig):
    name = "notinschool.moves"
    label = "moves"

    def ready(self) -> None:
        import_module(f"{self.name}.handover_intake")  # the `handover` intake kind (move in)
        import_module(f"{self.name}.child_page")  # its section of the child's page, its timeline
