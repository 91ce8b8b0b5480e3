from typing import Any

from django.core.management.base import BaseCommand

from notinschool.accounts.system import COMMAND_LINE
from notinschool.core.progress import stage
from notinschool.workflow.assessment import risk_assessment_run_recorded


class Command(BaseCommand):
    help = "Re-run the risk rules over every open record, with the thresholds in force."

    def handle(self, *args: Any, **options: Any) -> None:
        with stage("Assessing every open record"):
            run = risk_assessment_run_recorded(actor=COMMAND_LINE, child_ids=None,
                                               on_wait=self._waiting)
        s = run.summary
        self.stdout.write(f"assessed {run.children} children with rule version {run.rule_version}")
        self.stdout.write(
            f"against their previous assessments: {s.get('tier_more_serious', 0)} tier more "
            f"serious, {s.get('tier_less_serious', 0)} less serious, "
            f"{s.get('gained_actions', 0)} gained a required action, "
            f"{s.get('lost_actions', 0)} lost one, {s.get('first_assessed', 0)} assessed for the "
            "first time")

    def _waiting(self) -> None:
        """Said once, when another run (the nightly task, a page's re-run) holds the lock."""
        self.stdout.write("waiting for another assessment run to finish")
        self.stdout.flush()
