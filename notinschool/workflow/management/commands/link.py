from typing import Any

from django.core.management.base import BaseCommand

from notinschool.accounts.system import COMMAND_LINE
from notinschool.core.progress import stage
from notinschool.linkage.services import link_all
from notinschool.workflow.assessment import risk_assessment_run


class Command(BaseCommand):
    help = "Cross-reference the register with every agency record, then reassess."

    def handle(self, *args: Any, **options: Any) -> None:
        with stage("Linking the register with agency records"):
            changed = link_all(actor=COMMAND_LINE)
        with stage("Assessing"):
            risk_assessment_run(actor=COMMAND_LINE, child_ids=None)
        self.stdout.write(f"links changed for {len(changed)} children")
