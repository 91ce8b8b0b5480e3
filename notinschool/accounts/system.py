"""The actor for the command line and scheduled jobs: someone with shell access to the server,
trusted with the whole register; still named in every audit event."""

from notinschool.accounts.roles import Cap


class SystemActor:
    pk = None
    id = None
    role = "system"
    is_authenticated = True
    is_active = True
    agency_id = None

    def __init__(self, label: str = "command line"):
        self.label = label

    def can(self, capability: Cap) -> bool:
        return True

    def get_username(self) -> str:
        return f"system: {self.label}"


COMMAND_LINE = SystemActor()
