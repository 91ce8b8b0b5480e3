"""Which children a set-based query of an assessment run is about."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q

from notinschool.core.bulk import any_of


@dataclass(frozen=True)
class Scope:
    """Which children a query is about: the key range `low`..`high` of a chunk read in key
    order (it may hold children outside the chunk, whose rows are skipped), or listed `ids`."""

    ids: tuple[UUID, ...] = ()
    low: UUID | None = None
    high: UUID | None = None

    def q(self, field: str) -> Q:
        if self.low is not None:
            return Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high})
        return any_of(field, self.ids)

