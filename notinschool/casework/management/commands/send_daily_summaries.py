from typing import Any

from django.core.management.base import BaseCommand

from notinschool.accounts.system import SystemActor
from notinschool.casework.services import daily_summaries_send


class Command(BaseCommand):
    help = ("Email each officer, manager and social worker their work counts for today, with a link "
            "and no children's names; at most once a person a day.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = daily_summaries_send(actor=SystemActor("daily summaries"))
        self.stdout.write(f"sent {sent} daily {'summary' if sent == 1 else 'summaries'}")
