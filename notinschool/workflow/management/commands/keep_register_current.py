from typing import Any

from django.core.management.base import BaseCommand

from notinschool.accounts.system import COMMAND_LINE
from notinschool.workflow.register_status import register_keep_current


class Command(BaseCommand):
    help = ("Put children recorded below compulsory school age on the register from the day "
            "they reach it, cease the open records of children past it, and assess them "
            "(the daily job; with the global --as-of, as of that date).")

    def handle(self, *args: Any, **options: Any) -> None:
        kept = register_keep_current(actor=COMMAND_LINE)
        self.stdout.write(f"{len(kept.joined)} children reached compulsory school age and joined "
                          f"the register; {len(kept.ceased)} past it ceased")
