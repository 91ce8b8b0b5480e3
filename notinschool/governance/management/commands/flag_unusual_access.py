import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notinschool.accounts.system import SystemActor
from notinschool.core import clock
from notinschool.governance.services import access_flags_compute


class Command(BaseCommand):
    help = ("Flag people who opened many records outside their usual area or out of hours on a day "
            "(yesterday unless --day), for the data protection officer's review.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", type=dt.date.fromisoformat, default=None,
                            help="the day to check, YYYY-MM-DD (default: yesterday)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["day"] or clock.today() - dt.timedelta(days=1)
        count = access_flags_compute(actor=SystemActor("unusual access"), day=day)
        self.stdout.write(f"{day}: {count} unusual access {'flag' if count == 1 else 'flags'}")
