from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notinschool.accounts.system import SystemActor
from notinschool.records.retention import retention_run


class Command(BaseCommand):
    help = ("Apply the retention schedules (docs/retention.md): delete closed records past the "
            "child's 25th birthday, audit events and subject access bundles past their years, "
            "keeping the anonymous facts the DfE return counts; nothing under a legal hold. "
            "With --dry-run, report what is due and delete nothing. The daily job runs it too.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="report what has passed its date; delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run(actor=SystemActor("retention"), dry_run=options["dry_run"])
        self.stdout.write("\n".join(report.lines()))
