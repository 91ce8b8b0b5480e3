"""notinschool demo_load DIR: import a synthetic authority's files in the order an authority
would receive them (deletions, registrations, referrals, admissions, contacts, agencies)."""

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

ORDER = ("roll-deletions", "parent-registrations", "referrals", "school-admissions", "contacts")


class Command(BaseCommand):
    help = "Import every file of a synthetic authority folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        for kind in ORDER:
            path = folder / f"{kind}.csv"
            if path.exists():
                call_command("import", kind, str(path), skip_invalid=True)
        for path in sorted(folder.glob("agency-*.csv")):
            source = path.stem.removeprefix("agency-")
            call_command("import", "agency", str(path), source=source, skip_invalid=True)
