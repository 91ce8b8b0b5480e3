from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from notinschool.accounts.models import User
from notinschool.accounts.system import COMMAND_LINE
from notinschool.casework.services import social_worker_allocate
from notinschool.core.errors import DomainError
from notinschool.people.models import Child


class Command(BaseCommand):
    help = "Record the social worker allocated to a child: alerts about the child go to them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("child_ref", help="the child's register reference")
        parser.add_argument("username", help="the social worker's user name")

    def handle(self, *args: Any, **options: Any) -> None:
        child = Child.objects.filter(child_ref=options["child_ref"]).first()
        worker = User.objects.filter(username=options["username"]).first()
        if child is None or worker is None:
            raise CommandError("no such child reference or user name")
        try:
            social_worker_allocate(actor=COMMAND_LINE, child=child, worker=worker)
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{child.child_ref}: alerts go to {worker.username}")
