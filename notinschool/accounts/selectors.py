"""Reading users: who can be named where (for example the officers a record can be allocated to)."""

from django.db.models import QuerySet

from notinschool.accounts.models import User
from notinschool.accounts.roles import Role

CASEWORKER_ROLES = (Role.EHE_OFFICER, Role.TEAM_MANAGER)


def officer_list() -> QuerySet[User]:
    """Active officers and managers, by name: the people a child's record can be allocated to."""
    return (User.objects.filter(is_active=True, role__in=CASEWORKER_ROLES)
            .order_by("last_name", "first_name", "username"))
