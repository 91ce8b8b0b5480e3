"""The actor for the command line and scheduled jobs: someone with shell access to the server,
trusted with the whole register; still named in every audit event. It answers what services
ask of a `User` (`role`, `agency`, `agency_id`, `is_active`) with safe values: no agency."""

from typing import TYPE_CHECKING

from notinschool.accounts.roles import Cap

if TYPE_CHECKING:
    from notinschool.accounts.models import Agency


class SystemActor:
    pk = None
    id = None
    role = "system"
    is_authenticated = True
    is_active = True
    agency: "Agency | None" = None
    agency_id: int | None = None

    def __init__(self, label: str = "command line"):
        self.label = label

    def can(self, capability: Cap) -> bool:
        return True

    def get_username(self) -> str:
        return f"system: {self.label}"


COMMAND_LINE = SystemActor()
