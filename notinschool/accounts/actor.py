"""Who is acting: a signed-in person (`User`), or the command line and scheduled jobs
(`SystemActor`). Every service takes one, checks its capability and names it in the audit."""

from notinschool.accounts.models import User
from notinschool.accounts.system import SystemActor

type Actor = User | SystemActor


def actor_user(actor: Actor) -> User | None:
    """The user to record as `created_by`/`modified_by`: none for the system."""
    return actor if isinstance(actor, User) else None
