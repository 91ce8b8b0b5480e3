from typing import Any

from django.core.management.base import BaseCommand

from notinschool.accounts.system import COMMAND_LINE
from notinschool.core.progress import stage
from notinschool.risk.services import risk_assessment_run


class Command(BaseCommand):
    help = "Re-run the risk rules over every open record."

    def handle(self, *args: Any, **options: Any) -> None:
        with stage("Assessing every open record"):
            count = risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
        self.stdout.write(f"assessed {count} children")
