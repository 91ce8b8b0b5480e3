"""notinschool seed_demo_users [--password PW] [--health-districts "WV1 WV2"]

Creates one agency of each kind and one user of each role, enrolled in TOTP, and prints who can
sign in, with the password, the TOTP secret (to add to an authenticator app) and the code valid
now, and how many open children each officer holds (`demo_load` allocates them). Running it
again keeps the users and their secrets and sets the password afresh.
"""

from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from notinschool.accounts.demo import DemoLogin, demo_password, demo_users_seed
from notinschool.accounts.system import COMMAND_LINE
from notinschool.allocation.demo import demo_officers_summary
from notinschool.people.models import Child

COLUMNS = ("role", "username", "password", "TOTP secret", "code now")


class Command(BaseCommand):
    help = "Create the demo's users (one per role, TOTP enrolled) and print how to sign in as each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="the demo password for every user (default: a new random one)")
        parser.add_argument("--health-districts", default="",
                            help="postcode districts the health team covers, space-separated "
                                 "(default: the authority's area, else the register's three largest)")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or demo_password()
        districts = options["health_districts"].upper().split() or _default_districts()
        try:
            logins = demo_users_seed(council=settings.NOTINSCHOOL_AUTHORITY_NAME, password=password,
                                     health_districts=districts)
        except ValidationError as error:
            raise CommandError(f"that password will not do: {' '.join(error.messages)}") from None
        self.stdout.write(_table(logins))
        self.stdout.write("\n" + demo_officers_summary(actor=COMMAND_LINE))
        self.stdout.write(
            f"\nHealth team districts: {' '.join(districts) or 'none (the health user sees no child)'}.\n"
            "Sign in at /accounts/login/ with the username and password, then the code. Codes change "
            "every 30 seconds: add the secret to an authenticator app, or run this command again "
            "for fresh codes (secrets are kept; the password is set again).\n"
        )


def _table(logins: list[DemoLogin]) -> str:
    rows = [COLUMNS, *((x.role, x.username, x.password, x.totp_secret, x.code_now) for x in logins)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _default_districts() -> list[str]:
    if settings.NOTINSCHOOL_AREA_DISTRICTS:
        return list(settings.NOTINSCHOOL_AREA_DISTRICTS)[:3]
    counts = Counter(p.split()[0] for p in Child.objects.exclude(postcode="")
                     .values_list("postcode", flat=True).iterator() if " " in p)
    return [district for district, _ in counts.most_common(3)]
