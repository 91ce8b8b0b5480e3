"""notinschool api_key create --agency NAME --name LABEL [--source NAME ...]
notinschool api_key list
notinschool api_key revoke PREFIX

`create` prints the token once; only its hash is kept. Exit status 2 on a bad argument."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notinschool.accounts.models import Agency
from notinschool.accounts.system import COMMAND_LINE
from notinschool.api.models import ApiKey
from notinschool.api.services import api_key_create, api_key_revoke
from notinschool.core.errors import DomainError


class Command(BaseCommand):
    help = "Make, list and revoke keys for the HTTP API."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a key for an agency and print its token once")
        create.add_argument("--agency", required=True, help="the agency's name, as in the register")
        create.add_argument("--name", required=True, help="a label: the system that will use the key")
        create.add_argument("--source", action="append", default=[],
                            help="an agency-record source the key may send (repeat for more)")
        sub.add_parser("list", help="every key, live or revoked (never the tokens)")
        revoke = sub.add_parser("revoke", help="stop a key working")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as error:
            sys.stderr.write(f"{error}\n")
            sys.exit(2)

    def _create(self, options: dict[str, Any]) -> None:
        agency = Agency.objects.filter(name=options["agency"]).first()
        if agency is None:
            raise DomainError(f"no agency is called {options['agency']!r}")
        key, token = api_key_create(actor=COMMAND_LINE, agency=agency, name=options["name"],
                                    sources=options["source"])
        self.stderr.write(f"API key {key.prefix} for {agency.name}. The token is shown once; "
                          "keep it in the sending system's secret store:")
        self.stdout.write(token)

    def _list(self, options: dict[str, Any]) -> None:
        for key in ApiKey.objects.select_related("agency").order_by("agency__name", "created_at"):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "live"
            used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
            self.stdout.write(f"{key.prefix}\t{key.agency.name}\t{key.name}\t{state}\tlast used {used}"
                              + (f"\tsources {key.sources}" if key.sources else ""))

    def _revoke(self, options: dict[str, Any]) -> None:
        key = api_key_revoke(actor=COMMAND_LINE, prefix=options["prefix"])
        self.stdout.write(f"API key {key.prefix} ({key.name}) revoked")
